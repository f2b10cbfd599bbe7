#include "core/voice/call_limits.hpp"

#include <algorithm>

namespace switchyard::core::voice {

namespace {
constexpr std::int64_t kMicro = 1'000'000;
}

TokenBucket::TokenBucket(std::int64_t rate) noexcept : rate_(rate), micro_tokens_(rate * kMicro) {}

bool TokenBucket::try_take(Timestamp now) noexcept {
    if (rate_ <= 0) return true;
    const std::int64_t capacity = rate_ * kMicro;
    if (last_ && now > *last_) {
        const auto elapsed_us = (now - *last_).count();
        // rate tokens per second = rate micro-tokens per microsecond.
        const std::int64_t refill = elapsed_us > capacity / rate_ ? capacity : elapsed_us * rate_;
        micro_tokens_ = std::min(capacity, micro_tokens_ + refill);
    }
    if (!last_ || now > *last_) last_ = now;
    if (micro_tokens_ < kMicro) return false;
    micro_tokens_ -= kMicro;
    return true;
}

void TokenBucket::set_rate(std::int64_t rate) noexcept {
    if (rate == rate_) return;
    if (rate_ <= 0) micro_tokens_ = rate * kMicro;  // from unlimited: start full
    rate_ = rate;
    micro_tokens_ = std::min(micro_tokens_, rate * kMicro);
}

Result<DurationGrant> grant_duration(Micros available, std::int64_t cap_s,
                                     const CostOfUsage& cost) {
    DurationGrant g;
    cap_s = std::max<std::int64_t>(cap_s, 1);
    g.first_increment_micros = SY_TRY(cost(1));
    if (g.first_increment_micros > available) return g;
    g.affordable = true;
    std::int64_t lo = 1;  // affordable
    Micros lo_cost = g.first_increment_micros;
    const Micros cap_cost = SY_TRY(cost(cap_s));
    if (cap_cost <= available) {
        g.max_duration_s = cap_s;
        g.reserved_micros = cap_cost;
        return g;
    }
    std::int64_t hi = cap_s;  // not affordable
    while (hi - lo > 1) {
        const std::int64_t mid = lo + (hi - lo) / 2;
        const Micros c = SY_TRY(cost(mid));
        if (c <= available) {
            lo = mid;
            lo_cost = c;
        } else {
            hi = mid;
        }
    }
    g.max_duration_s = lo;
    g.reserved_micros = lo_cost;
    return g;
}

}  // namespace switchyard::core::voice
