// Resellers buy packages for their own IPTV lines, hotspot accounts and voice customers with
// their credits, as `serve` starts the billing and line modules: the subscription is charged to
// `reseller_credit:<reseller>`, a line of another reseller is not found, credits that do not cover
// the package refuse it with nothing appended, a reseller reads its own credits only and passes
// credits down to its own sub-resellers only.
#include <doctest/doctest.h>

#include "app/modules/voice_module.hpp"
#include "tests/api/api_fixture.hpp"
#include "tests/api/routes/hotspot/hotspot_fixture.hpp"
#include "tests/api/sign_in.hpp"

using namespace switchyard;
using namespace switchyard::testing;

namespace {

/// Creates an IPTV line as `token`'s caller; returns its id.
std::string create_line(ApiFixture& f, const std::string& token, const std::string& username) {
    auto r = as(f, token, "POST", "/v1/iptv/lines",
                R"({"username":")" + username + R"(","max_connections":1,"bouquets":[]})");
    REQUIRE_MESSAGE(r.status == 201, r.body);
    simdjson::dom::parser p;
    return std::to_string(num(parse_json(p, r.body), "line_id"));
}

}  // namespace

TEST_CASE("purchases API: a reseller buys IPTV packages for its own lines with its credits") {
    ApiFixture f;
    simdjson::dom::parser p;
    const auto acme = create_user(f, f.key, "acme", "reseller");
    create_user(f, f.key, "zeta", "reseller");
    const auto credits = "reseller_credit:" + acme;
    REQUIRE(f.call("POST", "/v1/billing/accounts",
                   R"({"account":")" + credits + R"(","currency":"EUR"})")
                .status == 201);
    auto topped = f.call("POST", "/v1/billing/entries",
                         R"({"entry_id":"bank-1","currency":"EUR","memo":"credits bought",
                             "postings":[{"account":"gateway_clearing:bank","debit_micros":12000000},
                                         {"account":")" +
                             credits + R"(","credit_micros":12000000}]})");
    REQUIRE_MESSAGE(topped.status == 201, topped.body);
    auto plan = f.call("POST", "/v1/billing/plans",
                       R"({"plan_id":"iptv-1m","name":"IPTV 1 month","line":"iptv",
                           "interval":"month","prices":[{"currency":"EUR","amount_micros":5000000}]})");
    REQUIRE_MESSAGE(plan.status == 201, plan.body);

    const auto acme_token = sign_in(f, "acme");
    const auto zeta_token = sign_in(f, "zeta");
    const auto line1 = create_line(f, acme_token, "acme-viewer1");
    const auto line2 = create_line(f, acme_token, "acme-viewer2");
    const auto line3 = create_line(f, acme_token, "acme-viewer3");
    const auto foreign = create_line(f, zeta_token, "zeta-viewer1");

    auto bought =
        as(f, acme_token, "POST", "/v1/billing/purchases",
           R"({"subscription_id":"pkg-1","plan_id":"iptv-1m","service_id":")" + line1 + R"("})");
    REQUIRE_MESSAGE(bought.status == 201, bought.body);
    auto doc = parse_json(p, bought.body);
    CHECK(str(doc, "payer") == credits);
    CHECK(str(doc, "status") == "active");
    CHECK(str(doc, "service_id") == line1);
    CHECK(str(doc, "customer_id") == "iptv-" + line1);
    auto left = as(f, acme_token, "GET", "/v1/billing/credits");
    REQUIRE_MESSAGE(left.status == 200, left.body);
    CHECK(num(parse_json(p, left.body), "balance_micros") == 7'000'000);

    // Another reseller's line is not found; a reseller names no payer; nothing appended.
    f.settle();
    auto before = f.log_size();
    check_problem(
        f,
        as(f, acme_token, "POST", "/v1/billing/purchases",
           R"({"subscription_id":"pkg-x","plan_id":"iptv-1m","service_id":")" + foreign + R"("})"),
        404, "service_id", before);
    check_problem(f,
                  as(f, acme_token, "POST", "/v1/billing/purchases",
                     R"({"subscription_id":"pkg-x","plan_id":"iptv-1m","service_id":")" + line2 +
                         R"(","payer":"reseller_credit:zeta"})"),
                  403, "payer", before);
    check_problem(
        f,
        as(f, zeta_token, "POST", "/v1/billing/purchases",
           R"({"subscription_id":"pkg-z","plan_id":"iptv-1m","service_id":")" + foreign + R"("})"),
        404, "payer", before);
    check_problem(f, as(f, acme_token, "GET", "/v1/billing/credits?reseller_id=u_other"), 403,
                  "reseller_id", before);

    // The second package leaves 2.00; the third is refused for want of credits.
    REQUIRE(as(f, acme_token, "POST", "/v1/billing/purchases",
               R"({"subscription_id":"pkg-2","plan_id":"iptv-1m","service_id":")" + line2 + R"("})")
                .status == 201);
    f.settle();
    before = f.log_size();
    auto refused =
        as(f, acme_token, "POST", "/v1/billing/purchases",
           R"({"subscription_id":"pkg-3","plan_id":"iptv-1m","service_id":")" + line3 + R"("})");
    CHECK(refused.status == 422);
    CHECK(refused.body.find(credits) != std::string::npos);
    CHECK(f.log_size() == before);
    CHECK(num(parse_json(p, as(f, acme_token, "GET", "/v1/billing/credits").body),
              "balance_micros") == 2'000'000);

    // Credits passed down to a sub-reseller of acme's: never below zero, never sideways.
    const auto sub = create_user(f, acme_token, "acme-sub", "reseller");
    auto passed =
        as(f, acme_token, "POST", "/v1/billing/credits/transfers",
           R"({"transfer_id":"t1","to_reseller_id":")" + sub + R"(","amount_micros":1500000})");
    REQUIRE_MESSAGE(passed.status == 201, passed.body);
    auto moved = parse_json(p, passed.body);
    CHECK(num(moved["from"], "balance_micros") == 500'000);
    CHECK(num(moved["to"], "balance_micros") == 1'500'000);
    auto again =
        as(f, acme_token, "POST", "/v1/billing/credits/transfers",
           R"({"transfer_id":"t1","to_reseller_id":")" + sub + R"(","amount_micros":1500000})");
    CHECK(again.status == 200);  // the same transfer id: posted once
    const auto sub_token = sign_in(f, "acme-sub");
    CHECK(num(parse_json(p, as(f, sub_token, "GET", "/v1/billing/credits").body),
              "balance_micros") == 1'500'000);
    f.settle();
    before = f.log_size();
    const auto zeta = create_user(f, f.key, "zeta-2", "reseller");
    f.settle();
    before = f.log_size();
    check_problem(
        f,
        as(f, acme_token, "POST", "/v1/billing/credits/transfers",
           R"({"transfer_id":"t2","to_reseller_id":")" + zeta + R"(","amount_micros":100000})"),
        404, "to_reseller_id", before);
    check_problem(
        f,
        as(f, acme_token, "POST", "/v1/billing/credits/transfers",
           R"({"transfer_id":"t3","to_reseller_id":")" + sub + R"(","amount_micros":600000})"),
        422, "postings[0].account", before);
    check_problem(
        f,
        as(f, sub_token, "POST", "/v1/billing/credits/transfers",
           R"({"transfer_id":"t4","to_reseller_id":")" + acme + R"(","amount_micros":100000})"),
        404, "to_reseller_id", before);

    // Staff see any reseller's credits and buy naming the payer.
    auto staff = f.call("GET", "/v1/billing/credits?reseller_id=" + acme);
    CHECK(num(parse_json(p, staff.body), "balance_micros") == 500'000);
    check_problem(f, f.call("GET", "/v1/billing/credits"), 400, "reseller_id", before);
}

TEST_CASE("purchases API: hotspot accounts and voice customers are bought for by their reseller") {
    HotspotFixture f;
    simdjson::dom::parser p;
    const auto r1 = create_user(f, f.key, "res1", "reseller");
    create_user(f, f.key, "res2", "reseller");
    const auto t1 = sign_in(f, "res1");
    const auto t2 = sign_in(f, "res2");
    REQUIRE(f.call("POST", "/v1/billing/accounts",
                   R"({"account":"reseller_credit:)" + r1 + R"(","currency":"EUR"})")
                .status == 201);
    REQUIRE(f.call("POST", "/v1/billing/entries",
                   R"({"entry_id":"bank-1","currency":"EUR","memo":"credits bought",
                       "postings":[{"account":"gateway_clearing:bank","debit_micros":10000000},
                                   {"account":"reseller_credit:)" +
                       r1 + R"(","credit_micros":10000000}]})")
                .status == 201);
    auto buy = [&](const std::string& token, const std::string& id, const std::string& plan,
                   const std::string& service) {
        return as(f, token, "POST", "/v1/billing/purchases",
                  R"({"subscription_id":")" + id + R"(","plan_id":")" + plan +
                      R"(","service_id":")" + service + R"("})");
    };

    SUBCASE("a hotspot account") {
        REQUIRE(f.call("POST", "/v1/hotspot/plans",
                       R"({"plan_id":"day","name":"Day","duration_seconds":86400,)"
                       R"("time_from":"purchase"})")
                    .status == 201);
        REQUIRE(f.call("POST", "/v1/billing/plans",
                       R"({"plan_id":"wifi-day","name":"Wi-Fi day","line":"hotspot",
                           "service_plan":"day","interval":"day",
                           "prices":[{"currency":"EUR","amount_micros":2000000}]})")
                    .status == 201);
        for (const auto& [token, name] : {std::pair{t1, "r1-guest"}, std::pair{t2, "r2-guest"}})
            REQUIRE(as(f, token, "POST", "/v1/hotspot/accounts",
                       R"({"username":")" + std::string(name) +
                           R"(","password":"guest-pw","plan_id":"day"})")
                        .status == 201);
        auto bought = buy(t1, "wifi-1", "wifi-day", "r1-guest");
        REQUIRE_MESSAGE(bought.status == 201, bought.body);
        CHECK(str(parse_json(p, bought.body), "customer_id") == "hotspot-r1-guest");
        CHECK(num(parse_json(p, as(f, t1, "GET", "/v1/billing/credits").body), "balance_micros") ==
              8'000'000);
        f.settle();
        const auto before = f.log_size();
        check_problem(f, buy(t1, "wifi-2", "wifi-day", "r2-guest"), 404, "service_id", before);
        check_problem(f, buy(t1, "wifi-3", "wifi-day", "nobody"), 404, "service_id", before);
    }
    SUBCASE("a voice customer") {
        for (auto& m : f.modules)
            if (auto* voice = dynamic_cast<app::VoiceModule*>(m.get())) {
                core::DecisionContext ctx;
                ctx.now = f.clock.now();
                REQUIRE(voice->seed(ctx));
            }
        f.settle();
        REQUIRE(f.call("POST", "/v1/voice/groups",
                       R"({"group_id":"gold","category_id":"sip_trunk","name":"Gold"})")
                    .status == 201);
        REQUIRE(f.call("POST", "/v1/billing/plans",
                       R"({"plan_id":"trunk","name":"SIP trunk","line":"voice",
                           "prices":[{"currency":"EUR","amount_micros":3000000}]})")
                    .status == 201);
        std::string customers[2];
        for (int i = 0; i < 2; ++i) {
            auto c = as(f, i == 0 ? t1 : t2, "POST", "/v1/voice/customers",
                        R"({"name":"C)" + std::to_string(i) +
                            R"(","country":"DE","currency":"EUR","category_id":"sip_trunk",)"
                            R"("group_id":"gold"})");
            REQUIRE_MESSAGE(c.status == 201, c.body);
            customers[i] = std::to_string(num(parse_json(p, c.body), "customer_id"));
        }
        auto bought = buy(t1, "trunk-1", "trunk", customers[0]);
        REQUIRE_MESSAGE(bought.status == 201, bought.body);
        CHECK(str(parse_json(p, bought.body), "customer_id") == "voice-" + customers[0]);
        CHECK(num(parse_json(p, as(f, t1, "GET", "/v1/billing/credits").body), "balance_micros") ==
              7'000'000);
        f.settle();
        const auto before = f.log_size();
        check_problem(f, buy(t1, "trunk-2", "trunk", customers[1]), 404, "service_id", before);
        check_problem(f, buy(t1, "trunk-3", "trunk", "abc"), 400, "service_id", before);
    }
}
