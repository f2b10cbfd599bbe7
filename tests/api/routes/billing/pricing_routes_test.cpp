// Tax rates, promo codes and quotes over HTTP, as `serve` starts the billing module with a
// seller in Germany: a French consumer pays French VAT, a French business with a VAT id gets
// the reverse charge, a promo code discounts its plan's line before tax and stops at its
// redemption rules; bad input is 4xx naming the field with nothing appended, and a quote
// appends nothing.
#include <doctest/doctest.h>

#include <fstream>

#include "app/modules/billing_module.hpp"
#include "events/envelope_codec.hpp"
#include "tests/api/api_fixture.hpp"

using namespace switchyard;
using namespace switchyard::testing;

namespace {

ApiFixture german_seller() {
    return ApiFixture([](app::Modules& modules) {
        for (auto& m : modules)
            if (auto* b = dynamic_cast<app::BillingModule*>(m.get())) b->seller_country = "DE";
    });
}

const char* kQuote = R"({"currency":"EUR","customer_id":"c1","promo_code":"welcome10",
  "buyer":{"country":"FR"},
  "lines":[{"description":"VPN pro, December","line":"vpn","plan_id":"vpn-pro","unit_amount_micros":100000000},
           {"description":"Static IP","line":"vpn","unit_amount_micros":5000000}]})";

}  // namespace

TEST_CASE("pricing API: VAT by destination, the reverse charge, a promo code before tax") {
    auto f = german_seller();
    simdjson::dom::parser p;
    REQUIRE(
        f.call("PUT", "/v1/billing/tax-rates/DE", R"({"name":"VAT","rate_ppm":190000})").status ==
        200);
    REQUIRE(
        f.call("PUT", "/v1/billing/tax-rates/FR", R"({"name":"TVA","rate_ppm":200000})").status ==
        200);
    auto rates = f.call("GET", "/v1/billing/tax-rates");
    CHECK(parse_json(p, rates.body)["items"].get_array().size() == 2);
    auto defined = f.call("POST", "/v1/billing/promo-codes",
                          R"({"code":"welcome10","percent_ppm":100000,"duration":"repeating",
                              "periods":3,"max_redemptions":100,"plan_ids":["vpn-pro"],
                              "redeem_by":"2027-01-31T23:59:59Z"})");
    REQUIRE_MESSAGE(defined.status == 201, defined.body);
    CHECK(parse_json(p, defined.body)["code"].get_string().value() == "WELCOME10");
    f.settle();
    const auto before = f.log_size();

    // A French consumer: 10 % off the VPN line, 20 % TVA on both lines.
    auto q = f.call("POST", "/v1/billing/quotes", kQuote);
    REQUIRE_MESSAGE(q.status == 200, q.body);
    auto doc = parse_json(p, q.body);
    CHECK(doc["discount_micros"].get_int64().value() == 10'000'000);
    CHECK(doc["tax_micros"].get_int64().value() == 19'000'000);
    CHECK(doc["total_micros"].get_int64().value() == 114'000'000);
    CHECK(doc["tax"]["name"].get_string().value() == "TVA");
    CHECK(doc["lines"].at(1)["discount_micros"].get_int64().value() == 0);

    // A French business with a VAT id: reverse charge, no tax, the mention on the invoice.
    std::string business = kQuote;
    business.replace(business.find(R"({"country":"FR"})"), 16,
                     R"({"country":"FR","vat_id":"FR 40 303265045"})");
    auto rc = f.call("POST", "/v1/billing/quotes", business);
    REQUIRE_MESSAGE(rc.status == 200, rc.body);
    doc = parse_json(p, rc.body);
    CHECK(doc["tax"]["reverse_charge"].get_bool().value());
    CHECK(doc["tax"]["vat_id"].get_string().value() == "FR40303265045");
    CHECK(doc["tax_micros"].get_int64().value() == 0);
    CHECK(doc["total_micros"].get_int64().value() == 95'000'000);
    CHECK(std::string(doc["tax"]["note"].get_string().value()).starts_with("Reverse charge"));
    f.settle();
    CHECK(f.log_size() == before);  // quotes record nothing

    // A retired code is refused.
    REQUIRE(f.call("POST", "/v1/billing/promo-codes/WELCOME10/retirement").status == 200);
    auto retired = f.call("POST", "/v1/billing/quotes", kQuote);
    CHECK(retired.status == 422);
    CHECK(retired.body.find("promo_code") != std::string::npos);
    auto got = f.call("GET", "/v1/billing/promo-codes/welcome10");
    REQUIRE(got.status == 200);
    CHECK(parse_json(p, got.body)["retired"].get_bool().value());

    auto all = f.store->read_all({}, 100'000);
    REQUIRE(all);
    std::string ndjson;
    for (const auto& e : *all) ndjson += events::encode_envelope(e) + "\n";
    CHECK(ndjson.find("billing.promo.defined") != std::string::npos);
#ifdef SY_EVENTS_OUT_PRICING
    std::ofstream(SY_EVENTS_OUT_PRICING) << ndjson;
#endif
}

