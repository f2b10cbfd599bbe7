#pragma once
/// Group commit: appends wait in a queue; one writer thread takes every waiting append (up to a
/// bound of events) and commits them together, with one sync, then answers each through its
/// callback. Before a group it may wait briefly (an eighth of a commit, at most 1 ms) for the
/// callers it has just answered to append again, so they share the next sync. Both durable backends
/// use it; what "commit" means (a RocksDB WriteBatch, a Kafka transaction) is theirs. A caller
/// either waits (submit) or goes on and is called back (submit_async), so waiting appends need no
/// thread each.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/result.hpp"
#include "events/envelope.hpp"
#include "events/envelope_codec.hpp"
#include "events/event_store.hpp"

namespace switchyard::events {

/// One append waiting for its group.
struct PendingAppend {
    std::vector<StreamWrite> writes;
    /// The events' envelopes without revision and position (`parts[write][event]`), encoded by
    /// the caller with encode_envelope_parts, so the writer only copies them.
    std::vector<std::vector<EnvelopeParts>> parts;
    /// Receives the answer exactly once.
    AppendCallback done;

    /// Validates `writes` (validate_append) and encodes their parts, on the caller's thread.
    /// @errors Invalid as validate_append.
    static core::Result<std::unique_ptr<PendingAppend>> prepare(std::vector<StreamWrite> writes);
};

/// The queue and its writer thread.
/// @thread submit from any thread; the commit function runs on the writer thread only.
class GroupCommitQueue {
  public:
    using Group = std::vector<std::unique_ptr<PendingAppend>>;
    /// Commits a group and answers each of its appends, in order (the queue then calls their
    /// `done`); an append left without an answer gets Internal.
    using Commit = std::function<std::vector<core::Result<AppendResult>>(Group& group)>;

    /// Starts the writer thread. @param max_group_events bound of events per group (a single
    /// larger append still forms a group of its own). @param max_gather_wait the longest the
    /// writer waits for the callers it has just answered before it starts the next group (it
    /// waits at most an eighth of a commit, moving average).
    GroupCommitQueue(std::size_t max_group_events, Commit commit,
                     std::chrono::microseconds max_gather_wait = std::chrono::milliseconds(1));
    /// Commits what is queued, then stops the thread.
    ~GroupCommitQueue();

    /// Queues an append; its `done` runs on the writer thread once the group is committed, or
    /// on this thread with Unavailable when the queue is stopping.
    void submit_async(std::unique_ptr<PendingAppend> append);

    /// Queues an append (its `done` is replaced) and waits for its group's commit.
    /// @errors Unavailable when the queue is stopping; else what the commit answered.
    core::Result<AppendResult> submit(std::unique_ptr<PendingAppend> append);

    /// True once the destructor has begun (commits in flight may check it to stop waiting).
    bool stopping() const;

  private:
    void run();

    std::size_t max_group_events_;
    std::chrono::microseconds max_gather_wait_;
    Commit commit_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::unique_ptr<PendingAppend>> queue_;
    std::size_t gather_target_ = 0;  // > 0 while the writer waits for a group of that many
    bool stopping_ = false;
    std::thread thread_;
};

/// EventStore::append for a log that commits through `queue`: prepares on the caller's thread,
/// then waits for the group. A null `queue` is a log open read-only.
/// @errors Unavailable when `queue` is null or stopping; Invalid as validate_append; else what
/// the commit answered.
core::Result<AppendResult> append_through(GroupCommitQueue* queue, std::vector<StreamWrite> writes);

/// EventStore::append_async for a log that commits through `queue`. A refused append (read-only,
/// invalid) is answered on the caller's thread, a committed one on the writer thread.
void append_async_through(GroupCommitQueue* queue, std::vector<StreamWrite> writes,
                          AppendCallback done);

}  // namespace switchyard::events
