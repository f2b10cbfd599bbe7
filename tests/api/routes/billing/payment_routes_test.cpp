// Payments over HTTP, as `serve` starts the billing module: Stripe and PayPal webhooks signed
// here as each vendor documents it, acted on once per event id (also when two deliveries
// race), a payment renewing the suspended subscription it names, refunds and chargebacks
// booked to the wallet and what it lacks to the receivable, staff's manual payments and
// refunds; bad signatures and bad input answered 4xx with nothing appended.
#include <doctest/doctest.h>

#include <fstream>
#include <thread>

#include "app/modules/billing_module.hpp"
#include "app/modules/billing_renewals.hpp"
#include "events/billing/gateway_webhooks.hpp"
#include "events/envelope_codec.hpp"
#include "tests/adapters/hotspot/loopback_servers.hpp"
#include "tests/api/api_fixture.hpp"
#include "tests/support/paypal_signer.hpp"

using namespace switchyard;
using namespace switchyard::testing;

namespace {

const std::string kSecret = "whsec_tour_0123456789";
const std::string kHookId = "8PT597110X687430LKGECATA";

/// A fixture whose billing module reads a Stripe signing secret file and pins `certificate`
/// as PayPal's.
struct PaymentsFixture {
    TempDir secrets;
    std::string certificate;
    std::unique_ptr<ApiFixture> f;

    /// With `stripe_api`, the module calls Stripe's API there with a test secret key.
    explicit PaymentsFixture(std::string pem = {}, std::string stripe_api = {})
        : certificate(std::move(pem)) {
        std::ofstream(secrets.path() / "stripe") << "whsec_retired\n" << kSecret << "\n";
        std::ofstream(secrets.path() / "stripe-key") << "sk_test_tour\n";
        if (!certificate.empty()) std::ofstream(secrets.path() / "paypal.pem") << certificate;
        f = std::make_unique<ApiFixture>([&](app::Modules& modules) {
            for (auto& m : modules)
                if (auto* b = dynamic_cast<app::BillingModule*>(m.get())) {
                    b->stripe_secret_file = (secrets.path() / "stripe").string();
                    b->paypal_webhook_id = kHookId;
                    if (!certificate.empty())
                        b->paypal_cert_file = (secrets.path() / "paypal.pem").string();
                    if (!stripe_api.empty()) {
                        b->stripe_api_key_file = (secrets.path() / "stripe-key").string();
                        b->stripe_api_url = stripe_api;
                    }
                }
        });
    }

    /// Delivers `body` to the Stripe webhook, signed now (or with `signature`).
    api::HttpResponse stripe(const std::string& body, std::string signature = {}) {
        if (signature.empty())
            signature = events::billing::stripe_signature(body, kSecret,
                                                          core::unix_seconds(f->clock.now()));
        return f->call("POST", "/v1/billing/webhooks/stripe", body, false,
                       {{"stripe-signature", signature}, {"content-type", "application/json"}});
    }

    std::int64_t balance(const std::string& account) {
        simdjson::dom::parser p;
        f->settle();
        auto r = f->call("GET", "/v1/billing/accounts/" + account + "?currency=EUR");
        REQUIRE_MESSAGE(r.status == 200, r.body);
        return parse_json(p, r.body)["balance_micros"].get_int64().value();
    }

    bool balanced() {
        simdjson::dom::parser p;
        f->settle();
        auto tb = f->call("GET", "/v1/billing/trial-balance");
        return parse_json(p, tb.body)["currencies"].at(0)["balanced"].get_bool().value();
    }
};

std::string succeeded(const std::string& event_id, const std::string& intent, int cents,
                      const std::string& subscription = "") {
    return R"({"id":")" + event_id +
           R"(","object":"event","type":"payment_intent.succeeded","data":{"object":{"id":")" +
           intent + R"(","object":"payment_intent","amount":)" + std::to_string(cents) +
           R"(,"amount_received":)" + std::to_string(cents) +
           R"(,"currency":"eur","status":"succeeded","metadata":{"customer_id":"c1")" +
           (subscription.empty() ? "" : R"(,"subscription_id":")" + subscription + "\"") + "}}}}";
}

