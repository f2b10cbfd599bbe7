#pragma once
/// A clock that stands still until a test moves it.

#include <atomic>

#include "core/time.hpp"

namespace switchyard::testing {

class FixedClock final : public core::Clock {
  public:
    explicit FixedClock(core::Timestamp t) : now_(t.time_since_epoch().count()) {}
    core::Timestamp now() const override {
        return core::Timestamp(std::chrono::microseconds(now_.load()));
    }
    void advance(std::chrono::microseconds d) { now_ += d.count(); }

  private:
    std::atomic<std::int64_t> now_;
};

}  // namespace switchyard::testing
