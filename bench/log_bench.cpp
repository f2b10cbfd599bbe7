// Durable append (1 and 64 writers), projection rebuild, and rendering get_live_streams.
// Run: build/release/bench/bench_log   (figures in bench/README.md)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include <fmt/format.h>

#include "app/modules/module.hpp"
#include "core/iptv/m3u.hpp"
#include "events/command_handler.hpp"
#include "events/iptv/iptv_codec.hpp"
#include "events/iptv/iptv_service.hpp"
#include "events/memory_event_store.hpp"
#include "events/rocksdb/rocksdb_event_store.hpp"
#include "events/uuid.hpp"
#include "projections/iptv/xtream_catalogue.hpp"

namespace fs = std::filesystem;
using namespace switchyard;

namespace {

fs::path scratch(const std::string& name) {
    auto p = fs::temp_directory_path() / fmt::format("switchyard-bench-{}-{}", name, ::getpid());
    fs::remove_all(p);
    return p;
}

core::DecisionContext context(int n = 0) {
    core::DecisionContext c;
    c.now = core::from_unix_seconds(1'790'000'000 + n);
    c.actor = core::Actor{core::ActorKind::ApiKey, "k_bench", "127.0.0.1"};
    c.correlation_id = fmt::format("bench-{}", n);
    c.random_secret = "AbCdEfGhIjKlMnOpQrStUvWx";
    c.hash_secret = [](const std::string& p) { return std::string(64, 'a') + p.substr(0, 0); };
    return c;
}

/// A realistic payload: one stream.added of about 330 bytes.
events::NewEvent sample_event(std::int64_t i) {
    core::iptv::StreamFields f;
    f.name = fmt::format("Channel {} (720p)", i);
    f.source_url = fmt::format("https://cdn{}.example.net/live/{}/index.m3u8", i % 97, i);
    f.tvg_id = fmt::format("Channel{}.us@SD", i);
    f.epg_channel_id = fmt::format("Channel{}.us", i);
    f.category_id = 1 + i % 40;
    auto enc = events::iptv::encode(
        core::iptv::CatalogueEvent{core::iptv::StreamAdded{i + 1, f, context().now, "bench"}});
    return events::make_new_event(enc.type, enc.schema, enc.data, context(), "op");
}

// ---- durable append ----

std::unique_ptr<events::EventStore> g_store;
fs::path g_store_dir;

/// Latencies of every append of a multi-threaded run, merged after the loop: the p99 over all
/// appends (Google Benchmark's per-thread counters would average each thread's own p99).
struct Latencies {
    std::mutex mu;
    std::vector<double> all;
    int arrived = 0;
    std::condition_variable cv;

    void reset() {
        std::lock_guard lock(mu);
        all.clear();
        arrived = 0;
    }
    /// Adds a thread's samples; returns after every thread has added its own.
    void merge(std::vector<double>& mine, int threads) {
        std::unique_lock lock(mu);
        all.insert(all.end(), mine.begin(), mine.end());
        if (++arrived == threads) {
            std::sort(all.begin(), all.end());
            cv.notify_all();
        }
        cv.wait(lock, [&] { return arrived == threads; });
    }
    double at(double q) {
        std::lock_guard lock(mu);
        return all.empty() ? 0
                           : all[static_cast<std::size_t>(q * static_cast<double>(all.size() - 1))];
    }
};
Latencies g_latencies;

void report_latencies(benchmark::State& state, std::vector<double>& mine) {
    g_latencies.merge(mine, state.threads());
    // Every thread reports the same figure; kAvgThreads divides their sum by the threads.
    state.counters["p50_us"] =
        benchmark::Counter(g_latencies.at(0.50), benchmark::Counter::kAvgThreads);
    state.counters["p99_us"] =
        benchmark::Counter(g_latencies.at(0.99), benchmark::Counter::kAvgThreads);
}

/// `events_per_append` events a call, one writer per benchmark thread, each blocking until its
/// append is durable (the fsync of its group).
void durable_append(benchmark::State& state, std::int64_t events_per_append) {
    if (state.thread_index() == 0) {
        g_store_dir = scratch("append");
        g_store = std::move(*events::open_rocksdb_event_store(g_store_dir));
        g_latencies.reset();
    }
    std::vector<double> mine;
    const auto stream = fmt::format("bench-{}", state.thread_index());
    std::int64_t i = 0;
    for (auto _ : state) {
        std::vector<events::NewEvent> batch;
        for (std::int64_t j = 0; j < events_per_append; ++j) batch.push_back(sample_event(i++));
        const auto start = std::chrono::steady_clock::now();
        auto r = g_store->append({{stream, events::ExpectedRevision::any(), std::move(batch)}});
        mine.push_back(
            std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
                .count());
        if (!r) state.SkipWithError(r.error().message.c_str());
    }
    state.SetItemsProcessed(state.iterations() * events_per_append);
    report_latencies(state, mine);
    if (state.thread_index() == 0) {
        g_store.reset();
        fs::remove_all(g_store_dir);
    }
}

void BM_DurableAppend(benchmark::State& state) { durable_append(state, 1); }
BENCHMARK(BM_DurableAppend)->Threads(1)->Threads(64)->UseRealTime()->MinTime(3.0);

/// Commands that append several events at once (an import, a CDR batch): 8 per append.
void BM_DurableAppendBatch(benchmark::State& state) { durable_append(state, 8); }
BENCHMARK(BM_DurableAppendBatch)->Threads(64)->UseRealTime()->MinTime(3.0);

/// One thread keeps `range(0)` single-event appends in flight through append_async, as the
/// API's coroutines do: no thread waits. Each answer (after its group's fsync) lets that client
/// send its next append, as redis-benchmark's clients do. Latency: submit to answer.
void BM_DurableAppendAsync(benchmark::State& state) {
    const auto clients = static_cast<std::size_t>(state.range(0));
    const auto dir = scratch("append-async");
    auto store = std::move(*events::open_rocksdb_event_store(dir));
    std::mutex mu;
    std::condition_variable cv;
    std::vector<std::size_t> ready;  // clients whose append was answered
    std::vector<std::chrono::steady_clock::time_point> sent(clients);
    std::vector<double> latencies;
    std::atomic<bool> failed{false};
    std::int64_t i = 0;
    auto send = [&](std::size_t client) {
        auto e = sample_event(i++);
        sent[client] = std::chrono::steady_clock::now();
        store->append_async(
            {{fmt::format("bench-{}", client), events::ExpectedRevision::any(), {std::move(e)}}},
            [&, client](core::Result<events::AppendResult> r) {
                const auto now = std::chrono::steady_clock::now();
                if (!r) failed = true;
                std::lock_guard lock(mu);
                latencies.push_back(
                    std::chrono::duration<double, std::micro>(now - sent[client]).count());
                ready.push_back(client);
                cv.notify_one();
            });
    };
    for (std::size_t c = 0; c < clients; ++c) send(c);
    std::vector<std::size_t> mine;
    for (auto _ : state) {
        {
            std::unique_lock lock(mu);
            cv.wait(lock, [&] { return !ready.empty(); });
            mine.swap(ready);
        }
        for (auto c : mine) send(c);
        mine.clear();
    }
    std::size_t answered = 0;  // within the timed loop
    {
        std::unique_lock lock(mu);
        answered = latencies.size();
        cv.wait(lock, [&] { return latencies.size() == static_cast<std::size_t>(i); });
    }
    if (failed) state.SkipWithError("an append failed");
    state.SetItemsProcessed(static_cast<std::int64_t>(answered));
    std::sort(latencies.begin(), latencies.end());
    state.counters["p50_us"] = latencies[latencies.size() / 2];
    state.counters["p99_us"] = latencies[latencies.size() * 99 / 100];
    store.reset();
    fs::remove_all(dir);
}
BENCHMARK(BM_DurableAppendAsync)->Arg(64)->Arg(256)->UseRealTime()->MinTime(3.0);

// ---- projection rebuild ----

fs::path g_rebuild_log;
std::int64_t g_rebuild_events = 0;

void prepare_rebuild_log(std::int64_t n) {
    if (!g_rebuild_log.empty()) return;
    g_rebuild_log = scratch("rebuild-log");
    events::RocksDbEventStoreOptions o;
    o.sync = false;  // setup only
    auto store = std::move(*events::open_rocksdb_event_store(g_rebuild_log, o));
    for (std::int64_t i = 0; i < n; i += 1000) {
        std::vector<events::NewEvent> batch;
        for (std::int64_t j = i; j < i + 1000 && j < n; ++j) batch.push_back(sample_event(j));
        if (!store->append({{"catalogue-op", events::ExpectedRevision::any(), std::move(batch)}}))
            std::abort();
    }
    g_rebuild_events = store->head().total();
}

/// Args: events in the log; threads projecting a batch (1: one model after the other on the
/// calling thread; 0: one per core, ProjectionRunnerOptions::threads); bulk load (1: the models
/// are written as SST files and ingested; 0: through the memtables, batch by batch).
void BM_ProjectionRebuild(benchmark::State& state) {
    prepare_rebuild_log(state.range(0));
    projections::ProjectionRunnerOptions options;
    options.threads = static_cast<int>(state.range(1));
    options.bulk_load = state.range(2) != 0;
    events::RocksDbEventStoreOptions o;
    o.read_only = true;
    auto store = std::move(*events::open_rocksdb_event_store(g_rebuild_log, o));
    for (auto _ : state) {
        state.PauseTiming();
        auto dir = scratch("rebuild-models");
        auto runner =
            std::move(*projections::ProjectionRunner::open(dir, app::all_projectors(), options));
        state.ResumeTiming();
        if (!runner->catch_up(*store, std::nullopt)) state.SkipWithError("rebuild failed");
        runner.reset();  // the last flush of the read models is part of the rebuild
        state.PauseTiming();
        fs::remove_all(dir);
        state.ResumeTiming();
    }
    state.SetItemsProcessed(state.iterations() * g_rebuild_events);
    state.counters["models"] = static_cast<double>(app::all_projectors().size());
}
BENCHMARK(BM_ProjectionRebuild)
    ->Args({200'000, 1, 1})
    ->Args({200'000, 0, 1})
    ->Args({200'000, 1, 0})
    ->Args({200'000, 0, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

/// Reading and decoding the rebuild's log, as the rebuild does, without projecting: the
/// ceiling of a rebuild's rate.
void BM_ReadAll(benchmark::State& state) {
    prepare_rebuild_log(state.range(0));
    events::RocksDbEventStoreOptions o;
    o.read_only = true;
    auto store = std::move(*events::open_rocksdb_event_store(g_rebuild_log, o));
    for (auto _ : state) {
        events::Checkpoint at(1);
        std::int64_t n = 0;
        for (;;) {
            auto batch = store->read_all(at, 4096);
            if (!batch || batch->empty()) break;
            for (const auto& e : *batch) at.advance(e.position);
            n += static_cast<std::int64_t>(batch->size());
        }
        if (n != g_rebuild_events) state.SkipWithError("short read");
    }
    state.SetItemsProcessed(state.iterations() * g_rebuild_events);
}
BENCHMARK(BM_ReadAll)->Arg(200'000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// ---- get_live_streams rendering ----

struct Catalogue {
    std::unique_ptr<events::EventStore> store = events::make_memory_event_store();
    fs::path dir = scratch("catalogue");
    std::unique_ptr<projections::ProjectionRunner> runner;
    std::shared_ptr<const projections::iptv::CatalogueSnapshot> snapshot;
    Catalogue() {
        events::iptv::IptvService svc(*store, "op");
        int n = 0;
        for (const auto& f : fs::directory_iterator(fs::path(SY_SHARED_DATA) / "iptv" / "m3u")) {
            std::ifstream in(f.path());
            std::stringstream ss;
            ss << in.rdbuf();
            std::vector<core::iptv::M3uProblem> invalid;
            auto cmd =
                core::iptv::make_import(core::iptv::parse_m3u(ss.str()), f.path().stem().string(),
                                        core::iptv::CategoryFrom::Country, invalid);
            if (!svc.execute(cmd, context(++n))) std::abort();
        }
        if (!svc.execute(core::iptv::CreateBouquet{"Half", {1, 2, 3, 4, 5}, {}}, context(++n)))
            std::abort();
        runner = std::move(*projections::ProjectionRunner::open(dir, app::all_projectors()));
        if (!runner->catch_up(*store, std::nullopt)) std::abort();
        snapshot = projections::iptv::CatalogueSnapshot::load(
            *runner->view(projections::iptv::kXtreamCatalogue));
    }
};

Catalogue& catalogue() {
    static Catalogue c;
    return c;
}

void BM_LiveStreamsAll(benchmark::State& state) {
    auto& c = catalogue();
    std::size_t bytes = 0;
    for (auto _ : state) {
        auto body = c.snapshot->live_streams_json({}, std::nullopt);
        bytes += body.size();
        benchmark::DoNotOptimize(body);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
    state.counters["streams"] = static_cast<double>(c.snapshot->streams().size());
}
BENCHMARK(BM_LiveStreamsAll);

void BM_LiveStreamsBouquet(benchmark::State& state) {
    auto& c = catalogue();
    std::size_t bytes = 0;
    for (auto _ : state) {
        auto body = c.snapshot->live_streams_json({1}, std::nullopt);
        bytes += body.size();
        benchmark::DoNotOptimize(body);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_LiveStreamsBouquet);

void BM_SnapshotLoad(benchmark::State& state) {
    auto& c = catalogue();
    for (auto _ : state) {
        auto s = projections::iptv::CatalogueSnapshot::load(
            *c.runner->view(projections::iptv::kXtreamCatalogue));
        benchmark::DoNotOptimize(s);
    }
}
BENCHMARK(BM_SnapshotLoad)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
