// The VPN line's hot paths: MAC vendor lookups in the IEEE registries, device classification,
// and a 50-device scan decided (pure) and executed (memory log).
#include <benchmark/benchmark.h>

#include <fmt/format.h>

#include "core/vpn/customer_decider.hpp"
#include "events/memory_event_store.hpp"
#include "events/vpn/vpn_service.hpp"

using namespace switchyard;
using namespace switchyard::core::vpn;

namespace {

const events::vpn::VpnConfig& config() {
    static const auto c =
        *events::vpn::load_vpn_config(SY_CONFIG_DIR "/vpn", "/usr/share/ieee-data");
    return c;
}

std::vector<DeviceInput> scan(int n) {
    const char* types[] = {"laptop", "phone", "ip_camera", "smart_tv", "tablet"};
    std::vector<DeviceInput> out;
    for (int i = 0; i < n; ++i) {
        DeviceInput d;
        d.device_id = fmt::format("auto_{}", i);
        d.mac = fmt::format("A4:14:37:{:02X}:{:02X}:01", i / 256, i % 256);  // a Hikvision block
        d.hostname = fmt::format("device-{}", i);
        d.type = types[i % 5];
        d.open_ports = {{554, "rtsp"}, {80, "http"}};
        out.push_back(std::move(d));
    }
    return out;
}

NetworkState network() {
    NetworkState n;
    n.plans["big"] = Plan{"big", "Big", 1000, 1000, {}, false, false};
    for (int i = 0; i < 4; ++i) {
        Server s;
        s.server_id = fmt::format("s{}", i);
        s.name = s.server_id;
        s.policy.streaming_optimized = i % 2;
        n.servers[s.server_id] = s;
    }
    return n;
}

void BM_OuiLookup(benchmark::State& state) {
    const auto& oui = config().oui;
    int i = 0;
    for (auto _ : state) {
        auto v = oui.vendor(fmt::format("A4:14:37:{:02X}:00:01", (i++) & 0xff));
        benchmark::DoNotOptimize(v);
    }
}
BENCHMARK(BM_OuiLookup);

void BM_Classify(benchmark::State& state) {
    const auto& c = config();
    const DeviceEvidence ev{"laptop",
                            "Hikvision",
                            c.oui.vendor("A4:14:37:00:00:01"),
                            "front-cam",
                            {{554, "rtsp"}, {80, "http"}}};
    for (auto _ : state) benchmark::DoNotOptimize(classify(c.rules, ev));
}
BENCHMARK(BM_Classify);

void BM_ScanDecide50(benchmark::State& state) {
    const auto n = network();
    CustomerState s;
    s.plan_id = "big";
    AddDevices cmd{"u_1", scan(50), "scan", {}};
    for (auto& d : cmd.devices) d.oui_vendor = config().oui.vendor(d.mac);
    core::DecisionContext ctx;
    for (auto _ : state) benchmark::DoNotOptimize(decide(s, n, config().rules, cmd, ctx));
    state.SetItemsProcessed(state.iterations() * 50);
}
BENCHMARK(BM_ScanDecide50);

void BM_ScanExecute50(benchmark::State& state) {
    auto store = events::make_memory_event_store();
    auto ring = events::MasterKeyring::generate();
    events::vpn::VpnService vpn(*store, "op", ring, config());
    core::DecisionContext ctx;
    (void)vpn.seed_default_plans(ctx);
    (void)vpn.execute(DefinePlan{Plan{"big", "Big", 100000, 100000, {}, false, false}}, ctx);
    Server s;
    s.server_id = "nyc";
    s.name = "New York";
    s.endpoint_host = "nyc.example.net";
    s.ipv4_pool = "10.8.0.0/16";
    (void)vpn.execute(DefineServer{s}, ctx);
    int customer = 0;
    for (auto _ : state) {
        const auto id = fmt::format("u_{}", customer++);
        (void)vpn.execute(Subscribe{id, "big", "/"}, ctx);
        auto r = vpn.execute(AddDevices{id, scan(50), "scan", {}}, ctx);
        if (!r) {
            state.SkipWithError((r.error().field + ": " + r.error().message).c_str());
            break;
        }
    }
    state.SetItemsProcessed(state.iterations() * 50);
}
BENCHMARK(BM_ScanExecute50);

}  // namespace

BENCHMARK_MAIN();
