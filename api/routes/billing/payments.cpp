// Payments over HTTP: staff record money received by hand and the refunds they give; Stripe and
// PayPal report theirs through signed webhooks, checked as each vendor documents it
// (events/billing/gateway_webhooks.hpp) and acted on once per gateway event id. A payment
// credits the customer's wallet; one that names a subscription waiting for money renews it.
#include <boost/json.hpp>

#include "api/json_body.hpp"
#include "api/route_support.hpp"
#include "api/route_table.hpp"
#include "api/routes/billing/billing_api.hpp"
#include "api/routes/billing/billing_routes.hpp"
#include "events/billing/gateway_webhooks.hpp"

namespace switchyard::api {

namespace json = boost::json;
using core::Errc;
using namespace core::billing;
namespace eb = events::billing;

namespace {

using billing_routes::answer;
using billing_routes::context_of;
using billing_routes::param;
const auto& kBillingRead = billing_routes::kBooksRead;

json::object payment_json(const PaymentState& s) {
    const auto& p = *s.received;
    json::array refunds;
    for (const auto& [id, amount] : s.refunds)
        refunds.push_back(json::object{{"refund_id", id}, {"amount_micros", amount}});
    json::array disputes;
    for (const auto& [id, d] : s.disputes)
        disputes.push_back(json::object{{"dispute_id", id},
                                        {"amount_micros", d.amount_micros},
                                        {"status", d.open ? "open" : (d.won ? "won" : "lost")}});
    return {{"payment_id", p.payment_id},
            {"method", to_string(p.method)},
            {"customer_id", p.customer_id},
            {"currency", p.currency},
            {"amount_micros", p.amount_micros},
            {"reference", p.reference},
            {"gateway_event_id", p.gateway_event_id},
            {"subscription_id", p.subscription_id},
            {"note", p.note},
            {"entry_id", p.entry_id},
            {"refunded_micros", s.refunded_micros},
            {"refundable_micros", s.refundable_micros()},
            {"refunds", std::move(refunds)},
            {"disputes", std::move(disputes)}};
}

/// The answer of a payment command: the payment as it is now, with the command's outcome.
core::Result<HttpResponse> payment_answer(BillingApi& api, int status,
                                          const events::CommandOutcome<eb::PaymentDetail>& o) {
    json::object body{{"payment_id", o.payment_id}, {"outcome", o.outcome}};
    if (!o.payment_id.empty()) {
        const auto state = SY_TRY(api.payments.payment(o.payment_id)).first;
        if (state.received) body["payment"] = payment_json(state);
    }
    if (!o.renewed_subscription.empty()) body["renewed_subscription"] = o.renewed_subscription;
    if (!o.renewal_error.empty()) body["renewal_error"] = o.renewal_error;
    return answer(status, std::move(body), o.positions);
}

/// POST /v1/billing/payments: a payment staff received (bank transfer, cash, cheque, other).
core::Result<HttpResponse> record_payment(BillingApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"payment_id", "method", "customer_id", "currency", "amount_micros", "reference",
                   "subscription_id", "note"}));
    ReceivePayment c;
    c.payment_id = SY_TRY(b.string("payment_id"));
    const auto method = SY_TRY(b.string("method"));
    if (!parse_payment_method(method, c.method))
        return core::fail(Errc::Invalid, "method", "must be bank_transfer, cash, cheque or other");
    c.customer_id = SY_TRY(b.string("customer_id"));
    c.currency = SY_TRY(b.string("currency"));
    const auto amount = SY_TRY(b.opt_int("amount_micros"));
    if (!amount) return core::fail(Errc::Invalid, "amount_micros", "is required");
    c.amount_micros = *amount;
    c.reference = SY_TRY(b.opt_string("reference")).value_or("");
    c.subscription_id = SY_TRY(b.opt_string("subscription_id")).value_or("");
    c.note = SY_TRY(b.opt_string("note")).value_or("");
    auto o = SY_TRY(api.payments.receive(c, context_of(api, r)));
    return payment_answer(api, o.outcome == "applied" ? 201 : 200, o);
}

/// GET /v1/billing/payments/{payment_id}
core::Result<HttpResponse> get_payment(BillingApi& api, HttpRequest& r) {
    const auto id = param(r, "payment_id");
    const auto state = SY_TRY(api.payments.payment(id)).first;
    if (!state.received) return core::fail(Errc::NotFound, "payment_id", "no payment " + id);
    return json_response(200, json::serialize(payment_json(state)));
}