std::string charge_refunded(const std::string& event_id, int cumulative_cents) {
    return R"({"id":")" + event_id +
           R"(","type":"charge.refunded","data":{"object":{"id":"ch_1","object":"charge",)"
           R"("amount":2000,"amount_refunded":)" +
           std::to_string(cumulative_cents) + R"(,"currency":"eur","payment_intent":"pi_1"}}})";
}

}  // namespace

TEST_CASE(
    "payments API: a Stripe payment delivered twice posts once and renews the suspended "
    "subscription") {
    PaymentsFixture pf;
    auto& f = *pf.f;
    simdjson::dom::parser p;
    REQUIRE(f.call("POST", "/v1/billing/plans",
                   R"({"plan_id":"vpn-m","name":"VPN monthly","line":"vpn",
                       "prices":[{"currency":"EUR","amount_micros":20000000}]})")
                .status == 201);
    // A first payment opens the wallet and pays the first month.
    auto first = pf.stripe(succeeded("evt_1", "pi_1", 2000));
    REQUIRE_MESSAGE(first.status == 200, first.body);
    CHECK(parse_json(p, first.body)["outcome"].get_string().value() == "applied");
    CHECK(parse_json(p, first.body)["payment_id"].get_string().value() == "stripe.pi_1");
    CHECK(pf.balance("wallet:c1") == 20'000'000);
    REQUIRE(f.call("POST", "/v1/billing/subscriptions",
                   R"({"subscription_id":"s1","customer_id":"c1","plan_id":"vpn-m",
                       "currency":"EUR","payer":"wallet:c1","service_id":"peer-1"})")
                .status == 201);
    CHECK(pf.balance("wallet:c1") == 0);

    // The month ends with an empty wallet: past due, then suspended after the grace days.
    app::RenewalWorker worker(
        [&]() -> app::BillingModule& {
            for (auto& m : f.modules)
                if (auto* b = dynamic_cast<app::BillingModule*>(m.get())) return *b;
            throw std::logic_error("no billing module");
        }()
                     .subscriptions(),
        *f.runner, f.clock);
    for (int day = 0; day < 34; ++day) {
        f.clock.advance(std::chrono::hours(24));
        f.settle();
        worker.run_once();
    }
    f.settle();
    CHECK(parse_json(p, f.call("GET", "/v1/billing/subscriptions/s1").body)["status"]
              .get_string()
              .value() == "suspended");

    // Stripe delivers the renewal payment twice (a retry after a timeout): once in the books,
    // and the subscription is active again.
    const auto renewal = succeeded("evt_2", "pi_2", 2000, "s1");
    const auto size_before = f.log_size();
    auto paid = pf.stripe(renewal);
    REQUIRE_MESSAGE(paid.status == 200, paid.body);
    CHECK(parse_json(p, paid.body)["renewed_subscription"].get_string().value() == "s1");
    const auto size_after = f.log_size();
    CHECK(size_after > size_before);
    auto again = pf.stripe(renewal);
    REQUIRE(again.status == 200);
    CHECK(parse_json(p, again.body)["outcome"].get_string().value() == "duplicate");
    CHECK(f.log_size() == size_after);
    CHECK(pf.balance("wallet:c1") == 0);  // 20.00 in, 20.00 for the renewal
    CHECK(pf.balance("gateway_clearing:stripe") == 40'000'000);
    f.settle();
    auto s1 = f.call("GET", "/v1/billing/subscriptions/s1");
    CHECK(parse_json(p, s1.body)["status"].get_string().value() == "active");
    CHECK(parse_json(p, s1.body)["service"].get_string().value() == "on");
    CHECK(pf.balanced());

    // Every event of the run, for the schema check (schema:billing_payment_events_match_schemas).
    auto all = f.store->read_all({}, 100'000);
    REQUIRE(all);
    std::string ndjson;
    for (const auto& e : *all) ndjson += events::encode_envelope(e) + "\n";
    CHECK(ndjson.find("billing.webhook.received") != std::string::npos);
#ifdef SY_EVENTS_OUT_PAYMENTS
    std::ofstream(SY_EVENTS_OUT_PAYMENTS) << ndjson;
#endif
}

