#pragma once
/// Group commit: concurrent appends wait in a queue; one writer thread takes every waiting
/// append (up to a bound of events) and commits them together, with one sync. Both durable
/// backends use it; what "commit" means (a RocksDB WriteBatch, a Kafka transaction) is theirs.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "core/result.hpp"
#include "events/envelope.hpp"

namespace switchyard::events {

/// One append waiting for its group.
struct PendingAppend {
    std::vector<StreamWrite> writes;
    std::promise<core::Result<AppendResult>> done;
};

/// The queue and its writer thread.
/// @thread submit from any thread; the commit function runs on the writer thread only.
class GroupCommitQueue {
  public:
    /// Commits a group; must fulfil every `done` of the group before returning.
    using Commit = std::function<void(const std::vector<PendingAppend*>& group)>;

    /// Starts the writer thread. @param max_group_events bound of events per group (a single
    /// larger append still forms a group of its own).
    GroupCommitQueue(std::size_t max_group_events, Commit commit);
    /// Commits what is queued, then stops the thread.
    ~GroupCommitQueue();

    /// Queues an append and waits for its group's commit.
    /// @errors Unavailable when the queue is stopping; else what the commit answered.
    core::Result<AppendResult> submit(std::vector<StreamWrite> writes);

    /// True once the destructor has begun (commits in flight may check it to stop waiting).
    bool stopping() const;

  private:
    void run();

    std::size_t max_group_events_;
    Commit commit_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::deque<PendingAppend*> queue_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace switchyard::events
