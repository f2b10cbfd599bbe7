#pragma once
/// A thread that calls a function every tick until stopped: the loop the billing workers share.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace switchyard::app {

/// @thread start/stop from one thread.
class TickThread {
  public:
    ~TickThread() { stop(); }

    /// Calls `fn` now and then `tick` after each call returns, until stop(). Does nothing when
    /// already started.
    void start(std::function<void()> fn, std::chrono::milliseconds tick) {
        std::lock_guard lock(mu_);
        if (thread_.joinable()) return;
        stopping_ = false;
        thread_ = std::thread([this, fn = std::move(fn), tick] {
            std::unique_lock lock(mu_);
            while (!stopping_) {
                lock.unlock();
                fn();
                lock.lock();
                cv_.wait_for(lock, tick, [this] { return stopping_; });
            }
        });
    }

    /// Stops the thread and waits for the call in progress.
    void stop() {
        {
            std::lock_guard lock(mu_);
            stopping_ = true;
        }
        cv_.notify_all();
        if (thread_.joinable()) thread_.join();
    }

  private:
    std::mutex mu_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace switchyard::app
