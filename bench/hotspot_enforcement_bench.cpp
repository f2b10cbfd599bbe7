// Enforcement latency (issue 13 item 6, budget: crossing to Disconnect-Request on the wire
// within 1 s): from appending the Interim-Update that crosses a data quota to the
// Disconnect-Request leaving for the NAS (the first hotspot.dae.attempted `sent_at`) and to the
// Disconnect-ACK (sent_at + round trip), against a real FreeRADIUS 3.2 with a
// `listen { type = coa }` section playing the NAS (tests/support/freeradius_nas.hpp, the
// listener of the enforcer tests, here not in debug mode and recording nothing), on a RocksDB
// log (fsync on).
//
//   bench_hotspot_enforcement [sessions]     default 200
//
// Two runs: one crossing at a time (the latency of one), then all crossings appended at once
// (the worker pool's queueing). Prints p50/p99/max for each.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "adapters/radius/dictionary_loader.hpp"
#include "adapters/radius/enforcer.hpp"
#include "core/hotspot/account_decider.hpp"
#include "core/hotspot/catalog_decider.hpp"
#include "core/hotspot/dae.hpp"
#include "core/hotspot/session.hpp"
#include "events/command_handler.hpp"
#include "events/hotspot/dae_codec.hpp"
#include "events/hotspot/session_codec.hpp"
#include "events/rocksdb/rocksdb_event_store.hpp"
#include "tests/support/freeradius_nas.hpp"

using namespace switchyard;
using namespace switchyard::core::hotspot;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

using switchyard::testing::FakeNas;
using switchyard::testing::FakeNasOptions;
using switchyard::testing::kSecret;

double ms(std::chrono::microseconds d) { return static_cast<double>(d.count()) / 1000.0; }

