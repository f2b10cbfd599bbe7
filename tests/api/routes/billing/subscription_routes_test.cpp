// Plans and subscriptions over HTTP, as `serve` starts the modules, and the renewal worker on
// the read model: a VPN plan defined, a customer subscribed from a wallet, an upgrade prorated
// by day, the worker renewing on time, failing when the wallet is empty and suspending after
// the grace days, a payment reinstating; bad input answered 4xx naming the field with nothing
// appended.
#include <doctest/doctest.h>

#include <fstream>

#include "app/modules/billing_module.hpp"
#include "app/modules/billing_renewals.hpp"
#include "events/envelope_codec.hpp"
#include "tests/api/api_fixture.hpp"
#include "tests/api/routes/billing/billing_fixture.hpp"

using namespace switchyard;
using namespace switchyard::testing;

namespace {

const char* kPlan = R"({"plan_id":"vpn-basic","name":"VPN basic","line":"vpn",
  "service_plan":"basic","prices":[{"currency":"EUR","amount_micros":10000000}]})";
const char* kPro = R"({"plan_id":"vpn-pro","name":"VPN pro","line":"vpn",
  "prices":[{"currency":"EUR","amount_micros":20000000}]})";

std::string top_up(const std::string& id, long long micros) {
    return R"({"entry_id":")" + id +
           R"(","currency":"EUR","memo":"top-up","postings":[{"account":"gateway_clearing:stripe","debit_micros":)" +
           std::to_string(micros) + R"(},{"account":"wallet:c1","credit_micros":)" +
           std::to_string(micros) + "}]}";
}

}  // namespace

TEST_CASE("subscriptions API: bought from a wallet, upgraded, renewed, suspended, reinstated") {
    ApiFixture f;
    simdjson::dom::parser p;
    REQUIRE(f.call("POST", "/v1/billing/plans", kPlan).status == 201);
    CHECK(f.call("POST", "/v1/billing/plans", kPlan).status == 200);
    REQUIRE(f.call("POST", "/v1/billing/plans", kPro).status == 201);
    auto plans = f.call("GET", "/v1/billing/plans");
    REQUIRE(plans.status == 200);
    CHECK(parse_json(p, plans.body)["items"].get_array().size() == 2);
    REQUIRE(f.call("POST", "/v1/billing/accounts", R"({"account":"wallet:c1","currency":"EUR"})")
                .status == 201);
    REQUIRE(f.call("POST", "/v1/billing/entries", top_up("t1", 25'000'000)).status == 201);

    // The clock is 2026-09-21T14:13:20Z; a month from then is 2026-10-21 (30 days).
    auto created = f.call("POST", "/v1/billing/subscriptions",
                          R"({"subscription_id":"s1","customer_id":"c1","plan_id":"vpn-basic",
                              "currency":"EUR","payer":"wallet:c1","service_id":"peer-1"})");
    REQUIRE_MESSAGE(created.status == 201, created.body);
    auto s = parse_json(p, created.body);
    CHECK(s["status"].get_string().value() == "active");
    CHECK(s["service"].get_string().value() == "on");
    CHECK(s["period_end"].get_string().value() == "2026-10-21T14:13:20.000000Z");

    // Ten days later, the upgrade: 20 of 30 days remain; credit 6.67, charge 13.33.
    f.clock.advance(std::chrono::hours(24 * 10));
    auto up = f.call("POST", "/v1/billing/subscriptions/s1/plan", R"({"plan_id":"vpn-pro"})");
    REQUIRE_MESSAGE(up.status == 200, up.body);
    CHECK(parse_json(p, up.body)["plan_id"].get_string().value() == "vpn-pro");
    auto change = f.call("GET", "/v1/billing/entries/sub:s1:change:1");
    REQUIRE_MESSAGE(change.status == 200, change.body);
    CHECK(parse_json(p, change.body)["postings"].at(0)["debit_micros"].get_int64().value() ==
          6'660'000);
    auto wallet = f.call("GET", "/v1/billing/accounts/wallet:c1?currency=EUR");
    CHECK(parse_json(p, wallet.body)["balance_micros"].get_int64().value() == 8'340'000);

    // The worker at the period end: 20.00 due, 8.34 in the wallet: past due, then suspended.
    app::RenewalWorker worker(billing(f).subscriptions(), *f.runner, f.clock);
    f.clock.advance(std::chrono::hours(24 * 20));
    f.settle();
    CHECK(worker.run_once() == 1);
    f.settle();  // the worker's events, before reading the model
    auto due = f.call("GET", "/v1/billing/subscriptions/s1");
    REQUIRE(due.status == 200);
    CHECK(parse_json(p, due.body)["status"].get_string().value() == "past_due");
    CHECK(parse_json(p, due.body)["service"].get_string().value() == "on");
    for (int day = 0; day < 3; ++day) {
        f.clock.advance(std::chrono::hours(24));
        f.settle();
        worker.run_once();
    }
    f.settle();
    auto suspended = f.call("GET", "/v1/billing/subscriptions/s1");
    CHECK(parse_json(p, suspended.body)["status"].get_string().value() == "suspended");
    CHECK(parse_json(p, suspended.body)["service"].get_string().value() == "off");
    auto listed = f.call("GET", "/v1/billing/subscriptions?customer_id=c1&status=suspended");
    CHECK(parse_json(p, listed.body)["items"].get_array().size() == 1);
    CHECK(parse_json(p, f.call("GET", "/v1/billing/subscriptions?status=active").body)["items"]
              .get_array()
              .size() == 0);
    f.clock.advance(std::chrono::hours(24 * 40));
    CHECK(worker.run_once() == 0);  // nothing due any more

    // Paying reinstates it with a new period from now.
    REQUIRE(f.call("POST", "/v1/billing/entries", top_up("t2", 20'000'000)).status == 201);
    auto paid = f.call("POST", "/v1/billing/subscriptions/s1/renewal");
    REQUIRE_MESSAGE(paid.status == 200, paid.body);
    CHECK(parse_json(p, paid.body)["status"].get_string().value() == "active");
    CHECK(parse_json(p, paid.body)["periods_paid"].get_int64().value() == 2);
    wallet = f.call("GET", "/v1/billing/accounts/wallet:c1?currency=EUR");
    CHECK(parse_json(p, wallet.body)["balance_micros"].get_int64().value() == 8'340'000);
    auto tb = f.call("GET", "/v1/billing/trial-balance");
    CHECK(parse_json(p, tb.body)["currencies"].at(0)["balanced"].get_bool().value());

    // Every event of the run, for the schema check (schema:billing_events_match_schemas).
    auto all = f.store->read_all({}, 100'000);
    REQUIRE(all);
    std::string ndjson;
    int billing_events = 0;
    for (const auto& e : *all) {
        ndjson += events::encode_envelope(e) + "\n";
        if (e.type.starts_with("billing.subscription.")) ++billing_events;
    }
    CHECK(billing_events >= 7);  // created, plan_changed, 3 renewal_failed, suspended, renewed
#ifdef SY_EVENTS_OUT_BILLING
    std::ofstream(SY_EVENTS_OUT_BILLING) << ndjson;
#endif
}

