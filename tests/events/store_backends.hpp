#pragma once
/// The backends the store contract suite runs against. Issue 3 adds Kafka here.

#include <memory>

#include "events/kafka/kafka_event_store.hpp"
#include "events/kafka/mock_cluster.hpp"
#include "events/memory_event_store.hpp"
#include "events/rocksdb/rocksdb_event_store.hpp"
#include "tests/support/temp_dir.hpp"

namespace switchyard::testing {

struct MemoryBackend {
    static constexpr bool kDurable = false;
    static constexpr const char* kName = "memory";
    std::unique_ptr<events::EventStore> store = events::make_memory_event_store();
    events::EventStore& get() { return *store; }
    void reopen() {}
};

struct RocksDbBackend {
    static constexpr bool kDurable = true;
    static constexpr const char* kName = "rocksdb";
    TempDir dir;
    std::unique_ptr<events::EventStore> store;
    RocksDbBackend() { open(); }
    events::EventStore& get() { return *store; }
    void reopen() {
        store.reset();
        open();
    }

  private:
    void open() {
        auto s = events::open_rocksdb_event_store(dir.path() / "log");
        if (!s) throw std::runtime_error(s.error().message);
        store = std::move(*s);
    }
};

/// The Kafka backend on librdkafka's mock cluster (3 brokers; auto-created topics get the
/// mock's default of 4 partitions, so streams spread over partitions).
struct KafkaBackend {
    static constexpr bool kDurable = true;
    static constexpr const char* kName = "kafka";
    std::unique_ptr<events::kafka::MockKafkaCluster> cluster;
    std::unique_ptr<events::EventStore> store;
    KafkaBackend() {
        auto c = events::kafka::MockKafkaCluster::start(3);
        if (!c) throw std::runtime_error(c.error().message);
        cluster = std::move(*c);
        open();
    }
    events::EventStore& get() { return *store; }
    void reopen() {
        store.reset();
        open();
    }
    events::kafka::KafkaEventStoreOptions options() const {
        events::kafka::KafkaEventStoreOptions o;
        o.brokers = cluster->bootstrap_servers();
        o.timeout = std::chrono::seconds(20);
        o.session_timeout = std::chrono::milliseconds(6000);
        return o;
    }

  private:
    void open() {
        auto s = events::kafka::open_kafka_event_store(options());
        if (!s) throw std::runtime_error(s.error().message);
        store = std::move(*s);
    }
};

}  // namespace switchyard::testing
