// Resellers buy packages for their own IPTV lines with their credits, as `serve` starts the
// billing and IPTV modules: the subscription is charged to `reseller_credit:<reseller>`, a line
// of another reseller is not found, credits that do not cover the package refuse it with
// nothing appended, a reseller reads its own credits only and passes credits down to its own
// sub-resellers only.
#include <doctest/doctest.h>

#include "tests/api/api_fixture.hpp"
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
