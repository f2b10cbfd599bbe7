#pragma once
/// The voice module's tariff model: one version of a rate deck or tariff plan, as the rating
/// engine reads it. Every import format (CGRateS tariff plan folders, the CDRTool CSV deck, a
/// carrier CSV with a column mapping) is translated into this one shape; it is the CGRateS
/// model (Destinations, Rates, DestinationRates, Timings, RatingPlans, RatingProfiles; see
/// cgrates.readthedocs.io "Tariff plans") with the few CDRTool additions (minimum duration,
/// maximum duration, effective date per row, caller-prefix pricing).
///
/// Money is an integer count of micro-units (1e-6) of `Tariff::currency` (DESIGN.md); a price
/// with more than 6 decimals is refused at import. Durations are whole seconds.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "core/voice/money.hpp"

namespace switchyard::core::voice {

/// CGRateS RoundingMethod: `*up`, `*middle` (half up), `*down`.
enum class RoundingMethod { Up, Middle, Down };

/// CGRateS MaxCostStrategy. Wire names: `""` (None: no cap), `*free` (the cost stops at
/// MaxCost, the rest of the call is free), `*disconnect` (the call is cut where the cost
/// reaches MaxCost; the rated usage is shorter than the call).
enum class MaxCostStrategy { None, Free, Disconnect };

/// One interval of a rate group (one CGRateS Rates.csv row): from `group_interval_start_s` of
/// the call on, each started `rate_increment_s` costs `rate_micros * rate_increment_s /
/// rate_unit_s`. Example `RT_10CNT,0.2,0.1,60s,60s,0s` = rate 100'000 per 60 s, increment 60 s.
struct RateInterval {
    std::int64_t group_interval_start_s = 0;
    Micros rate_micros = 0;  ///< Price per `rate_unit_s`.
    std::int64_t rate_unit_s = 60;
    std::int64_t rate_increment_s = 60;  ///< > 0 whenever rate_micros > 0.
    friend bool operator==(const RateInterval&, const RateInterval&) = default;
};

/// A rate group: CGRateS Rates.csv rows sharing an Id (sorted by group_interval_start_s). The
/// connect fee is charged once per call (CGRateS takes it from the group's first row).
struct RateGroup {
    std::string id;
    Micros connect_fee_micros = 0;
    std::vector<RateInterval> intervals;
    friend bool operator==(const RateGroup&, const RateGroup&) = default;
};

/// A named set of E.164 prefixes (digits only, no `+`/`00`); CGRateS Destinations.csv rows
/// sharing an Id. `name` is a human name (`AFGHANISTAN MOBILE`), may be empty.
struct Destination {
    std::string id;
    std::string name;
    std::vector<std::string> prefixes;
    friend bool operator==(const Destination&, const Destination&) = default;
};

/// One CGRateS DestinationRates.csv row: rates `rate_id` apply to `destination_id` (or to any
/// destination when it is `*any`), rounded to `rounding_decimals` by `rounding`, capped by
/// `max_cost_micros` with `max_cost_strategy`. CDRTool additions: `min_duration_s` (calls
/// shorter are billed as this long), `max_duration_s`, `effective_from` (a row applies from
/// this instant on; the latest one not after the setup time wins), `caller_destination_id`
/// (A-number pricing: the row applies only when the caller matches that destination's
/// prefixes; empty = any caller).
struct DestinationRate {
    std::string id;  ///< DestinationRates Id; several rows share one.
    std::string destination_id;
    std::string rate_id;
    RoundingMethod rounding = RoundingMethod::Middle;
    int rounding_decimals = 4;  ///< 0..6.
    std::optional<Micros> max_cost_micros;
    MaxCostStrategy max_cost_strategy = MaxCostStrategy::None;
    std::int64_t min_duration_s = 0;
    std::optional<std::int64_t> max_duration_s;
    std::optional<Timestamp> effective_from;
    std::string caller_destination_id;
    friend bool operator==(const DestinationRate&, const DestinationRate&) = default;
};

/// A CGRateS Timings.csv row. Empty lists mean `*any`. `week_days` uses 0 = Sunday .. 6 =
/// Saturday (Go's time.Weekday, as CGRateS writes them). `start_s` is the second of the day the
/// timing starts (`08:00:00` = 28'800); `end_s` (CDRTool hour ranges) the second it ends, none =
/// until the next timing of the plan starts.
struct Timing {
    std::string id;
    std::vector<int> years, months, month_days, week_days;
    std::int64_t start_s = 0;
    std::optional<std::int64_t> end_s;
    friend bool operator==(const Timing&, const Timing&) = default;
};

/// A CGRateS RatingPlans.csv row: destination rates `destination_rates_id` apply at timing
/// `timing_id` (`*any` = always) with `weight` (higher wins where timings overlap).
struct RatingPlanEntry {
    std::string rating_plan_id;
    std::string destination_rates_id;
    std::string timing_id;
    double weight = 10;
    friend bool operator==(const RatingPlanEntry&, const RatingPlanEntry&) = default;
};

/// A CGRateS RatingProfiles.csv row: calls of `tenant`/`category`/`subject` (`*any` allowed for
/// subject) set up at or after `activation_time` are rated with `rating_plan_id`; when that plan
/// does not rate the destination, the subjects in `fallback_subjects` are tried in order.
struct RatingProfile {
    std::string tenant;
    std::string category;
    std::string subject;
    Timestamp activation_time;
    std::string rating_plan_id;
    std::vector<std::string> fallback_subjects;
    friend bool operator==(const RatingProfile&, const RatingProfile&) = default;
};

/// How a stretch of a call is priced. Wire names `cgrates`, `exact`.
/// - Cgrates: as CGRateS does it (engine/timespans.go createIncrementsSlice): the stretch's
///   cost `rate * billed / unit` and then its per-increment cost are each rounded half up to 5
///   decimals (CGRateS's general `rounding_decimals`), the stretch costs increments x that.
///   Imported CGRateS tariff plans use it, so their costs are CGRateS's to the last decimal.
/// - Exact: the stretch costs `rate * billed / unit` to the micro-unit, CDRTool's formula
///   (`Connect + Duration x ceil_to_increment(seconds) / 60`, doc/RATING.txt) and a carrier's
///   price list read literally. CDRTool decks and carrier CSV decks use it.
/// Either way the call's total is then rounded by its destination rate's method and decimals.
enum class PricingModel { Cgrates, Exact };

/// One version of a rate deck or tariff plan, self-contained. A CDRTool deck or a carrier CSV
/// becomes one rating plan (`rating_plans` all with the deck's plan id) and, where the source
/// has subscribers, rating profiles.
struct Tariff {
    std::string currency = "EUR";  ///< ISO 4217.
    PricingModel pricing = PricingModel::Cgrates;
    std::vector<Destination> destinations;
    std::vector<RateGroup> rate_groups;
    std::vector<DestinationRate> destination_rates;
    std::vector<Timing> timings;
    std::vector<RatingPlanEntry> rating_plans;
    std::vector<RatingProfile> rating_profiles;
    friend bool operator==(const Tariff&, const Tariff&) = default;
};

/// Wire names of the enums above (`*up`, `*middle`, `*down`; `""`, `*free`, `*disconnect`).
const char* to_string(RoundingMethod m) noexcept;
const char* to_string(MaxCostStrategy s) noexcept;
const char* to_string(PricingModel p) noexcept;
/// Parses the wire names above; false on anything else.
bool parse_rounding_method(std::string_view text, RoundingMethod& out) noexcept;
bool parse_max_cost_strategy(std::string_view text, MaxCostStrategy& out) noexcept;
bool parse_pricing_model(std::string_view text, PricingModel& out) noexcept;

}  // namespace switchyard::core::voice