void print(const char* what, std::vector<std::chrono::microseconds> v) {
    std::sort(v.begin(), v.end());
    auto at = [&](double q) {
        return v[std::min(v.size() - 1, static_cast<std::size_t>(q * v.size()))];
    };
    std::printf("%-44s n=%zu  p50 %.2f ms  p99 %.2f ms  max %.2f ms\n", what, v.size(),
                ms(at(0.50)), ms(at(0.99)), ms(v.back()));
}

}  // namespace

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 200;
    if (!fs::exists(switchyard::testing::freeradius_binary())) {
        std::fprintf(stderr, "freeradius is not installed (apt-get install freeradius)\n");
        return 77;
    }
    const auto dir = fs::temp_directory_path() / fmt::format("sy-enf-bench-{}", ::getpid());
    fs::create_directories(dir / "log");
    int rc = 0;
    try {
        FakeNas listener(dir, FakeNasOptions::for_bench());
        auto store = events::open_rocksdb_event_store(dir / "log").value();
        auto keyring = events::MasterKeyring::generate();
        events::hotspot::HotspotService hotspot(*store, "op", keyring);
        auto dictionary = adapters::radius::load_dictionary().value();
        auto profiles = events::hotspot::load_vendor_profiles(
                            fs::path(SY_CONFIG_DIR) / "hotspot/vendors",
                            [&](std::string_view a) { return dictionary.attribute(a) != nullptr; })
                            .value();
        core::SystemClock clock;
        auto ctx = [&] {
            core::DecisionContext c;
            c.now = clock.now();
            return c;
        };
        Nas nas;
        nas.nas_id = "lobby";
        nas.name = "Lobby";
        nas.vendor = Vendor::Generic;
        nas.address = "127.0.0.1";
        nas.coa_port = listener.port();
        hotspot.execute(DefineNas{nas, kSecret, DefineMode::Create, "nas"}, ctx()).value();
        Plan p;
        p.plan_id = "q";
        p.name = "1 MB";
        p.data_limit_bytes = 1'000'000;
        hotspot.execute(DefinePlan{p, DefineMode::Create, "plan"}, ctx()).value();

        adapters::radius::DaeClient client(dictionary);
        adapters::radius::EnforcerOptions options;
        options.workers = 8;
        adapters::radius::Enforcer enforcer(*store, hotspot, profiles, client, clock, options);
        enforcer.start();

        // 2n accounts with one open session each: n for each run.
        std::vector<Session> sessions;
        for (int i = 0; i < 2 * n; ++i) {
            CreateAccount c;
            c.account.username = fmt::format("u{}", i);
            c.account.plan_id = "q";
            c.password = "pw-" + c.account.username;
            c.command_id = "acc-" + c.account.username;
            hotspot.execute(c, ctx()).value();
            Session s;
            s.unique_id = fmt::format("{:032x}", 0x5e55000 + i);
            s.acct_session_id = fmt::format("{}", 81000000 + i);
            s.username = c.account.username;
            s.nas_id = "lobby";
            s.nas_ip = "192.0.2.10";
            s.framed_ip = fmt::format("10.5.{}.{}", i / 250, i % 250 + 1);
            s.started_at = s.updated_at = clock.now();
            sessions.push_back(s);
        }
        auto append = [&](const SessionEvent& e) {
            auto ne = events::make_new_event(events::hotspot::encode(e), ctx(), "op");
            store->append({{"hotspot_sessions-lobby", events::ExpectedRevision::any(), {ne}}})
                .value();
        };
        for (const auto& s : sessions) append(SessionStarted{s});
        if (!enforcer.wait_idle(60s)) throw std::runtime_error("enforcer not idle after starts");

        // The outcome of a session's request: (sent_at, round trip) of its first attempt.
        auto outcome = [&](const Session& s)
            -> std::optional<std::pair<core::Timestamp, std::chrono::microseconds>> {
            auto r = store->read_stream(dae_stream("op", s.unique_id), 0, 100).value();
            std::optional<std::pair<core::Timestamp, std::chrono::microseconds>> out;
            bool done = false;
            for (const auto& e : r) {
                auto d = events::hotspot::decode_dae_event(e).value();
                if (const auto* a = std::get_if<DaeAttempted>(&d); a && a->attempt == 1)
                    out = {a->sent_at, std::chrono::microseconds(a->round_trip_us.value_or(0))};
                if (std::holds_alternative<DaeCompleted>(d)) done = true;
            }
            return done ? out : std::nullopt;
        };
        auto cross = [&](const Session& s) {
            append(SessionUpdated{s.unique_id, {0, 1'000'001, 60}, s.framed_ip, clock.now()});
        };

        std::vector<std::chrono::microseconds> wire1, ack1, wire2, ack2;
        // One crossing at a time.
        for (int i = 0; i < n; ++i) {
            const auto t0 = clock.now();
            cross(sessions[i]);
            std::optional<std::pair<core::Timestamp, std::chrono::microseconds>> o;
            const auto until = std::chrono::steady_clock::now() + 20s;
            while (!(o = outcome(sessions[i]))) {
                if (std::chrono::steady_clock::now() > until)
                    throw std::runtime_error("no outcome for " + sessions[i].username);
                std::this_thread::sleep_for(200us);
            }
            wire1.push_back(o->first - t0);
            ack1.push_back(o->first + o->second - t0);
        }
        // All crossings at once.
        std::vector<core::Timestamp> t0s;
        for (int i = n; i < 2 * n; ++i) {
            t0s.push_back(clock.now());
            cross(sessions[i]);
        }
        if (!enforcer.wait_idle(120s)) throw std::runtime_error("burst did not finish");
        for (int i = n; i < 2 * n; ++i) {
            auto o = outcome(sessions[i]);
            if (!o) throw std::runtime_error("no outcome for " + sessions[i].username);
            wire2.push_back(o->first - t0s[i - n]);
            ack2.push_back(o->first + o->second - t0s[i - n]);
        }
        enforcer.stop();
        const auto st = enforcer.stats();
        std::printf("sessions %d, sent %lld, acked %lld, naked %lld, failed %lld\n", n,
                    static_cast<long long>(st.requests_sent), static_cast<long long>(st.acked),
                    static_cast<long long>(st.naked), static_cast<long long>(st.failed));
        print("one at a time: crossing -> Disconnect on wire", wire1);
        print("one at a time: crossing -> Disconnect-ACK", ack1);
        print("all at once:   crossing -> Disconnect on wire", wire2);
        print("all at once:   crossing -> Disconnect-ACK", ack2);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench failed: %s\n", e.what());
        rc = 1;
    }
    fs::remove_all(dir);
    return rc;
}
