#pragma once
/// Time as Switchyard stores it: UTC, microsecond resolution, RFC 3339 text in events.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchyard::core {

/// A UTC instant with microsecond resolution.
using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

/// Formats as RFC 3339 UTC with exactly six fractional digits, e.g. `2026-11-21T13:40:00.000000Z`.
/// @source RFC 3339 section 5.6.
std::string format_rfc3339(Timestamp t);

/// Parses RFC 3339 (`Z` or `±hh:mm` offset, 0 to 9 fractional digits, truncated to microseconds).
/// @returns nullopt when the text is not RFC 3339.
std::optional<Timestamp> parse_rfc3339(std::string_view text);

/// Whole seconds since the Unix epoch (floor).
inline std::int64_t unix_seconds(Timestamp t) {
    return std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
}

/// A Timestamp from whole Unix seconds.
inline Timestamp from_unix_seconds(std::int64_t s) {
    return Timestamp(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::seconds(s)));
}

/// Source of the current time; injected so that tests can move it.
/// @thread implementations must be safe to call from any thread.
class Clock {
  public:
    virtual ~Clock() = default;
    /// The current UTC time.
    virtual Timestamp now() const = 0;
};

/// The system's real-time clock.
class SystemClock final : public Clock {
  public:
    Timestamp now() const override {
        return std::chrono::time_point_cast<std::chrono::microseconds>(
            std::chrono::system_clock::now());
    }
};

}  // namespace switchyard::core
