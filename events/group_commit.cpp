#include "events/group_commit.hpp"

#include <algorithm>
#include <chrono>
#include <optional>

#include "events/append_planner.hpp"

namespace switchyard::events {

core::Result<std::unique_ptr<PendingAppend>> PendingAppend::prepare(
    std::vector<StreamWrite> writes) {
    SY_TRY(validate_append(writes));
    auto pending = std::make_unique<PendingAppend>();
    pending->parts.resize(writes.size());
    for (std::size_t i = 0; i < writes.size(); ++i) {
        auto& parts = pending->parts[i];
        parts.reserve(writes[i].events.size());
        for (const auto& e : writes[i].events)
            parts.push_back(encode_envelope_parts(e, writes[i].stream));
    }
    pending->writes = std::move(writes);
    return pending;
}

GroupCommitQueue::GroupCommitQueue(std::size_t max_group_events, Commit commit,
                                   std::chrono::microseconds max_gather_wait)
    : max_group_events_(max_group_events),
      max_gather_wait_(max_gather_wait),
      commit_(std::move(commit)) {
    thread_ = std::thread([this] { run(); });
}

GroupCommitQueue::~GroupCommitQueue() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

bool GroupCommitQueue::stopping() const {
    std::lock_guard lock(mu_);
    return stopping_;
}

void GroupCommitQueue::submit_async(std::unique_ptr<PendingAppend> append) {
    bool wake = false;
    {
        std::lock_guard lock(mu_);
        if (!stopping_) {
            // The writer sleeps on an empty queue, or while it gathers a group until the queue
            // holds gather_target_ appends: one wake-up each time, not one per append.
            wake = queue_.empty() || (gather_target_ > 0 && queue_.size() + 1 == gather_target_);
            queue_.push_back(std::move(append));
        }
    }
    if (append) {
        append->done(core::fail(core::Errc::Unavailable, "log", "the log is closing"));
        return;
    }
    if (wake) cv_.notify_one();
}

core::Result<AppendResult> GroupCommitQueue::submit(std::unique_ptr<PendingAppend> append) {
    // The writer notifies while it holds the waiter's mutex, so the waiter (on this stack)
    // cannot return and vanish before the writer has let go of it.
    struct Waiter {
        std::mutex mu;
        std::condition_variable cv;
        std::optional<core::Result<AppendResult>> result;
    } waiter;
    append->done = [&waiter](core::Result<AppendResult> r) {
        std::lock_guard lock(waiter.mu);
        waiter.result.emplace(std::move(r));
        waiter.cv.notify_one();
    };
    submit_async(std::move(append));
    std::unique_lock lock(waiter.mu);
    waiter.cv.wait(lock, [&] { return waiter.result.has_value(); });
    return std::move(*waiter.result);
}

namespace {

core::Result<std::unique_ptr<PendingAppend>> prepare_for(GroupCommitQueue* queue,
                                                         std::vector<StreamWrite> writes) {
    if (queue == nullptr) {
        return core::fail(core::Errc::Unavailable, "log", "the log is open read-only");
    }
    return PendingAppend::prepare(std::move(writes));
}

}  // namespace

core::Result<AppendResult> append_through(GroupCommitQueue* queue,
                                          std::vector<StreamWrite> writes) {
    auto pending = SY_TRY(prepare_for(queue, std::move(writes)));
    return queue->submit(std::move(pending));
}

void append_async_through(GroupCommitQueue* queue, std::vector<StreamWrite> writes,
                          AppendCallback done) {
    auto pending = prepare_for(queue, std::move(writes));
    if (!pending) {
        done(tl::unexpected(pending.error()));
        return;
    }
    (*pending)->done = std::move(done);
    queue->submit_async(std::move(*pending));
}

void GroupCommitQueue::run() {
    Group group;
    // Callers answered by a commit mostly append again at once (a waiting thread, the client of
    // an async caller). Starting the next group on the first of them would split them from the
    // appends already queued into two groups (two syncs) for good, because each group then
    // forms while the other one syncs. So the next group waits for as many appends as were
    // queued when the answers began plus the appends answered, up to an eighth of a commit
    // (moving average) and at most max_gather_wait_; PostgreSQL's commit_delay does the same for
    // its WAL flush, with a fixed delay. That pays when a sync is long against the time callers
    // need to come back; when a sync is short (a fast disk, both cores busy) the wait mostly
    // runs out and only delays. So a wait that ends with fewer than three quarters of the
    // target makes the writer skip the next 1, 2, 4 ... 64 chances to wait; one that fills
    // resets it. Durability is unchanged: every append is still answered after its group's sync.
    std::size_t expected = 0;
    std::size_t skip = 0, backoff = 1;
    std::chrono::nanoseconds commit_time{0};
    for (;;) {
        group.clear();
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty() && stopping_) return;
            const std::size_t target = std::min(expected, max_group_events_);
            if (queue_.size() < target && !stopping_ && skip > 0) {
                --skip;
            } else if (queue_.size() < target && !stopping_) {
                gather_target_ = target;
                cv_.wait_for(lock,
                             std::min<std::chrono::nanoseconds>(commit_time / 8, max_gather_wait_),
                             [&] { return stopping_ || queue_.size() >= target; });
                gather_target_ = 0;
                if (queue_.size() * 4 >= target * 3) {
                    backoff = 1;
                } else {
                    skip = backoff;
                    backoff = std::min<std::size_t>(backoff * 2, 64);
                }
            }
            std::size_t events = 0;
            while (!queue_.empty() && (group.empty() || events < max_group_events_)) {
                for (const auto& w : queue_.front()->writes) events += w.events.size();
                group.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        const auto started = std::chrono::steady_clock::now();
        auto results = commit_(group);
        const auto took = std::chrono::steady_clock::now() - started;
        commit_time = commit_time.count() == 0 ? took : (commit_time * 7 + took) / 8;
        {
            std::lock_guard lock(mu_);
            expected = queue_.size() + group.size();
        }
        for (std::size_t i = 0; i < group.size(); ++i) {
            group[i]->done(i < results.size()
                               ? std::move(results[i])
                               : core::fail(core::Errc::Internal, "log", "append not answered"));
        }
    }
}

}  // namespace switchyard::events