TEST_CASE("payments API: eight racing deliveries of one Stripe event post it once") {
    PaymentsFixture pf;
    const auto body = succeeded("evt_race", "pi_race", 1500);
    const auto signature =
        events::billing::stripe_signature(body, kSecret, core::unix_seconds(pf.f->clock.now()));
    std::vector<int> statuses(8);
    std::vector<std::string> outcomes(8);
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&, i] {
            api::HttpRequest r;
            r.method = "POST";
            r.target = "/v1/billing/webhooks/stripe";
            r.body = body;
            r.remote_ip = "127.0.0.1";
            r.headers = {{"stripe-signature", signature}, {"content-type", "application/json"}};
            if (!api::parse_target(r)) return;
            auto resp = pf.f->router->dispatch(r);
            statuses[i] = resp.status;
            simdjson::dom::parser p;
            auto doc = p.parse(resp.body);
            if (!doc.error()) outcomes[i] = std::string(doc["outcome"].get_string().value());
        });
    for (auto& t : threads) t.join();
    int applied = 0;
    for (int i = 0; i < 8; ++i) {
        CHECK(statuses[i] == 200);
        if (outcomes[i] == "applied")
            ++applied;
        else
            CHECK(outcomes[i] == "duplicate");
    }
    CHECK(applied == 1);
    CHECK(pf.balance("wallet:c1") == 15'000'000);
    CHECK(pf.balance("gateway_clearing:stripe") == 15'000'000);
}

TEST_CASE(
    "payments API: refunds and chargebacks from Stripe take back from the wallet, then the "
    "receivable") {
    PaymentsFixture pf;
    auto& f = *pf.f;
    simdjson::dom::parser p;
    REQUIRE(pf.stripe(succeeded("evt_1", "pi_1", 2000)).status == 200);
    // The customer spends 15.00 of the 20.00.
    REQUIRE(f.call("POST", "/v1/billing/entries",
                   R"({"entry_id":"spend-1","currency":"EUR","memo":"hotspot day passes",
                       "postings":[{"account":"wallet:c1","debit_micros":15000000},
                                   {"account":"revenue:hotspot","credit_micros":15000000}]})")
                .status == 201);
    // 8.00 refunded on Stripe: 5.00 from the wallet, 3.00 owed.
    auto refunded = pf.stripe(charge_refunded("evt_r1", 800));
    REQUIRE_MESSAGE(refunded.status == 200, refunded.body);
    CHECK(pf.balance("wallet:c1") == 0);
    CHECK(pf.balance("receivable:c1") == 3'000'000);
    // A later event with the same cumulative total adds nothing; a bigger total adds the rest.
    REQUIRE(pf.stripe(charge_refunded("evt_r2", 800)).status == 200);
    CHECK(pf.balance("receivable:c1") == 3'000'000);
    REQUIRE(pf.stripe(charge_refunded("evt_r3", 1000)).status == 200);
    CHECK(pf.balance("receivable:c1") == 5'000'000);
    auto pay = f.call("GET", "/v1/billing/payments/stripe.pi_1");
    REQUIRE(pay.status == 200);
    CHECK(parse_json(p, pay.body)["refunded_micros"].get_int64().value() == 10'000'000);
    CHECK(parse_json(p, pay.body)["refundable_micros"].get_int64().value() == 10'000'000);

    // A chargeback on the rest, then won.
    const std::string dispute = R"({"id":"evt_d1","type":"charge.dispute.created","data":{"object":{
      "id":"dp_1","object":"dispute","amount":1000,"currency":"eur","payment_intent":"pi_1",
      "reason":"fraudulent","status":"needs_response"}}})";
    REQUIRE(pf.stripe(dispute).status == 200);
    CHECK(pf.balance("receivable:c1") == 15'000'000);
    const std::string won = R"({"id":"evt_d2","type":"charge.dispute.closed","data":{"object":{
      "id":"dp_1","object":"dispute","amount":1000,"currency":"eur","payment_intent":"pi_1",
      "status":"won"}}})";
    REQUIRE(pf.stripe(won).status == 200);
    CHECK(pf.balance("receivable:c1") == 5'000'000);
    CHECK(pf.balance("gateway_clearing:stripe") == 10'000'000);
    pay = f.call("GET", "/v1/billing/payments/stripe.pi_1");
    CHECK(parse_json(p, pay.body)["disputes"].at(0)["status"].get_string().value() == "won");
    CHECK(pf.balanced());

    // A refund of a payment never received: 404, so Stripe retries it later.
    const auto unknown = R"({"id":"evt_x","type":"charge.refunded","data":{"object":{"id":"ch_9",
      "amount_refunded":100,"currency":"eur","payment_intent":"pi_unknown"}}})";
    CHECK(pf.stripe(unknown).status == 404);
    // An event type Switchyard does not act on: 200, recorded as ignored.
    auto ignored = pf.stripe(R"({"id":"evt_i","type":"customer.created","data":{"object":{}}})");
    REQUIRE(ignored.status == 200);
    CHECK(parse_json(p, ignored.body)["outcome"].get_string().value() == "ignored");
}

