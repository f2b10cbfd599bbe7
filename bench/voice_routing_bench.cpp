// Voice routing: one routing answer (RoutingService::plan: blocked and longest-prefix route
// match, every carrier priced from its buy deck, the sell card, the ranking) and the pure
// ranking alone (core/voice/lcr.hpp rank) for a route of 10 carriers with 2 gateways each and
// buy decks of 10,000 prefixes (bench/README.md). Run from the release preset.
#include <benchmark/benchmark.h>

#include <memory>
#include <random>
#include <string>

#include "events/memory_event_store.hpp"
#include "events/voice/deck_service.hpp"
#include "events/voice/routing_service.hpp"
#include "events/voice/tariff_registry.hpp"
#include "events/voice/voice_service.hpp"

namespace {

using namespace switchyard;
using namespace switchyard::core::voice;
using namespace switchyard::events::voice;

constexpr int kCarriers = 10;
constexpr int kPrefixes = 10'000;

core::DecisionContext ctx() {
    core::DecisionContext c;
    c.now = core::from_unix_seconds(1'767'300'000);
    c.actor = core::Actor{core::ActorKind::System, "bench", ""};
    c.correlation_id = "bench";
    return c;
}

/// Prefixes 49000..49999 and 4930000.. (10,000 rows), the price varying with the carrier.
Tariff deck(int carrier) {
    Tariff t;
    t.currency = "EUR";
    for (int i = 0; i < kPrefixes; ++i) {
        const auto prefix = std::to_string(4'900'000 + i);
        t.destinations.push_back({"D" + prefix, "", {prefix}});
        t.rate_groups.push_back({"R" + prefix, 0, {{0, 5'000 + carrier * 100 + i % 50, 60, 60}}});
        t.destination_rates.push_back({"DR", "D" + prefix, "R" + prefix});
    }
    t.rating_plans = {{"PLAN", "DR", "*any", 10}};
    return t;
}

struct World {
    std::unique_ptr<events::EventStore> store = events::make_memory_event_store();
    TariffRegistry registry;
    VoiceService voice{*store, "op"};
    DeckService decks{*store, "op", &registry};
    std::unique_ptr<RoutingService> routing;

    World() {
        RoutingOptions o;
        o.seed = 1;
        routing = std::make_unique<RoutingService>(*store, "op", registry, voice, o);
        Route route{"de", "std", "49", {}, false};
        for (int c = 0; c < kCarriers; ++c) {
            const auto id = "c" + std::to_string(c);
            Carrier carrier{id, id, {id + ".example"}, "EUR", "", CarrierStatus::Active};
            (void)voice.execute(DefineItem<Carrier>{carrier, DefineMode::Create}, ctx());
            (void)decks.create(CreateDeck{{id + "-buy", id, DeckKind::Buy, id, "EUR",
                                           DeckFormat::Csv, "", std::nullopt}},
                               ctx());
            ImportDeckVersion v;
            v.deck_id = id + "-buy";
            v.tariff = deck(c);
            v.effective_from = core::from_unix_seconds(1'767'225'600);
            (void)decks.import_version(v, ctx());
            for (int g = 0; g < 2; ++g) {
                Gateway gw;
                gw.gateway_id = id + "-" + std::to_string(g);
                gw.carrier_id = id;
                gw.host = gw.gateway_id + ".example";
                (void)routing->execute(DefineRoutingItem<Gateway>{gw}, ctx());
            }
            route.carriers.push_back({id, c, 1, c == 0 ? 100 - 10 * (kCarriers - 1) : 10});
        }
        (void)decks.create(CreateDeck{{"card", "card", DeckKind::Sell, "", "EUR", DeckFormat::Csv,
                                       "", std::nullopt}},
                           ctx());
        ImportDeckVersion card;
        card.deck_id = "card";
        card.tariff = deck(50);
        card.effective_from = core::from_unix_seconds(1'767'225'600);
        (void)decks.import_version(card, ctx());
        (void)routing->execute(
            DefineRoutingItem<RouteGroup>{RouteGroup{"std", "Standard", RoutingStrategy::LeastCost,
                                                     3, MarginGuardMode::Skip, 0}},
            ctx());
        (void)routing->execute(DefineRoutingItem<Route>{route}, ctx());
    }
};

void BM_RoutingPlan(benchmark::State& state) {
    static World w;
    TrunkMatch t;
    t.destination = "49001234567";
    t.route_group_id = "std";
    t.sell_rating_plan = "card";
    t.currency = "EUR";
    for (auto _ : state) {
        auto p = w.routing->plan(t, core::from_unix_seconds(1'767'268'800));
        if (!p || p->routes.size() != 3) state.SkipWithError("unexpected plan");
        benchmark::DoNotOptimize(p);
    }
}
BENCHMARK(BM_RoutingPlan);

void BM_Rank(benchmark::State& state) {
    RankRequest r;
    r.group = RouteGroup{
        "std", "Standard", static_cast<RoutingStrategy>(state.range(0)), 3, MarginGuardMode::Skip,
        0};
    r.destination = "49001234567";
    r.route_id = "de";
    r.route_prefix = "49";
    r.sell_per_minute = 10'000;
    r.currency = "EUR";
    for (int c = 0; c < kCarriers; ++c) {
        const auto id = "c" + std::to_string(c);
        Candidate cand;
        cand.entry = {id, c, 1 + c, 10};
        cand.carrier = Carrier{id, id, {id + ".example"}, "EUR", "", CarrierStatus::Active};
        for (int g = 0; g < 2; ++g) {
            Gateway gw;
            gw.gateway_id = id + "-" + std::to_string(g);
            gw.carrier_id = id;
            gw.host = gw.gateway_id + ".example";
            cand.gateways.push_back(gw);
        }
        cand.buy = BuyPrice{5'000 + c * 100, "4900", "EUR"};
        cand.quality = QualityFigures{40.0 + c, 100, 1000, 100};
        r.candidates.push_back(cand);
    }
    LoadShareState load;
    std::mt19937_64 rng(1);
    for (auto _ : state) benchmark::DoNotOptimize(rank(r, load, rng));
}
// least_cost, quality, priority, weight, load_share
BENCHMARK(BM_Rank)->DenseRange(0, 4);

}  // namespace

BENCHMARK_MAIN();
