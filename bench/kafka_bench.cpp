// Kafka log against raw librdkafka, in one run on librdkafka's mock cluster, and
// command-to-read-model latency on the Kafka log against the embedded log.
// Run: build/release/bench/bench_kafka [events]      (figures in bench/README.md)
#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "app/modules/module.hpp"
#include "events/command_handler.hpp"
#include "events/iptv/iptv_service.hpp"
#include "events/kafka/kafka_event_store.hpp"
#include "events/kafka/mock_cluster.hpp"
#include "events/rocksdb/rocksdb_event_store.hpp"
#include "projections/projection_runner.hpp"

namespace fs = std::filesystem;
using namespace switchyard;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

events::NewEvent sample(int i) {
    core::DecisionContext ctx;
    ctx.now = core::from_unix_seconds(1'790'000'000);
    auto data = fmt::format(
        "{{\"stream_id\":{},\"name\":\"Channel {} "
        "(720p)\",\"source_url\":\"https://cdn.example.net/"
        "live/{}/index.m3u8\",\"tvg_id\":\"Channel{}.us@SD\"}}",
        i, i, i, i);
    return events::make_new_event("bench.thing.happened", 1, data, ctx, "op");
}

/// Raw librdkafka: an idempotent acks=all producer, one flush at the end.
double raw_produce(const std::string& brokers, const std::string& topic, int n) {
    char err[512];
    auto* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", brokers.c_str(), err, sizeof err);
    rd_kafka_conf_set(conf, "enable.idempotence", "true", err, sizeof err);
    rd_kafka_conf_set(conf, "acks", "all", err, sizeof err);
    rd_kafka_conf_set(conf, "linger.ms", "1", err, sizeof err);
    auto* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    std::vector<std::string> values;
    for (int i = 0; i < n; ++i)
        values.push_back(fmt::format("{{\"i\":{},\"pad\":\"{}\"}}", i, std::string(300, 'x')));
    const auto start = Clock::now();
    for (int i = 0; i < n; ++i) {
        auto key = fmt::format("s-{}", i % 64);
        while (rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic.c_str()),
                                 RD_KAFKA_V_KEY(key.data(), key.size()),
                                 RD_KAFKA_V_VALUE(values[i].data(), values[i].size()),
                                 RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                 RD_KAFKA_V_END) == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
            rd_kafka_poll(rk, 1);
        }
    }
    rd_kafka_flush(rk, 60000);
    const double s = seconds_since(start);
    rd_kafka_destroy(rk);
    return n / s;
}

/// Raw librdkafka: a consumer reading `n` records of `topic` from the beginning.
double raw_consume(const std::string& brokers, const std::string& topic, int n) {
    char err[512];
    auto* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "bootstrap.servers", brokers.c_str(), err, sizeof err);
    rd_kafka_conf_set(conf, "group.id", "bench-raw", err, sizeof err);
    rd_kafka_conf_set(conf, "auto.offset.reset", "earliest", err, sizeof err);
    auto* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
    const rd_kafka_metadata_t* md = nullptr;
    rd_kafka_metadata(rk, 1, nullptr, &md, 5000);
    auto* list = rd_kafka_topic_partition_list_new(8);
    for (int t = 0; t < md->topic_cnt; ++t) {
        if (topic != md->topics[t].topic) continue;
        for (int p = 0; p < md->topics[t].partition_cnt; ++p) {
            rd_kafka_topic_partition_list_add(list, topic.c_str(), md->topics[t].partitions[p].id)
                ->offset = RD_KAFKA_OFFSET_BEGINNING;
        }
    }
    rd_kafka_metadata_destroy(md);
    const auto start = Clock::now();
    rd_kafka_assign(rk, list);
    int seen = 0;
    while (seen < n) {
        if (auto* m = rd_kafka_consumer_poll(rk, 100)) {
            if (!m->err) ++seen;
            rd_kafka_message_destroy(m);
        }
    }
    const double s = seconds_since(start);
    rd_kafka_topic_partition_list_destroy(list);
    rd_kafka_consumer_close(rk);
    rd_kafka_destroy(rk);
    return n / s;
}

/// Through the store: 64 writers appending one event each, concurrently.
double store_append(events::EventStore& store, int n) {
    std::atomic<int> next{0};
    const auto start = Clock::now();
    std::vector<std::thread> writers;
    for (int w = 0; w < 64; ++w) {
        writers.emplace_back([&, w] {
            for (int i = next++; i < n; i = next++) {
                if (!store.append(
                        {{fmt::format("s-{}", w), events::ExpectedRevision::any(), {sample(i)}}}))
                    std::abort();
            }
        });
    }
    for (auto& t : writers) t.join();
    return n / seconds_since(start);
}

struct Percentiles {
    double p50_ms, p99_ms;
};

