#include "adapters/payments/stripe_client.hpp"

#include "adapters/hotspot/rest_client.hpp"
#include "core/billing/plan.hpp"
#include "core/text.hpp"
#include "events/json_reader.hpp"

namespace switchyard::adapters::payments {

using core::Errc;

namespace {

/// A form body: `key=value&...`, each percent-encoded (RFC 3986; brackets too).
std::string form(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string out;
    for (const auto& [k, v] : fields) {
        if (!out.empty()) out += '&';
        out += hotspot::url_escape(k) + "=" + hotspot::url_escape(v);
    }
    return out;
}

/// Sends a form POST to Stripe and maps a non-2xx answer to an Error with Stripe's message
/// (`{"error": {"message", "type", "code"}}`).
core::Result<std::string> post(const StripeSettings& s, const std::string& path,
                               const std::string& body, const std::string& idempotency_key) {
    hotspot::RestRequest r;
    r.method = "POST";
    r.url = s.api_base + path;
    r.body = body;
    r.timeout_ms = s.timeout_ms;
    r.headers = {"Authorization: Bearer " + s.secret_key,
                 "Content-Type: application/x-www-form-urlencoded",
                 "Idempotency-Key: " + idempotency_key};
    auto got = hotspot::rest_call(r);
    if (!got)
        return core::fail(Errc::Unavailable, "stripe",
                          "Stripe cannot be reached: " + got.error().message);
    if (got->status >= 200 && got->status < 300) return got->body;
    std::string message = "Stripe answered " + std::to_string(got->status);
    auto detail = events::with_json_object(
        got->body, [](events::JsonObject& o) { return o.obj("error").opt_str("message"); });
    if (detail && !detail->empty()) message += ": " + *detail;
    if (got->status == 401 || got->status == 403)
        return core::fail(Errc::Unauthorized, "stripe", message);
    if (got->status >= 500 || got->status == 429)
        return core::fail(Errc::Unavailable, "stripe", message);
    return core::fail(Errc::Rejected, "stripe", message);
}

}  // namespace

core::Result<std::int64_t> minor_units(core::billing::Micros micros, const std::string& currency) {
    const auto factor = core::billing::minor_unit(currency);
    if (micros <= 0) return core::fail(Errc::Invalid, "amount_micros", "must be above 0");
    if (micros % factor != 0)
        return core::fail(Errc::Invalid, "amount_micros",
                          "must be a whole number of " + currency + "'s minor unit (" +
                              std::to_string(factor) + " micro-units)");
    return micros / factor;
}

core::Result<StripePaymentIntent> StripeClient::create_payment_intent(
    const std::string& customer_id, const std::string& subscription_id,
    core::billing::Micros amount_micros, const std::string& currency,
    const std::string& idempotency_key) {
    const auto minor = SY_TRY(minor_units(amount_micros, currency));
    std::vector<std::pair<std::string, std::string>> fields{
        {"amount", std::to_string(minor)},
        {"currency", core::ascii_lower(currency)},
        {"automatic_payment_methods[enabled]", "true"},
        {"metadata[customer_id]", customer_id}};
    if (!subscription_id.empty()) fields.push_back({"metadata[subscription_id]", subscription_id});
    const auto body = SY_TRY(post(settings_, "/v1/payment_intents", form(fields), idempotency_key));
    auto parsed = events::with_json_object(body, [&](events::JsonObject& o) {
        StripePaymentIntent pi;
        pi.id = o.str("id");
        pi.client_secret = o.str("client_secret");
        pi.status = o.opt_str("status");
        pi.currency = core::ascii_upper(o.str("currency"));
        pi.amount_micros = o.i64("amount") * core::billing::minor_unit(pi.currency);
        return pi;
    });
    if (!parsed)
        return core::fail(Errc::Unavailable, "stripe",
                          "Stripe's PaymentIntent lacks " + parsed.error().field);
    return *parsed;
}

core::Result<StripeRefund> StripeClient::refund(const std::string& payment_intent,
                                                core::billing::Micros amount_micros,
                                                const std::string& currency,
                                                const std::string& refund_id,
                                                const std::string& idempotency_key) {
    const auto minor = SY_TRY(minor_units(amount_micros, currency));
    const auto body = SY_TRY(post(settings_, "/v1/refunds",
                                  form({{"payment_intent", payment_intent},
                                        {"amount", std::to_string(minor)},
                                        {"metadata[refund_id]", refund_id}}),
                                  idempotency_key));
    auto parsed = events::with_json_object(body, [&](events::JsonObject& o) {
        StripeRefund r;
        r.id = o.str("id");
        r.status = o.opt_str("status");
        r.amount_micros = o.i64("amount") * core::billing::minor_unit(currency);
        return r;
    });
    if (!parsed)
        return core::fail(Errc::Unavailable, "stripe",
                          "Stripe's Refund lacks " + parsed.error().field);
    return *parsed;
}

}  // namespace switchyard::adapters::payments
