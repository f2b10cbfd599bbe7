#include <atomic>
#include <thread>

#include <spdlog/spdlog.h>

#include "events/event_store.hpp"

namespace switchyard::events {

namespace {

/// Catch-up then live delivery over `read_all` and `wait_for_events`; works for every backend.
class PollingSubscription final : public Subscription {
  public:
    PollingSubscription(EventStore& store, Checkpoint from, BatchHandler handler,
                        std::size_t max_batch)
        : store_(store),
          cursor_(std::move(from)),
          handler_(std::move(handler)),
          max_batch_(max_batch) {
        thread_ = std::thread([this] { run(); });
    }
    ~PollingSubscription() override { stop(); }

    void stop() override {
        stopping_ = true;
        if (thread_.joinable()) thread_.join();
    }

  private:
    void run() {
        auto backoff = std::chrono::milliseconds(10);
        while (!stopping_) {
            auto batch = store_.read_all(cursor_, max_batch_);
            if (!batch) {
                spdlog::warn("subscription: read failed: {}", batch.error().message);
                std::this_thread::sleep_for(backoff);
                backoff = std::min(backoff * 2, std::chrono::milliseconds(1000));
                continue;
            }
            backoff = std::chrono::milliseconds(10);
            if (batch->empty()) {
                store_.wait_for_events(cursor_, std::chrono::milliseconds(100));
                continue;
            }
            try {
                handler_(std::span<const RecordedEvent>(*batch));
            } catch (const std::exception& e) {
                spdlog::error("subscription: handler failed, stopping: {}", e.what());
                return;
            }
            for (const auto& e : *batch) cursor_.advance(e.position);
        }
    }

    EventStore& store_;
    Checkpoint cursor_;
    BatchHandler handler_;
    std::size_t max_batch_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace

std::unique_ptr<Subscription> EventStore::subscribe(Checkpoint from, BatchHandler handler,
                                                    std::size_t max_batch) {
    return std::make_unique<PollingSubscription>(*this, std::move(from), std::move(handler),
                                                 max_batch);
}

}  // namespace switchyard::events
