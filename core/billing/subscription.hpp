#pragma once
/// Subscriptions (issue 16, item 3): a customer's plan over time, paid period by period from a
/// payer account (a customer's wallet, a reseller's credits, or the customer's receivable for
/// postpaid customers invoiced later), each charge a journal entry of the ledger
/// (core/billing/ledger.hpp) appended atomically with the subscription's event.
///
/// Stream `billing_subscription-<subscription id>`. Statuses and the service they give:
///
/// | status | service | how it is reached |
/// |---|---|---|
/// | `trialing` | on | created on a plan with trial days (nothing charged) |
/// | `active` | on | created or renewed with the period paid |
/// | `past_due` | on | the renewal's charge failed; retried, service kept for the grace days |
/// | `paused` | off | paused by staff; resuming adds the paused time to the period |
/// | `suspended` | off | still unpaid when the grace period ended |
/// | `expired` | off | the period ended without auto-renewal |
/// | `canceled` | off | the period ended with a cancellation scheduled (final) |
///
/// A payment (`renew`) reinstates a past-due, suspended or expired subscription. Time moves a
/// subscription only through `advance(now)`, which the billing worker runs when a
/// subscription's next due time (`next_due`) has come: the 7-, 3- and 1-day reminders before
/// the period ends, the renewal at the period end, the retries of a failed renewal (1 and 3
/// days after the first attempt, and at the end of the grace period), the suspension.
///
/// Entry ids (the ledger's idempotency keys): `sub:<id>:<period>` for the charge of paid
/// period n (1, 2, ...), `sub:<id>:change:<n>` for the n-th plan change's proration.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/billing/issued_invoice.hpp"
#include "core/billing/ledger.hpp"
#include "core/billing/plan.hpp"
#include "core/billing/promo.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace switchyard::core::billing {

/// Wire names: `trialing`, `active`, `past_due`, `paused`, `suspended`, `expired`, `canceled`.
enum class SubscriptionStatus { Trialing, Active, PastDue, Paused, Suspended, Expired, Canceled };
const char* to_string(SubscriptionStatus s) noexcept;
bool parse_subscription_status(std::string_view text, SubscriptionStatus& out) noexcept;
/// True when the status gives service (trialing, active, past_due).
bool service_on(SubscriptionStatus s) noexcept;

/// Who a subscription is for and who pays, fixed at creation.
struct SubscriptionTerms {
    std::string subscription_id;  ///< 1 to 64 letters, digits, `.`, `_`, `-`.
    std::string customer_id;      ///< 1 to 64 of the same.
    std::string currency;         ///< ISO 4217; the plan must have a price in it.
    /// The account charged: `wallet:<id>` or `reseller_credit:<id>` (guarded: a charge the
    /// balance cannot pay fails), or `receivable:<id>` (postpaid: invoiced later).
    std::string payer;
    /// What the line's adapter acts on: an IPTV line id, a VPN customer id, a hotspot
    /// username, a voice customer id; may be empty (nothing to act on).
    std::string service_id;
    friend bool operator==(const SubscriptionTerms&, const SubscriptionTerms&) = default;
};

// ---- events (stream `billing_subscription-<id>`) ----

struct SubscriptionCreated {
    static constexpr std::string_view kType = "billing.subscription.created";
    SubscriptionTerms terms;
    std::string plan_id;
    std::string line;  ///< The plan's service line, kept for the adapters and reports.
    bool auto_renew = true;
    bool trial = false;
    Timestamp anchor{};  ///< Periods are counted from here.
    Timestamp period_start{};
    Timestamp period_end{};
    std::string entry_id;        ///< The charge's entry; empty for a trial or a free plan.
    Micros amount_micros = 0;    ///< Charged, setup fee included, discount taken off.
    Micros discount_micros = 0;  ///< Off the first period's price by the promo code.
    /// The promo codes redeemed with it (0 or 1), whose terms discount its periods (Stripe's
    /// subscription `discounts`).
    std::vector<PromoCode> discounts;
    friend bool operator==(const SubscriptionCreated&, const SubscriptionCreated&) = default;
};