TEST_CASE("subscriptions API: bad input is 4xx naming the field, with nothing appended") {
    ApiFixture f;
    REQUIRE(f.call("POST", "/v1/billing/plans", kPlan).status == 201);
    REQUIRE(f.call("POST", "/v1/billing/accounts", R"({"account":"wallet:c1","currency":"EUR"})")
                .status == 201);
    f.settle();
    const auto before = f.log_size();
    struct Case {
        const char* method;
        const char* target;
        const char* body;
        int status;
        const char* field;
    };
    const Case cases[] = {
        {"POST", "/v1/billing/plans", R"({"plan_id":"p","name":"P","line":"vpn"})", 400, "prices"},
        {"POST", "/v1/billing/plans",
         R"({"plan_id":"p","name":"P","line":"cable","prices":[{"currency":"EUR","amount_micros":1}]})",
         400, "line"},
        {"POST", "/v1/billing/plans",
         R"({"plan_id":"p","name":"P","line":"vpn","interval":"fortnight","prices":[{"currency":"EUR","amount_micros":1}]})",
         400, "interval"},
        {"POST", "/v1/billing/plans",
         R"({"plan_id":"p","name":"P","line":"vpn","prices":[{"currency":"eur","amount_micros":1}]})",
         400, "prices[0].currency"},
        {"POST", "/v1/billing/plans",
         R"({"plan_id":"p","name":"P","line":"vpn","prices":[{"currency":"EUR"}]})", 400,
         "prices[0].amount_micros"},
        {"POST", "/v1/billing/plans/none/retirement", "", 404, "plan_id"},
        {"POST", "/v1/billing/subscriptions",
         R"({"subscription_id":"s1","customer_id":"c1","plan_id":"vpn-basic","currency":"EUR","payer":"revenue:vpn"})",
         400, "payer"},
        {"POST", "/v1/billing/subscriptions",
         R"({"subscription_id":"s1","customer_id":"c1","plan_id":"nope","currency":"EUR","payer":"wallet:c1"})",
         404, "plan_id"},
        {"POST", "/v1/billing/subscriptions",
         R"({"subscription_id":"s1","customer_id":"c1","plan_id":"vpn-basic","currency":"USD","payer":"wallet:c1"})",
         422, "currency"},
        {"POST", "/v1/billing/subscriptions",
         R"({"subscription_id":"s1","customer_id":"c1","plan_id":"vpn-basic","currency":"EUR","payer":"wallet:c1"})",
         422, "postings[0].account"},
        {"POST", "/v1/billing/subscriptions",
         R"({"subscription_id":"s1","customer_id":"c1","plan_id":"vpn-basic","currency":"EUR","payer":"wallet:c1","colour":"red"})",
         400, "colour"},
        {"POST", "/v1/billing/subscriptions/none/pause", "", 404, "subscription_id"},
        {"POST", "/v1/billing/subscriptions/none/plan", R"({"plan_id":"vpn-basic"})", 404,
         "subscription_id"},
        {"POST", "/v1/billing/subscriptions/none/auto-renew", "{}", 400, "auto_renew"},
        {"GET", "/v1/billing/subscriptions?status=gone", "", 400, "status"},
        {"GET", "/v1/billing/plans/none", "", 404, "plan_id"},
    };
    simdjson::dom::parser p;
    for (const auto& c : cases) {
        auto r = f.call(c.method, c.target, c.body);
        CAPTURE(c.target);
        CAPTURE(r.body);
        CHECK(r.status == c.status);
        if (r.status >= 400)
            CHECK(std::string(parse_json(p, r.body)["field"].get_string().value()) == c.field);
    }
    CHECK(f.log_size() == before);
}