TEST_CASE("payments API: bad signatures and bad bodies are refused with nothing appended") {
    PaymentsFixture pf;
    auto& f = *pf.f;
    f.settle();
    const auto before = f.log_size();
    const auto body = succeeded("evt_1", "pi_1", 2000);
    const auto now = core::unix_seconds(f.clock.now());
    CHECK(pf.stripe(body, events::billing::stripe_signature(body, "whsec_wrong", now)).status ==
          401);
    CHECK(pf.stripe(body, events::billing::stripe_signature(body, kSecret, now - 600)).status ==
          401);
    CHECK(pf.stripe(body, "t=1,v1=zz").status == 401);
    auto unsigned_call = f.call("POST", "/v1/billing/webhooks/stripe", body, false);
    CHECK(unsigned_call.status == 401);
    CHECK(unsigned_call.body.find("Stripe-Signature") != std::string::npos);
    // The retired secret of the file still verifies (secrets roll).
    auto rolled = pf.stripe(R"({"id":"evt_o","type":"customer.created","data":{"object":{}}})",
                            events::billing::stripe_signature(
                                R"({"id":"evt_o","type":"customer.created","data":{"object":{}}})",
                                "whsec_retired", now));
    CHECK(rolled.status == 200);
    f.settle();
    const auto after_rolled = f.log_size();
    CHECK(after_rolled == before + 1);  // the ignored event's record alone
    // Signed, but malformed: 400 naming the field.
    auto bad = pf.stripe(R"({"id":"evt_2","type":"payment_intent.succeeded","data":{"object":{
      "id":"pi_2","amount":100,"currency":"eur","metadata":{}}}})");
    CHECK(bad.status == 400);
    CHECK(bad.body.find("data.object.metadata.customer_id") != std::string::npos);
    // Staff's manual payments: gateway methods refused, bad fields named.
    struct Case {
        const char* body;
        int status;
        const char* field;
    };
    for (
        const auto& c : std::vector<Case>{
            {R"({"payment_id":"m1","method":"stripe","customer_id":"c1","currency":"EUR","amount_micros":1})",
             422, "method"},
            {R"({"payment_id":"m1","method":"gold","customer_id":"c1","currency":"EUR","amount_micros":1})",
             400, "method"},
            {R"({"payment_id":"m1","method":"cash","customer_id":"c1","currency":"EUR","amount_micros":0})",
             400, "amount_micros"},
            {R"({"payment_id":"m 1","method":"cash","customer_id":"c1","currency":"EUR","amount_micros":1})",
             400, "payment_id"},
            {R"({"payment_id":"m1","method":"cash","customer_id":"c1","currency":"EUR","amount_micros":1,"tip":1})",
             400, "tip"},
        }) {
        auto r = f.call("POST", "/v1/billing/payments", c.body);
        CHECK_MESSAGE(r.status == c.status, c.body, " -> ", r.body);
        CHECK_MESSAGE(r.body.find(c.field) != std::string::npos, r.body);
    }
    f.settle();
    CHECK(f.log_size() == after_rolled);
}

