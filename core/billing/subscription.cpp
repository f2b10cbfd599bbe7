#include "core/billing/subscription.hpp"

#include <algorithm>
#include <array>
#include <chrono>

#include "core/billing/recognition.hpp"
#include "core/overloaded.hpp"

namespace switchyard::core::billing {

namespace {

constexpr std::array<std::pair<SubscriptionStatus, const char*>, 7> kStatuses{{
    {SubscriptionStatus::Trialing, "trialing"},
    {SubscriptionStatus::Active, "active"},
    {SubscriptionStatus::PastDue, "past_due"},
    {SubscriptionStatus::Paused, "paused"},
    {SubscriptionStatus::Suspended, "suspended"},
    {SubscriptionStatus::Expired, "expired"},
    {SubscriptionStatus::Canceled, "canceled"},
}};

/// The reminders before a period ends, in days, latest first.
constexpr std::array<std::int64_t, 3> kReminderDays{1, 3, 7};

using std::chrono::days;

Result<void> check_terms(const SubscriptionTerms& t) {
    SY_TRY(check_id(t.subscription_id, "subscription_id"));
    SY_TRY(check_id(t.customer_id, "customer_id"));
    if (!valid_currency(t.currency))
        return fail(Errc::Invalid, "currency", "must be an ISO 4217 code such as EUR");
    const auto payer = SY_TRY(parse_account(t.payer, "payer"));
    if (payer.kind != AccountKind::Wallet && payer.kind != AccountKind::ResellerCredit &&
        payer.kind != AccountKind::Receivable)
        return fail(Errc::Invalid, "payer",
                    "must be a wallet (wallet:<customer>), a reseller's credits "
                    "(reseller_credit:<reseller>) or a receivable (receivable:<customer>)");
    if (t.service_id.size() > 128 ||
        !std::all_of(t.service_id.begin(), t.service_id.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x20 && c != 0x7f; }))
        return fail(Errc::Invalid, "service_id", "must be at most 128 printable bytes");
    return {};
}

Result<void> exists(const SubscriptionState& s) {
    if (!s.terms) return fail(Errc::NotFound, "subscription_id", "no such subscription");
    return {};
}

tl::unexpected<Error> status_error(const SubscriptionState& s, const std::string& what) {
    return fail(Errc::Rejected, "status",
                "the subscription is " + std::string(to_string(s.status)) + "; " + what);
}

bool ended(SubscriptionStatus st) {
    return st == SubscriptionStatus::Canceled || st == SubscriptionStatus::Suspended ||
           st == SubscriptionStatus::Expired;
}

/// The plan a command may put a subscription on: defined, not retired, with a price in the
/// currency. @errors NotFound / Rejected naming `plan_id`, Rejected naming `currency`.
Result<std::pair<const Plan*, const Price*>> usable_plan(const PlanState& p,
                                                         const std::string& currency,
                                                         bool allow_retired) {
    if (!p.plan) return fail(Errc::NotFound, "plan_id", "no such plan");
    if (p.retired && !allow_retired)
        return fail(Errc::Rejected, "plan_id", "plan " + p.plan->plan_id + " is retired");
    const auto* price = price_in(*p.plan, currency);
    if (!price)
        return fail(Errc::Rejected, "currency",
                    "plan " + p.plan->plan_id + " has no price in " + currency);
    return std::pair{&*p.plan, price};
}

/// What a period's charge says: `VPN Pro, period 2 (2026-12-01 to 2027-01-01)`.
std::string period_memo(const Plan& plan, std::int64_t period, Timestamp start, Timestamp end) {
    return plan.name + ", period " + std::to_string(period) + " (" +
           format_rfc3339(start).substr(0, 10) + " to " + format_rfc3339(end).substr(0, 10) + ")";
}

/// The invoice lines of a period charged at `price`: the period (which takes the discount)
/// and, with `setup_fee`, the plan's setup fee when it has one.
ChargeInvoice period_lines(const Plan& plan, const Price& price, const std::string& memo,
                           bool setup_fee, Micros discount, const std::string& promo_code) {
    ChargeInvoice out;
    out.lines.push_back({memo, plan.line, plan.plan_id, 1, price.amount_micros});
    if (setup_fee && price.setup_fee_micros > 0)
        out.lines.push_back(
            {"Setup fee, " + plan.name, plan.line, plan.plan_id, 1, price.setup_fee_micros});
    out.discount_micros = discount;
    out.promo_code = promo_code;
    return out;
}

std::string period_entry_id(const SubscriptionState& s, std::int64_t period) {
    return "sub:" + s.terms->subscription_id + ":" + std::to_string(period);
}

/// The renewal of `s` paying its next period on `plan` (`reinstate`: a new period from now).
Result<SubscriptionDecision> renewal(const SubscriptionState& s, const PlanState& plan_state,
                                     Timestamp now, bool reinstate) {
    const auto [plan, price] = SY_TRY(usable_plan(plan_state, s.terms->currency, true));
    SubscriptionRenewed r;
    r.period = s.periods_paid + 1;
    r.plan_id = plan->plan_id;
    r.reinstated = reinstate;
    if (reinstate) {
        r.anchor = now;
        r.period_start = now;
        r.period_end = add_intervals(now, plan->interval, plan->interval_count, 1);
    } else if (s.index == 0 || !s.pending_plan_id.empty() || plan->plan_id != s.plan_id) {
        // The first paid period after a trial, or a new plan: periods count from here.
        r.anchor = s.period_end;
        r.period_start = s.period_end;
        r.period_end = add_intervals(s.period_end, plan->interval, plan->interval_count, 1);
    } else {
        r.anchor = s.anchor;
        r.period_start = s.period_end;
        r.period_end = add_intervals(s.anchor, plan->interval, plan->interval_count, s.index + 1);
    }
    for (const auto& promo : s.discounts)
        r.discount_micros += discount_for(promo, price->amount_micros - r.discount_micros, r.period,
                                          s.terms->currency);
    r.amount_micros =
        price->amount_micros + (s.setup_fee_paid ? 0 : price->setup_fee_micros) - r.discount_micros;
    SubscriptionDecision d;
    if (r.amount_micros + r.discount_micros > 0) {
        r.entry_id = period_entry_id(s, r.period);
        auto memo = period_memo(*plan, r.period, r.period_start, r.period_end);
        d.invoice = period_lines(*plan, *price, memo, !s.setup_fee_paid, r.discount_micros,
                                 s.discounts.empty() ? "" : s.discounts.front().code);
        d.charge = charge_entry(*s.terms, s.line, r.entry_id, r.amount_micros, std::move(memo),
                                r.discount_micros);
        if (plan->ratable) defer_revenue(*d.charge, r.period_start, r.period_end);
    }
    d.events.push_back(std::move(r));
    return d;
}

/// The latest reminder due at `now` that this period has not had, or 0.
std::int64_t reminder_due(const SubscriptionState& s, Timestamp now) {
    for (auto d : kReminderDays) {
        if (s.reminded_days != 0 && d >= s.reminded_days) continue;
        const auto at = s.period_end - days(d);
        if (at <= s.period_start) continue;  // the period is shorter than the reminder
        if (now >= at) return d;
    }
    return 0;
}

}  // namespace