/// A period paid: the renewal at the period end, a retry, or a payment that reinstates.
struct SubscriptionRenewed {
    static constexpr std::string_view kType = "billing.subscription.renewed";
    std::int64_t period = 0;  ///< The paid period's number (1 = the first paid period).
    std::string plan_id;      ///< The plan of the new period (a scheduled downgrade applies).
    Timestamp anchor{};
    Timestamp period_start{};
    Timestamp period_end{};
    std::string entry_id;
    Micros amount_micros = 0;    ///< Charged, discount taken off.
    Micros discount_micros = 0;  ///< Off the period's price by the subscription's promo codes.
    bool reinstated = false;     ///< Service was off (suspended or expired) and is on again.
    friend bool operator==(const SubscriptionRenewed&, const SubscriptionRenewed&) = default;
};

/// An upgrade, applied at once: the unused days of the old plan credited, the remaining days
/// of the new one charged (the same period), or a new period from now when the periods differ.
struct SubscriptionPlanChanged {
    static constexpr std::string_view kType = "billing.subscription.plan_changed";
    std::string from_plan;
    std::string to_plan;
    Timestamp at{};
    std::int64_t days_remaining = 0;  ///< Whole days of the old period not used.
    std::int64_t days_in_period = 0;
    Micros credit_micros = 0;  ///< For the unused days of the old plan.
    Micros charge_micros = 0;  ///< For the new plan (remaining days, or a whole new period).
    Timestamp anchor{};
    Timestamp period_start{};
    Timestamp period_end{};
    std::string entry_id;  ///< Empty when credit and charge cancel out (or in a trial).
    friend bool operator==(const SubscriptionPlanChanged&,
                           const SubscriptionPlanChanged&) = default;
};

/// A downgrade, applied at the next renewal (the customer keeps what was paid for).
struct SubscriptionDowngradeScheduled {
    static constexpr std::string_view kType = "billing.subscription.downgrade_scheduled";
    std::string to_plan;
    friend bool operator==(const SubscriptionDowngradeScheduled&,
                           const SubscriptionDowngradeScheduled&) = default;
};

/// Cancellation at the period end scheduled (`cancel_at_period_end` true) or withdrawn.
struct SubscriptionCancelScheduled {
    static constexpr std::string_view kType = "billing.subscription.cancel_scheduled";
    bool cancel_at_period_end = true;
    friend bool operator==(const SubscriptionCancelScheduled&,
                           const SubscriptionCancelScheduled&) = default;
};

struct SubscriptionAutoRenewSet {
    static constexpr std::string_view kType = "billing.subscription.auto_renew_set";
    bool auto_renew = true;
    friend bool operator==(const SubscriptionAutoRenewSet&,
                           const SubscriptionAutoRenewSet&) = default;
};

struct SubscriptionPaused {
    static constexpr std::string_view kType = "billing.subscription.paused";
    Timestamp at{};
    friend bool operator==(const SubscriptionPaused&, const SubscriptionPaused&) = default;
};

/// Resumed: the period and the anchor move by the paused time.
struct SubscriptionResumed {
    static constexpr std::string_view kType = "billing.subscription.resumed";
    Timestamp at{};
    Timestamp anchor{};
    Timestamp period_end{};
    friend bool operator==(const SubscriptionResumed&, const SubscriptionResumed&) = default;
};

/// A reminder came due: the period ends in `days_before` days (7, 3 or 1); the notifier sends
/// "expiring" or "renewing" by the subscription's auto-renewal.
struct SubscriptionReminderDue {
    static constexpr std::string_view kType = "billing.subscription.reminder_due";
    std::int64_t days_before = 0;
    Timestamp period_end{};
    friend bool operator==(const SubscriptionReminderDue&,
                           const SubscriptionReminderDue&) = default;
};

