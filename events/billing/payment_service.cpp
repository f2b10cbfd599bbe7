#include "events/billing/payment_service.hpp"

#include <functional>

#include "events/billing/payment_codec.hpp"

namespace switchyard::events::billing {

using namespace core::billing;
using core::Errc;

namespace {

/// Keeps, per partition, the later of the positions in `into` and `more`.
void merge_positions(std::vector<Position>& into, const std::vector<Position>& more) {
    for (const auto& p : more) {
        auto it = std::find_if(into.begin(), into.end(), [&](const Position& q) {
            return q.partition == p.partition && q.topic == p.topic;
        });
        if (it == into.end())
            into.push_back(p);
        else if (it->offset < p.offset)
            *it = p;
    }
}

}  // namespace

struct PaymentService::Impl {
    Impl(EventStore& s, LedgerService& l, SubscriptionService& sub, std::string t)
        : store(s),
          ledger(l),
          subscriptions(sub),
          tenant(std::move(t)),
          payments(s, decode_payment_event),
          webhooks(s, decode_webhook_event) {}

    using Decide = std::function<core::Result<PaymentDecision>(const PaymentState&)>;

    /// Opens the customer's wallet in `currency` unless it is open; Rejected when it is open
    /// in another currency.
    core::Result<void> ensure_wallet(const std::string& customer, const std::string& currency,
                                     const core::DecisionContext& ctx) {
        const auto code = "wallet:" + customer;
        const auto [account, revision] = SY_TRY(ledger.account(code));
        if (!account.terms) {
            SY_TRY(ledger.open_account({code, currency, 0}, ctx));
            return {};
        }
        if (account.terms->currency != currency)
            return core::fail(Errc::Rejected, "currency",
                              "the wallet of " + customer + " is in " + account.terms->currency +
                                  ", the payment in " + currency);
        return {};
    }

    core::Result<Micros> wallet_balance(const PaymentState& s) {
        if (!s.received) return Micros{0};
        return SY_TRY(ledger.account("wallet:" + s.received->customer_id)).first.balance_micros;
    }

    /// Decides on payment `payment_id` (none: the event is not acted on) and appends its events
    /// and entry, with the webhook's own stream when `webhook` is given; retried on conflicts.
    core::Result<CommandOutcome<PaymentDetail>> run(const std::string& payment_id,
                                                    const core::DecisionContext& ctx,
                                                    const Decide& decide,
                                                    const GatewayEvent* webhook) {
        PaymentDetail detail{payment_id, "no_change", "", ""};
        auto appended =
            SY_TRY(execute_command(store, [&]() -> core::Result<std::vector<StreamWrite>> {
                std::vector<StreamWrite> writes;
                detail.outcome = payment_id.empty() ? "ignored" : "no_change";
                std::string hook_stream;
                if (webhook) {
                    hook_stream = webhook_stream(webhook->gateway, webhook->event_id);
                    const auto [seen, rev] = SY_TRY(webhooks.load(hook_stream));
                    if (seen.received) {
                        detail.outcome = "duplicate";
                        return writes;
                    }
                }
                if (!payment_id.empty()) {
                    const auto stream = payment_stream(payment_id);
                    const auto [state, revision] = SY_TRY(payments.load(stream));
                    const auto d = SY_TRY(decide(state));
                    if (d.entry) writes = SY_TRY(ledger.prepare_post(*d.entry, ctx));
                    if (!d.events.empty()) {
                        detail.outcome = "applied";
                        writes.insert(writes.begin(),
                                      StreamWrite{stream, ExpectedRevision::at(revision),
                                                  to_new_events(d.events, encode, ctx, tenant)});
                    }
                }
                if (webhook) {
                    const std::vector<WebhookEvent> received{
                        WebhookReceived{webhook->gateway, webhook->event_id, webhook->event_type,
                                        payment_id, detail.outcome}};
                    writes.push_back(StreamWrite{hook_stream, ExpectedRevision::no_stream(),
                                                 to_new_events(received, encode, ctx, tenant)});
                }
                return writes;
            }));
        return outcome_of(appended, detail);
    }

    /// Renews the subscription a payment names when it waits for money.
    void renew_after(const ReceivePayment& c, const core::DecisionContext& ctx,
                     CommandOutcome<PaymentDetail>& out) {
        if (c.subscription_id.empty() || out.outcome != "applied") return;
        auto sub = subscriptions.subscription(c.subscription_id);
        if (!sub) {
            out.renewal_error = sub.error().message;
            return;
        }
        const auto& s = sub->first;
        if (!s.terms) {
            out.renewal_error = "no subscription " + c.subscription_id;
            return;
        }
        if (s.terms->customer_id != c.customer_id) {
            out.renewal_error =
                "subscription " + c.subscription_id + " belongs to another customer";
            return;
        }
        if (s.status != SubscriptionStatus::PastDue && s.status != SubscriptionStatus::Suspended &&
            s.status != SubscriptionStatus::Expired)
            return;
        auto renewed = subscriptions.renew(c.subscription_id, ctx);
        if (!renewed) {
            out.renewal_error = renewed.error().message;
            return;
        }
        out.renewed_subscription = c.subscription_id;
        merge_positions(out.positions, renewed->positions);
    }