const char* to_string(SubscriptionStatus s) noexcept {
    for (const auto& [v, name] : kStatuses)
        if (v == s) return name;
    return "active";
}

bool parse_subscription_status(std::string_view text, SubscriptionStatus& out) noexcept {
    for (const auto& [v, name] : kStatuses)
        if (text == name) {
            out = v;
            return true;
        }
    return false;
}

bool service_on(SubscriptionStatus s) noexcept {
    return s == SubscriptionStatus::Trialing || s == SubscriptionStatus::Active ||
           s == SubscriptionStatus::PastDue;
}

void evolve(SubscriptionState& s, const SubscriptionEvent& e) {
    std::visit(Overloaded{
                   [&](const SubscriptionCreated& c) {
                       s.terms = c.terms;
                       s.plan_id = c.plan_id;
                       s.line = c.line;
                       s.auto_renew = c.auto_renew;
                       s.status =
                           c.trial ? SubscriptionStatus::Trialing : SubscriptionStatus::Active;
                       s.anchor = c.anchor;
                       s.period_start = c.period_start;
                       s.period_end = c.period_end;
                       s.index = c.trial ? 0 : 1;
                       s.periods_paid = c.trial ? 0 : 1;
                       s.setup_fee_paid = !c.trial;
                       s.discounts = c.discounts;
                   },
                   [&](const SubscriptionRenewed& r) {
                       s.index = r.anchor == s.anchor && !r.reinstated ? s.index + 1 : 1;
                       s.periods_paid = r.period;
                       s.plan_id = r.plan_id;
                       s.pending_plan_id.clear();
                       s.anchor = r.anchor;
                       s.period_start = r.period_start;
                       s.period_end = r.period_end;
                       s.status = SubscriptionStatus::Active;
                       s.setup_fee_paid = true;
                       s.renewal_attempts = 0;
                       s.next_attempt_at.reset();
                       s.reminded_days = 0;
                   },
                   [&](const SubscriptionPlanChanged& c) {
                       if (c.anchor != s.anchor)
                           s.index = s.status == SubscriptionStatus::Trialing ? 0 : 1;
                       if (c.period_end != s.period_end) s.reminded_days = 0;
                       s.plan_id = c.to_plan;
                       s.pending_plan_id.clear();
                       s.anchor = c.anchor;
                       s.period_start = c.period_start;
                       s.period_end = c.period_end;
                       ++s.plan_changes;
                   },
                   [&](const SubscriptionDowngradeScheduled& d) { s.pending_plan_id = d.to_plan; },
                   [&](const SubscriptionCancelScheduled& c) {
                       s.cancel_at_period_end = c.cancel_at_period_end;
                   },
                   [&](const SubscriptionAutoRenewSet& a) { s.auto_renew = a.auto_renew; },
                   [&](const SubscriptionPaused& p) {
                       s.paused_at = p.at;
                       s.status = SubscriptionStatus::Paused;
                   },
                   [&](const SubscriptionResumed& r) {
                       s.status = s.periods_paid == 0 ? SubscriptionStatus::Trialing
                                                      : SubscriptionStatus::Active;
                       s.anchor = r.anchor;
                       s.period_start = s.period_start + (r.period_end - s.period_end);
                       s.period_end = r.period_end;
                       s.paused_at.reset();
                   },
                   [&](const SubscriptionReminderDue& r) { s.reminded_days = r.days_before; },
                   [&](const SubscriptionRenewalFailed& f) {
                       s.status = SubscriptionStatus::PastDue;
                       s.renewal_attempts = f.attempt;
                       s.next_attempt_at = f.next_attempt_at;
                   },
                   [&](const SubscriptionSuspended&) {
                       s.status = SubscriptionStatus::Suspended;
                       s.next_attempt_at.reset();
                   },
                   [&](const SubscriptionExpired&) { s.status = SubscriptionStatus::Expired; },
                   [&](const SubscriptionCanceled&) { s.status = SubscriptionStatus::Canceled; },
               },
               e);
}

