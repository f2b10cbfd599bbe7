#pragma once
/// The backends the store contract suite runs against. Issue 3 adds Kafka here.

#include <memory>

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

}  // namespace switchyard::testing