/// Command -> read model: create a line, wait until every read model has it.
Percentiles command_to_read_model(events::EventStore& store, const fs::path& dir, int n) {
    auto runner = std::move(*projections::ProjectionRunner::open(dir, app::all_projectors()));
    runner->start(store);
    events::iptv::IptvService svc(store, "op");
    std::vector<double> ms;
    for (int i = 0; i < n; ++i) {
        core::DecisionContext ctx;
        ctx.now = core::from_unix_seconds(1'790'000'000 + i);
        ctx.correlation_id = fmt::format("bench-{}", i);
        ctx.random_secret = "AbCdEfGhIjKlMnOpQrStUvWx";
        ctx.hash_secret = [](const std::string&) { return std::string(64, 'a'); };
        core::iptv::CreateLine c;
        c.command_id = ctx.correlation_id;
        c.username = fmt::format("bench{}", i);
        const auto start = Clock::now();
        auto out = svc.execute(c, ctx);
        if (!out || !runner->wait_for(out->positions, std::chrono::seconds(30))) std::abort();
        ms.push_back(seconds_since(start) * 1000);
    }
    runner->stop();
    std::sort(ms.begin(), ms.end());
    return {ms[ms.size() / 2], ms[ms.size() * 99 / 100]};
}

}  // namespace

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 20000;
    auto cluster = std::move(*events::kafka::MockKafkaCluster::start(3));
    const auto brokers = cluster->bootstrap_servers();
    const auto tmp =
        fs::temp_directory_path() / fmt::format("switchyard-bench-kafka-{}", ::getpid());
    fs::create_directories(tmp);

    std::printf(
        "librdkafka mock cluster, 3 brokers, topics with 4 partitions, %d events of ~330 bytes\n\n",
        n);
    const double raw_p = raw_produce(brokers, "raw.bench.events", n);
    double store_p = 0, store_c = 0;
    {
        events::kafka::KafkaEventStoreOptions o;
        o.brokers = brokers;
        auto store = std::move(*events::kafka::open_kafka_event_store(o));
        store_p = store_append(*store, n);
    }
    const double raw_c = raw_consume(brokers, "switchyard.bench.events", n);
    {
        events::kafka::KafkaEventStoreOptions o;
        o.brokers = brokers;
        o.read_only = true;
        const auto start = Clock::now();
        auto store =
            std::move(*events::kafka::open_kafka_event_store(o));  // reads every topic to its end
        store_c = n / seconds_since(start);
    }
    std::printf("%-58s %12s %12s %8s\n", "", "store", "raw", "ratio");
    std::printf("%-58s %12.0f %12.0f %8.2f\n",
                "produce, events/s (store: 64 writers, 1 event per append)", store_p, raw_p,
                store_p / raw_p);
    std::printf("%-58s %12.0f %12.0f %8.2f\n", "consume, events/s (store: index catch-up at open)",
                store_c, raw_c, store_c / raw_c);

    const int commands = 300;
    Percentiles kafka_lat{}, kafka_short_lat{}, embedded_lat{};
    {
        events::kafka::KafkaEventStoreOptions o;
        o.brokers = brokers;
        o.topic_prefix = "latency.";
        auto store = std::move(*events::kafka::open_kafka_event_store(o));
        kafka_lat = command_to_read_model(*store, tmp / "kafka-models", commands);
    }
    {
        // The mock broker holds a fetch that finds no data for the whole fetch.wait.max.ms and
        // does not answer early when records arrive (librdkafka's rdkafka_mock_handlers.c says
        // so); a real broker answers such a long poll on arrival. With 1 ms the mock comes
        // close to what a real broker's consumer sees.
        events::kafka::KafkaEventStoreOptions o;
        o.brokers = brokers;
        o.topic_prefix = "latency_short_wait.";
        o.config = {{"fetch.wait.max.ms", "1"}};
        auto store = std::move(*events::kafka::open_kafka_event_store(o));
        kafka_short_lat = command_to_read_model(*store, tmp / "kafka-short-models", commands);
    }
    {
        auto store = std::move(*events::open_rocksdb_event_store(tmp / "log"));
        embedded_lat = command_to_read_model(*store, tmp / "embedded-models", commands);
    }
    std::printf(
        "\ncommand -> all read models (create a line, wait for its position), %d commands\n",
        commands);
    std::printf("%-36s %10s %10s\n", "", "p50 ms", "p99 ms");
    std::printf("%-36s %10.2f %10.2f\n", "kafka (mock), fetch.wait.max.ms 10", kafka_lat.p50_ms,
                kafka_lat.p99_ms);
    std::printf("%-36s %10.2f %10.2f\n", "kafka (mock), fetch.wait.max.ms 1",
                kafka_short_lat.p50_ms, kafka_short_lat.p99_ms);
    std::printf("%-36s %10.2f %10.2f\n", "embedded (RocksDB)", embedded_lat.p50_ms,
                embedded_lat.p99_ms);
    std::error_code ec;
    fs::remove_all(tmp, ec);
    return 0;
}
