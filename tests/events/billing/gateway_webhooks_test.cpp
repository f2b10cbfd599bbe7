// Gateway webhooks: Stripe-Signature checked as Stripe documents it (timestamp tolerance, any
// v1, rolled secrets), PayPal's transmission signature checked against a certificate's RSA key
// (signed here as PayPal documents it), and both vendors' documented event payloads read into
// payment commands with amounts in micro-units.
#include <doctest/doctest.h>

#include "events/billing/gateway_webhooks.hpp"
#include "tests/support/paypal_signer.hpp"

using namespace switchyard;
using namespace switchyard::events::billing;
using core::billing::CloseDispute;
using core::billing::DisputePayment;
using core::billing::ReceivePayment;
using core::billing::RefundPayment;

namespace {

const std::string kSecret = "whsec_test_5c1b2f";
constexpr std::int64_t kT = 1'790'000'000;

core::Timestamp at(std::int64_t unix) { return core::from_unix_seconds(unix); }

// Shapes from Stripe's API reference (Event, PaymentIntent, Charge, Dispute objects).
const std::string kSucceeded = R"({
  "id": "evt_3MtwBwLkdIwHu7ix0aAvMtVv", "object": "event", "api_version": "2024-06-20",
  "created": 1790000000, "livemode": false, "type": "payment_intent.succeeded",
  "data": {"object": {"id": "pi_3MtwBwLkdIwHu7ix28a3tqPa", "object": "payment_intent",
    "amount": 2000, "amount_received": 2000, "currency": "eur", "status": "succeeded",
    "latest_charge": "ch_3MtwBwLkdIwHu7ix2Jw1lZ5G",
    "metadata": {"customer_id": "c1", "subscription_id": "s1"}}}})";

}  // namespace

TEST_CASE("Stripe-Signature: the signature Stripe sends verifies, a changed byte does not") {
    const auto header = stripe_signature(kSucceeded, kSecret, kT);
    CHECK(header.starts_with("t=1790000000,v1="));
    CHECK(verify_stripe_signature(header, kSucceeded, {kSecret}, at(kT + 10)));
    auto tampered = kSucceeded;
    tampered[tampered.find("2000")] = '9';
    auto bad = verify_stripe_signature(header, tampered, {kSecret}, at(kT));
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == core::Errc::Unauthorized);
    CHECK(bad.error().field == "Stripe-Signature");
    CHECK_FALSE(verify_stripe_signature(header, kSucceeded, {"whsec_other"}, at(kT)));
}

TEST_CASE("Stripe-Signature: tolerance, several v1, rolled secrets, malformed headers") {
    const auto header = stripe_signature(kSucceeded, kSecret, kT);
    auto late = verify_stripe_signature(header, kSucceeded, {kSecret}, at(kT + 301));
    REQUIRE_FALSE(late);
    CHECK(late.error().message.find("tolerance") != std::string::npos);
    CHECK(verify_stripe_signature(header, kSucceeded, {kSecret}, at(kT + 301),
                                  std::chrono::seconds(600)));
    CHECK_FALSE(verify_stripe_signature(header, kSucceeded, {kSecret}, at(kT - 301)));
    // While a secret rolls, Stripe signs with both: any v1 may match, under any secret.
    const auto v1_old = stripe_signature(kSucceeded, "whsec_old", kT).substr(13);
    const auto both = header + "," + v1_old;
    CHECK(verify_stripe_signature(both, kSucceeded, {"whsec_old"}, at(kT)));
    CHECK(verify_stripe_signature(header, kSucceeded, {"whsec_old", kSecret}, at(kT)));
    // A v0 (test mode's fake scheme) alone is not a signature.
    CHECK_FALSE(verify_stripe_signature("t=1790000000,v0=abc", kSucceeded, {kSecret}, at(kT)));
    CHECK_FALSE(verify_stripe_signature("", kSucceeded, {kSecret}, at(kT)));
    CHECK_FALSE(verify_stripe_signature("v1=00", kSucceeded, {kSecret}, at(kT)));
    CHECK_FALSE(verify_stripe_signature("t=abc,v1=00", kSucceeded, {kSecret}, at(kT)));
    CHECK_FALSE(verify_stripe_signature(header, kSucceeded, {}, at(kT)));
}