    EventStore& store;
    LedgerService& ledger;
    SubscriptionService& subscriptions;
    std::string tenant;
    AggregateLoader<PaymentState, PaymentEvent> payments;
    AggregateLoader<WebhookState, WebhookEvent> webhooks;
};

PaymentService::PaymentService(EventStore& store, LedgerService& ledger,
                               SubscriptionService& subscriptions, std::string tenant)
    : impl_(std::make_unique<Impl>(store, ledger, subscriptions, std::move(tenant))) {}
PaymentService::~PaymentService() = default;

core::Result<CommandOutcome<PaymentDetail>> PaymentService::receive(
    const ReceivePayment& c, const core::DecisionContext& ctx) {
    if (is_gateway(c.method))
        return core::fail(Errc::Rejected, "method",
                          std::string(to_string(c.method)) +
                              " payments are recorded from the gateway's signed webhooks");
    SY_TRY(check_payment(c));
    SY_TRY(impl_->ensure_wallet(c.customer_id, c.currency, ctx));
    auto out = SY_TRY(impl_->run(
        c.payment_id, ctx, [&](const PaymentState& s) { return decide(s, c); }, nullptr));
    impl_->renew_after(c, ctx, out);
    return out;
}

core::Result<CommandOutcome<PaymentDetail>> PaymentService::refund(
    const std::string& payment_id, const RefundPayment& c, const core::DecisionContext& ctx) {
    if (!valid_id(payment_id)) return core::fail(Errc::NotFound, "payment_id", "no such payment");
    return impl_->run(
        payment_id, ctx,
        [&](const PaymentState& s) -> core::Result<PaymentDecision> {
            return decide_refund(s, c, SY_TRY(impl_->wallet_balance(s)));
        },
        nullptr);
}

core::Result<void> PaymentService::check_refund(const std::string& payment_id,
                                                const RefundPayment& c) {
    const auto [state, revision] = SY_TRY(payment(payment_id));
    const auto wallet = SY_TRY(impl_->wallet_balance(state));
    auto staff = c;
    staff.from_gateway = false;
    const auto d = SY_TRY(decide_refund(state, staff, wallet));
    if (!d.events.empty() && wallet < c.amount_micros)
        return core::fail(Errc::Rejected, "amount_micros",
                          "the wallet of " + state.received->customer_id + " holds " +
                              std::to_string(wallet) + " micro-units, less than the refund");
    return {};
}

core::Result<CommandOutcome<PaymentDetail>> PaymentService::record_gateway_refund(
    const std::string& payment_id, const RefundPayment& c, const core::DecisionContext& ctx) {
    if (!valid_id(payment_id)) return core::fail(Errc::NotFound, "payment_id", "no such payment");
    auto gateway = c;
    gateway.from_gateway = true;
    return impl_->run(
        payment_id, ctx,
        [&](const PaymentState& s) -> core::Result<PaymentDecision> {
            return decide_refund(s, gateway, SY_TRY(impl_->wallet_balance(s)));
        },
        nullptr);
}

core::Result<CommandOutcome<PaymentDetail>> PaymentService::apply_webhook(
    const GatewayEvent& event, const core::DecisionContext& ctx) {
    const auto* receive = std::get_if<ReceivePayment>(&event.command);
    if (receive) {
        SY_TRY(check_payment(*receive));
        SY_TRY(impl_->ensure_wallet(receive->customer_id, receive->currency, ctx));
    }
    const auto same_currency = [&](const PaymentState& s) -> core::Result<void> {
        if (s.received && !event.currency.empty() && event.currency != s.received->currency)
            return core::fail(
                Errc::Rejected, "currency",
                "the event is in " + event.currency + ", the payment in " + s.received->currency);
        return {};
    };
    const std::string payment_id =
        std::holds_alternative<std::monostate>(event.command) ? "" : event.payment_id;
    auto out = SY_TRY(impl_->run(
        payment_id, ctx,
        [&](const PaymentState& s) -> core::Result<PaymentDecision> {
            SY_TRY(same_currency(s));
            return std::visit(
                [&](const auto& c) -> core::Result<PaymentDecision> {
                    using C = std::decay_t<decltype(c)>;
                    if constexpr (std::is_same_v<C, ReceivePayment>) {
                        return decide(s, c);
                    } else if constexpr (std::is_same_v<C, RefundPayment>) {
                        return decide_refund(s, c, SY_TRY(impl_->wallet_balance(s)));
                    } else if constexpr (std::is_same_v<C, DisputePayment>) {
                        return decide_dispute(s, c, SY_TRY(impl_->wallet_balance(s)));
                    } else if constexpr (std::is_same_v<C, CloseDispute>) {
                        return decide_close_dispute(s, c);
                    } else {
                        return PaymentDecision{};
                    }
                },
                event.command);
        },
        &event));
    if (receive) impl_->renew_after(*receive, ctx, out);
    return out;
}

core::Result<std::pair<PaymentState, std::int64_t>> PaymentService::payment(
    const std::string& payment_id) {
    if (!valid_id(payment_id)) return std::pair<PaymentState, std::int64_t>{PaymentState{}, -1};
    return impl_->payments.load(payment_stream(payment_id));
}

}  // namespace switchyard::events::billing
