#include "events/group_commit.hpp"

namespace switchyard::events {

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

core::Result<AppendResult> GroupCommitQueue::submit(std::vector<StreamWrite> writes) {
    PendingAppend append{std::move(writes), {}};
    auto done = append.done.get_future();
    {
        std::lock_guard lock(mu_);
        if (stopping_) return core::fail(core::Errc::Unavailable, "log", "the log is closing");
        queue_.push_back(&append);
    }
    cv_.notify_one();
    return done.get();
}

void GroupCommitQueue::run() {
    for (;;) {
        std::vector<PendingAppend*> group;
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty() && stopping_) return;
            std::size_t events = 0;
            while (!queue_.empty() && (group.empty() || events < max_group_events_)) {
                for (const auto& w : queue_.front()->writes) events += w.events.size();
                group.push_back(queue_.front());
                queue_.pop_front();
            }
        }
        commit_(group);
    }
}

}  // namespace switchyard::events
