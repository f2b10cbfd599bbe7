#pragma once
/// The arithmetic of call admission (pure; no clock, no locks): the calls-per-second token
/// bucket, and the prepaid reservation that grants a call its maximum duration (CGRateS
/// SessionS: authorize with a max usage, research note §4 and §5.3). The service that holds
/// them per customer, trunk and carrier under locks is events/voice/admission_service.hpp.

#include <cstdint>
#include <functional>
#include <optional>

#include "core/result.hpp"
#include "core/time.hpp"
#include "core/voice/money.hpp"

namespace switchyard::core::voice {

/// A token bucket of `rate` tokens per second holding at most `rate` tokens (a burst of one
/// second's calls): `rate` = 10 lets 10 calls through at one instant, then one every 100 ms.
/// Arithmetic in micro-tokens, so that refill is exact for whole-microsecond times.
/// @thread not safe; the caller locks.
class TokenBucket {
  public:
    /// A full bucket of `rate` tokens per second (0 = unlimited: every take succeeds).
    explicit TokenBucket(std::int64_t rate = 0) noexcept;
    /// Refills up to `now`, then takes one token. @returns false (nothing taken) when less than
    /// one token is left. A `now` earlier than the last one refills nothing.
    bool try_take(Timestamp now) noexcept;
    /// Changes the rate, keeping the tokens left (capped at the new capacity).
    void set_rate(std::int64_t rate) noexcept;
    std::int64_t rate() const noexcept { return rate_; }
    /// Micro-tokens left after the last refill (1,000,000 = one call).
    std::int64_t micro_tokens() const noexcept { return micro_tokens_; }

  private:
    std::int64_t rate_ = 0;
    std::int64_t micro_tokens_ = 0;
    std::optional<Timestamp> last_;
};

/// The price of a call of `usage_s` seconds, connect fee included (a call of the rating engine,
/// RatingIndex::rate_plan). Must be non-decreasing in `usage_s`.
/// @errors whatever the engine answers (Rejected `destination` when no rate prices it).
using CostOfUsage = std::function<Result<Micros>(std::int64_t usage_s)>;

/// What a prepaid (or credit-limited postpaid) call is granted.
struct DurationGrant {
    bool affordable = false;            ///< False: the first increment cannot be paid.
    std::int64_t max_duration_s = 0;    ///< The largest whole duration whose cost <= available.
    Micros reserved_micros = 0;         ///< The cost of `max_duration_s`: held until release.
    Micros first_increment_micros = 0;  ///< The cost of one second (connect fee + increment).
};

/// The longest call `available` pays for, by binary search over `cost` (1 s to `cap_s`):
/// not affordable when cost(1 s) (the connect fee and the first increment, rounded up by the
/// engine) exceeds `available`. With `available` 1.00 and 0.60 per minute billed per second,
/// 100 s cost exactly 1.00: max 100 s, reserved 1.00.
/// @param cap_s the longest grant (>= 1), e.g. 3 h.
/// @errors the cost function's.
Result<DurationGrant> grant_duration(Micros available, std::int64_t cap_s, const CostOfUsage& cost);

/// What a customer may still spend on new calls: balance - floor - the reservations of its
/// open calls (never below 0). Floor 0 for prepaid, -credit limit for postpaid.
inline Micros available_funds(Micros balance, Micros floor, Micros reserved) noexcept {
    const Micros a = balance - floor - reserved;
    return a > 0 ? a : 0;
}

}  // namespace switchyard::core::voice
