#pragma once
/// The projection runner: owns the read-model RocksDB (one column family per projector, named
/// after it), feeds projectors from the log, and writes their rows and checkpoints in one
/// WriteBatch per batch of events, so that a read model is never ahead of or behind its
/// checkpoint. RocksDB stays inside the .cpp.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "events/event_store.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections {

struct ProjectionRunnerOptions {
    /// Open for reading only (replay comparing against a stopped server). Default: false.
    bool read_only = false;
    /// Threads that project one batch, each taking whole models (a model is never split): 0 means
    /// one per hardware thread, at most 8. Only batches of at least 256 events are split (a
    /// rebuild or a catch-up); the live path's small batches run on the calling thread.
    int threads = 0;
    /// A model with no checkpoint (new, or its version bumped) is built by bulk load: its rows
    /// are kept in memory, in key order, and written as sorted SST files that RocksDB ingests
    /// (no memtable, no flush), each when the pending rows pass `bulk_spill_bytes`, and the
    /// rest when projection catches up with the log (a batch shorter than 256 events, the end
    /// of catch_up, or the runner closing). Its checkpoint moves with each ingestion. A crash
    /// in the middle leaves a marker: the next open empties the model and builds it again.
    /// Default: true.
    bool bulk_load = true;
    /// Pending bytes (keys, values and about 64 bytes each) per model before a spill.
    /// Default: 64 MiB.
    std::size_t bulk_spill_bytes = std::size_t{64} << 20;
};

/// Runs a set of projectors against one log.
/// @thread start/stop from one thread; queries and waits from any thread.
class ProjectionRunner {
  public:
    /// Opens (creating) the read-model database in `dir` for `projectors`. A column family whose
    /// base name matches a projector but whose version differs is dropped: that model rebuilds.
    /// @errors Unavailable when the directory is locked or cannot be opened.
    static core::Result<std::unique_ptr<ProjectionRunner>> open(
        const std::filesystem::path& dir, std::vector<std::unique_ptr<Projector>> projectors,
        const ProjectionRunnerOptions& options = {});

    virtual ~ProjectionRunner() = default;

    /// Subscribes to `store` from the lowest checkpoint and projects live until `stop`. Models
    /// to build from empty (ProjectionRunnerOptions::bulk_load) are first built up to the head
    /// on the calling thread.
    virtual void start(events::EventStore& store) = 0;
    /// Stops the subscription; the last batch is either fully written or not at all.
    virtual void stop() = 0;

    /// Projects synchronously until every projector covers `until` (or the head of `store`
    /// when absent). Used by replay and tests.
    virtual core::Result<void> catch_up(events::EventStore& store,
                                        const std::optional<events::Checkpoint>& until) = 0;

    /// The checkpoint of a projector. @errors NotFound for an unknown name.
    virtual core::Result<events::Checkpoint> checkpoint(const std::string& name) const = 0;
    /// The lowest checkpoint over all projectors (what every model has reached).
    virtual events::Checkpoint low_watermark() const = 0;
    /// Waits, up to `timeout`, until every projector covers `positions`.
    /// @returns false on timeout.
    virtual bool wait_for(const std::vector<events::Position>& positions,
                          std::chrono::milliseconds timeout) const = 0;
    /// Calls `ready` once when every projector covers `positions`: at once, on the calling
    /// thread, when they already do; else later, on the thread that advances the checkpoints.
    /// This is how a waiter is woken without holding a thread (the transport's asynchronous
    /// read-your-writes waits).
    /// @param ready Must be quick and must not call back into the runner.
    /// @returns a ticket for `cancel_notify`; 0 when `ready` has already been called.
    /// @thread any thread.
    virtual std::uint64_t notify_when(const std::vector<events::Position>& positions,
                                      std::function<void()> ready) const = 0;
    /// Forgets a registration of `notify_when`: once this returns, its `ready` is not running
    /// and will not be called. Unknown tickets (already called, or 0) are ignored.
    /// @thread any thread.
    virtual void cancel_notify(std::uint64_t ticket) const = 0;
    /// Read access to a model by projector name (`xtream_catalogue.v1`); null when unknown.
    virtual const ReadModelView* view(const std::string& name) const = 0;
    /// Lower-case hex SHA-256 over the model's keys and values in key order.
    /// @errors NotFound for an unknown name.
    virtual core::Result<std::string> digest(const std::string& name) const = 0;
    /// True when the live subscription stopped on an error.
    virtual bool failed() const = 0;
    /// Names of the projectors, in the order given.
    virtual std::vector<std::string> names() const = 0;
    /// Events projected since this runner opened (each counted once, however many models use
    /// it): 0 after a restart that found every model up to date.
    virtual std::int64_t events_applied() const = 0;
};

}  // namespace switchyard::projections