std::optional<Timestamp> next_due(const SubscriptionState& s) {
    if (!s.terms) return std::nullopt;
    switch (s.status) {
        case SubscriptionStatus::Trialing:
        case SubscriptionStatus::Active:
            // The earliest reminder not yet had (the 7-day one before the 3-day one), else
            // the period end.
            for (auto it = kReminderDays.rbegin(); it != kReminderDays.rend(); ++it) {
                if (s.reminded_days != 0 && *it >= s.reminded_days) continue;
                const auto at = s.period_end - days(*it);
                if (at > s.period_start) return at;
            }
            return s.period_end;
        case SubscriptionStatus::PastDue:
            return s.next_attempt_at;
        default:
            return std::nullopt;
    }
}

JournalEntry charge_entry(const SubscriptionTerms& t, const std::string& line,
                          const std::string& entry_id, Micros amount, std::string memo,
                          Micros discount) {
    JournalEntry e;
    e.entry_id = entry_id;
    e.currency = t.currency;
    e.memo = std::move(memo);
    e.reference = t.subscription_id;
    const std::string revenue = "revenue:" + line;
    if (amount >= 0 && discount > 0) {
        if (amount > 0) e.postings.push_back({t.payer, amount, 0});
        e.postings.push_back({"discounts:" + line, discount, 0});
        e.postings.push_back({revenue, 0, amount + discount});
    } else if (amount >= 0)
        e.postings = {{t.payer, amount, 0}, {revenue, 0, amount}};
    else
        e.postings = {{revenue, -amount, 0}, {t.payer, 0, -amount}};
    return e;
}