/// A renewal's charge failed (`attempt` 1, 2, ...); the next try, if the grace period leaves
/// one. The status is `past_due` (service kept).
struct SubscriptionRenewalFailed {
    static constexpr std::string_view kType = "billing.subscription.renewal_failed";
    std::int64_t attempt = 0;
    std::string reason;
    std::optional<Timestamp> next_attempt_at;
    friend bool operator==(const SubscriptionRenewalFailed&,
                           const SubscriptionRenewalFailed&) = default;
};

/// Service off: `unpaid` (the grace period ended without payment).
struct SubscriptionSuspended {
    static constexpr std::string_view kType = "billing.subscription.suspended";
    std::string reason;
    friend bool operator==(const SubscriptionSuspended&, const SubscriptionSuspended&) = default;
};

/// Service off: the period ended without auto-renewal.
struct SubscriptionExpired {
    static constexpr std::string_view kType = "billing.subscription.expired";
    Timestamp period_end{};
    friend bool operator==(const SubscriptionExpired&, const SubscriptionExpired&) = default;
};

/// Service off for good: the period ended with a cancellation scheduled.
struct SubscriptionCanceled {
    static constexpr std::string_view kType = "billing.subscription.canceled";
    Timestamp period_end{};
    friend bool operator==(const SubscriptionCanceled&, const SubscriptionCanceled&) = default;
};

using SubscriptionEvent =
    std::variant<SubscriptionCreated, SubscriptionRenewed, SubscriptionPlanChanged,
                 SubscriptionDowngradeScheduled, SubscriptionCancelScheduled,
                 SubscriptionAutoRenewSet, SubscriptionPaused, SubscriptionResumed,
                 SubscriptionReminderDue, SubscriptionRenewalFailed, SubscriptionSuspended,
                 SubscriptionExpired, SubscriptionCanceled>;

/// A subscription as its stream has it.
struct SubscriptionState {
    std::optional<SubscriptionTerms> terms;  ///< None before creation.
    std::string plan_id;
    std::string line;
    std::string pending_plan_id;  ///< A scheduled downgrade; empty when none.
    SubscriptionStatus status = SubscriptionStatus::Active;
    bool auto_renew = true;
    bool cancel_at_period_end = false;
    bool setup_fee_paid = false;
    Timestamp anchor{};
    Timestamp period_start{};
    Timestamp period_end{};
    std::int64_t periods_paid = 0;  ///< Paid periods so far (the last charge's number).
    std::int64_t index = 0;         ///< Periods since the anchor (0 in a trial).
    std::int64_t plan_changes = 0;
    std::int64_t renewal_attempts = 0;  ///< Failed attempts of the pending renewal.
    std::optional<Timestamp> next_attempt_at;
    std::optional<Timestamp> paused_at;
    std::int64_t reminded_days = 0;    ///< The last reminder of this period (7, 3, 1); 0 none.
    std::vector<PromoCode> discounts;  ///< The promo codes discounting its periods.
};
void evolve(SubscriptionState& s, const SubscriptionEvent& e);

inline std::string subscription_stream(const std::string& id) {
    return "billing_subscription-" + id;
}

/// The next time `advance` has something to do (a reminder, the period end, a retry), or
/// nullopt (paused, or service off for good until a payment).
std::optional<Timestamp> next_due(const SubscriptionState& s);

// ---- commands ----

/// What a command decided: the subscription's events and, when money moves, the journal
/// entry to post with them (atomically; a guarded payer that cannot pay fails the command).
struct SubscriptionDecision {
    std::vector<SubscriptionEvent> events;
    std::optional<JournalEntry> charge;
    /// What the charge's invoice bills (core::billing::period_invoice); set with a charge that
    /// debits the payer (none for a proration credit).
    std::optional<ChargeInvoice> invoice;
};