TEST_CASE("payments API: staff record a bank transfer and a refund from the wallet") {
    PaymentsFixture pf;
    auto& f = *pf.f;
    simdjson::dom::parser p;
    const char* transfer = R"({"payment_id":"bank-2026-0001","method":"bank_transfer",
        "customer_id":"c1","currency":"EUR","amount_micros":50000000,"reference":"SEPA RF18 5390"})";
    auto r = f.call("POST", "/v1/billing/payments", transfer);
    REQUIRE_MESSAGE(r.status == 201, r.body);
    CHECK(f.call("POST", "/v1/billing/payments", transfer).status == 200);
    CHECK(pf.balance("wallet:c1") == 50'000'000);
    CHECK(pf.balance("gateway_clearing:bank") == 50'000'000);
    auto refund = f.call("POST", "/v1/billing/payments/bank-2026-0001/refunds",
                         R"({"refund_id":"r1","amount_micros":20000000,"reason":"moved away"})");
    REQUIRE_MESSAGE(refund.status == 201, refund.body);
    CHECK(parse_json(p, refund.body)["payment"]["refundable_micros"].get_int64().value() ==
          30'000'000);
    CHECK(pf.balance("wallet:c1") == 30'000'000);
    // More than the wallet holds: refused naming the wallet's posting; more than was paid too.
    REQUIRE(f.call("POST", "/v1/billing/entries",
                   R"({"entry_id":"spend","currency":"EUR","memo":"IPTV month",
                       "postings":[{"account":"wallet:c1","debit_micros":25000000},
                                   {"account":"revenue:iptv","credit_micros":25000000}]})")
                .status == 201);
    auto broke = f.call("POST", "/v1/billing/payments/bank-2026-0001/refunds",
                        R"({"refund_id":"r2","amount_micros":10000000})");
    CHECK(broke.status == 422);
    CHECK(broke.body.find("postings[0]") != std::string::npos);
    auto too_much = f.call("POST", "/v1/billing/payments/bank-2026-0001/refunds",
                           R"({"refund_id":"r3","amount_micros":30000001})");
    CHECK(too_much.status == 422);
    CHECK(too_much.body.find("amount_micros") != std::string::npos);
    CHECK(f.call("GET", "/v1/billing/payments/nope").status == 404);
    CHECK(pf.balanced());
}

TEST_CASE("payments API: a PayPal capture verified with PayPal's certificate credits once") {
    PayPalSigner signer;
    PaymentsFixture pf(signer.certificate());
    auto& f = *pf.f;
    simdjson::dom::parser p;
    const std::string body =
        R"({"id":"WH-2WR32451HC0233532-67976317FL4543714","event_type":"PAYMENT.CAPTURE.COMPLETED",
        "resource":{"id":"2GG279541U471931P","status":"COMPLETED",
        "amount":{"currency_code":"EUR","value":"12.50"},"custom_id":"c1"}})";
    const auto t = signer.sign(body, kHookId, "69cd13f0-d67a-11e5-baa3-778b53f4ae55");
    std::map<std::string, std::string> headers{{"paypal-transmission-id", t.transmission_id},
                                               {"paypal-transmission-time", t.transmission_time},
                                               {"paypal-transmission-sig", t.transmission_sig},
                                               {"paypal-cert-url", t.cert_url},
                                               {"paypal-auth-algo", t.auth_algo},
                                               {"content-type", "application/json"}};
    auto r = f.call("POST", "/v1/billing/webhooks/paypal", body, false, headers);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(parse_json(p, r.body)["payment_id"].get_string().value() == "paypal.2GG279541U471931P");
    CHECK(f.call("POST", "/v1/billing/webhooks/paypal", body, false, headers).status == 200);
    CHECK(pf.balance("wallet:c1") == 12'500'000);
    CHECK(pf.balance("gateway_clearing:paypal") == 12'500'000);
    // Signed by someone else: 401.
    PayPalSigner mallory;
    const auto forged = mallory.sign(body, kHookId, "69cd13f0-d67a-11e5-baa3-778b53f4ae56");
    headers["paypal-transmission-sig"] = forged.transmission_sig;
    CHECK(f.call("POST", "/v1/billing/webhooks/paypal", body, false, headers).status == 401);
}

