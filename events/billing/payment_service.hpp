#pragma once
/// Payments of one tenant (core/billing/payment.hpp): received by hand (staff) or from a
/// gateway's signed webhook (events/billing/gateway_webhooks.hpp), refunded, charged back. A
/// command appends the payment's events and its journal entry (with the wallet's `moved`
/// event) in one atomic append; a webhook also creates its own stream
/// `billing_webhook-<gateway>.<event id>` in that append, so a delivery seen before changes
/// nothing, also when two deliveries race. A payment received opens the customer's wallet in
/// its currency when none is open; one that names a subscription renews it when it is past
/// due, suspended or expired (which puts its service back on).

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "core/billing/payment.hpp"
#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "events/billing/gateway_webhooks.hpp"
#include "events/billing/ledger_service.hpp"
#include "events/billing/subscription_service.hpp"
#include "events/command_handler.hpp"
#include "events/event_store.hpp"

namespace switchyard::events::billing {

/// What a payment command gives back besides its positions.
struct PaymentDetail {
    std::string payment_id;
    /// `applied`, `no_change` (already recorded), `ignored` (a webhook event type not acted
    /// on) or `duplicate` (a webhook event id seen before).
    std::string outcome;
    /// The subscription the payment renewed, if it renewed one.
    std::string renewed_subscription;
    /// Why the named subscription was not renewed (e.g. the wallet still cannot pay); empty
    /// when renewed or when none was named or due.
    std::string renewal_error;
};

/// @thread safe.
class PaymentService {
  public:
    PaymentService(EventStore& store, LedgerService& ledger, SubscriptionService& subscriptions,
                   std::string tenant);
    ~PaymentService();

    /// Records a payment staff received (bank transfer, cash, cheque, other).
    /// @errors as core::billing::decide(PaymentState, ReceivePayment); Rejected `method` for a
    ///         gateway method (those come from webhooks); Rejected `currency` when the wallet
    ///         is open in another currency; the store's.
    core::Result<CommandOutcome<PaymentDetail>> receive(const core::billing::ReceivePayment& c,
                                                        const core::DecisionContext& ctx);
    /// Records a refund staff gave: all of it from the wallet.
    /// @errors as core::billing::decide_refund; Rejected naming the wallet's posting when it
    ///         does not hold the amount.
    core::Result<CommandOutcome<PaymentDetail>> refund(const std::string& payment_id,
                                                       const core::billing::RefundPayment& c,
                                                       const core::DecisionContext& ctx);
    /// Checks, without recording anything, that staff may refund `c` now: the payment exists,
    /// the amount may still be refunded and the wallet holds it (before asking a gateway to
    /// pay it out). @errors as refund.
    core::Result<void> check_refund(const std::string& payment_id,
                                    const core::billing::RefundPayment& c);
    /// Records a refund a gateway paid out on staff's request (`c.from_gateway`): what the
    /// wallet no longer holds goes on the receivable. @errors as core::billing::decide_refund.
    core::Result<CommandOutcome<PaymentDetail>> record_gateway_refund(
        const std::string& payment_id, const core::billing::RefundPayment& c,
        const core::DecisionContext& ctx);

    /// Acts on a gateway event whose signature was checked: once per event id.
    /// @errors NotFound `payment_id` for a refund or dispute of a payment never received;
    ///         Rejected `currency` when the event's currency is not the payment's; as the
    ///         command's decider. Nothing is appended on error (the gateway retries).
    core::Result<CommandOutcome<PaymentDetail>> apply_webhook(const GatewayEvent& event,
                                                              const core::DecisionContext& ctx);

    /// A payment's state and its stream's revision (-1 when none).
    core::Result<std::pair<core::billing::PaymentState, std::int64_t>> payment(
        const std::string& payment_id);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::billing