struct CreateSubscription {
    SubscriptionTerms terms;
    std::string plan_id;
    bool auto_renew = true;
    /// The promo code redeemed with it (checked by core::billing::decide_redeem); its discount
    /// (discount_for) comes off the price of each paid period it lasts for, period 1 being the
    /// first paid one (after a trial), never off the setup fee.
    std::optional<PromoCode> promo;
};
/// Creates a subscription starting at `now`: a trial when the plan has trial days, else the
/// first period charged (price plus setup fee). The same command again decides nothing.
/// @errors Invalid naming `subscription_id`, `customer_id`, `currency`, `payer` (not a wallet,
///         reseller credit or receivable), `service_id`; Rejected naming `plan_id` (retired) or
///         `currency` (no price in it); Conflict naming `subscription_id` when it exists with
///         other terms.
Result<SubscriptionDecision> decide(const SubscriptionState& s, const CreateSubscription& c,
                                    const PlanState& plan, Timestamp now);

/// Changes the plan. An upgrade (`is_upgrade`) applies at once, prorated by whole days: the
/// unused days of the old price credited and the same days of the new price charged, in one
/// entry of their difference; when the billing periods differ, a new period starts now and the
/// new price is charged whole. A downgrade is scheduled for the next renewal. In a trial the
/// plan changes at once, with nothing charged.
/// @errors NotFound naming `subscription_id`; Rejected naming `status` (not trialing, active or
///         past_due), `plan_id` (retired, another service line, no price in the currency).
Result<SubscriptionDecision> decide_change_plan(const SubscriptionState& s, const PlanState& from,
                                                const PlanState& to, Timestamp now);

/// Schedules (`cancel` true) or withdraws a cancellation at the period end; nothing when so.
/// @errors NotFound; Rejected naming `status` when the subscription already ended.
Result<std::vector<SubscriptionEvent>> decide_cancel(const SubscriptionState& s, bool cancel);
/// @errors NotFound; Rejected naming `status` when the subscription already ended.
Result<std::vector<SubscriptionEvent>> decide_auto_renew(const SubscriptionState& s,
                                                         bool auto_renew);
/// Pauses a trialing or active subscription (service off). @errors NotFound; Rejected `status`.
Result<std::vector<SubscriptionEvent>> decide_pause(const SubscriptionState& s, Timestamp now);
/// Resumes a paused one, moving its period end by the paused time. @errors NotFound; Rejected.
Result<std::vector<SubscriptionEvent>> decide_resume(const SubscriptionState& s, Timestamp now);

/// Pays now: a past-due subscription pays its pending period (which keeps its dates); a
/// suspended or expired one starts a new period at `now` (reinstated).
/// @errors NotFound; Rejected naming `status` (trialing or active renew by themselves at the
///         period end; paused resumes first; canceled is final).
Result<SubscriptionDecision> decide_renew(const SubscriptionState& s, const PlanState& plan,
                                          Timestamp now);

/// What time brings at `now`: a reminder, the expiry or cancellation at the period end, or a
/// renewal to charge (`charge` set, with the `renewed` event). The caller posts the charge; if
/// the payer cannot pay, it appends `renewal_failed(...)` instead. Nothing when nothing is due.
/// `plan` is the plan of the next period (the scheduled downgrade's, if any).
Result<SubscriptionDecision> decide_advance(const SubscriptionState& s, const PlanState& plan,
                                            Timestamp now);

/// The events of a renewal whose charge failed at `now` for `reason`: `renewal_failed` with
/// the next attempt (1 day, then 2 more days later, never past the grace end), or, when the
/// grace period is over, `renewal_failed` and `suspended`.
std::vector<SubscriptionEvent> renewal_failed(const SubscriptionState& s, const Plan& plan,
                                              Timestamp now, const std::string& reason);

/// The journal entry of a charge (`amount` > 0): the payer debited, `revenue:<line>` credited;
/// a negative amount (a proration credit) the other way round. A `discount` (> 0) is debited to
/// `discounts:<line>` and revenue credited before it (the payer's posting left out when the
/// discount takes all).
JournalEntry charge_entry(const SubscriptionTerms& t, const std::string& line,
                          const std::string& entry_id, Micros amount, std::string memo,
                          Micros discount = 0);

}  // namespace switchyard::core::billing
