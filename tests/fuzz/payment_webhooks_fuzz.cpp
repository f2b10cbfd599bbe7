// Fuzz target: the payment gateways' webhook readers and signature checks never crash. The
// input is read as a Stripe event and as a PayPal event; a payment read from either, decided
// against no payment, is refused or gives one balanced entry crediting the wallet the amount;
// a refund or a chargeback read from either, decided against a payment of that amount, leaves
// what may be refunded between 0 and the amount and gives a balanced entry. The input is also
// tried as a Stripe-Signature header and as a PayPal signature and certificate.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/billing/payment.hpp"
#include "events/billing/gateway_webhooks.hpp"

namespace {

using namespace switchyard;
using namespace switchyard::core::billing;

void check_decision(const core::Result<PaymentDecision>& d, const PaymentState& before) {
    if (!d) return;
    if (d->entry && !check_entry(*d->entry)) std::abort();
    PaymentState after = before;
    for (const auto& e : d->events) evolve(after, e);
    if (after.received) {
        const auto left = after.refundable_micros();
        if (left < 0 || left > after.received->amount_micros) std::abort();
    }
}

void check_event(const events::billing::GatewayEvent& e) {
    PaymentState paid;
    ReceivePayment seed;
    seed.payment_id = "fuzz";
    seed.method = PaymentMethod::Stripe;
    seed.customer_id = "c";
    seed.currency = "EUR";
    seed.amount_micros = 10'000'000;
    if (auto d = decide(paid, seed))
        for (const auto& ev : d->events) evolve(paid, ev);
    std::visit(
        [&](const auto& c) {
            using C = std::decay_t<decltype(c)>;
            if constexpr (std::is_same_v<C, ReceivePayment>) {
                auto d = decide(PaymentState{}, c);
                check_decision(d, PaymentState{});
                if (d && (d->events.size() != 1 || !d->entry ||
                          d->entry->postings.at(1).credit_micros != c.amount_micros))
                    std::abort();
            } else if constexpr (std::is_same_v<C, RefundPayment>) {
                check_decision(decide_refund(paid, c, 3'000'000), paid);
            } else if constexpr (std::is_same_v<C, DisputePayment>) {
                check_decision(decide_dispute(paid, c, 3'000'000), paid);
            } else if constexpr (std::is_same_v<C, CloseDispute>) {
                check_decision(decide_close_dispute(paid, c), paid);
            }
        },
        e.command);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    if (auto e = events::billing::parse_stripe_event(text)) check_event(*e);
    if (auto e = events::billing::parse_paypal_event(text)) check_event(*e);
    (void)events::billing::verify_stripe_signature(text, "{}", {"whsec_fuzz"},
                                                   core::from_unix_seconds(1'790'000'000));
    events::billing::PayPalTransmission t{"id", "2026-12-03T10:00:00Z", text,
                                          "https://api.paypal.com/c", "SHA256withRSA"};
    (void)events::billing::verify_paypal_signature(t, "{}", "hook", text);
    return 0;
}
