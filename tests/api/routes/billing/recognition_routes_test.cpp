// Revenue recognized over the period, as `serve` runs it: a ratable plan's charge credits
// deferred revenue, the billing worker's recognizer moves what each UTC day earned to revenue
// (once per day, whatever the number of ticks), the books as of a past day show what was earned
// by then, the whole period is earned at its end, and a reversed charge un-earns what it had
// earned; a bad recognition mode is 400 naming the field with nothing appended.
#include <doctest/doctest.h>

#include "app/modules/billing_module.hpp"
#include "app/modules/billing_renewals.hpp"
#include "tests/api/api_fixture.hpp"
#include "tests/api/routes/billing/billing_fixture.hpp"

using namespace switchyard;
using namespace switchyard::testing;

TEST_CASE("a ratable plan's charge is deferred and earned day by day") {
    ApiFixture f;  // the clock stands at 2026-09-21T14:13:20Z
    simdjson::dom::parser p;
    const auto before = f.log_size();
    auto bad = f.call("POST", "/v1/billing/plans",
                      R"({"plan_id":"vpn-r","name":"VPN","line":"vpn","revenue_recognition":"daily",
                          "prices":[{"currency":"EUR","amount_micros":30000000}]})");
    CHECK(bad.status == 400);
    CHECK(bad.body.find("revenue_recognition") != std::string::npos);
    f.settle();
    CHECK(f.log_size() == before);

    auto plan = f.call("POST", "/v1/billing/plans",
                       R"({"plan_id":"vpn-r","name":"VPN","line":"vpn",
                           "revenue_recognition":"ratable",
                           "prices":[{"currency":"EUR","amount_micros":30000000}]})");
    REQUIRE_MESSAGE(plan.status == 201, plan.body);
    CHECK(str(parse_json(p, plan.body), "revenue_recognition") == "ratable");
    REQUIRE(f.call("POST", "/v1/billing/subscriptions",
                   R"({"subscription_id":"s1","customer_id":"c1","plan_id":"vpn-r",
                       "currency":"EUR","payer":"receivable:c1"})")
                .status == 201);
    f.settle();
    // Charged 30.00 for 2026-09-21T14:13:20 to 2026-10-21T14:13:20 (30 days): all deferred.
    CHECK(balance(f, "receivable:c1") == 30'000'000);
    CHECK(balance(f, "deferred_revenue:vpn") == 30'000'000);
    CHECK(balance(f, "revenue:vpn") == 0);
    auto charge = f.call("GET", "/v1/billing/entries/sub:s1:1");
    REQUIRE_MESSAGE(charge.status == 200, charge.body);
    CHECK(str(parse_json(p, charge.body), "earned_from") == "2026-09-21T14:13:20.000000Z");

    app::RevenueRecognizer recognizer(billing(f).ledger(), *f.runner);
    CHECK(recognizer.run_once(f.clock.now()) == 0);  // nothing earned by today's start

    // A day later: earned by 2026-09-22T00:00:00Z, 35,200 s of 2,592,000: 0.41 (rounded to the
    // cent). Ticks later the same day post nothing more.
    f.clock.advance(std::chrono::hours(24));
    CHECK(recognizer.run_once(f.clock.now()) == 1);
    f.settle();
    CHECK(recognizer.run_once(f.clock.now()) == 0);
    CHECK(balance(f, "revenue:vpn") == 410'000);
    CHECK(balance(f, "deferred_revenue:vpn") == 29'590'000);
    auto rec = f.call("GET", "/v1/billing/entries/rec:sub:s1:1:2026-09-22");
    REQUIRE_MESSAGE(rec.status == 200, rec.body);
    CHECK(str(parse_json(p, rec.body), "reference") == "sub:s1:1");

    // Three days later (the worker stopped in between): one entry for the three days, up to
    // 2026-09-25T00:00:00Z: 294,400 s earned, 3.41 in all.
    f.clock.advance(std::chrono::hours(24 * 3));
    CHECK(recognizer.run_once(f.clock.now()) == 1);
    f.settle();
    CHECK(balance(f, "revenue:vpn") == 3'410'000);
    // The books as of an earlier day show what was earned by then.
    CHECK(balance(f, "revenue:vpn", "2026-09-23T12:00:00Z") == 410'000);
    auto tb = f.call("GET", "/v1/billing/trial-balance");
    REQUIRE(tb.status == 200);
    CHECK(tb.body.find("\"balanced\":true") != std::string::npos);

    // After the period all of it is earned, and the deferral is closed.
    f.clock.advance(std::chrono::hours(24 * 30));
    CHECK(recognizer.run_once(f.clock.now()) == 1);
    f.settle();
    CHECK(balance(f, "revenue:vpn") == 30'000'000);
    CHECK(balance(f, "deferred_revenue:vpn") == 0);
    f.clock.advance(std::chrono::hours(24));
    CHECK(recognizer.run_once(f.clock.now()) == 0);
}

TEST_CASE("a reversed ratable charge un-earns what it had earned") {
    ApiFixture f;
    REQUIRE(f.call("POST", "/v1/billing/plans",
                   R"({"plan_id":"vpn-r","name":"VPN","line":"vpn",
                       "revenue_recognition":"ratable",
                       "prices":[{"currency":"EUR","amount_micros":30000000}]})")
                .status == 201);
    REQUIRE(f.call("POST", "/v1/billing/subscriptions",
                   R"({"subscription_id":"s1","customer_id":"c1","plan_id":"vpn-r",
                       "currency":"EUR","payer":"receivable:c1"})")
                .status == 201);
    f.settle();
    app::RevenueRecognizer recognizer(billing(f).ledger(), *f.runner);
    f.clock.advance(std::chrono::hours(24 * 10));
    CHECK(recognizer.run_once(f.clock.now()) == 1);
    f.settle();
    const auto earned = balance(f, "revenue:vpn");
    CHECK(earned > 0);
    auto reversed =
        f.call("POST", "/v1/billing/entries/sub:s1:1/reversal", R"({"memo":"charged by mistake"})");
    REQUIRE_MESSAGE(reversed.status == 201, reversed.body);
    f.settle();
    // The reversal took the whole charge back to deferred revenue: what was earned sits there
    // as a debit until the recognizer un-earns it.
    CHECK(balance(f, "deferred_revenue:vpn") == -earned);
    CHECK(recognizer.run_once(f.clock.now()) == 1);
    f.settle();
    CHECK(balance(f, "revenue:vpn") == 0);
    CHECK(balance(f, "deferred_revenue:vpn") == 0);
    CHECK(balance(f, "receivable:c1") == 0);
    // Later days: the charge and its reversal earn and un-earn the same amounts.
    f.clock.advance(std::chrono::hours(24 * 40));
    CHECK(recognizer.run_once(f.clock.now()) == 2);
    f.settle();
    CHECK(balance(f, "revenue:vpn") == 0);
    CHECK(balance(f, "deferred_revenue:vpn") == 0);
}
