// Resellers' commissions over HTTP, as `serve` starts the billing and IPTV modules: a reseller
// with a 10 % rate buys a package with its credits and earns a commission in the same append;
// the renewal worker's renewal earns another; staff approve one and reject the other (its entry
// reversed), then pay the approved one out onto the reseller's credits, once; the reseller sees
// its own commissions only; bad input is 4xx naming the field with nothing appended.
#include <doctest/doctest.h>

#include <fstream>
#include <set>

#include "app/modules/billing_module.hpp"
#include "app/modules/billing_renewals.hpp"
#include "events/envelope_codec.hpp"
#include "tests/api/api_fixture.hpp"
#include "tests/api/routes/billing/billing_fixture.hpp"
#include "tests/api/sign_in.hpp"

using namespace switchyard;
using namespace switchyard::testing;

TEST_CASE("commissions API: earned on a reseller's sales, approved or rejected, paid out once") {
    ApiFixture f;
    simdjson::dom::parser p;
    const auto acme = create_user(f, f.key, "acme", "reseller");
    create_user(f, f.key, "zeta", "reseller");
    const auto credits = "reseller_credit:" + acme;
    REQUIRE(f.call("POST", "/v1/billing/accounts",
                   R"({"account":")" + credits + R"(","currency":"EUR"})")
                .status == 201);
    REQUIRE(f.call("POST", "/v1/billing/entries",
                   R"({"entry_id":"bank-1","currency":"EUR","memo":"credits bought",
                       "postings":[{"account":"gateway_clearing:bank","debit_micros":20000000},
                                   {"account":")" +
                       credits + R"(","credit_micros":20000000}]})")
                .status == 201);
    REQUIRE(f.call("POST", "/v1/billing/plans",
                   R"({"plan_id":"iptv-1m","name":"IPTV 1 month","line":"iptv","interval":"month",
                       "prices":[{"currency":"EUR","amount_micros":5000000}]})")
                .status == 201);
    auto rate = f.call("PUT", "/v1/billing/commission-rates/" + acme, R"({"percent_ppm":100000})");
    REQUIRE_MESSAGE(rate.status == 200, rate.body);
    CHECK(num(parse_json(p, rate.body), "percent_ppm") == 100'000);

    auto acme_token = sign_in(f, "acme");
    auto zeta_token = sign_in(f, "zeta");
    auto line = as(f, acme_token, "POST", "/v1/iptv/lines",
                   R"({"username":"acme-viewer1","max_connections":1,"bouquets":[]})");
    REQUIRE_MESSAGE(line.status == 201, line.body);
    const auto line_id = std::to_string(num(parse_json(p, line.body), "line_id"));

    // The purchase appends its commission with it.
    f.settle();
    const auto before_purchase = f.log_size();
    auto bought =
        as(f, acme_token, "POST", "/v1/billing/purchases",
           R"({"subscription_id":"pkg-1","plan_id":"iptv-1m","service_id":")" + line_id + R"("})");
    REQUIRE_MESSAGE(bought.status == 201, bought.body);
    f.settle();
    auto appended = f.store->read_all({}, 100'000);
    REQUIRE(appended);
    std::multiset<std::string> purchase_types;
    for (const auto& e : *appended)
        if (e.position.offset >= before_purchase) purchase_types.insert(e.type);
    CHECK(purchase_types.count("billing.subscription.created") == 1);
    CHECK(purchase_types.count("billing.commission.earned") == 1);
    CHECK(purchase_types.count("billing.entry.posted") == 2);  // the charge and the commission
    auto earned = as(f, acme_token, "GET", "/v1/billing/commissions/sub:pkg-1:1");
    REQUIRE_MESSAGE(earned.status == 200, earned.body);
    auto c1 = parse_json(p, earned.body);
    CHECK(num(c1, "amount_micros") == 500'000);
    CHECK(num(c1, "sale_micros") == 5'000'000);
    CHECK(str(c1, "status") == "pending");
    CHECK(str(c1, "kind") == "creation");
    CHECK(balance(f, "commissions_payable:" + acme) == 500'000);

    // A month later the renewal worker renews the package from the credits: a renewal
    // commission.
    app::RenewalWorker worker(billing(f).subscriptions(), *f.runner, f.clock);
    f.clock.advance(std::chrono::hours(24 * 31));
    f.settle();
    for (int pass = 0; pass < 3; ++pass) {  // the reminders passed, then the renewal
        worker.run_once();
        f.settle();
    }
    acme_token = sign_in(f, "acme");  // a month later: the sessions expired
    zeta_token = sign_in(f, "zeta");
    auto listed = as(f, acme_token, "GET", "/v1/billing/commissions");
    REQUIRE_MESSAGE(listed.status == 200, listed.body);
    auto items = parse_json(p, listed.body)["items"].get_array();
    REQUIRE(items.size() == 2);
    CHECK(str(items.at(1), "commission_id") == "sub:pkg-1:2");
    CHECK(str(items.at(1), "kind") == "renewal");
    auto summary = as(f, acme_token, "GET", "/v1/billing/commissions/summary");
    REQUIRE_MESSAGE(summary.status == 200, summary.body);
    auto totals = parse_json(p, summary.body)["items"].at(0);
    CHECK(num(totals, "pending_micros") == 1'000'000);
    CHECK(num(totals, "commissions") == 2);
    // The profit and loss subtracts them: 10.00 revenue, 1.00 commissions.
    auto pnl = f.call("GET", "/v1/billing/reports/profit-and-loss?from=2026-09-01&to=2026-12-01");
    REQUIRE_MESSAGE(pnl.status == 200, pnl.body);
    std::int64_t commissions = 0, profit = 0;
    for (auto row : parse_json(p, pnl.body)["items"].get_array())
        if (str(row, "line") == "iptv") {
            commissions += num(row, "commissions_micros");
            profit += num(row, "profit_micros");
        }
    CHECK(commissions == 1'000'000);
    CHECK(profit == 9'000'000);

    // Another reseller sees none of it and approves nothing.
    f.settle();
    auto before = f.log_size();
    check_problem(f, as(f, zeta_token, "GET", "/v1/billing/commissions/sub:pkg-1:1"), 404,
                  "commission_id", before);
    CHECK(parse_json(p, as(f, zeta_token, "GET", "/v1/billing/commissions").body)["items"]
              .get_array()
              .size() == 0);
    CHECK(as(f, zeta_token, "POST", "/v1/billing/commissions/sub:pkg-1:1/approval").status == 403);
    CHECK(as(f, acme_token, "PUT", "/v1/billing/commission-rates/" + acme,
             R"({"percent_ppm":900000})")
              .status == 403);
    CHECK(f.log_size() == before);

    // Staff approve the first and reject the second (its entry reversed).
    auto approved = f.call("POST", "/v1/billing/commissions/sub:pkg-1:1/approval");
    REQUIRE_MESSAGE(approved.status == 200, approved.body);
    CHECK(str(parse_json(p, approved.body), "status") == "approved");
    auto rejected = f.call("POST", "/v1/billing/commissions/sub:pkg-1:2/rejection",
                           R"({"reason":"the renewal was refunded"})");
    REQUIRE_MESSAGE(rejected.status == 200, rejected.body);
    CHECK(str(parse_json(p, rejected.body), "status") == "rejected");
    CHECK(f.call("GET", "/v1/billing/entries/com:sub:pkg-1:2.reversal").status == 200);
    CHECK(balance(f, "commissions_payable:" + acme) == 500'000);

    // The payout: the approved 0.50 onto the reseller's credits (20 - 5 - 5 + 0.50).
    auto paid = f.call("POST", "/v1/billing/commission-payouts",
                       R"({"payout_id":"po-1","reseller_id":")" + acme +
                           R"(","currency":"EUR","reference":"September"})");
    REQUIRE_MESSAGE(paid.status == 201, paid.body);
    auto payout = parse_json(p, paid.body);
    CHECK(num(payout, "amount_micros") == 500'000);
    CHECK(str(payout, "method") == "credits");
    CHECK(payout["commission_ids"].get_array().size() == 1);
    CHECK(balance(f, credits) == 10'500'000);
    CHECK(balance(f, "commissions_payable:" + acme) == 0);
    CHECK(f.call("POST", "/v1/billing/commission-payouts",
                 R"({"payout_id":"po-1","reseller_id":")" + acme + R"(","currency":"EUR"})")
              .status == 200);  // the same payout again: unchanged
    CHECK(balance(f, credits) == 10'500'000);
    f.settle();
    auto now_paid = as(f, acme_token, "GET", "/v1/billing/commissions/sub:pkg-1:1");
    CHECK(str(parse_json(p, now_paid.body), "status") == "paid");
    CHECK(str(parse_json(p, now_paid.body), "payout_id") == "po-1");
    auto seen = as(f, acme_token, "GET", "/v1/billing/commission-payouts/po-1");
    REQUIRE_MESSAGE(seen.status == 200, seen.body);
    CHECK(num(parse_json(p, seen.body), "amount_micros") == 500'000);
    auto after =
        parse_json(p, as(f, acme_token, "GET", "/v1/billing/commissions/summary").body)["items"].at(
            0);
    CHECK(num(after, "paid_micros") == 500'000);
    CHECK(num(after, "rejected_micros") == 500'000);
    CHECK(num(after, "pending_micros") + num(after, "approved_micros") == 0);
    auto tb = f.call("GET", "/v1/billing/trial-balance");
    CHECK(parse_json(p, tb.body)["currencies"].at(0)["balanced"].get_bool().value());

    // Nothing left to pay, and bad input: 4xx naming the field, nothing appended.
    f.settle();
    before = f.log_size();
    check_problem(
        f,
        f.call("POST", "/v1/billing/commission-payouts",
               R"({"payout_id":"po-2","reseller_id":")" + acme + R"(","currency":"EUR"})"),
        422, "reseller_id", before);
    check_problem(f,
                  f.call("POST", "/v1/billing/commission-payouts",
                         R"({"payout_id":"po-2","reseller_id":")" + acme +
                             R"(","currency":"EUR","method":"wire"})"),
                  400, "method", before);
    check_problem(
        f, f.call("PUT", "/v1/billing/commission-rates/" + acme, R"({"percent_ppm":2000000})"), 400,
        "percent_ppm", before);
    check_problem(
        f, f.call("PUT", "/v1/billing/commission-rates/" + acme, R"({"amount_micros":500000})"),
        400, "currency", before);
    check_problem(f, f.call("POST", "/v1/billing/commissions/sub:pkg-1:1/rejection", "{}"), 400,
                  "reason", before);
    check_problem(
        f,
        f.call("POST", "/v1/billing/commissions/sub:pkg-1:1/rejection", R"({"reason":"too late"})"),
        422, "status", before);
    check_problem(f, f.call("POST", "/v1/billing/commissions/nope/approval"), 404, "commission_id",
                  before);
    check_problem(f, f.call("GET", "/v1/billing/commissions?status=owed"), 400, "status", before);

    // Every event of the run, for the schema check
    // (schema:billing_commission_events_match_schemas).
    auto all = f.store->read_all({}, 100'000);
    REQUIRE(all);
    std::string ndjson;
    int commission_events = 0;
    for (const auto& e : *all) {
        ndjson += events::encode_envelope(e) + "\n";
        if (e.type.starts_with("billing.commission")) ++commission_events;
    }
    CHECK(commission_events == 7);  // rate, 2 earned, approved, rejected, payout, paid
#ifdef SY_EVENTS_OUT_COMMISSIONS
    std::ofstream(SY_EVENTS_OUT_COMMISSIONS) << ndjson;
#endif
}
