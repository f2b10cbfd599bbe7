#pragma once
/// Reads a CGRateS tariff plan folder (the CSV files `cgr-loader -path` loads; see
/// cgrates.readthedocs.io "Tariff plans" and data/tariffplans/ in cgrates/cgrates) into the
/// voice tariff model (core/voice/tariff.hpp). I/O-free: the caller passes the files' texts.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/voice/import_report.hpp"
#include "core/voice/tariff.hpp"

namespace switchyard::core::voice {

/// A CGRateS tariff plan as read: the tariff, the rows refused (file, 1-based line, reason) and
/// the number of data lines read. A refused row is left out of `tariff`; rows that name it are
/// then refused in turn ("unknown reference").
struct CgratesPlan {
    Tariff tariff;
    std::vector<RowError> errors;
    std::int64_t lines_read = 0;
};

/// Parses the rating files of a CGRateS tariff plan folder.
/// @param files file name (without directory, e.g. `Rates.csv`) -> file text. Read:
///   `Destinations.csv` (`Id,Prefix`; a leading `+` is dropped), `Rates.csv`
///   (`Id,ConnectFee,Rate,RateUnit,RateIncrement,GroupIntervalStart`; durations as Go writes
///   them, `60s`, `1m30s`, `1h`, or plain numbers read as seconds/units; sub-second durations
///   are refused), `DestinationRates.csv`
///   (`Id,DestinationId,RatesTag,RoundingMethod,RoundingDecimals,MaxCost,MaxCostStrategy`;
///   MaxCost 0 = none; RoundingDecimals above 6 are read as 6, the precision of micro-units),
///   `Timings.csv` (optional, `Tag,Years,Months,MonthDays,WeekDays,Time`; `*any` or `;` lists;
///   week day 7 is Sunday as in CGRateS; Time `hh:mm:ss` or `hh:mm:ss;hh:mm:ss` for an end;
///   the built-in `*any` timing needs no row), `RatingPlans.csv`
///   (`Id,DestinationRatesId,TimingTag,Weight`), `RatingProfiles.csv` (optional,
///   `Tenant,Category,Subject,ActivationTime,RatingPlanId,RatesFallbackSubject`; fallback
///   subjects `;`-separated). Other files of the folder are ignored. Lines starting with `#`
///   (the header) and blank lines are skipped; fields may be double-quoted.
/// @param tenant_filter when not empty, only rating profiles of this tenant are kept.
/// @param currency ISO 4217 code of the amounts (CGRateS plans do not state one). Default EUR.
/// @returns the plan; row errors for: a wrong number of columns, an empty id, a negative
///   price, a price with more than 6 decimals, a rate with an increment or unit of 0, a bad
///   duration, rounding method, strategy, timing field or activation time, a prefix that is
///   not digits, an unknown reference (rate, destination, destination rates, timing, plan).
/// @errors Invalid with field `files` when Destinations.csv, Rates.csv, DestinationRates.csv or
///   RatingPlans.csv is missing.
Result<CgratesPlan> parse_cgrates_plan(const std::map<std::string, std::string>& files,
                                       const std::string& tenant_filter = "",
                                       const std::string& currency = "EUR");

/// Parses a CGRateS duration in whole seconds: `60s`, `1m`, `1m30s`, `2h`, `0s`, `0`, or a
/// plain integer (seconds, or units for SMS/data rates). @returns nullopt when malformed,
/// negative or not a whole number of seconds.
std::optional<std::int64_t> parse_cgrates_duration(std::string_view text);

}  // namespace switchyard::core::voice