Result<SubscriptionDecision> decide(const SubscriptionState& s, const CreateSubscription& c,
                                    const PlanState& plan_state, Timestamp now) {
    SY_TRY(check_terms(c.terms));
    SY_TRY(check_id(c.plan_id, "plan_id"));
    if (s.terms) {
        if (*s.terms == c.terms && s.plan_id == c.plan_id) return SubscriptionDecision{};
        return fail(Errc::Conflict, "subscription_id",
                    "subscription " + c.terms.subscription_id + " exists with other terms");
    }
    const auto [plan, price] = SY_TRY(usable_plan(plan_state, c.terms.currency, false));
    SubscriptionCreated e;
    e.terms = c.terms;
    e.plan_id = plan->plan_id;
    e.line = plan->line;
    e.auto_renew = c.auto_renew;
    e.anchor = now;
    e.period_start = now;
    SubscriptionDecision d;
    if (plan->trial_days > 0) {
        e.trial = true;
        e.period_end = now + days(plan->trial_days);
    } else {
        e.period_end = add_intervals(now, plan->interval, plan->interval_count, 1);
        if (c.promo)
            e.discount_micros = discount_for(*c.promo, price->amount_micros, 1, c.terms.currency);
        e.amount_micros = price->amount_micros + price->setup_fee_micros - e.discount_micros;
        if (e.amount_micros + e.discount_micros > 0) {
            e.entry_id = "sub:" + c.terms.subscription_id + ":1";
            auto memo = period_memo(*plan, 1, e.period_start, e.period_end);
            d.invoice = period_lines(*plan, *price, memo, true, e.discount_micros,
                                     c.promo ? c.promo->code : "");
            d.charge = charge_entry(c.terms, plan->line, e.entry_id, e.amount_micros,
                                    std::move(memo), e.discount_micros);
            if (plan->ratable) defer_revenue(*d.charge, e.period_start, e.period_end);
        }
    }
    if (c.promo) e.discounts.push_back(*c.promo);
    d.events.push_back(std::move(e));
    return d;
}

Result<SubscriptionDecision> decide_change_plan(const SubscriptionState& s, const PlanState& from,
                                                const PlanState& to, Timestamp now) {
    SY_TRY(exists(s));
    if (s.status != SubscriptionStatus::Trialing && s.status != SubscriptionStatus::Active)
        return status_error(s, "only a trialing or active subscription changes its plan");
    const auto [to_plan, to_price] = SY_TRY(usable_plan(to, s.terms->currency, false));
    if (to_plan->line != s.line)
        return fail(Errc::Rejected, "plan_id",
                    "plan " + to_plan->plan_id + " sells " + to_plan->line +
                        "; this subscription is for " + s.line);
    SubscriptionDecision d;
    if (to_plan->plan_id == s.plan_id) {
        if (!s.pending_plan_id.empty()) d.events.push_back(SubscriptionDowngradeScheduled{""});
        return d;
    }
    SubscriptionPlanChanged c;
    c.from_plan = s.plan_id;
    c.to_plan = to_plan->plan_id;
    c.at = now;
    c.anchor = s.anchor;
    c.period_start = s.period_start;
    c.period_end = s.period_end;
    if (s.status == SubscriptionStatus::Trialing) {
        d.events.push_back(std::move(c));
        return d;
    }
    const Price none{s.terms->currency, 0, 0};
    const Price* from_price = from.plan ? price_in(*from.plan, s.terms->currency) : nullptr;
    if (!from_price) from_price = &none;
    if (from.plan && !is_upgrade(*from.plan, *from_price, *to_plan, *to_price)) {
        if (s.pending_plan_id != to_plan->plan_id)
            d.events.push_back(SubscriptionDowngradeScheduled{to_plan->plan_id});
        return d;
    }
    const auto& currency = s.terms->currency;
    c.days_in_period = whole_days(s.period_start, s.period_end);
    c.days_remaining =
        c.days_in_period - std::min(c.days_in_period, whole_days(s.period_start, now));
    c.credit_micros =
        prorate(from_price->amount_micros, c.days_remaining, c.days_in_period, currency);
    const bool same_period = from.plan && from.plan->interval == to_plan->interval &&
                             from.plan->interval_count == to_plan->interval_count;
    if (same_period) {
        c.charge_micros =
            prorate(to_price->amount_micros, c.days_remaining, c.days_in_period, currency);
    } else {
        c.charge_micros = to_price->amount_micros;
        c.anchor = now;
        c.period_start = now;
        c.period_end = add_intervals(now, to_plan->interval, to_plan->interval_count, 1);
    }
    const Micros net = c.charge_micros - c.credit_micros;
    if (net != 0) {
        c.entry_id =
            "sub:" + s.terms->subscription_id + ":change:" + std::to_string(s.plan_changes + 1);
        d.charge = charge_entry(*s.terms, s.line, c.entry_id, net,
                                "plan change " + c.from_plan + " -> " + c.to_plan + ", " +
                                    std::to_string(c.days_remaining) + " of " +
                                    std::to_string(c.days_in_period) + " days");
        // A ratable plan earns the difference over what is left of the period.
        if (to_plan->ratable && c.at < c.period_end) defer_revenue(*d.charge, c.at, c.period_end);
        if (net > 0)
            d.invoice = ChargeInvoice{
                {{to_plan->name +
                      (same_period ? ", " + std::to_string(c.days_remaining) + " of " +
                                         std::to_string(c.days_in_period) + " days"
                                   : ", a new period") +
                      (c.credit_micros > 0 ? ", less " + std::to_string(c.days_remaining) +
                                                 " unused days of " + c.from_plan
                                           : ""),
                  s.line, to_plan->plan_id, 1, net}},
                0,
                ""};
    }
    d.events.push_back(std::move(c));
    return d;
}

