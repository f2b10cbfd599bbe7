#pragma once
/// The log's contract (DESIGN.md, The log). Every backend passes tests/events/event_store_contract.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "events/envelope.hpp"

namespace switchyard::events {

/// A running subscription; destroying it (or calling stop) ends delivery and joins its thread.
class Subscription {
  public:
    virtual ~Subscription() = default;
    /// Stops delivery; returns after the handler has returned for the last time.
    virtual void stop() = 0;
};

/// Receives a batch of events in log order; returning normally acknowledges the batch.
using BatchHandler = std::function<void(std::span<const RecordedEvent>)>;

/// Receives the answer of an asynchronous append (EventStore::append_async).
using AppendCallback = std::function<void(core::Result<AppendResult>)>;

/// An append-only log of events grouped in streams.
/// @thread all methods are safe to call concurrently.
class EventStore {
  public:
    virtual ~EventStore() = default;

    /// Appends the writes atomically: all events of all writes are stored, or none.
    /// Returns only once the events are durable. Re-appending events whose ids are all stored
    /// already is a no-op that answers the original positions (`deduplicated` set).
    /// @errors Conflict when an expected revision does not hold, or when only some of the event
    ///         ids are already stored; Invalid for a bad stream name, a stream named twice, or an
    ///         event without id/type; Internal when the storage fails (nothing is stored then).
    virtual core::Result<AppendResult> append(std::vector<StreamWrite> writes) = 0;

    /// Appends as `append` does, without waiting: `done` receives the same answer, exactly once,
    /// only after the events are durable (on the RocksDB log, after the fsync of their group;
    /// on Kafka, after the transaction committed). A request refused before it reaches the log
    /// (malformed, read-only log, closing) is answered on the caller's thread; the rest on the
    /// log's writer thread, so `done` must be quick and must never append to this store itself
    /// and wait (it would wait for its own writer). The default calls `append` and then `done`.
    virtual void append_async(std::vector<StreamWrite> writes, AppendCallback done);

    /// Reads up to `max` events of `stream` from revision `from_revision` (inclusive) in order.
    /// @returns an empty vector for an unknown stream or a revision past its end.
    virtual core::Result<std::vector<RecordedEvent>> read_stream(const std::string& stream,
                                                                 std::int64_t from_revision,
                                                                 std::size_t max) = 0;

    /// Reads up to `max` events not yet covered by `from`, in log order within each partition.
    virtual core::Result<std::vector<RecordedEvent>> read_all(const Checkpoint& from,
                                                              std::size_t max) = 0;

    /// A checkpoint that covers every event stored so far.
    virtual Checkpoint head() const = 0;

    /// Blocks until some event not covered by `from` exists, or the timeout passes.
    /// @returns true when there is something to read.
    virtual bool wait_for_events(const Checkpoint& from, std::chrono::milliseconds timeout) = 0;

    /// Delivers every event not covered by `from` (catch-up), then new events as they are
    /// appended (live), in log order, on a thread of the subscription's own.
    /// A handler that throws stops the subscription (the exception is logged).
    /// @param max_batch upper bound of events per handler call.
    /// The default polls read_all/wait_for_events; the Kafka log consumes as a group member.
    virtual std::unique_ptr<Subscription> subscribe(Checkpoint from, BatchHandler handler,
                                                    std::size_t max_batch = 1024);
};

}  // namespace switchyard::events
