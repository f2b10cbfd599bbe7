// `switchyard relay`: the embedded log -> Kafka event topics.
#include <unistd.h>
#include <csignal>
#include <cstdio>
#include <filesystem>

#include "app/commands.hpp"
#include "events/kafka/kafka_event_store.hpp"
#include "events/kafka/relay.hpp"
#include "events/rocksdb/rocksdb_event_store.hpp"

namespace switchyard::app {

namespace fs = std::filesystem;

namespace {
std::atomic<bool> g_stop{false};
void on_signal(int) { g_stop = true; }
}  // namespace

int run_relay(const RelayCommandOptions& o) {
    auto fail = [](const core::Error& e) {
        std::fprintf(stderr, "error: %s: %s\n", e.field.c_str(), e.message.c_str());
        return 1;
    };
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    const fs::path dir = o.data_dir;
    auto brokers = events::kafka::parse_kafka_url(o.to);
    if (!brokers) return fail(brokers.error());
    events::RocksDbEventStoreOptions log_options;
    log_options.secondary_dir = dir / "relay" / ("secondary-" + std::to_string(::getpid()));
    auto source = events::open_rocksdb_event_store(dir / "log", log_options);
    if (!source) return fail(source.error());
    auto producer = events::kafka::TransactionalProducer::open(*brokers, "switchyard-relay",
                                                               std::chrono::seconds(30));
    if (!producer) return fail(producer.error());
    events::kafka::RelayOptions options;
    options.checkpoint_file = dir / "relay" / "checkpoint";
    options.follow = !o.once;
    auto start = events::kafka::load_relay_checkpoint(options.checkpoint_file);
    if (!start) return fail(start.error());
    std::fprintf(stderr, "relaying %s to %s from checkpoint '%s'\n", (dir / "log").c_str(),
                 o.to.c_str(), start->to_string().c_str());
    auto relayed = events::kafka::relay(
        **source, **producer, options, g_stop, [](std::int64_t n, const events::Checkpoint& c) {
            std::fprintf(stderr, "relayed %lld events, checkpoint %s\n", static_cast<long long>(n),
                         c.to_string().c_str());
        });
    std::error_code ec;
    fs::remove_all(log_options.secondary_dir, ec);
    if (!relayed) return fail(relayed.error());
    std::fprintf(stderr, "done: %lld events relayed\n", static_cast<long long>(*relayed));
    return 0;
}

}  // namespace switchyard::app