/// POST /v1/billing/payments/{payment_id}/refunds {"refund_id", "amount_micros", "reason"?}
/// A manual payment's refund is booked at once; a Stripe payment's is paid out on Stripe first.
core::Result<HttpResponse> refund_payment(BillingApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"refund_id", "amount_micros", "reason"}));
    RefundPayment c;
    c.refund_id = SY_TRY(b.string("refund_id"));
    const auto amount = SY_TRY(b.opt_int("amount_micros"));
    if (!amount) return core::fail(Errc::Invalid, "amount_micros", "is required");
    c.amount_micros = *amount;
    c.reason = SY_TRY(b.opt_string("reason")).value_or("");
    const auto id = param(r, "payment_id");
    const auto state = SY_TRY(api.payments.payment(id)).first;
    if (!state.received) return core::fail(Errc::NotFound, "payment_id", "no payment " + id);
    if (!is_gateway(state.received->method)) {
        auto o = SY_TRY(api.payments.refund(id, c, context_of(api, r)));
        return payment_answer(api, o.outcome == "applied" ? 201 : 200, o);
    }
    // A gateway's payment is refunded on the gateway first; the refund is booked when it paid.
    if (state.refunds.contains(c.refund_id)) {
        auto o = SY_TRY(api.payments.refund(id, c, context_of(api, r)));  // same again: no change
        return payment_answer(api, 200, o);
    }
    if (state.received->method != PaymentMethod::Stripe || !api.gateways.stripe_refund)
        return core::fail(Errc::Rejected, "method",
                          std::string("refund this ") + to_string(state.received->method) +
                              " payment on the gateway (no API key is configured); its webhook "
                              "books the refund");
    SY_TRY(api.payments.check_refund(id, c));
    const auto refund_id = SY_TRY(api.gateways.stripe_refund(
        state.received->reference, c.amount_micros, state.received->currency, c.refund_id,
        "switchyard-refund-" + id + "-" + c.refund_id));
    c.reason = (c.reason.empty() ? "" : c.reason + " ") + "(Stripe " + refund_id + ")";
    auto o = SY_TRY(api.payments.record_gateway_refund(id, c, context_of(api, r)));
    return payment_answer(api, o.outcome == "applied" ? 201 : 200, o);
}

/// POST /v1/billing/payment-intents {"customer_id", "amount_micros", "currency",
/// "subscription_id"?, "idempotency_key"?}: a Stripe PaymentIntent for a checkout page.
core::Result<HttpResponse> create_intent(BillingApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(
        b.only({"customer_id", "amount_micros", "currency", "subscription_id", "idempotency_key"}));
    ReceivePayment c;  // checked as the payment it will become
    c.payment_id = "stripe.pending";
    c.method = PaymentMethod::Stripe;
    c.customer_id = SY_TRY(b.string("customer_id"));
    c.currency = SY_TRY(b.string("currency"));
    const auto amount = SY_TRY(b.opt_int("amount_micros"));
    if (!amount) return core::fail(Errc::Invalid, "amount_micros", "is required");
    c.amount_micros = *amount;
    c.subscription_id = SY_TRY(b.opt_string("subscription_id")).value_or("");
    SY_TRY(check_payment(c));
    if (!api.gateways.create_stripe_intent)
        return core::fail(Errc::Unavailable, "stripe",
                          "no Stripe API key is configured (--billing-stripe-api-key-file)");
    const auto ctx = context_of(api, r);
    const auto key =
        SY_TRY(b.opt_string("idempotency_key")).value_or("switchyard-" + ctx.correlation_id);
    if (key.empty() || key.size() > 255)
        return core::fail(Errc::Invalid, "idempotency_key", "must be 1 to 255 bytes");
    const auto intent = SY_TRY(api.gateways.create_stripe_intent(c.customer_id, c.subscription_id,
                                                                 c.amount_micros, c.currency, key));
    return json_response(201, json::serialize(json::object{{"payment_intent_id", intent.id},
                                                           {"payment_id", "stripe." + intent.id},
                                                           {"client_secret", intent.client_secret},
                                                           {"status", intent.status},
                                                           {"customer_id", c.customer_id},
                                                           {"amount_micros", c.amount_micros},
                                                           {"currency", c.currency}}));
}