TEST_CASE("Stripe events read into payment commands, amounts in the currency's minor unit") {
    auto e = parse_stripe_event(kSucceeded);
    REQUIRE(e);
    CHECK(e->event_id == "evt_3MtwBwLkdIwHu7ix0aAvMtVv");
    CHECK(e->payment_id == "stripe.pi_3MtwBwLkdIwHu7ix28a3tqPa");
    const auto& pay = std::get<ReceivePayment>(e->command);
    CHECK(pay.amount_micros == 20'000'000);
    CHECK(pay.currency == "EUR");
    CHECK(pay.customer_id == "c1");
    CHECK(pay.subscription_id == "s1");
    CHECK(pay.method == core::billing::PaymentMethod::Stripe);

    // Zero-decimal currencies: 500 JPY is 500 yen.
    auto yen = kSucceeded;
    yen.replace(yen.find("\"eur\""), 5, "\"jpy\"");
    CHECK(std::get<ReceivePayment>(parse_stripe_event(yen)->command).amount_micros ==
          2'000'000'000);

    auto refunded = parse_stripe_event(R"({"id":"evt_r","type":"charge.refunded","data":{"object":{
      "id":"ch_3MtwBw","object":"charge","amount":2000,"amount_refunded":500,"currency":"eur",
      "payment_intent":"pi_3MtwBwLkdIwHu7ix28a3tqPa","refunded":false}}})");
    REQUIRE(refunded);
    const auto& refund = std::get<RefundPayment>(refunded->command);
    CHECK(refund.cumulative);
    CHECK(refund.from_gateway);
    CHECK(refund.amount_micros == 5'000'000);
    CHECK(refund.refund_id == "ch_3MtwBw.500");
    CHECK(refunded->payment_id == "stripe.pi_3MtwBwLkdIwHu7ix28a3tqPa");

    auto disputed = parse_stripe_event(R"({"id":"evt_d","type":"charge.dispute.created","data":{
      "object":{"id":"dp_1","object":"dispute","amount":2000,"currency":"eur","charge":"ch_1",
      "payment_intent":"pi_1","reason":"fraudulent","status":"needs_response"}}})");
    REQUIRE(disputed);
    CHECK(std::get<DisputePayment>(disputed->command).reason == "fraudulent");
    auto closed = parse_stripe_event(R"({"id":"evt_c","type":"charge.dispute.closed","data":{
      "object":{"id":"dp_1","amount":2000,"currency":"eur","payment_intent":"pi_1","status":"won"}}})");
    REQUIRE(closed);
    CHECK(std::get<CloseDispute>(closed->command).won);

    // An event type not acted on is read, with nothing to do.
    auto other =
        parse_stripe_event(R"({"id":"evt_o","type":"customer.created","data":{"object":{}}})");
    REQUIRE(other);
    CHECK(std::holds_alternative<std::monostate>(other->command));
}

TEST_CASE("Stripe events with missing or wrong fields are refused naming the field") {
    auto no_customer = parse_stripe_event(R"({"id":"evt_1","type":"payment_intent.succeeded",
      "data":{"object":{"id":"pi_1","amount":100,"currency":"eur","metadata":{}}}})");
    REQUIRE_FALSE(no_customer);
    CHECK(no_customer.error().field == "data.object.metadata.customer_id");
    auto negative = parse_stripe_event(R"({"id":"evt_1","type":"payment_intent.succeeded",
      "data":{"object":{"id":"pi_1","amount_received":-1,"currency":"eur","metadata":{"customer_id":"c"}}}})");
    REQUIRE_FALSE(negative);
    CHECK(negative.error().field == "data.object.amount_received");
    CHECK(parse_stripe_event(R"({"type":"x"})").error().field == "id");
    CHECK(parse_stripe_event("not json").error().code == core::Errc::Invalid);
    auto bad_status = parse_stripe_event(R"({"id":"e","type":"charge.dispute.closed","data":{
      "object":{"id":"dp_1","currency":"eur","payment_intent":"pi_1","status":"maybe"}}})");
    CHECK(bad_status.error().field == "data.object.status");
}

TEST_CASE("CRC-32 is zlib's (IEEE): the check value of 123456789 is CBF43926") {
    CHECK(crc32_of("123456789") == 0xCBF43926u);
    CHECK(crc32_of("") == 0u);
}

