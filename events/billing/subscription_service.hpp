#pragma once
/// Plans and subscriptions of one tenant (core/billing/plan.hpp, core/billing/subscription.hpp).
/// A command that moves money appends the subscription's events and the charge's journal entry
/// (with the payer's `moved` event when the payer is a wallet or a reseller's credits) in one
/// atomic append (LedgerService::prepare_post): a subscription is never renewed without its
/// payment in the books, nor paid for twice (the entry id `sub:<id>:<period>` is posted once).
/// A payer that cannot pay fails a purchase (422 naming the payer); at a renewal it makes the
/// subscription past due instead (`renewal_failed`), with retries until the grace period ends.
/// A charge paid by a reseller's credits earns the reseller's commission in the same append
/// (CommissionService::prepare_earn): creations and renewals, not plan changes. Each charge
/// that debits the payer gets its invoice in the same append (InvoiceService::
/// prepare_period_invoice): a receipt when a wallet or credits paid it, an open invoice for a
/// receivable payer.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "core/billing/plan.hpp"
#include "core/billing/subscription.hpp"
#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "events/billing/commission_service.hpp"
#include "events/billing/invoice_service.hpp"
#include "events/billing/ledger_service.hpp"
#include "events/command_handler.hpp"
#include "events/event_store.hpp"

namespace switchyard::events::billing {

/// @thread safe.
class SubscriptionService {
  public:
    /// `commissions`: where resellers' commissions are earned; none: no commissions.
    /// `invoices`: where the charges' invoices are issued; none: charges without documents.
    SubscriptionService(EventStore& store, LedgerService& ledger, std::string tenant,
                        CommissionService* commissions = nullptr,
                        InvoiceService* invoices = nullptr);
    ~SubscriptionService();

    /// @errors as core::billing::decide(PlanState, Plan); the store's.
    core::Result<CommandOutcome<>> define_plan(const core::billing::Plan& plan,
                                               const core::DecisionContext& ctx);
    /// @errors NotFound naming `plan_id`.
    core::Result<CommandOutcome<>> retire_plan(const std::string& plan_id,
                                               const core::DecisionContext& ctx);
    /// A plan's state (no plan when never defined). @errors the store's; Invalid on decoding.
    core::Result<core::billing::PlanState> plan(const std::string& plan_id);

    /// Creates a subscription at `ctx.now`, charging its first period unless it starts with a
    /// trial. With `promo_code`, the code is redeemed in the same append (`billing.promo.
    /// redeemed` at the code's revision, so its last use goes to one subscription only) and its
    /// discount comes off the periods it lasts for.
    /// @errors as core::billing::decide(CreateSubscription); as core::billing::decide_redeem
    ///         (naming `promo_code`); as LedgerService::post for the charge (Rejected naming the
    ///         payer's posting when the balance cannot pay).
    core::Result<CommandOutcome<>> create(const core::billing::CreateSubscription& c,
                                          const core::DecisionContext& ctx,
                                          const std::string& promo_code = "");
    /// @errors as core::billing::decide_change_plan; the charge's, as for create.
    core::Result<CommandOutcome<>> change_plan(const std::string& subscription_id,
                                               const std::string& plan_id,
                                               const core::DecisionContext& ctx);
    /// @errors as core::billing::decide_cancel.
    core::Result<CommandOutcome<>> cancel_at_period_end(const std::string& subscription_id,
                                                        bool cancel,
                                                        const core::DecisionContext& ctx);
    /// @errors as core::billing::decide_auto_renew.
    core::Result<CommandOutcome<>> set_auto_renew(const std::string& subscription_id,
                                                  bool auto_renew,
                                                  const core::DecisionContext& ctx);
    /// @errors as core::billing::decide_pause.
    core::Result<CommandOutcome<>> pause(const std::string& subscription_id,
                                         const core::DecisionContext& ctx);
    /// @errors as core::billing::decide_resume.
    core::Result<CommandOutcome<>> resume(const std::string& subscription_id,
                                          const core::DecisionContext& ctx);
    /// Pays a past-due, suspended or expired subscription now.
    /// @errors as core::billing::decide_renew; the charge's, as for create.
    core::Result<CommandOutcome<>> renew(const std::string& subscription_id,
                                         const core::DecisionContext& ctx);
    /// Applies what is due at `ctx.now` (core::billing::decide_advance): a reminder, the end of
    /// the period, a renewal, whose failed charge appends `renewal_failed` (and `suspended`
    /// after the grace period). Nothing when nothing is due.
    /// @errors NotFound naming `subscription_id`; the store's.
    core::Result<CommandOutcome<>> advance(const std::string& subscription_id,
                                           const core::DecisionContext& ctx);

    /// A subscription's state and its stream's revision (-1 when none).
    core::Result<std::pair<core::billing::SubscriptionState, std::int64_t>> subscription(
        const std::string& subscription_id);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::billing
