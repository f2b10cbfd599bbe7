#pragma once
/// An IANA time zone read from its compiled TZif file (RFC 8536), for local wall-clock times
/// where libstdc++ 12 has no time zone database (std::chrono::locate_zone arrived in GCC 14).
/// Pure: the caller reads the file (Debian `tzdata`, /usr/share/zoneinfo/<Area>/<Location>)
/// and hands its bytes to parse_tzif().

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace switchyard::core {

/// The UTC offsets of one zone over time: its transitions, then a POSIX TZ rule
/// (`CET-1CEST,M3.5.0,M10.5.0/3`) for instants past the last transition.
class TimeZone {
  public:
    /// UTC: offset 0 at every instant.
    TimeZone() = default;

    /// The offset of local time from UTC at `t` (east positive: +08:00 for Asia/Irkutsk).
    std::chrono::seconds offset_at(Timestamp t) const;

    /// The local wall-clock time at `t` as a Timestamp shifted by offset_at(t).
    Timestamp local(Timestamp t) const { return t + offset_at(t); }

  private:
    friend Result<TimeZone> parse_tzif(std::string_view bytes);
    std::vector<std::int64_t> transitions_;    ///< Unix seconds, ascending.
    std::vector<std::int32_t> offsets_after_;  ///< The offset from each transition on.
    std::int32_t offset_before_ = 0;           ///< Before the first transition.
    std::string footer_;                       ///< The POSIX TZ string; empty when none.
};

/// Reads a TZif file (versions 1 to 4): with version 2 and later, the 64-bit data block and the
/// footer's POSIX TZ rule (M-format dates `Mm.w.d[/time]`; other forms fall back to the last
/// transition's offset).
/// @errors Invalid naming `timezone` when the bytes are not a TZif file or are cut short.
/// @source RFC 8536 (TZif), POSIX.1-2017 section 8.3 (TZ).
Result<TimeZone> parse_tzif(std::string_view bytes);

}  // namespace switchyard::core
