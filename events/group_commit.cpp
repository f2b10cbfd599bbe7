#include "events/group_commit.hpp"

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

GroupCommitQueue::GroupCommitQueue(std::size_t max_group_events, Commit commit)
    : max_group_events_(max_group_events), commit_(std::move(commit)) {
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
            wake = queue_.empty();  // the writer sleeps only on an empty queue
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

void GroupCommitQueue::run() {
    Group group;
    for (;;) {
        group.clear();
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty() && stopping_) return;
            std::size_t events = 0;
            while (!queue_.empty() && (group.empty() || events < max_group_events_)) {
                for (const auto& w : queue_.front()->writes) events += w.events.size();
                group.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        commit_(group);
    }
}

}  // namespace switchyard::events
