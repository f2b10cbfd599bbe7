// Gateways, routes and route groups (given events / when command / then events or an error),
// each command with its idempotency check.
#include <doctest/doctest.h>

#include "core/voice/reference_decider.hpp"
#include "core/voice/routing.hpp"
#include "tests/support/decider_checks.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::voice;
using switchyard::testing::check_idempotent;
using switchyard::testing::error_of;
using switchyard::testing::given;

namespace {

core::DecisionContext ctx() {
    core::DecisionContext c;
    c.now = core::from_unix_seconds(1'790'000'000);
    return c;
}

Carrier carrier(const std::string& id) {
    Carrier c;
    c.carrier_id = id;
    c.name = id;
    c.trunk_hosts = {id + ".example"};
    c.currency = "EUR";
    return c;
}

ReferenceState reference() {
    return given<ReferenceState>(std::vector<ReferenceEvent>{
        ItemDefined<Carrier>{carrier("acme")}, ItemDefined<Carrier>{carrier("beta")},
        ItemDefined<Carrier>{carrier("old")}, ItemRetired<Carrier>{"old"}});
}

Gateway gw() {
    Gateway g;
    g.gateway_id = "acme-fra";
    g.carrier_id = "acme";
    g.host = "sip.acme.example";
    g.headers = {{"X-Sy-Carrier", "acme"}};
    return g;
}

RouteGroup group(RoutingStrategy s = RoutingStrategy::LeastCost) {
    RouteGroup g;
    g.route_group_id = "std";
    g.name = "Standard";
    g.strategy = s;
    return g;
}

Route route(std::string prefix = "49") {
    Route r;
    r.route_id = "de";
    r.route_group_id = "std";
    r.prefix = std::move(prefix);
    r.carriers = {{"acme", 1, 10, 70}, {"beta", 2, 5, 30}};
    return r;
}

template <class Item>
auto define(const RoutingState& s, Item item, RoutingDefineMode mode = RoutingDefineMode::Create) {
    return decide(s, reference(), DefineRoutingItem<Item>{std::move(item), mode}, ctx());
}

RoutingState with_group(RoutingStrategy s = RoutingStrategy::LeastCost) {
    return given<RoutingState>(std::vector<RoutingEvent>{ItemDefined<RouteGroup>{group(s)}});
}

}  // namespace

TEST_CASE("a gateway is defined once: the same definition again decides nothing") {
    auto twice =
        check_idempotent(RoutingState{}, [](const RoutingState& s) { return define(s, gw()); });
    REQUIRE(twice.state.gateways.count("acme-fra") == 1);
    CHECK(twice.state.gateways.at("acme-fra").port == 5060);
}

TEST_CASE("a gateway names a live carrier") {
    auto g = gw();
    g.carrier_id = "nobody";
    auto e = error_of(define(RoutingState{}, g));
    CHECK(e.code == core::Errc::NotFound);
    CHECK(e.field == "carrier_id");
    g.carrier_id = "old";
    e = error_of(define(RoutingState{}, g));
    CHECK(e.code == core::Errc::Rejected);
    CHECK(e.field == "carrier_id");
}

TEST_CASE("gateway fields are validated, naming the field") {
    auto bad = [](auto change) {
        auto g = gw();
        change(g);
        return error_of(define(RoutingState{}, g)).field;
    };
    CHECK(bad([](Gateway& g) { g.host = "sip.acme.example:5060"; }) == "host");
    CHECK(bad([](Gateway& g) { g.port = 0; }) == "port");
    CHECK(bad([](Gateway& g) { g.port = 65536; }) == "port");
    CHECK(bad([](Gateway& g) { g.dst_uri = "http://x"; }) == "dst_uri");
    CHECK(bad([](Gateway& g) { g.dst_uri = "sip:a b"; }) == "dst_uri");
    CHECK(bad([](Gateway& g) { g.headers = {{"X Bad", "v"}}; }) == "headers[0].name");
    CHECK(bad([](Gateway& g) {
              g.headers = {{"X-Ok", "v"}, {"X-Inject", "a\r\nVia: x"}};
          }) == "headers[1].value");
    CHECK(bad([](Gateway& g) { g.max_channels = -1; }) == "max_channels");
    CHECK(bad([](Gateway& g) { g.ring_timeout_ms = 500; }) == "ring_timeout_ms");
    CHECK(bad([](Gateway& g) { g.weight = 70000; }) == "weight");
    CHECK(bad([](Gateway& g) { g.gateway_id = "Bad Id"; }) == "gateway_id");
}

TEST_CASE("creating an existing gateway with other fields conflicts and an update replaces it") {
    auto s = given<RoutingState>(std::vector<RoutingEvent>{ItemDefined<Gateway>{gw()}});
    auto g = gw();
    g.port = 5080;
    auto e = error_of(define(s, g));
    CHECK(e.code == core::Errc::Conflict);
    CHECK(e.field == "gateway_id");
    auto twice = check_idempotent(
        s, [&](const RoutingState& st) { return define(st, g, RoutingDefineMode::Update); });
    CHECK(twice.state.gateways.at("acme-fra").port == 5080);
    g.gateway_id = "nope";
    CHECK(error_of(define(s, g, RoutingDefineMode::Update)).code == core::Errc::NotFound);
}

TEST_CASE("a route needs its group, live carriers and a digit prefix") {
    auto e = error_of(define(RoutingState{}, route()));
    CHECK(e.code == core::Errc::NotFound);
    CHECK(e.field == "route_group_id");
    auto s = with_group();
    auto r = route();
    r.carriers[1].carrier_id = "ghost";
    e = error_of(define(s, r));
    CHECK(e.code == core::Errc::NotFound);
    CHECK(e.field == "carriers[1].carrier_id");
    CHECK(error_of(define(s, route("49a"))).field == "prefix");
    CHECK(error_of(define(s, route("12345678901234567"))).field == "prefix");
    r = route();
    r.carriers[1].carrier_id = "acme";
    CHECK(error_of(define(s, r)).field == "carriers[1].carrier_id");
    r = route();
    r.carriers.clear();
    CHECK(error_of(define(s, r)).field == "carriers");
    r = route();
    r.carriers[0].share_percent = 101;
    CHECK(error_of(define(s, r)).field == "carriers[0].share_percent");
    auto twice = check_idempotent(s, [](const RoutingState& st) { return define(st, route()); });
    CHECK(twice.state.routes.at("de").prefix == "49");
}

TEST_CASE("two routes of a group cannot share a prefix") {
    auto s = with_group();
    s.routes["de"] = route();
    auto r = route();
    r.route_id = "de2";
    auto e = error_of(define(s, r));
    CHECK(e.code == core::Errc::Conflict);
    CHECK(e.field == "prefix");
}

TEST_CASE("a load_share group's routes must share 100 percent") {
    auto s = with_group(RoutingStrategy::LoadShare);
    auto r = route();
    r.carriers[1].share_percent = 20;
    auto e = error_of(define(s, r));
    CHECK(e.code == core::Errc::Rejected);
    CHECK(e.field == "carriers");
    CHECK(define(s, route()).has_value());
    // Switching a group to load_share checks its routes.
    auto ls = with_group();
    ls.routes["de"] = r;
    e = error_of(define(ls, group(RoutingStrategy::LoadShare), RoutingDefineMode::Update));
    CHECK(e.field == "strategy");
}

TEST_CASE("a blocked route has no carriers and may belong to every group") {
    Route b;
    b.route_id = "no-premium";
    b.prefix = "4990";
    b.blocked = true;
    auto twice =
        check_idempotent(RoutingState{}, [&](const RoutingState& s) { return define(s, b); });
    CHECK(twice.state.routes.at("no-premium").blocked);
    b.carriers = {{"acme", 0, 1, 0}};
    CHECK(error_of(define(RoutingState{}, b)).field == "carriers");
    Route unblocked;
    unblocked.route_id = "x";
    unblocked.prefix = "1";
    unblocked.carriers = {{"acme", 0, 1, 0}};
    CHECK(error_of(define(RoutingState{}, unblocked)).field == "route_group_id");
}

TEST_CASE("route group fields are validated") {
    auto g = group();
    g.max_attempts = 0;
    CHECK(error_of(define(RoutingState{}, g)).field == "max_attempts");
    g = group();
    g.name = "";
    CHECK(error_of(define(RoutingState{}, g)).field == "name");
    g = group();
    g.min_margin_micros = -1;
    CHECK(error_of(define(RoutingState{}, g)).field == "min_margin_micros");
}

TEST_CASE("deleting: unknown is NotFound, a group with routes is refused, then it goes") {
    auto s = with_group();
    s.routes["de"] = route();
    auto e = error_of(decide(s, DeleteRoutingItem<RouteGroup>{"std"}, ctx()));
    CHECK(e.code == core::Errc::Rejected);
    CHECK(e.field == "route_group_id");
    CHECK(error_of(decide(s, DeleteRoutingItem<Gateway>{"none"}, ctx())).code ==
          core::Errc::NotFound);
    auto events = decide(s, DeleteRoutingItem<Route>{"de"}, ctx());
    REQUIRE(events);
    for (const auto& ev : *events) evolve(s, ev);
    CHECK(s.routes.empty());
    events = decide(s, DeleteRoutingItem<RouteGroup>{"std"}, ctx());
    REQUIRE(events);
    for (const auto& ev : *events) evolve(s, ev);
    CHECK(s.route_groups.empty());
}
