#include "events/memory_event_store.hpp"

#include <condition_variable>
#include <mutex>
#include <unordered_map>

#include "events/append_planner.hpp"

namespace switchyard::events {

namespace {

class MemoryEventStore final : public EventStore {
  public:
    core::Result<AppendResult> append(std::vector<StreamWrite> writes) override {
        std::lock_guard lock(mu_);
        std::int64_t next = static_cast<std::int64_t>(log_.size());
        AppendLookups lookups{
            [&](const std::string& stream) -> core::Result<std::int64_t> {
                auto it = streams_.find(stream);
                return it == streams_.end() ? -1 : static_cast<std::int64_t>(it->second.size()) - 1;
            },
            [&](const std::string& id) -> core::Result<std::optional<StoredEvent>> {
                auto it = ids_.find(id);
                if (it == ids_.end()) return std::optional<StoredEvent>();
                const auto& e = log_[static_cast<std::size_t>(it->second)];
                return std::optional<StoredEvent>(StoredEvent{e.stream, e.revision, e.position});
            },
            [&](const std::string&) {
                return Position{0, next++};
            },
        };
        auto plan = SY_TRY(plan_append(writes, lookups));
        for (const auto& planned : plan.records) {
            auto r = take_record(writes, planned);
            streams_[r.stream].push_back(r.position.offset);
            ids_[r.id] = r.position.offset;
            log_.push_back(std::move(r));
        }
        if (!plan.records.empty()) cv_.notify_all();
        return std::move(plan.result);
    }

    core::Result<std::vector<RecordedEvent>> read_stream(const std::string& stream,
                                                         std::int64_t from_revision,
                                                         std::size_t max) override {
        std::lock_guard lock(mu_);
        return read_stream_index(streams_, stream, from_revision, max, [&](std::int64_t offset) {
            return log_[static_cast<std::size_t>(offset)];
        });
    }

    core::Result<std::vector<RecordedEvent>> read_all(const Checkpoint& from,
                                                      std::size_t max) override {
        std::lock_guard lock(mu_);
        std::vector<RecordedEvent> out;
        for (auto o = from.next_offset(0);
             o < static_cast<std::int64_t>(log_.size()) && out.size() < max; ++o) {
            out.push_back(log_[static_cast<std::size_t>(o)]);
        }
        return out;
    }

    Checkpoint head() const override {
        std::lock_guard lock(mu_);
        Checkpoint c(1);
        if (!log_.empty()) c.advance(log_.back().position);
        return c;
    }

    bool wait_for_events(const Checkpoint& from, std::chrono::milliseconds timeout) override {
        std::unique_lock lock(mu_);
        return cv_.wait_for(lock, timeout, [&] {
            return static_cast<std::int64_t>(log_.size()) > from.next_offset(0);
        });
    }

  private:
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::vector<RecordedEvent> log_;
    std::unordered_map<std::string, std::vector<std::int64_t>> streams_;
    std::unordered_map<std::string, std::int64_t> ids_;
};

}  // namespace

std::unique_ptr<EventStore> make_memory_event_store() {
    return std::make_unique<MemoryEventStore>();
}

}  // namespace switchyard::events
