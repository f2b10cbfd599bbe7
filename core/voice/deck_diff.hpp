#pragma once
/// The differences between two versions of one rate deck (issue 12: added and removed
/// prefixes, increases and decreases with old and new price, flagged when effective sooner
/// than the notice period). Pure.
///
/// Each version is reduced to prefix -> effective rate: for every DestinationRate row, each
/// prefix of its destination gets the first interval (lowest GroupIntervalStart) of its rate
/// group as a price per 60 s (rate * 60 / RateUnit, rounded half up) and the group's connect
/// fee. When several rows price one prefix (timings, effective dates), the row with the latest
/// effective date wins (no date counts as the earliest); among equals, the first row.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "core/voice/tariff.hpp"

namespace switchyard::core::voice {

/// The price of one prefix in one version.
struct PrefixRate {
    std::string prefix;
    std::string destination_name;
    Micros rate_per_minute_micros = 0;
    Micros connect_fee_micros = 0;
    std::optional<Timestamp> effective_from;
    friend bool operator==(const PrefixRate&, const PrefixRate&) = default;
};

/// A prefix priced in both versions at different prices. `short_notice`: an increase that
/// takes effect (effective_from of the new version; none = at once) sooner than the notice
/// period after the import.
struct PriceChange {
    std::string prefix;
    std::string destination_name;  ///< The new version's name.
    Micros old_rate_per_minute_micros = 0;
    Micros new_rate_per_minute_micros = 0;
    Micros old_connect_fee_micros = 0;
    Micros new_connect_fee_micros = 0;
    std::optional<Timestamp> effective_from;
    bool short_notice = false;
    friend bool operator==(const PriceChange&, const PriceChange&) = default;
};

/// The differences, each list sorted by prefix. A change counts as an increase when the rate
/// or the connect fee goes up, else as a decrease.
struct DeckDiff {
    std::vector<PrefixRate> added;    ///< Prefixes only in the new version (new price).
    std::vector<PrefixRate> removed;  ///< Prefixes only in the old version (old price).
    std::vector<PriceChange> increases;
    std::vector<PriceChange> decreases;
    std::int64_t unchanged = 0;
};

/// When the new version was imported and the notice the carrier owes on increases.
/// Default notice: 7 days.
struct DeckDiffOptions {
    Timestamp imported_at{};
    std::int64_t notice_days = 7;
};

/// Prefix -> effective rate of a tariff, as described above.
std::map<std::string, PrefixRate> prefix_rates(const Tariff& tariff);

/// The differences from `old_version` to `new_version`.
DeckDiff diff_decks(const Tariff& old_version, const Tariff& new_version,
                    const DeckDiffOptions& options = {});

}  // namespace switchyard::core::voice
