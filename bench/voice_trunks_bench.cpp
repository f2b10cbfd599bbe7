// The call path's per-call work of this part: TrunkDirectory::identify with many IP trunks
// (the index is built once; each call scans the blocks longest first) and
// CallAdmission::admit + release of a prepaid call (CPS bucket, channels, binary search over
// the rating engine's cost under the customer's shard mutex). Run from the release preset.
#include <benchmark/benchmark.h>

#include <fmt/format.h>

#include "events/memory_event_store.hpp"
#include "events/voice/admission_service.hpp"
#include "events/voice/trunk_service.hpp"

using namespace switchyard;
using namespace switchyard::core::voice;
using namespace switchyard::events::voice;

namespace {

core::DecisionContext ctx() {
    core::DecisionContext c;
    c.now = core::from_unix_seconds(1'790'000'000);
    return c;
}

/// A tenant with `n` customers, each with one /24 trunk in 10.x.y.0/24.
struct Trunks {
    std::unique_ptr<events::EventStore> store = events::make_memory_event_store();
    VoiceService voice{*store, "op"};
    TariffRegistry tariffs;
    events::MasterKeyring keyring = events::MasterKeyring::generate();
    TrunkService trunks{*store, "op", voice, tariffs, keyring, "switchyard"};

    explicit Trunks(int n) {
        (void)voice.execute(SeedCategories{{Category{"sip_trunk", "SIP Trunk", "", true, 1}}},
                            ctx());
        (void)voice.execute(DefineGroup{Group{"gold", "sip_trunk", "Gold", ""}}, ctx());
        for (int i = 0; i < n; ++i) {
            Customer c;
            c.name = fmt::format("c{}", i);
            c.country = "DE";
            c.currency = "EUR";
            c.category_id = "sip_trunk";
            c.group_id = "gold";
            auto id = voice.execute(CreateCustomer{c, c.name}, ctx());
            Trunk t;
            t.trunk_id = fmt::format("t{}", i);
            t.customer_id = id ? id->id : 0;
            t.name = t.trunk_id;
            t.source_ips = {fmt::format("10.{}.{}.0/24", i / 256, i % 256)};
            (void)trunks.execute(DefineTrunk{t, DefineMode::Create, ""}, ctx());
        }
    }
};

void BM_identify(benchmark::State& state) {
    const int n = static_cast<int>(state.range(0));
    Trunks w(n);
    CallSetup s;
    s.call_id = "c";
    s.source_ip = fmt::format("10.{}.{}.7", (n - 1) / 256, (n - 1) % 256);  // the last block
    s.ruri_user = "+4930123456";
    s.from_user = "4930555000";
    for (auto _ : state) {
        auto r = w.trunks.identify(s);
        benchmark::DoNotOptimize(r);
    }
}
BENCHMARK(BM_identify)->Arg(10)->Arg(1000);

std::shared_ptr<const RatingIndex> card() {
    Tariff t;
    t.destinations = {{"DBER", "", {"4930"}}};
    t.rate_groups = {{"RBER", 50'000, {{0, 30'000, 60, 1}}}};
    t.destination_rates = {{"DR", "DBER", "RBER"}};
    t.rating_plans = {{"PLAN", "DR", "*any", 10}};
    return *RatingIndex::build(std::move(t));
}

void BM_admit_release(benchmark::State& state) {
    AdmissionSources s;
    auto index = card();
    s.customer_limits = [](std::int64_t) -> core::Result<CallLimits> { return CallLimits{}; };
    s.trunk_limits = [](const std::string&) -> core::Result<CallLimits> { return CallLimits{}; };
    s.funds = [](std::int64_t) -> core::Result<Funds> { return Funds{5'000'000, 0, true}; };
    s.sell_price = [index](const TrunkMatch&,
                           core::Timestamp) -> core::Result<std::optional<SellPrice>> {
        return std::optional<SellPrice>{SellPrice{index, "PLAN"}};
    };
    AdmissionService a(std::move(s));
    CallSetup setup;
    setup.call_id = "call";
    setup.setup_at = core::from_unix_seconds(1'790'000'000);
    TrunkMatch m;
    m.customer_id = 1;
    m.trunk_id = "t";
    m.destination = "4930123456";
    const RoutePlan plan;
    for (auto _ : state) {
        auto r = a.admit(setup, m, plan);
        benchmark::DoNotOptimize(r);
        a.release(setup.call_id);
    }
}
BENCHMARK(BM_admit_release);

}  // namespace

BENCHMARK_MAIN();
