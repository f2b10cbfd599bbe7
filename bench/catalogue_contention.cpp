// Contention and create latency of the IPTV command side on the RocksDB log (fsync on).
//  1. 16 writers create distinct lines, categories and streams for N seconds: count conflicts
//     (the 409s of the API) and other failures, and the rate.
//  2. A create on an empty catalogue and at 100,000 catalogue entries (a fresh service, as after
//     a restart, and a warm one): median and p99 of each.
// Run: build/release/bench/bench_catalogue_contention [seconds=10] [entries=100000]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>

#include "events/iptv/iptv_service.hpp"
#include "events/rocksdb/rocksdb_event_store.hpp"

namespace fs = std::filesystem;
using namespace switchyard;
using namespace switchyard::core::iptv;
using Clock = std::chrono::steady_clock;

namespace {

core::DecisionContext context(std::int64_t n) {
    core::DecisionContext c;
    c.now = core::from_unix_seconds(1'790'000'000);
    c.actor = core::Actor{core::ActorKind::ApiKey, "k_bench", "127.0.0.1"};
    c.correlation_id = fmt::format("bench-{}", n);
    c.random_secret = "AbCdEfGhIjKlMnOpQrStUvWx";
    c.hash_secret = [](const std::string& p) { return std::string(64, 'a') + p.substr(0, 0); };
    return c;
}

StreamFields stream(std::int64_t i, std::optional<std::int64_t> category = {}) {
    StreamFields f;
    f.name = fmt::format("Channel {} (720p)", i);
    f.source_url = fmt::format("https://cdn{}.example.net/live/{}/index.m3u8", i % 97, i);
    f.tvg_id = fmt::format("Channel{}.us@SD", i);
    f.epg_channel_id = fmt::format("Channel{}.us", i);
    f.category_id = category;
    return f;
}

CreateLine line(const std::string& name) {
    CreateLine c;
    c.username = name;
    c.command_id = "c-" + name;
    c.password = "pass-word-1";
    return c;
}

struct Tally {
    std::atomic<std::int64_t> ok{0}, conflicts{0}, failed{0};
    template <class Outcome>
    void count(const core::Result<Outcome>& r) {
        if (r)
            ++ok;
        else if (r.error().code == core::Errc::Conflict)
            ++conflicts;
        else
            ++failed;
    }
};

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

/// Median and p99 (µs) of `n` creates of each kind through `svc`; `tag` keeps names unique.
void latencies(events::iptv::IptvService& svc, const char* label, const std::string& tag, int n,
               std::int64_t first_url) {
    std::vector<double> cat, str, lin;
    std::atomic<std::int64_t> seq{0};
    auto time = [&](std::vector<double>& out, auto&& command) {
        const auto t0 = Clock::now();
        auto r = svc.execute(command, context(++seq));
        const auto t1 = Clock::now();
        if (!r) std::fprintf(stderr, "failed: %s\n", r.error().message.c_str());
        out.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    };
    for (int i = 0; i < n; ++i) {
        time(cat, CreateCategory{fmt::format("{} category {}", tag, i)});
        time(str, AddStream{stream(first_url + i, 1), ""});
        time(lin, line(fmt::format("{}-line-{}", tag, i)));
    }
    std::printf("| %s | %.0f / %.0f | %.0f / %.0f | %.0f / %.0f |\n", label, percentile(cat, 0.5),
                percentile(cat, 0.99), percentile(str, 0.5), percentile(str, 0.99),
                percentile(lin, 0.5), percentile(lin, 0.99));
}

}  // namespace

int main(int argc, char** argv) {
    const int seconds = argc > 1 ? std::atoi(argv[1]) : 10;
    const std::int64_t entries = argc > 2 ? std::atoll(argv[2]) : 100'000;
    const auto dir = fs::temp_directory_path() / fmt::format("sy-contention-{}", ::getpid());
    fs::remove_all(dir);
    auto opened = events::open_rocksdb_event_store(dir / "log");
    if (!opened) {
        std::fprintf(stderr, "%s\n", opened.error().message.c_str());
        return 1;
    }
    auto& store = **opened;

    // 1. Contention.
    {
        events::iptv::IptvService svc(store, "op");
        if (!svc.execute(CreateCategory{"Bench"}, context(0))) return 1;
        Tally lines, categories, streams;
        std::atomic<bool> stop{false};
        std::vector<std::thread> writers;
        const auto t0 = Clock::now();
        for (int w = 0; w < 16; ++w) {
            writers.emplace_back([&, w] {
                for (std::int64_t i = 0; !stop; ++i) {
                    const auto name = fmt::format("w{}-{}", w, i);
                    lines.count(svc.execute(line("l-" + name), context(i)));
                    categories.count(svc.execute(CreateCategory{"c " + name}, context(i)));
                    streams.count(
                        svc.execute(AddStream{stream(w * 1'000'000 + i, 1), ""}, context(i)));
                }
            });
        }
        std::this_thread::sleep_for(std::chrono::seconds(seconds));
        stop = true;
        for (auto& t : writers) t.join();
        const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
        std::printf("16 writers, %.1f s, RocksDB log (fsync):\n\n", secs);
        std::printf("| kind | created | conflicts (409) | other failures | creates/s |\n");
        std::printf("|---|---|---|---|---|\n");
        for (auto [name, t] : {std::pair{"lines", &lines}, std::pair{"categories", &categories},
                               std::pair{"streams", &streams}}) {
            std::printf(
                "| %s | %lld | %lld | %lld | %.0f |\n", name, static_cast<long long>(t->ok.load()),
                static_cast<long long>(t->conflicts.load()),
                static_cast<long long>(t->failed.load()), static_cast<double>(t->ok.load()) / secs);
        }
    }

    // 2. Create latency, empty catalogue vs `entries` entries.
    std::printf("\nCreate latency, µs (median / p99), one writer:\n\n");
    std::printf("| catalogue | category | stream | line |\n|---|---|---|---|\n");
    const auto fresh_dir = dir / "fresh";
    {
        auto empty_store = events::open_rocksdb_event_store(fresh_dir);
        if (!empty_store) return 1;
        events::iptv::IptvService svc(**empty_store, "op");
        if (!svc.execute(CreateCategory{"Bench"}, context(0))) return 1;
        latencies(svc, "empty", "empty", 200, 20'000'000);
    }
    {
        events::iptv::IptvService svc(store, "op");
        const std::int64_t batch = 5000;
        for (std::int64_t done = 0; done < entries; done += batch) {
            ImportPlaylist import{fmt::format("bulk{}", done), {}, 0};
            for (std::int64_t i = done; i < std::min(entries, done + batch); ++i) {
                import.entries.push_back(
                    ImportEntry{i + 1, stream(50'000'000 + i), fmt::format("Group {}", i % 400)});
            }
            auto r = svc.execute(import, context(done));
            if (!r) {
                std::fprintf(stderr, "import: %s\n", r.error().message.c_str());
                return 1;
            }
        }
    }
    const auto label = fmt::format("{} entries, fresh service", entries);
    {
        events::iptv::IptvService svc(store, "op");
        latencies(svc, label.c_str(), "big", 200, 21'000'000);
        const auto warm = fmt::format("{} entries, warm service", entries);
        latencies(svc, warm.c_str(), "big2", 200, 22'000'000);
    }
    fs::remove_all(dir);
    return 0;
}
