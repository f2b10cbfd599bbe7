// Ranking the carriers of a route (core/voice/lcr.hpp): each strategy's order computed by hand,
// its ties, the margin guard in both modes, blocked routes, max_attempts, the exact load-share
// split and the quality order.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "core/voice/lcr.hpp"

using namespace switchyard::core::voice;

namespace {

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

/// A candidate with one gateway `<id>-gw` and a buy price (micros per minute; -1 = none).
Candidate candidate(const std::string& id, Micros buy, std::int64_t priority = 0,
                    std::int64_t weight = 1, std::int64_t share = 0) {
    Candidate c;
    c.entry = {id, priority, weight, share};
    c.carrier = carrier(id);
    c.gateways = {gateway(id + "-gw", id)};
    if (buy >= 0) c.buy = BuyPrice{buy, "4930", "EUR"};
    return c;
}

RankRequest request(RoutingStrategy strategy, std::vector<Candidate> candidates, Micros sell = -1) {
    RankRequest r;
    r.group.route_group_id = "std";
    r.group.name = "Standard";
    r.group.strategy = strategy;
    r.group.max_attempts = 10;
    r.destination = "4930123456";
    r.route_id = "de";
    r.route_prefix = "49";
    r.sell_per_minute = sell;
    r.currency = "EUR";
    r.candidates = std::move(candidates);
    return r;
}

std::vector<std::string> carriers_of(const RoutePlan& p) {
    std::vector<std::string> out;
    for (const auto& r : p.routes) out.push_back(r.carrier_id);
    return out;
}

RoutePlan run(const RankRequest& r) {
    LoadShareState load;
    std::mt19937_64 rng(42);
    return rank(r, load, rng);
}

const SkippedRoute* skipped(const RoutePlan& p, const std::string& carrier_id) {
    for (const auto& s : p.skipped)
        if (s.carrier_id == carrier_id) return &s;
    return nullptr;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("least cost orders by buy price ascending and explains each route") {
    auto p =
        run(request(RoutingStrategy::LeastCost,
                    {candidate("a", 9'000), candidate("b", 5'000), candidate("c", 7'000)}, 10'000));
    CHECK(carriers_of(p) == V{"b", "c", "a"});
    CHECK(p.strategy == "least_cost");
    CHECK(p.route_group_id == "std");
    REQUIRE(p.routes.size() == 3);
    CHECK(p.routes[0].why.starts_with(
        "least_cost #1: buy 0.0050 EUR/min at prefix 4930, sell 0.0100, margin 0.0050"));
    CHECK(p.routes[2].why.starts_with("least_cost #3: buy 0.0090"));
    CHECK(p.routes[0].buy_per_minute == 5'000);
    CHECK(p.routes[0].sell_per_minute == 10'000);
    CHECK(p.routes[0].matched_prefix == "4930");
    CHECK(p.skipped.empty());
}

TEST_CASE("least cost breaks price ties by priority then weight then carrier id") {
    auto p = run(request(RoutingStrategy::LeastCost,
                         {candidate("a", 5'000, 2, 1), candidate("b", 5'000, 1, 1),
                          candidate("c", 5'000, 1, 9), candidate("d", 5'000, 1, 9)}));
    CHECK(carriers_of(p) == V{"c", "d", "b", "a"});
}

TEST_CASE("least cost skips carriers without a price for the destination") {
    auto p = run(request(RoutingStrategy::LeastCost, {candidate("a", -1), candidate("b", 4'000)}));
    CHECK(carriers_of(p) == V{"b"});
    REQUIRE(skipped(p, "a"));
    CHECK(skipped(p, "a")->reason == "no_price");
}

TEST_CASE("priority orders ascending, ties by weight descending") {
    auto p = run(request(RoutingStrategy::Priority,
                         {candidate("a", 1'000, 3), candidate("b", 9'000, 1, 5),
                          candidate("c", 2'000, 1, 50), candidate("d", 3'000, 2)}));
    CHECK(carriers_of(p) == V{"c", "b", "d", "a"});
    CHECK(p.routes[0].why.starts_with("priority #1: priority 1, weight 50, buy 0.0020"));
}

TEST_CASE("the margin guard skips a carrier dearer than the sell price, with the figures") {
    auto p = run(request(RoutingStrategy::LeastCost,
                         {candidate("cheap", 8'000), candidate("dear", 12'000)}, 10'000));
    CHECK(carriers_of(p) == V{"cheap"});
    const auto* s = skipped(p, "dear");
    REQUIRE(s);
    CHECK(s->reason == "margin_guard");
    CHECK(s->detail ==
          "buy 0.0120 EUR/min at prefix 4930 > sell 0.0100 less minimum margin 0.0000 "
          "(margin -0.0020)");
}

TEST_CASE("a buy price equal to the sell price passes and a minimum margin tightens the guard") {
    auto r = request(RoutingStrategy::LeastCost,
                     {candidate("even", 10'000), candidate("thin", 9'500), candidate("fat", 7'000)},
                     10'000);
    CHECK(carriers_of(run(r)) == V{"fat", "thin", "even"});
    r.group.min_margin_micros = 1'000;  // sell - buy must be at least 0.0010
    auto p = run(r);
    CHECK(carriers_of(p) == V{"fat"});
    CHECK(skipped(p, "thin")->reason == "margin_guard");
    CHECK(skipped(p, "even")->reason == "margin_guard");
}

TEST_CASE("without a sell price the margin guard does not apply") {
    auto p = run(request(RoutingStrategy::LeastCost, {candidate("dear", 99'000)}, -1));
    CHECK(carriers_of(p) == V{"dear"});
    CHECK(p.routes[0].why.find("sell unknown") != std::string::npos);
}

TEST_CASE("in reject mode one carrier failing the margin guard empties the plan") {
    auto r = request(RoutingStrategy::Priority,
                     {candidate("ok", 5'000, 1), candidate("loss", 15'000, 2)}, 10'000);
    r.group.margin_guard = MarginGuardMode::Reject;
    auto p = run(r);
    CHECK(p.routes.empty());
    REQUIRE(p.skipped.size() == 2);
    CHECK(p.skipped[0].carrier_id == "loss");
    CHECK(p.skipped[0].reason == "margin_guard");
    CHECK(p.skipped[1].carrier_id == "ok");
    CHECK(p.skipped[1].reason == "margin_guard");
    CHECK(p.skipped[1].detail.find("reject mode") != std::string::npos);
    // With every carrier within the margin, reject mode routes normally.
    r.candidates[1].buy->per_minute = 9'000;
    CHECK(carriers_of(run(r)) == V{"ok", "loss"});
}

TEST_CASE("a blocked prefix is never routed") {
    auto r = request(RoutingStrategy::LeastCost, {candidate("a", 1'000)});
    r.blocked_route_id = "block-premium";
    r.blocked_prefix = "4990";
    auto p = run(r);
    CHECK(p.routes.empty());
    REQUIRE(p.skipped.size() == 1);
    CHECK(p.skipped[0].reason == "blocked");
    CHECK(p.skipped[0].detail ==
          "destination 4930123456 matches blocked prefix '4990' (route block-premium)");
}

TEST_CASE("no matching route is a no_route plan") {
    auto r = request(RoutingStrategy::LeastCost, {});
    r.route_id.clear();
    auto p = run(r);
    CHECK(p.routes.empty());
    REQUIRE(p.skipped.size() == 1);
    CHECK(p.skipped[0].reason == "no_route");
}

TEST_CASE("max_attempts truncates the routes and lists the rest as skipped") {
    auto r = request(RoutingStrategy::LeastCost, {candidate("a", 1'000), candidate("b", 2'000),
                                                  candidate("c", 3'000), candidate("d", 4'000)});
    r.group.max_attempts = 2;
    auto p = run(r);
    CHECK(carriers_of(p) == V{"a", "b"});
    CHECK(p.max_attempts == 2);
    REQUIRE(p.skipped.size() == 2);
    CHECK(p.skipped[0].carrier_id == "c");
    CHECK(p.skipped[0].reason == "max_attempts");
    CHECK(p.skipped[1].carrier_id == "d");
}

TEST_CASE("each carrier contributes its enabled gateways by weight, and max_attempts counts them") {
    auto a = candidate("a", 1'000);
    a.gateways = {gateway("a1", "a", 10), gateway("a2", "a", 50), gateway("a3", "a", 90)};
    a.gateways[2].enabled = false;
    auto r = request(RoutingStrategy::LeastCost, {a, candidate("b", 2'000)});
    r.group.max_attempts = 2;
    auto p = run(r);
    REQUIRE(p.routes.size() == 2);
    CHECK(p.routes[0].gateway_id == "a2");
    CHECK(p.routes[1].gateway_id == "a1");
    const auto reasons = [&] {
        std::map<std::string, std::string> m;
        for (const auto& s : p.skipped) m[s.carrier_id + "/" + s.gateway_id] = s.reason;
        return m;
    }();
    CHECK(reasons.at("a/a3") == "gateway_disabled");
    CHECK(reasons.at("b/b-gw") == "max_attempts");
}

TEST_CASE("a gateway at its channel limit is skipped with channel_limit") {
    auto a = candidate("a", 1'000);
    a.gateways = {gateway("small", "a", 9), gateway("big", "a", 1)};
    a.gateways[0].max_channels = 10;
    a.gateways[1].max_channels = 11;
    a.channels_in_use = 10;
    auto p = run(request(RoutingStrategy::LeastCost, {a}));
    REQUIRE(p.routes.size() == 1);
    CHECK(p.routes[0].gateway_id == "big");
    REQUIRE(p.skipped.size() == 1);
    CHECK(p.skipped[0].gateway_id == "small");
    CHECK(p.skipped[0].reason == "channel_limit");
}

TEST_CASE("suspended, retired and other-currency carriers are skipped with their reason") {
    auto susp = candidate("susp", 1'000);
    susp.carrier->status = CarrierStatus::Suspended;
    auto gone = candidate("gone", 1'000);
    gone.carrier.reset();
    auto usd = candidate("usd", 1'000);
    usd.carrier->currency = "USD";
    usd.buy->currency = "USD";
    auto bare = candidate("bare", 1'000);
    bare.gateways.clear();
    auto p =
        run(request(RoutingStrategy::LeastCost, {susp, gone, usd, bare, candidate("ok", 2'000)}));
    CHECK(carriers_of(p) == V{"ok"});
    CHECK(skipped(p, "susp")->reason == "carrier_suspended");
    CHECK(skipped(p, "gone")->reason == "carrier_retired");
    CHECK(skipped(p, "usd")->reason == "currency_mismatch");
    CHECK(skipped(p, "bare")->reason == "no_gateway");
}

TEST_CASE("the route options carry the rtjson fields") {
    auto a = candidate("a", 1'000);
    a.carrier->tech_prefix = "0711#";
    a.gateways[0].host = "gw-a.example";
    a.gateways[0].port = 5080;
    a.gateways[0].transport = SipTransport::Tcp;
    a.gateways[0].dst_uri = "sip:192.0.2.10:5060";
    a.gateways[0].headers = {{"X-Sy-Carrier", "a"}, {"X-Account", "77"}};
    a.gateways[0].ring_timeout_ms = 30'000;
    auto p = run(request(RoutingStrategy::LeastCost, {a}));
    REQUIRE(p.routes.size() == 1);
    const auto& o = p.routes[0];
    CHECK(o.uri == "sip:0711#4930123456@gw-a.example:5080;transport=tcp");
    CHECK(o.dst_uri == "sip:192.0.2.10:5060");
    CHECK(o.extra_headers == "X-Sy-Carrier: a\r\nX-Account: 77\r\n");
    CHECK(o.fr_inv_timer_ms == 30'000);
    Gateway v6 = gateway("v6", "a");
    v6.host = "2001:db8::1";
    CHECK(gateway_uri(v6, "", "49") == "sip:49@[2001:db8::1]:5060");
}

TEST_CASE("load share splits 1000 calls 70/30 exactly, interleaved smoothly") {
    auto r = request(RoutingStrategy::LoadShare,
                     {candidate("a", 1'000, 0, 1, 70), candidate("b", 1'000, 0, 1, 30)});
    LoadShareState load;
    std::mt19937_64 rng(1);
    std::map<std::string, int> first;
    std::string first_ten;
    for (int i = 0; i < 1000; ++i) {
        auto p = rank(r, load, rng);
        REQUIRE(p.routes.size() == 2);
        ++first[p.routes[0].carrier_id];
        if (i < 10) first_ten += p.routes[0].carrier_id;
        // The other carrier is the failover.
        CHECK(p.routes[1].carrier_id != p.routes[0].carrier_id);
    }
    CHECK(first["a"] == 700);
    CHECK(first["b"] == 300);
    // nginx smooth WRR on 70:30: current weights (70,30) -> a, (40,60) -> b, (110,-10) -> a,
    // (80,20) -> a, (50,50) -> a (the first on a tie), (20,80) -> b, ...
    CHECK(first_ten == "abaaabaaba");
}

TEST_CASE("load share with three carriers 50/30/20 splits exactly over 100 calls") {
    auto r = request(RoutingStrategy::LoadShare,
                     {candidate("a", 1'000, 0, 1, 50), candidate("b", 1'000, 0, 1, 30),
                      candidate("c", 1'000, 0, 1, 20)});
    LoadShareState load;
    std::mt19937_64 rng(1);
    std::map<std::string, int> first;
    for (int i = 0; i < 100; ++i) ++first[rank(r, load, rng).routes[0].carrier_id];
    CHECK(first["a"] == 50);
    CHECK(first["b"] == 30);
    CHECK(first["c"] == 20);
    // After one call (a chosen), the failover order is by share: b then c.
    LoadShareState fresh;
    auto p = rank(r, fresh, rng);
    CHECK(carriers_of(p) == V{"a", "b", "c"});
}

TEST_CASE("weight orders at random with the weights as odds, zero weights last") {
    auto r = request(
        RoutingStrategy::Weight,
        {candidate("a", 1'000, 0, 75), candidate("b", 1'000, 0, 25), candidate("z", 1'000, 0, 0)});
    LoadShareState load;
    std::mt19937_64 rng(7);
    int a_first = 0;
    for (int i = 0; i < 4000; ++i) {
        auto p = rank(r, load, rng);
        REQUIRE(p.routes.size() == 3);
        CHECK(p.routes[2].carrier_id == "z");
        if (p.routes[0].carrier_id == "a") ++a_first;
    }
    // Expected 3000 of 4000; binomial sd ~27, so 3000 +- 150 is over 5 sd.
    CHECK(a_first > 2850);
    CHECK(a_first < 3150);
    // The same seed gives the same order.
    std::mt19937_64 r1(99), r2(99);
    CHECK(carriers_of(rank(r, load, r1)) == carriers_of(rank(r, load, r2)));
}

TEST_CASE("quality orders by ASR, then ACD, then lower PDD, carriers without figures last") {
    auto q = [](const std::string& id, double asr, double acd, std::int64_t pdd, std::int64_t calls,
                std::int64_t priority = 0) {
        auto c = candidate(id, 1'000, priority);
        c.quality = QualityFigures{asr, acd, pdd, calls};
        return c;
    };
    auto none1 = candidate("none1", 1'000, 5);
    auto none2 = candidate("none2", 1'000, 1);
    auto p = run(request(
        RoutingStrategy::Quality,
        {q("low_asr", 30, 300, 1000, 100), q("hi_asr_short", 50, 60, 1000, 100),
         q("hi_asr_long_slow", 50, 120, 3000, 100), q("hi_asr_long_fast", 50, 120, 1500, 100),
         none1, q("zero_calls", 99, 999, 1, 0, 3), none2}));
    CHECK(carriers_of(p) == V{"hi_asr_long_fast", "hi_asr_long_slow", "hi_asr_short", "low_asr",
                              "none2", "zero_calls", "none1"});
    CHECK(p.routes[0].why.starts_with(
        "quality #1: ASR 50.0%, ACD 120 s, PDD 1500 ms over 100 calls, buy 0.0010"));
}

TEST_CASE("price text keeps 4 decimals and up to 6 where they matter") {
    CHECK(price_text(5'000) == "0.0050");
    CHECK(price_text(12'345) == "0.012345");
    CHECK(price_text(1'000'000) == "1.0000");
    CHECK(price_text(-2'000) == "-0.0020");
}

TEST_CASE("without a customer currency the plan compares in the first priced carrier's") {
    auto usd = candidate("usd", 1'000);
    usd.carrier->currency = "USD";
    usd.buy->currency = "USD";
    auto unpriced = candidate("unpriced", -1);
    auto r = request(RoutingStrategy::LeastCost, {unpriced, candidate("eur", 3'000), usd});
    r.currency.clear();
    auto p = run(r);
    CHECK(carriers_of(p) == V{"eur"});
    CHECK(skipped(p, "usd")->reason == "currency_mismatch");
    CHECK(skipped(p, "usd")->detail == "carrier bills in USD, the plan compares in EUR");
    CHECK(skipped(p, "unpriced")->reason == "no_price");
}