TEST_CASE("subscriptions API: a promo code is redeemed with the subscription, once per customer") {
    ApiFixture f;
    simdjson::dom::parser p;
    REQUIRE(f.call("POST", "/v1/billing/plans", kPlan).status == 201);
    REQUIRE(f.call("POST", "/v1/billing/accounts", R"({"account":"wallet:c1","currency":"EUR"})")
                .status == 201);
    REQUIRE(f.call("POST", "/v1/billing/entries", top_up("t1", 25'000'000)).status == 201);
    REQUIRE(f.call("POST", "/v1/billing/promo-codes",
                   R"({"code":"half2","percent_ppm":500000,"duration":"repeating","periods":2})")
                .status == 201);
    auto body = [](const char* id, const char* code) {
        return std::string(R"({"subscription_id":")") + id +
               R"(","customer_id":"c1","plan_id":"vpn-basic","currency":"EUR",
                  "payer":"wallet:c1","promo_code":")" +
               code + R"("})";
    };
    auto created = f.call("POST", "/v1/billing/subscriptions", body("s1", "HALF2"));
    REQUIRE_MESSAGE(created.status == 201, created.body);
    CHECK(f.call("POST", "/v1/billing/subscriptions", body("s1", "HALF2")).status == 200);
    auto wallet = f.call("GET", "/v1/billing/accounts/wallet:c1?currency=EUR");
    CHECK(num(parse_json(p, wallet.body), "balance_micros") == 20'000'000);  // 10 - 50 %
    auto entry = f.call("GET", "/v1/billing/entries/sub:s1:1");
    REQUIRE(entry.status == 200);
    CHECK(entry.body.find(R"("account":"discounts:vpn","debit_micros":5000000)") !=
          std::string::npos);
    auto promo = f.call("GET", "/v1/billing/promo-codes/HALF2");
    CHECK(num(parse_json(p, promo.body), "redemptions") == 1);
    // Once per customer; an unknown code is 404; nothing appended either time.
    f.settle();
    const auto before = f.log_size();
    check_problem(f, f.call("POST", "/v1/billing/subscriptions", body("s2", "half2")), 422,
                  "promo_code", before);
    check_problem(f, f.call("POST", "/v1/billing/subscriptions", body("s3", "NOPE")), 404,
                  "promo_code", before);
    // The revenue report has the discount.
    auto report = f.call("GET", "/v1/billing/reports/revenue");
    CHECK(report.body.find(R"("revenue_micros":10000000,"discounts_micros":5000000,)"
                           R"("net_revenue_micros":5000000)") != std::string::npos);
}