TEST_CASE(
    "payments API: a checkout's PaymentIntent made on Stripe, paid by webhook, refunded on "
    "Stripe") {
    // Stripe's API as its reference documents it: form-encoded requests with a Bearer secret
    // key and an Idempotency-Key; PaymentIntent and Refund objects back.
    HttpServer stripe_api([](const HttpExchange& ex) -> HttpAnswer {
        if (ex.target == "/v1/payment_intents" && ex.body.find("amount=999") != std::string::npos)
            return {402, R"({"error":{"type":"card_error","code":"amount_too_large",
                             "message":"Amount must be no more than 999,999.99"}})"};
        if (ex.target == "/v1/payment_intents")
            return {200, R"({"id":"pi_3MtwBw","object":"payment_intent","amount":1250,
                             "currency":"eur","status":"requires_payment_method",
                             "client_secret":"pi_3MtwBw_secret_YrKJUKribcBjcG8HVhfZluoGH"})"};
        if (ex.target == "/v1/refunds")
            return {200, R"({"id":"re_3MtwBw","object":"refund","amount":500,"currency":"eur",
                             "payment_intent":"pi_3MtwBw","status":"succeeded"})"};
        return {404, R"({"error":{"message":"Unrecognized request URL"}})"};
    });
    PaymentsFixture pf({}, stripe_api.base_url());
    auto& f = *pf.f;
    simdjson::dom::parser p;
    auto intent = f.call("POST", "/v1/billing/payment-intents",
                         R"({"customer_id":"c1","amount_micros":12500000,"currency":"EUR",
                             "subscription_id":"s9","idempotency_key":"checkout-41"})");
    REQUIRE_MESSAGE(intent.status == 201, intent.body);
    CHECK(parse_json(p, intent.body)["payment_id"].get_string().value() == "stripe.pi_3MtwBw");
    CHECK(parse_json(p, intent.body)["client_secret"].get_string().value().starts_with(
        "pi_3MtwBw_secret_"));
    auto sent = stripe_api.received();
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].method == "POST");
    CHECK(sent[0].headers["authorization"] == "Bearer sk_test_tour");
    CHECK(sent[0].headers["content-type"] == "application/x-www-form-urlencoded");
    CHECK(sent[0].headers["idempotency-key"] == "checkout-41");
    CHECK(sent[0].body.find("amount=1250&currency=eur") != std::string::npos);
    CHECK(sent[0].body.find("metadata%5Bcustomer_id%5D=c1") != std::string::npos);
    CHECK(sent[0].body.find("metadata%5Bsubscription_id%5D=s9") != std::string::npos);
    // Stripe's refusal comes back as 422 with its message; sub-cent amounts never leave.
    auto declined = f.call("POST", "/v1/billing/payment-intents",
                           R"({"customer_id":"c1","amount_micros":9990000,"currency":"EUR"})");
    CHECK(declined.status == 422);
    CHECK(declined.body.find("no more than") != std::string::npos);
    auto fraction = f.call("POST", "/v1/billing/payment-intents",
                           R"({"customer_id":"c1","amount_micros":12345678,"currency":"EUR"})");
    CHECK(fraction.status == 400);
    CHECK(fraction.body.find("amount_micros") != std::string::npos);
    CHECK(stripe_api.received().size() == 2);

    // The customer pays on the checkout page; Stripe's webhook books it.
    REQUIRE(pf.stripe(succeeded("evt_1", "pi_3MtwBw", 1250)).status == 200);
    CHECK(pf.balance("wallet:c1") == 12'500'000);
    // Staff refund 5.00: paid out on Stripe, then booked; Stripe's charge.refunded after it
    // changes nothing.
    auto refund = f.call("POST", "/v1/billing/payments/stripe.pi_3MtwBw/refunds",
                         R"({"refund_id":"r1","amount_micros":5000000,"reason":"outage"})");
    REQUIRE_MESSAGE(refund.status == 201, refund.body);
    sent = stripe_api.received();
    REQUIRE(sent.size() == 3);
    CHECK(sent[2].target == "/v1/refunds");
    CHECK(sent[2].body.find("payment_intent=pi_3MtwBw&amount=500") != std::string::npos);
    CHECK(sent[2].headers["idempotency-key"] == "switchyard-refund-stripe.pi_3MtwBw-r1");
    CHECK(pf.balance("wallet:c1") == 7'500'000);
    const auto webhook = R"({"id":"evt_r","type":"charge.refunded","data":{"object":{"id":"ch_1",
      "amount":1250,"amount_refunded":500,"currency":"eur","payment_intent":"pi_3MtwBw"}}})";
    auto after = pf.stripe(webhook);
    REQUIRE(after.status == 200);
    CHECK(parse_json(p, after.body)["outcome"].get_string().value() == "no_change");
    CHECK(pf.balance("wallet:c1") == 7'500'000);
    // More than the wallet holds is refused before Stripe is asked.
    auto broke = f.call("POST", "/v1/billing/payments/stripe.pi_3MtwBw/refunds",
                        R"({"refund_id":"r2","amount_micros":8000000})");
    CHECK(broke.status == 422);
    CHECK(stripe_api.received().size() == 3);
    CHECK(pf.balanced());
}
