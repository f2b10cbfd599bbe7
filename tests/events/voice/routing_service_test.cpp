// The routing service on a RocksDB log: carriers from the reference data, buy decks and a sell
// card imported through DeckService, gateways, routes and route groups through its commands,
// and the plans it answers (orders and figures computed by hand from the decks below).
#include <doctest/doctest.h>

#include <map>

#include "events/rocksdb/rocksdb_event_store.hpp"
#include "events/voice/deck_service.hpp"
#include "events/voice/routing_service.hpp"
#include "events/voice/tariff_registry.hpp"
#include "events/voice/voice_service.hpp"
#include "tests/support/result_checks.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard;
using namespace switchyard::core;
using namespace switchyard::core::voice;
using namespace switchyard::events;
using namespace switchyard::events::voice;
using switchyard::testing::error_of;
using switchyard::testing::TempDir;

namespace {

Timestamp at(std::int64_t s) { return from_unix_seconds(s); }
const Timestamp kDeckFrom = at(1'767'225'600);  // 2026-01-01T00:00:00Z
const Timestamp kCallTime = at(1'767'268'800);  // 2026-01-01T12:00:00Z

DecisionContext ctx() {
    DecisionContext c;
    c.now = at(1'767'300'000);
    c.actor = Actor{ActorKind::System, "test", ""};
    c.correlation_id = "req-1";
    return c;
}

/// One rating plan `PLAN`, per-minute increments; rows (prefix, connect fee, rate per minute).
Tariff tariff(std::vector<std::tuple<std::string, Micros, Micros>> rows,
              std::string currency = "EUR") {
    Tariff t;
    t.currency = std::move(currency);
    for (const auto& [prefix, connect, rate] : rows) {
        t.destinations.push_back({"D" + prefix, "", {prefix}});
        t.rate_groups.push_back({"R" + prefix, connect, {{0, rate, 60, 60}}});
        t.destination_rates.push_back({"DR", "D" + prefix, "R" + prefix});
    }
    t.rating_plans = {{"PLAN", "DR", "*any", 10}};
    return t;
}

Carrier carrier(const std::string& id, const std::string& currency = "EUR",
                const std::string& tech = "") {
    Carrier c;
    c.carrier_id = id;
    c.name = id;
    c.trunk_hosts = {id + ".example"};
    c.currency = currency;
    c.tech_prefix = tech;
    return c;
}

Gateway gateway(const std::string& id, const std::string& carrier_id, std::int64_t weight = 1) {
    Gateway g;
    g.gateway_id = id;
    g.carrier_id = carrier_id;
    g.host = id + ".example";
    g.weight = weight;
    return g;
}

/// A RocksDB log with:
///   carriers acme (EUR, tech prefix 0711#), beta, gamma (EUR), usdco (USD);
///   buy decks: acme 49 0.0080/min, 4930 0.0050/min + 0.0100 connect; beta 49 0.0060;
///              gamma 49 0.0120; usdco 49 0.0010 USD; sell card `card`: 49 0.0100/min;
///   gateways acme-1 (weight 10), acme-2 (weight 20, TCP, 30 s ring), beta-1, gamma-1, usd-1;
///   route group `std` (least_cost) with routes `de` (49: acme, beta, gamma, usdco) and
///   `de-mobile` (491: beta); a blocked prefix 4990 of every group;
///   customer 1 (EUR) with rate card `card` and route group `std`.
struct World {
    TempDir dir;
    std::unique_ptr<EventStore> store;
    TariffRegistry registry;
    std::unique_ptr<VoiceService> voice;
    std::unique_ptr<DeckService> decks;
    std::unique_ptr<RoutingService> routing;
    std::map<std::string, QualityFigures> quality;
    std::map<std::string, std::int64_t> channels;

    World() {
        auto s = open_rocksdb_event_store(dir.path() / "log");
        REQUIRE(s);
        store = std::move(*s);
        voice = std::make_unique<VoiceService>(*store, "op");
        decks = std::make_unique<DeckService>(*store, "op", &registry);
        RoutingOptions o;
        o.seed = 42;
        o.quality = [this](const std::string& id) -> std::optional<QualityFigures> {
            auto it = quality.find(id);
            if (it == quality.end()) return std::nullopt;
            return it->second;
        };
        o.carrier_channels = [this](const std::string& id) {
            auto it = channels.find(id);
            return it == channels.end() ? std::int64_t{0} : it->second;
        };
        routing = std::make_unique<RoutingService>(*store, "op", registry, *voice, std::move(o));

        for (auto c : {carrier("acme", "EUR", "0711#"), carrier("beta"), carrier("gamma"),
                       carrier("usdco", "USD")})
            REQUIRE(voice->execute(DefineItem<Carrier>{c, DefineMode::Create}, ctx()));
        deck("acme-buy", DeckKind::Buy, "acme",
             tariff({{"49", 0, 8'000}, {"4930", 10'000, 5'000}}));
        deck("beta-buy", DeckKind::Buy, "beta", tariff({{"49", 0, 6'000}}));
        deck("gamma-buy", DeckKind::Buy, "gamma", tariff({{"49", 0, 12'000}}));
        deck("usd-buy", DeckKind::Buy, "usdco", tariff({{"49", 0, 1'000}}, "USD"), "USD");
        deck("card", DeckKind::Sell, "", tariff({{"49", 0, 10'000}}));

        auto a2 = gateway("acme-2", "acme", 20);
        a2.transport = SipTransport::Tcp;
        a2.ring_timeout_ms = 30'000;
        a2.headers = {{"X-Sy-Carrier", "acme"}};
        for (const auto& g : {gateway("acme-1", "acme", 10), a2, gateway("beta-1", "beta"),
                              gateway("gamma-1", "gamma"), gateway("usd-1", "usdco")})
            REQUIRE(routing->execute(DefineRoutingItem<Gateway>{g}, ctx()));
        REQUIRE(routing->execute(
            DefineRoutingItem<RouteGroup>{RouteGroup{"std", "Standard", RoutingStrategy::LeastCost,
                                                     3, MarginGuardMode::Skip, 0}},
            ctx()));
        REQUIRE(routing->execute(
            DefineRoutingItem<Route>{Route{
                "de",
                "std",
                "49",
                {{"acme", 0, 1, 0}, {"beta", 0, 1, 0}, {"gamma", 0, 1, 0}, {"usdco", 0, 1, 0}},
                false}},
            ctx()));
        REQUIRE(routing->execute(
            DefineRoutingItem<Route>{Route{"de-mobile", "std", "491", {{"beta", 0, 1, 0}}, false}},
            ctx()));
        REQUIRE(routing->execute(
            DefineRoutingItem<Route>{Route{"no-premium", "", "4990", {}, true}}, ctx()));

        REQUIRE(voice->execute(SeedCategories{{Category{"sip_trunk", "SIP Trunk", "", true, 1}}},
                               ctx()));
        REQUIRE(voice->execute(DefineGroup{Group{"gold", "sip_trunk", "Gold", ""}}, ctx()));
        Customer c;
        c.name = "Acme Calls";
        c.country = "DE";
        c.currency = "EUR";
        c.category_id = "sip_trunk";
        c.group_id = "gold";
        auto created = voice->execute(CreateCustomer{c, "cust-1"}, ctx());
        REQUIRE(created);
        REQUIRE(created->id == 1);
        for (auto [kind, value] :
             {std::pair{ItemKind::RateCard, "card"}, std::pair{ItemKind::RouteGroup, "std"}}) {
            Assignment a;
            a.kind = kind;
            a.value = value;
            a.scope = AssignmentScope::Customer;
            a.target = "1";
            REQUIRE(voice->execute(CreateAssignment{a, std::string("as-") + value}, ctx()));
        }
    }

    void deck(const std::string& id, DeckKind kind, const std::string& carrier_id, Tariff t,
              const std::string& currency = "EUR") {
        REQUIRE(decks->create(
            CreateDeck{{id, id, kind, carrier_id, currency, DeckFormat::Csv, "", std::nullopt}},
            ctx()));
        ImportDeckVersion c;
        c.deck_id = id;
        c.tariff = std::move(t);
        c.effective_from = kDeckFrom;
        REQUIRE(decks->import_version(c, ctx()));
    }

    TrunkMatch trunk(const std::string& destination) const {
        TrunkMatch t;
        t.customer_id = 1;
        t.destination = destination;
        t.route_group_id = "std";
        t.sell_deck_id = "card";
        t.currency = "EUR";
        return t;
    }
};

std::vector<std::string> gateways_of(const RoutePlan& p) {
    std::vector<std::string> out;
    for (const auto& r : p.routes) out.push_back(r.gateway_id);
    return out;
}

std::map<std::string, std::string> reasons_of(const RoutePlan& p) {
    std::map<std::string, std::string> out;
    for (const auto& s : p.skipped) out[s.carrier_id] = s.reason;
    return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("least cost on real decks: cheapest first, the margin guard and the currency check") {
    World w;
    auto p = w.routing->plan(w.trunk("4930123456"), kCallTime);
    REQUIRE(p);
    // acme at 4930: 60 s cost 0.0150 less the 0.0100 connect fee = 0.0050/min; beta 0.0060;
    // gamma 0.0120 > sell 0.0100; usdco bills in USD.
    CHECK(gateways_of(*p) == V{"acme-2", "acme-1", "beta-1"});
    CHECK(p->strategy == "least_cost");
    CHECK(p->route_group_id == "std");
    const auto& first = p->routes[0];
    CHECK(first.uri == "sip:0711#4930123456@acme-2.example:5060;transport=tcp");
    CHECK(first.extra_headers == "X-Sy-Carrier: acme\r\n");
    CHECK(first.fr_inv_timer_ms == 30'000);
    CHECK(first.buy_per_minute == 5'000);
    CHECK(first.sell_per_minute == 10'000);
    CHECK(first.matched_prefix == "4930");
    CHECK(first.why.starts_with(
        "least_cost #1: buy 0.0050 EUR/min at prefix 4930, sell 0.0100, margin 0.0050"));
    CHECK(p->routes[2].uri == "sip:4930123456@beta-1.example:5060");
    const auto reasons = reasons_of(*p);
    CHECK(reasons.at("gamma") == "margin_guard");
    CHECK(reasons.at("usdco") == "currency_mismatch");
}

TEST_CASE("the longest route prefix wins, blocked prefixes are never routed") {
    World w;
    auto mobile = w.routing->plan(w.trunk("4915112345"), kCallTime);
    REQUIRE(mobile);
    CHECK(gateways_of(*mobile) == V{"beta-1"});
    auto blocked = w.routing->plan(w.trunk("4990123"), kCallTime);
    REQUIRE(blocked);
    CHECK(blocked->routes.empty());
    REQUIRE(blocked->skipped.size() == 1);
    CHECK(blocked->skipped[0].reason == "blocked");
    auto nowhere = w.routing->plan(w.trunk("33123456"), kCallTime);
    REQUIRE(nowhere);
    CHECK(nowhere->routes.empty());
    CHECK(nowhere->skipped.at(0).reason == "no_route");
    auto t = w.trunk("4930123456");
    t.route_group_id = "ghost";
    auto ghost = w.routing->plan(t, kCallTime);
    REQUIRE(ghost);
    CHECK(ghost->routes.empty());
    CHECK(ghost->skipped.at(0).reason == "no_route");
}

TEST_CASE("explain for a customer follows its assignments and leaves the state alone") {
    World w;
    auto p = w.routing->explain_customer(1, "4930123456", kCallTime);
    REQUIRE(p);
    CHECK(gateways_of(*p) == V{"acme-2", "acme-1", "beta-1"});
    CHECK(error_of(w.routing->explain_customer(99, "49", kCallTime)).field == "customer_id");
    // Without a customer: no sell price, so gamma is not margin-guarded; the plan compares in
    // the first priced carrier's currency (EUR) and max_attempts (3) cuts gamma.
    auto g = w.routing->explain_group("std", "4930123456", kCallTime);
    REQUIRE(g);
    CHECK(gateways_of(*g) == V{"acme-2", "acme-1", "beta-1"});
    const auto reasons = reasons_of(*g);
    CHECK(reasons.at("gamma") == "max_attempts");
    CHECK(reasons.at("usdco") == "currency_mismatch");
    CHECK(error_of(w.routing->explain_group("ghost", "49", kCallTime)).field == "route_group_id");
}

TEST_CASE("a disabled gateway and a carrier at its channel limit drop out of the plan") {
    World w;
    auto a1 = gateway("acme-1", "acme", 10);
    a1.enabled = false;
    REQUIRE(w.routing->execute(DefineRoutingItem<Gateway>{a1, RoutingDefineMode::Update}, ctx()));
    auto b1 = gateway("beta-1", "beta");
    b1.max_channels = 5;
    REQUIRE(w.routing->execute(DefineRoutingItem<Gateway>{b1, RoutingDefineMode::Update}, ctx()));
    w.channels["beta"] = 5;
    auto p = w.routing->plan(w.trunk("4930123456"), kCallTime);
    REQUIRE(p);
    CHECK(gateways_of(*p) == V{"acme-2"});
    std::map<std::string, std::string> by_gateway;
    for (const auto& s : p->skipped) by_gateway[s.gateway_id] = s.reason;
    CHECK(by_gateway.at("acme-1") == "gateway_disabled");
    CHECK(by_gateway.at("beta-1") == "channel_limit");
}

TEST_CASE("load share through the service splits 1000 calls 70/30 exactly") {
    World w;
    REQUIRE(w.routing->execute(
        DefineRoutingItem<RouteGroup>{
            RouteGroup{"ls", "Split", RoutingStrategy::LoadShare, 2, MarginGuardMode::Skip, 0}},
        ctx()));
    REQUIRE(w.routing->execute(
        DefineRoutingItem<Route>{
            Route{"ls-all", "ls", "", {{"acme", 0, 1, 70}, {"beta", 0, 1, 30}}, false}},
        ctx()));
    auto t = w.trunk("4930123456");
    t.route_group_id = "ls";
    // An explanation does not move the split.
    REQUIRE(w.routing->explain_group("ls", "4930123456", kCallTime));
    std::map<std::string, int> first;
    for (int i = 0; i < 1000; ++i) {
        auto p = w.routing->plan(t, kCallTime);
        REQUIRE(p);
        REQUIRE(!p->routes.empty());
        ++first[p->routes[0].carrier_id];
    }
    CHECK(first["acme"] == 700);
    CHECK(first["beta"] == 300);
}

TEST_CASE("quality routing reads the quality source") {
    World w;
    REQUIRE(w.routing->execute(
        DefineRoutingItem<RouteGroup>{
            RouteGroup{"q", "Quality", RoutingStrategy::Quality, 5, MarginGuardMode::Skip, 0}},
        ctx()));
    REQUIRE(
        w.routing->execute(DefineRoutingItem<Route>{Route{
                               "q-de", "q", "49", {{"acme", 0, 1, 0}, {"beta", 0, 1, 0}}, false}},
                           ctx()));
    w.quality["beta"] = QualityFigures{62.5, 180, 900, 400};
    w.quality["acme"] = QualityFigures{40, 300, 500, 400};
    auto t = w.trunk("4930123456");
    t.route_group_id = "q";
    auto p = w.routing->plan(t, kCallTime);
    REQUIRE(p);
    CHECK(gateways_of(*p) == V{"beta-1", "acme-2", "acme-1"});
}

TEST_CASE("routing commands append once, hold the reference revision, and delete") {
    World w;
    const auto before = w.store->read_stream("voice_routing-op", 0, 1000);
    REQUIRE(before);
    // The same definition again appends nothing.
    auto again = w.routing->execute(DefineRoutingItem<Gateway>{gateway("beta-1", "beta")}, ctx());
    REQUIRE(again);
    CHECK_FALSE(again->changed);
    CHECK(w.store->read_stream("voice_routing-op", 0, 1000)->size() == before->size());
    // A gateway of a retired carrier is refused.
    REQUIRE(w.voice->execute(RetireItem<Carrier>{"gamma"}, ctx()));
    auto e = error_of(
        w.routing->execute(DefineRoutingItem<Gateway>{gateway("gamma-2", "gamma")}, ctx()));
    CHECK(e.code == Errc::Rejected);
    CHECK(e.field == "carrier_id");
    // A retired carrier still named by a route is skipped.
    auto p = w.routing->plan(w.trunk("4930123456"), kCallTime);
    REQUIRE(p);
    CHECK(reasons_of(*p).at("gamma") == "carrier_retired");
    REQUIRE(w.routing->execute(DeleteRoutingItem<Route>{"de-mobile"}, ctx()));
    auto state = w.routing->routing();
    REQUIRE(state);
    CHECK(state->routes.count("de-mobile") == 0);
    CHECK(state->routes.count("de") == 1);
    auto events = w.store->read_stream("voice_routing-op", 0, 1000);
    REQUIRE(events);
    CHECK(events->back().type == "voice.route.deleted");
}

TEST_CASE("a group's blocked prefix blocks only that group, and the empty prefix is the default") {
    World w;
    REQUIRE(w.routing->execute(
        DefineRoutingItem<RouteGroup>{
            RouteGroup{"other", "Other", RoutingStrategy::Priority, 3, MarginGuardMode::Skip, 0}},
        ctx()));
    REQUIRE(w.routing->execute(
        DefineRoutingItem<Route>{Route{"other-any", "other", "", {{"beta", 0, 1, 0}}, false}},
        ctx()));
    REQUIRE(w.routing->execute(
        DefineRoutingItem<Route>{Route{"std-no-berlin", "std", "4930", {}, true}}, ctx()));
    auto std_call = w.routing->plan(w.trunk("4930123456"), kCallTime);
    REQUIRE(std_call);
    CHECK(std_call->routes.empty());
    CHECK(std_call->skipped.at(0).reason == "blocked");
    CHECK(std_call->skipped.at(0).detail.find("std-no-berlin") != std::string::npos);
    auto t = w.trunk("4930123456");
    t.route_group_id = "other";
    auto other = w.routing->plan(t, kCallTime);
    REQUIRE(other);
    CHECK(gateways_of(*other) == V{"beta-1"});
    CHECK(other->routes[0].why.find("route other-any prefix ''") != std::string::npos);
    // The global block applies to the other group too.
    t.destination = "4990555";
    CHECK(w.routing->plan(t, kCallTime)->skipped.at(0).reason == "blocked");
    // No group: every group's routes (the longest prefix of all) and every block.
    t.route_group_id.clear();
    t.destination = "4915112345";
    auto all = w.routing->plan(t, kCallTime);
    REQUIRE(all);
    CHECK(all->strategy == "least_cost");
    CHECK(gateways_of(*all) == V{"beta-1"});
    t.destination = "4930123456";
    CHECK(w.routing->plan(t, kCallTime)->skipped.at(0).reason == "blocked");
}