TEST_CASE("pricing API: bad rates, codes and quotes are 4xx naming the field, nothing appended") {
    auto f = german_seller();
    REQUIRE(
        f.call("PUT", "/v1/billing/tax-rates/DE", R"({"name":"VAT","rate_ppm":190000})").status ==
        200);
    REQUIRE(
        f.call("POST", "/v1/billing/promo-codes",
               R"({"code":"PRO5","amount_micros":5000000,"currency":"EUR","plan_ids":["vpn-pro"]})")
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
    const char* lines =
        R"("lines":[{"description":"x","plan_id":"vpn-basic","unit_amount_micros":1000000}])";
    const std::string other_plan = std::string(R"({"currency":"EUR","customer_id":"c1",)") +
                                   R"("promo_code":"PRO5","buyer":{"country":"DE"},)" + lines + "}";
    const std::string no_rate =
        std::string(R"({"currency":"EUR","buyer":{"country":"JP"},)") + lines + "}";
    const std::string bad_vat =
        std::string(R"({"currency":"EUR","buyer":{"country":"NL","vat_id":"NL123"},)") + lines +
        "}";
    for (const auto& c : std::vector<Case>{
             {"PUT", "/v1/billing/tax-rates/de", R"({"name":"VAT","rate_ppm":1})", 400,
              "jurisdiction"},
             {"PUT", "/v1/billing/tax-rates/DE", R"({"name":"VAT"})", 400, "rate_ppm"},
             {"PUT", "/v1/billing/tax-rates/DE", R"({"name":"VAT","rate_ppm":2000000})", 400,
              "rate_ppm"},
             {"POST", "/v1/billing/promo-codes",
              R"({"code":"BOTH","percent_ppm":1,"amount_micros":1,"currency":"EUR"})", 400,
              "percent_ppm"},
             {"POST", "/v1/billing/promo-codes", R"({"code":"X","percent_ppm":1})", 400, "code"},
             {"POST", "/v1/billing/promo-codes",
              R"({"code":"LATE","percent_ppm":1,"redeem_by":"soon"})", 400, "redeem_by"},
             {"POST", "/v1/billing/promo-codes",
              R"({"code":"REP","percent_ppm":1,"duration":"repeating"})", 400, "periods"},
             {"POST", "/v1/billing/quotes", R"({"currency":"EUR","lines":[]})", 400, "buyer"},
             {"POST", "/v1/billing/quotes", other_plan.c_str(), 422, "promo_code"},
             {"POST", "/v1/billing/quotes", no_rate.c_str(), 404, "buyer.country"},
             {"POST", "/v1/billing/quotes", bad_vat.c_str(), 400, "buyer.vat_id"},
             {"POST", "/v1/billing/promo-codes/NOPE/retirement", "", 404, "code"},
         }) {
        auto r = f.call(c.method, c.target, c.body);
        CHECK_MESSAGE(r.status == c.status, c.target, " ", c.body, " -> ", r.body);
        CHECK_MESSAGE(r.body.find(c.field) != std::string::npos, r.body);
    }
    f.settle();
    CHECK(f.log_size() == before);
}