TEST_CASE("PayPal: a transmission signed with the certificate's key verifies, tampering fails") {
    testing::PayPalSigner signer;
    const std::string body =
        R"({"id":"WH-2WR32451HC0233532-67976317FL4543714","event_type":"PAYMENT.CAPTURE.COMPLETED",
        "resource":{"id":"2GG279541U471931P","status":"COMPLETED",
        "amount":{"currency_code":"EUR","value":"12.50"},"custom_id":"c1:s1"}})";
    const auto t =
        signer.sign(body, "8PT597110X687430LKGECATA", "69cd13f0-d67a-11e5-baa3-778b53f4ae55");
    CHECK(verify_paypal_signature(t, body, "8PT597110X687430LKGECATA", signer.certificate()));
    CHECK_FALSE(
        verify_paypal_signature(t, body + " ", "8PT597110X687430LKGECATA", signer.certificate()));
    auto wrong_hook = verify_paypal_signature(t, body, "OTHERHOOK", signer.certificate());
    REQUIRE_FALSE(wrong_hook);
    CHECK(wrong_hook.error().field == "PAYPAL-TRANSMISSION-SIG");
    testing::PayPalSigner other;
    CHECK_FALSE(verify_paypal_signature(t, body, "8PT597110X687430LKGECATA", other.certificate()));
    auto algo = t;
    algo.auth_algo = "SHA1withRSA";
    CHECK(verify_paypal_signature(algo, body, "8PT597110X687430LKGECATA", signer.certificate())
              .error()
              .field == "PAYPAL-AUTH-ALGO");
    auto garbled = t;
    garbled.transmission_sig = "***";
    CHECK_FALSE(
        verify_paypal_signature(garbled, body, "8PT597110X687430LKGECATA", signer.certificate()));
    CHECK(verify_paypal_signature(t, body, "8PT597110X687430LKGECATA", "not a certificate")
              .error()
              .field == "certificate");
}

TEST_CASE("PayPal events read into payment commands, amounts from decimal text") {
    auto captured = parse_paypal_event(
        R"({"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{"id":"2GG279541U471931P",
        "amount":{"currency_code":"EUR","value":"12.50"},"custom_id":"c1:s1","status":"COMPLETED"}})");
    REQUIRE(captured);
    CHECK(captured->payment_id == "paypal.2GG279541U471931P");
    const auto& pay = std::get<ReceivePayment>(captured->command);
    CHECK(pay.amount_micros == 12'500'000);
    CHECK(pay.customer_id == "c1");
    CHECK(pay.subscription_id == "s1");

    auto refunded = parse_paypal_event(
        R"({"id":"WH-2","event_type":"PAYMENT.CAPTURE.REFUNDED","resource":{"id":"1Y107995YT783435V",
        "amount":{"currency_code":"EUR","value":"2.00"},"status":"COMPLETED","links":[
        {"href":"https://api.paypal.com/v2/payments/refunds/1Y107995YT783435V","rel":"self","method":"GET"},
        {"href":"https://api.paypal.com/v2/payments/captures/2GG279541U471931P","rel":"up","method":"GET"}]}})");
    REQUIRE(refunded);
    CHECK(refunded->payment_id == "paypal.2GG279541U471931P");
    CHECK(std::get<RefundPayment>(refunded->command).amount_micros == 2'000'000);

    auto dispute = parse_paypal_event(
        R"({"id":"WH-3","event_type":"CUSTOMER.DISPUTE.CREATED","resource":{"dispute_id":"PP-D-27803",
        "reason":"MERCHANDISE_OR_SERVICE_NOT_RECEIVED","status":"OPEN",
        "dispute_amount":{"currency_code":"EUR","value":"12.50"},
        "disputed_transactions":[{"seller_transaction_id":"2GG279541U471931P"}]}})");
    REQUIRE(dispute);
    CHECK(std::get<DisputePayment>(dispute->command).amount_micros == 12'500'000);
    auto resolved = parse_paypal_event(
        R"({"id":"WH-4","event_type":"CUSTOMER.DISPUTE.RESOLVED","resource":{"dispute_id":"PP-D-27803",
        "dispute_outcome":{"outcome_code":"RESOLVED_SELLER_FAVOUR"},
        "disputed_transactions":[{"seller_transaction_id":"2GG279541U471931P"}]}})");
    REQUIRE(resolved);
    CHECK(std::get<CloseDispute>(resolved->command).won);

    auto bad_value = parse_paypal_event(
        R"({"id":"WH-5","event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{"id":"X",
        "amount":{"currency_code":"EUR","value":"12,50"},"custom_id":"c1"}})");
    REQUIRE_FALSE(bad_value);
    CHECK(bad_value.error().field == "resource.amount.value");
    auto no_up = parse_paypal_event(
        R"({"id":"WH-6","event_type":"PAYMENT.CAPTURE.REFUNDED","resource":{"id":"R",
        "amount":{"currency_code":"EUR","value":"1.00"},"links":[]}})");
    CHECK(no_up.error().field == "resource.links");
}
