#pragma once
/// The rating engine: prices a call against a tariff (core/voice/tariff.hpp), deterministically
/// and with an explanation of every step. Pure: no clock, no I/O. The semantics are CGRateS's
/// (cgrates.readthedocs.io "Rating"; engine/calldesc.go, engine/timespans.go): longest-prefix
/// match of the destination, the rating plan active at the setup time (activation times,
/// subject fallback), timings that split the call into segments (peak/off-peak), rate intervals
/// with increments and GroupIntervalStart, the connect fee, rounding, MaxCost. CDRTool's
/// minimum duration and per-row effective dates are supported on top.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "core/voice/tariff.hpp"

namespace switchyard::core::voice {

/// A pricing query (CGRateS GetCost). `destination` and `caller` are E.164 digits without `+`.
struct CostQuery {
    std::string tenant;
    std::string category = "call";
    std::string subject;  ///< Looked up in the rating profiles; ignored by rate_plan().
    std::string destination;
    std::string caller;  ///< May be empty: then only rows without a caller destination apply.
    Timestamp setup_time;
    std::int64_t usage_s = 0;
};

/// One segment of a rated call: a stretch under one timing and one rate interval.
struct CostSegment {
    Timestamp start;
    std::int64_t duration_s = 0;  ///< Seconds of the call in this segment (before rounding up).
    std::string timing_id;
    std::string rate_id;
    RateInterval interval;
    std::int64_t increments = 0;  ///< Number of `interval.rate_increment_s` charged.
    Micros cost_micros = 0;       ///< After rounding.
};

/// The answer of the engine: the cost and how it was reached.
struct Cost {
    Micros cost_micros = 0;  ///< Total, connect fee included, after rounding and cap.
    std::string currency;
    std::string matched_prefix;
    std::string destination_id;
    std::string destination_name;
    std::string rating_plan_id;
    std::string destination_rate_id;
    std::string rate_id;
    std::string subject;  ///< The subject whose profile rated the call (after fallback).
    std::optional<Timestamp> activation_time;
    Micros connect_fee_micros = 0;
    RoundingMethod rounding = RoundingMethod::Middle;
    int rounding_decimals = 4;
    std::int64_t usage_s = 0;         ///< Usage asked for.
    std::int64_t billed_usage_s = 0;  ///< Usage charged (minimum duration, increments).
    std::int64_t rated_usage_s = 0;   ///< Usage allowed (shorter under MaxCost `*disconnect`).
    bool max_cost_applied = false;
    std::vector<CostSegment> segments;
};

/// A tariff compiled for rating: prefix indexes per rating plan, timings resolved.
/// Build once per tariff version and share; rating is const and thread-safe.
class RatingIndex {
  public:
    /// Compiles `tariff`. @errors Invalid naming the row at fault (a rate id or destination id
    /// that does not exist, an increment of 0 with a rate, rounding decimals outside 0..6).
    static Result<std::shared_ptr<const RatingIndex>> build(Tariff tariff);

    /// Rates a call of `query.subject` through the rating profiles (activation time, fallback
    /// subjects, `*any`). @errors Rejected with field `destination` when no plan of the
    /// subject rates it; NotFound with field `subject` when no profile matches the subject.
    Result<Cost> rate(const CostQuery& query) const;

    /// Rates against one rating plan directly (route selection, sell cards reached through the
    /// assignment system). @errors NotFound `rating_plan`; Rejected `destination`.
    Result<Cost> rate_plan(const std::string& rating_plan_id, const CostQuery& query) const;

    /// The tariff this index was built from.
    const Tariff& tariff() const noexcept;

    ~RatingIndex();
    RatingIndex(const RatingIndex&) = delete;
    RatingIndex& operator=(const RatingIndex&) = delete;

  private:
    struct Impl;
    explicit RatingIndex(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::core::voice