/// Acts on a gateway event whose signature was checked.
core::Result<HttpResponse> act_on(BillingApi& api, HttpRequest& r, const eb::GatewayEvent& event) {
    auto ctx = decision_context(
        api.ctx, r, core::Actor{core::ActorKind::System, "gateway:" + event.gateway, r.remote_ip});
    auto o = SY_TRY(api.payments.apply_webhook(event, ctx));
    json::object body{{"received", true},
                      {"event_id", event.event_id},
                      {"event_type", event.event_type},
                      {"outcome", o.outcome}};
    if (!o.payment_id.empty()) body["payment_id"] = o.payment_id;
    if (!o.renewed_subscription.empty()) body["renewed_subscription"] = o.renewed_subscription;
    if (!o.renewal_error.empty()) body["renewal_error"] = o.renewal_error;
    return answer(200, std::move(body), o.positions);
}

/// POST /v1/billing/webhooks/stripe: a Stripe event, signed (`Stripe-Signature`).
core::Result<HttpResponse> stripe_webhook(BillingApi& api, HttpRequest& r) {
    const auto& secrets = api.gateways.stripe_signing_secrets;
    if (secrets.empty())
        return core::fail(Errc::Unavailable, "stripe",
                          "no Stripe signing secret is configured (--billing-stripe-secret-file)");
    const auto now = decision_context(api.ctx, r, {}).now;
    SY_TRY(eb::verify_stripe_signature(r.header("stripe-signature"), r.body, secrets, now,
                                       api.gateways.stripe_tolerance));
    return act_on(api, r, SY_TRY(eb::parse_stripe_event(r.body)));
}

/// POST /v1/billing/webhooks/paypal: a PayPal event, signed (`PAYPAL-TRANSMISSION-SIG`).
core::Result<HttpResponse> paypal_webhook(BillingApi& api, HttpRequest& r) {
    if (api.gateways.paypal_webhook_id.empty() || !api.gateways.paypal_certificate)
        return core::fail(Errc::Unavailable, "paypal",
                          "no PayPal webhook id is configured (--billing-paypal-webhook-id)");
    eb::PayPalTransmission t{r.header("paypal-transmission-id"),
                             r.header("paypal-transmission-time"),
                             r.header("paypal-transmission-sig"), r.header("paypal-cert-url"),
                             r.header("paypal-auth-algo")};
    if (t.cert_url.empty()) return core::fail(Errc::Unauthorized, "PAYPAL-CERT-URL", "is required");
    const auto pem = SY_TRY(api.gateways.paypal_certificate(t.cert_url));
    SY_TRY(eb::verify_paypal_signature(t, r.body, api.gateways.paypal_webhook_id, pem));
    return act_on(api, r, SY_TRY(eb::parse_paypal_event(r.body)));
}

}  // namespace

void add_payment_routes(Router& router, BillingApi& api) {
    add_routes<BillingApi>(
        router, api, "billing",
        {
            {"POST", "/v1/billing/payments", roles::admin, record_payment,
             "Records a payment received by hand (bank transfer, cash, cheque): credits the "
             "customer's wallet and renews the subscription it names when that waits for money."},
            {"POST", "/v1/billing/payment-intents", roles::admin, create_intent,
             "Creates a Stripe PaymentIntent for a customer's checkout (metadata names the "
             "customer and the subscription); its payment_intent.succeeded webhook books it."},
            {"GET", "/v1/billing/payments/{payment_id}", kBillingRead, get_payment,
             "One payment: amount, method, refunds and chargebacks, what may still be refunded."},
            {"POST", "/v1/billing/payments/{payment_id}/refunds", roles::admin, refund_payment,
             "Refunds a payment from the customer's wallet: a Stripe payment on Stripe first."},
            {"POST",
             "/v1/billing/webhooks/stripe",
             {},
             stripe_webhook,
             "Stripe's webhook (signed with Stripe-Signature): payment_intent.succeeded, "
             "charge.refunded, charge.dispute.created and .closed, once per event id.",
             Reach::Public,
             false,
             true},
            {"POST",
             "/v1/billing/webhooks/paypal",
             {},
             paypal_webhook,
             "PayPal's webhook (signature verified with PayPal's certificate): "
             "PAYMENT.CAPTURE.COMPLETED and .REFUNDED, CUSTOMER.DISPUTE.CREATED and .RESOLVED, "
             "once per event id.",
             Reach::Public,
             false,
             true},
        });
}

}  // namespace switchyard::api