Result<std::vector<SubscriptionEvent>> decide_cancel(const SubscriptionState& s, bool cancel) {
    SY_TRY(exists(s));
    if (ended(s.status)) return status_error(s, "there is nothing to cancel");
    if (s.cancel_at_period_end == cancel) return std::vector<SubscriptionEvent>{};
    return std::vector<SubscriptionEvent>{SubscriptionCancelScheduled{cancel}};
}

Result<std::vector<SubscriptionEvent>> decide_auto_renew(const SubscriptionState& s,
                                                         bool auto_renew) {
    SY_TRY(exists(s));
    if (s.status == SubscriptionStatus::Canceled)
        return status_error(s, "a canceled subscription does not renew");
    if (s.auto_renew == auto_renew) return std::vector<SubscriptionEvent>{};
    return std::vector<SubscriptionEvent>{SubscriptionAutoRenewSet{auto_renew}};
}

Result<std::vector<SubscriptionEvent>> decide_pause(const SubscriptionState& s, Timestamp now) {
    SY_TRY(exists(s));
    if (s.status == SubscriptionStatus::Paused) return std::vector<SubscriptionEvent>{};
    if (s.status != SubscriptionStatus::Trialing && s.status != SubscriptionStatus::Active)
        return status_error(s, "only a trialing or active subscription is paused");
    if (now >= s.period_end) return status_error(s, "its period has ended; renew it first");
    return std::vector<SubscriptionEvent>{SubscriptionPaused{now}};
}

Result<std::vector<SubscriptionEvent>> decide_resume(const SubscriptionState& s, Timestamp now) {
    SY_TRY(exists(s));
    if (s.status != SubscriptionStatus::Paused)
        return status_error(s, "only a paused subscription is resumed");
    const auto paused = std::max(now - *s.paused_at, Timestamp::duration{0});
    return std::vector<SubscriptionEvent>{
        SubscriptionResumed{now, s.anchor + paused, s.period_end + paused}};
}

Result<SubscriptionDecision> decide_renew(const SubscriptionState& s, const PlanState& plan,
                                          Timestamp now) {
    SY_TRY(exists(s));
    switch (s.status) {
        case SubscriptionStatus::PastDue:
            return renewal(s, plan, now, false);
        case SubscriptionStatus::Suspended:
        case SubscriptionStatus::Expired:
            return renewal(s, plan, now, true);
        case SubscriptionStatus::Paused:
            return status_error(s, "resume it first");
        case SubscriptionStatus::Canceled:
            return status_error(s, "a canceled subscription is final; create a new one");
        default:
            return status_error(s, "it renews by itself at the end of its period");
    }
}

Result<SubscriptionDecision> decide_advance(const SubscriptionState& s, const PlanState& plan,
                                            Timestamp now) {
    SY_TRY(exists(s));
    SubscriptionDecision d;
    switch (s.status) {
        case SubscriptionStatus::Trialing:
        case SubscriptionStatus::Active:
            if (now < s.period_end) {
                if (const auto days_before = reminder_due(s, now))
                    d.events.push_back(SubscriptionReminderDue{days_before, s.period_end});
                return d;
            }
            if (s.cancel_at_period_end) {
                d.events.push_back(SubscriptionCanceled{s.period_end});
                return d;
            }
            if (!s.auto_renew) {
                d.events.push_back(SubscriptionExpired{s.period_end});
                return d;
            }
            break;
        case SubscriptionStatus::PastDue:
            if (!s.next_attempt_at || now < *s.next_attempt_at) return d;
            break;
        default:
            return d;
    }
    auto r = renewal(s, plan, now, false);
    if (r) return r;
    if (!plan.plan) return fail(r.error());
    d.events = renewal_failed(s, *plan.plan, now, r.error().message);
    return d;
}

std::vector<SubscriptionEvent> renewal_failed(const SubscriptionState& s, const Plan& plan,
                                              Timestamp now, const std::string& reason) {
    const std::int64_t attempt = s.renewal_attempts + 1;
    const auto grace_end = s.period_end + days(plan.grace_days);
    if (now >= grace_end)
        return {SubscriptionRenewalFailed{attempt, reason, std::nullopt},
                SubscriptionSuspended{"unpaid"}};
    const auto next = std::min(grace_end, now + days(attempt == 1 ? 1 : 2));
    return {SubscriptionRenewalFailed{attempt, reason, next}};
}

}  // namespace switchyard::core::billing
