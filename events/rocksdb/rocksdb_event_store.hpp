#pragma once
/// The embedded log: one RocksDB database (DESIGN.md, The log). RocksDB stays inside the .cpp.

#include <cstddef>
#include <filesystem>
#include <memory>

#include "core/result.hpp"
#include "events/event_store.hpp"

namespace switchyard::events {

/// Options of the embedded log.
struct RocksDbEventStoreOptions {
    /// fsync the WAL before acknowledging an append. Default: true. Only benchmarks turn it off.
    bool sync = true;
    /// Most events written in one group commit. Default: 16384.
    std::size_t max_group_events = 16384;
    /// Open without the write lock (for `replay` and tools on a stopped or running server);
    /// append then answers Unavailable. Default: false.
    bool read_only = false;
    /// Follow a log that another process writes (RocksDB secondary instance): reads catch up
    /// with the primary as they go. Names a directory for the secondary's own files; implies
    /// read-only. Default: empty (off).
    std::filesystem::path secondary_dir;
};

/// Opens (creating when missing) the embedded log in `dir`.
/// Layout: column family `log` keyed by big-endian global offset -> envelope JSON; `streams`
/// keyed by `stream \0 BE64(revision)` -> BE64(offset); `event_ids` keyed by event id ->
/// BE64(offset). Concurrent appends are queued and committed by one writer thread as one WriteBatch
/// with one WAL sync (group commit); each append still succeeds or fails on its own.
/// @errors Unavailable when the database is locked by another process or cannot be opened;
///         Internal when it is corrupt.
core::Result<std::unique_ptr<EventStore>> open_rocksdb_event_store(
    const std::filesystem::path& dir, const RocksDbEventStoreOptions& options = {});

}  // namespace switchyard::events
