// Gateways, routes and route groups over HTTP (CRUD), the routing explanation for a customer
// and for a route group (orders and prices computed by hand from the decks imported below),
// and bad input answered 4xx naming the field with the log unchanged.
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "tests/api/api_fixture.hpp"

using namespace switchyard;
using namespace switchyard::testing;
namespace json = boost::json;

namespace {

json::object body_of(const api::HttpResponse& r) { return json::parse(r.body).as_object(); }
std::string s(const json::value& v) { return std::string(v.as_string()); }

api::HttpResponse post(ApiFixture& f, const std::string& path, const std::string& body,
                       int status = 201) {
    auto r = f.call("POST", path, body);
    REQUIRE_MESSAGE(r.status == status, path, " ", r.body);
    return r;
}

/// Imports a CSV deck (`Code;Rate` rows) and answers its deck id.
std::string import_deck(ApiFixture& f, const std::string& name, const std::string& kind,
                        const std::string& carrier_id, const std::string& rows) {
    json::object body{{"name", name},
                      {"kind", kind},
                      {"currency", "EUR"},
                      {"format", "csv"},
                      {"effective_from", "2026-01-01T00:00:00Z"},
                      {"files", json::array{json::object{{"name", "rates.csv"},
                                                         {"content", "Code;Rate\n" + rows}}}},
                      {"mapping", json::object{{"prefix", "Code"}, {"rate", "Rate"}}}};
    if (!carrier_id.empty()) body["carrier_id"] = carrier_id;
    auto r = post(f, "/v1/voice/decks/imports", json::serialize(body));
    return s(body_of(r).at("deck_id"));
}

/// Carriers acme (EUR, tech prefix 0711#) and beta (EUR); buy decks acme 49 0.0080, 4930
/// 0.0050 and beta 49 0.0060; the sell card 49 0.0100; gateways acme-1 (TCP 5080, a header,
/// 30 s ring) and beta-1; route group `std` (defaults: least_cost, 3 attempts, skip) with
/// route `de` (49: acme, beta); customer 1 (EUR) with the card and `std` assigned.
void world(ApiFixture& f) {
    post(f, "/v1/voice/carriers",
         R"({"carrier_id":"acme","name":"Acme","trunk_hosts":["sip.acme.example"],)"
         R"("currency":"EUR","tech_prefix":"0711#"})");
    post(f, "/v1/voice/carriers",
         R"({"carrier_id":"beta","name":"Beta","trunk_hosts":["sip.beta.example"],)"
         R"("currency":"EUR"})");
    import_deck(f, "Acme buy", "buy", "acme", "49;0.0080\n4930;0.0050\n");
    import_deck(f, "Beta buy", "buy", "beta", "49;0.0060\n");
    const auto card = import_deck(f, "Retail", "sell", "", "49;0.0100\n");
    post(f, "/v1/voice/route-groups", R"({"route_group_id":"std","name":"Standard"})");
    post(f, "/v1/voice/gateways",
         R"({"gateway_id":"acme-1","carrier_id":"acme","host":"gw.acme.example","port":5080,)"
         R"("transport":"tcp","headers":[{"name":"X-Sy-Carrier","value":"acme"}],)"
         R"("ring_timeout_ms":30000})");
    post(f, "/v1/voice/gateways",
         R"({"gateway_id":"beta-1","carrier_id":"beta","host":"192.0.2.20"})");
    post(f, "/v1/voice/routes",
         R"({"route_id":"de","route_group_id":"std","prefix":"49",)"
         R"("carriers":[{"carrier_id":"acme"},{"carrier_id":"beta","priority":1}]})");
    post(f, "/v1/voice/groups", R"({"group_id":"gold","category_id":"sip_trunk","name":"Gold"})",
         201);
    post(f, "/v1/voice/customers",
         R"({"name":"Caller","country":"DE","currency":"EUR","category_id":"sip_trunk",)"
         R"("group_id":"gold"})");
    post(f, "/v1/voice/assignments",
         fmt::format(R"({{"kind":"rate_card","value":"{}","scope":"customer","target":"1"}})",
                     card));
    post(f, "/v1/voice/assignments",
         R"({"kind":"route_group","value":"std","scope":"customer","target":"1"})");
    f.settle();
}

/// Seeds the public categories (sip_trunk), as the first start of `serve` does.
void seed(ApiFixture& f) {
    for (auto& m : f.modules)
        if (auto* voice = dynamic_cast<app::VoiceModule*>(m.get())) {
            core::DecisionContext ctx;
            ctx.now = f.clock.now();
            ctx.correlation_id = "seed";
            REQUIRE(voice->seed(ctx));
        }
    f.settle();
}

std::vector<std::string> ids(const api::HttpResponse& r, const char* key) {
    REQUIRE_MESSAGE(r.status == 200, r.body);
    std::vector<std::string> out;
    const auto body = body_of(r);
    for (const auto& item : body.at("items").as_array()) out.push_back(s(item.as_object().at(key)));
    return out;
}

}  // namespace

TEST_CASE("routing CRUD: gateways, routes and route groups with their defaults") {
    ApiFixture f;
    seed(f);
    world(f);
    auto group = body_of(f.call("GET", "/v1/voice/route-groups/std"));
    CHECK(s(group.at("strategy")) == "least_cost");
    CHECK(group.at("max_attempts").as_int64() == 3);
    CHECK(s(group.at("margin_guard")) == "skip");
    CHECK(ids(f.call("GET", "/v1/voice/gateways"), "gateway_id") ==
          std::vector<std::string>{"acme-1", "beta-1"});
    auto beta = body_of(f.call("GET", "/v1/voice/gateways/beta-1"));
    CHECK(beta.at("port").as_int64() == 5060);
    CHECK(s(beta.at("transport")) == "udp");
    CHECK(beta.at("enabled").as_bool());
    auto route = body_of(f.call("GET", "/v1/voice/routes/de"));
    const auto& entries = route.at("carriers").as_array();
    REQUIRE(entries.size() == 2);
    CHECK(entries[0].as_object().at("weight").as_int64() == 1);
    CHECK(entries[1].as_object().at("priority").as_int64() == 1);

    auto patched = f.call("PATCH", "/v1/voice/gateways/beta-1", R"({"weight":9,"enabled":false})");
    REQUIRE_MESSAGE(patched.status == 200, patched.body);
    f.settle();
    auto after = body_of(f.call("GET", "/v1/voice/gateways/beta-1"));
    CHECK(after.at("weight").as_int64() == 9);
    CHECK_FALSE(after.at("enabled").as_bool());
    CHECK(after.at("port").as_int64() == 5060);
    CHECK(f.call("GET", "/v1/voice/gateways/nope").status == 404);
    CHECK(f.call("PATCH", "/v1/voice/routes/nope", "{}").status == 404);

    // A group with routes cannot go; its route can, then the group.
    CHECK(f.call("DELETE", "/v1/voice/route-groups/std").status == 422);
    CHECK(f.call("DELETE", "/v1/voice/routes/de").status == 200);
    CHECK(f.call("DELETE", "/v1/voice/route-groups/std").status == 200);
    f.settle();
    CHECK(f.call("GET", "/v1/voice/routes/de").status == 404);
    CHECK(ids(f.call("GET", "/v1/voice/route-groups"), "route_group_id").empty());
}

TEST_CASE("routing explain: the plan a customer's call would get, and a group's") {
    ApiFixture f;
    seed(f);
    world(f);
    auto r = f.call("POST", "/v1/voice/routing/explain",
                    R"({"customer_id":1,"destination":"4930123456","at":"2026-06-01T00:00:00Z"})");
    REQUIRE_MESSAGE(r.status == 200, r.body);
    auto plan = body_of(r);
    CHECK(s(plan.at("route_group_id")) == "std");
    CHECK(s(plan.at("strategy")) == "least_cost");
    const auto& routes = plan.at("routes").as_array();
    REQUIRE(routes.size() == 2);
    const auto& first = routes[0].as_object();
    CHECK(s(first.at("gateway_id")) == "acme-1");
    CHECK(s(first.at("uri")) == "sip:0711#4930123456@gw.acme.example:5080;transport=tcp");
    CHECK(s(first.at("extra_headers")) == "X-Sy-Carrier: acme\r\n");
    CHECK(first.at("fr_inv_timer_ms").as_int64() == 30'000);
    CHECK(s(first.at("buy_per_minute")) == "0.0050");
    CHECK(s(first.at("sell_per_minute")) == "0.0100");
    CHECK(s(first.at("why"))
              .starts_with(
                  "least_cost #1: buy 0.0050 EUR/min at prefix 4930, sell 0.0100, margin 0.0050"));
    CHECK(s(routes[1].as_object().at("uri")) == "sip:4930123456@192.0.2.20:5060");

    // Beta dearer than the card after a new version: the margin guard leaves it out.
    import_deck(f, "Beta buy", "buy", "beta", "49;0.0150\n");
    auto guarded = body_of(
        f.call("POST", "/v1/voice/routing/explain",
               R"({"customer_id":1,"destination":"4930123456","at":"2026-06-01T00:00:00Z"})"));
    REQUIRE(guarded.at("routes").as_array().size() == 1);
    const auto& skipped = guarded.at("skipped").as_array();
    REQUIRE(skipped.size() == 1);
    CHECK(s(skipped[0].as_object().at("carrier_id")) == "beta");
    CHECK(s(skipped[0].as_object().at("reason")) == "margin_guard");

    // A route group without a customer: no sell price, so no margin guard.
    auto by_group = body_of(f.call(
        "POST", "/v1/voice/routing/explain",
        R"({"route_group_id":"std","destination":"4930123456","at":"2026-06-01T00:00:00Z"})"));
    CHECK(by_group.at("routes").as_array().size() == 2);
    CHECK(f.call("POST", "/v1/voice/routing/explain", R"({"customer_id":7,"destination":"49"})")
              .status == 404);
}

TEST_CASE("routing: bad input is 4xx naming the field, the log unchanged") {
    ApiFixture f;
    seed(f);
    world(f);
    const auto before = f.log_size();
    auto route = [](const std::string& extra) {
        return R"({"route_id":"x","route_group_id":"std","prefix":"44",)" + extra + "}";
    };
    check_problem(f,
                  f.call("POST", "/v1/voice/routes",
                         R"({"route_id":"x","route_group_id":"std","prefix":"4a",)"
                         R"("carriers":[{"carrier_id":"acme"}]})"),
                  400, "prefix", before);
    check_problem(
        f, f.call("POST", "/v1/voice/routes", route(R"("carriers":[{"carrier_id":"ghost"}])")), 404,
        "carriers[0].carrier_id", before);
    check_problem(f, f.call("POST", "/v1/voice/routes", route(R"("carriers":[])")), 400, "carriers",
                  before);
    check_problem(f,
                  f.call("POST", "/v1/voice/gateways",
                         R"({"gateway_id":"g","carrier_id":"acme","host":"h.example",)"
                         R"("headers":[{"name":"X-A","value":"a\r\nVia: evil"}]})"),
                  400, "headers[0].value", before);
    check_problem(f,
                  f.call("POST", "/v1/voice/gateways",
                         R"({"gateway_id":"g","carrier_id":"acme","host":"h.example","port":0})"),
                  400, "port", before);
    check_problem(f,
                  f.call("POST", "/v1/voice/gateways",
                         R"({"gateway_id":"g","carrier_id":"nobody","host":"h.example"})"),
                  404, "carrier_id", before);
    check_problem(f, f.call("POST", "/v1/voice/gateways", R"({"gateway_id":"g","colour":"red"})"),
                  400, "colour", before);
    check_problem(f,
                  f.call("POST", "/v1/voice/route-groups",
                         R"({"route_group_id":"g2","name":"G","strategy":"cheapest"})"),
                  400, "strategy", before);
    // A load_share group's route must share 100 percent.
    post(f, "/v1/voice/route-groups",
         R"({"route_group_id":"ls","name":"Split","strategy":"load_share"})");
    const auto with_group = f.log_size();
    check_problem(f,
                  f.call("POST", "/v1/voice/routes",
                         R"({"route_id":"ls-de","route_group_id":"ls","prefix":"49","carriers":)"
                         R"([{"carrier_id":"acme","share_percent":70},)"
                         R"({"carrier_id":"beta","share_percent":20}]})"),
                  422, "carriers", with_group);
    check_problem(f, f.call("POST", "/v1/voice/routing/explain", R"({"customer_id":1})"), 400,
                  "destination", with_group);
    check_problem(
        f,
        f.call("POST", "/v1/voice/routing/explain", R"({"customer_id":1,"destination":"+49 30"})"),
        400, "destination", with_group);
    check_problem(f,
                  f.call("POST", "/v1/voice/routing/explain",
                         R"({"customer_id":1,"route_group_id":"std","destination":"49"})"),
                  400, "customer_id", with_group);
    check_problem(f,
                  f.call("POST", "/v1/voice/routing/explain",
                         R"({"route_group_id":"ghost","destination":"49"})"),
                  404, "route_group_id", with_group);
}
