// Referral codes over HTTP, as `serve` starts the billing module: a customer's code registers a
// new customer once (the code's limit and self-referral refused); the referred customer's first
// payment of at least the qualifying amount brings both bonuses, once, onto both wallets (the
// referrer's opened for it), booked as a discount; a smaller payment brings nothing; bad input
// is 4xx naming the field with nothing appended.
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

std::string payment(const std::string& id, const std::string& customer, long long micros) {
    return R"({"payment_id":")" + id + R"(","method":"bank_transfer","customer_id":")" + customer +
           R"(","currency":"EUR","amount_micros":)" + std::to_string(micros) + "}";
}

}  // namespace

TEST_CASE("referrals API: the referred customer's qualifying payment brings both bonuses once") {
    ApiFixture f;
    simdjson::dom::parser p;
    auto defined = f.call("POST", "/v1/billing/referral-codes",
                          R"({"code":"ALICE-7","referrer_id":"alice","currency":"EUR",
                              "referrer_bonus_micros":5000000,"referee_bonus_micros":2000000,
                              "qualifying_micros":10000000,"max_referrals":1})");
    REQUIRE_MESSAGE(defined.status == 201, defined.body);

    // Registered once (the code as customers type it); its limit and self-referral refused.
    auto registered =
        f.call("POST", "/v1/billing/referrals", R"({"code":"alice-7","customer_id":"bob"})");
    REQUIRE_MESSAGE(registered.status == 201, registered.body);
    CHECK(str(parse_json(p, registered.body), "status") == "registered");
    CHECK(f.call("POST", "/v1/billing/referrals", R"({"code":"ALICE-7","customer_id":"bob"})")
              .status == 200);
    f.settle();
    auto before = f.log_size();
    check_problem(
        f, f.call("POST", "/v1/billing/referrals", R"({"code":"ALICE-7","customer_id":"carol"})"),
        422, "code", before);
    check_problem(f,
                  f.call("POST", "/v1/billing/referrals", R"({"code":"NOPE-1","customer_id":"x"})"),
                  404, "code", before);
    check_problem(
        f, f.call("POST", "/v1/billing/referrals", R"({"code":"ALICE-7","customer_id":"a b"})"),
        400, "customer_id", before);
    check_problem(f,
                  f.call("POST", "/v1/billing/referral-codes",
                         R"({"code":"ZERO-1","referrer_id":"alice","currency":"EUR"})"),
                  400, "referrer_bonus_micros", before);
    check_problem(f,
                  f.call("POST", "/v1/billing/referral-codes",
                         R"({"code":"BAD-1","referrer_id":"alice","currency":"EURO",
                             "referee_bonus_micros":1})"),
                  400, "currency", before);
    REQUIRE(f.call("POST", "/v1/billing/referral-codes",
                   R"({"code":"BOB-1","referrer_id":"bob","currency":"EUR",
                       "referrer_bonus_micros":1000000})")
                .status == 201);
    f.settle();
    before = f.log_size();
    check_problem(
        f, f.call("POST", "/v1/billing/referrals", R"({"code":"BOB-1","customer_id":"bob"})"), 422,
        "customer_id", before);

    // A payment below the qualifying amount brings nothing; the next one of 12.00 does.
    app::RenewalWorker worker(billing(f).subscriptions(), *f.runner, f.clock);
    worker.also([&](core::Timestamp now) {
        return app::reward_referrals(billing(f).referrals(), *f.runner, now);
    });
    REQUIRE(f.call("POST", "/v1/billing/payments", payment("bank-1", "bob", 5'000'000)).status ==
            201);
    f.settle();
    CHECK(worker.run_once() == 0);
    CHECK(str(parse_json(p, f.call("GET", "/v1/billing/referrals/bob").body), "status") ==
          "registered");
    REQUIRE(f.call("POST", "/v1/billing/payments", payment("bank-2", "bob", 12'000'000)).status ==
            201);
    f.settle();
    CHECK(worker.run_once() == 1);
    f.settle();
    CHECK(worker.run_once() == 0);  // rewarded once
    REQUIRE(f.call("POST", "/v1/billing/payments", payment("bank-3", "bob", 15'000'000)).status ==
            201);
    f.settle();
    CHECK(worker.run_once() == 0);

    auto referral = f.call("GET", "/v1/billing/referrals/bob");
    REQUIRE_MESSAGE(referral.status == 200, referral.body);
    auto r = parse_json(p, referral.body);
    CHECK(str(r, "status") == "rewarded");
    CHECK(str(r, "payment_id") == "bank-2");
    CHECK(str(r, "entry_id") == "ref:bob");
    CHECK(balance(f, "wallet:bob") == 34'000'000);   // 5 + 12 + 15 paid, 2 bonus
    CHECK(balance(f, "wallet:alice") == 5'000'000);  // opened for the bonus
    CHECK(balance(f, "discounts:other") == 7'000'000);
    auto tb = f.call("GET", "/v1/billing/trial-balance");
    CHECK(parse_json(p, tb.body)["currencies"].at(0)["balanced"].get_bool().value());
    auto code = f.call("GET", "/v1/billing/referral-codes/alice-7");
    REQUIRE_MESSAGE(code.status == 200, code.body);
    auto c = parse_json(p, code.body);
    CHECK(num(c, "referrals") == 1);
    REQUIRE(c["referred"].get_array().size() == 1);
    CHECK(c["referred"].at(0)["rewarded"].get_bool().value());

    // Retired: nobody else registers with it.
    REQUIRE(f.call("POST", "/v1/billing/referral-codes/BOB-1/retirement").status == 200);
    f.settle();
    before = f.log_size();
    check_problem(
        f, f.call("POST", "/v1/billing/referrals", R"({"code":"BOB-1","customer_id":"dave"})"), 422,
        "code", before);
    check_problem(f, f.call("GET", "/v1/billing/referrals/dave"), 404, "customer_id", before);

    // Every event of the run, for the schema check (schema:billing_referral_events_match_schemas).
    auto all = f.store->read_all({}, 100'000);
    REQUIRE(all);
    std::string ndjson;
    int referral_events = 0;
    for (const auto& e : *all) {
        ndjson += events::encode_envelope(e) + "\n";
        if (e.type.starts_with("billing.referral")) ++referral_events;
    }
    CHECK(referral_events == 6);  // 2 codes defined, used, registered, rewarded, retired
#ifdef SY_EVENTS_OUT_REFERRALS
    std::ofstream(SY_EVENTS_OUT_REFERRALS) << ndjson;
#endif
}
