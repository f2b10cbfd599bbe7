#pragma once
/// A sell rate card derived from a buy deck by a markup rule (issue 12: percent, fixed,
/// minimum margin). Pure.

#include <cstdint>

#include "core/result.hpp"
#include "core/voice/tariff.hpp"

namespace switchyard::core::voice {

/// How sell prices follow buy prices. Every rate interval's price per minute becomes
/// `buy * (1 + percent) + fixed`, at least `buy + minimum margin`; the connect fee becomes
/// `buy * (1 + percent)`. Results are rounded up to `rounding_decimals` (so the margin never
/// shrinks). Amounts per minute are scaled to each interval's RateUnit (x RateUnit / 60).
/// Defaults: no markup, 4 decimals.
struct MarkupRule {
    std::int64_t percent_bp = 0;                  ///< Basis points: 2000 = 20 %. At least -10000.
    Micros fixed_micros_per_minute = 0;           ///< >= 0.
    Micros minimum_margin_micros_per_minute = 0;  ///< >= 0.
    int rounding_decimals = 4;                    ///< 0..6.
    friend bool operator==(const MarkupRule&, const MarkupRule&) = default;
};

/// The sell tariff of `buy` under `rule`: destinations, increments, intervals, timings, plans
/// and profiles kept; only prices change.
/// @errors Invalid naming the rule field (`percent`, `fixed`, `minimum_margin`,
/// `rounding_decimals`) when it is out of range; with field `rate_groups[i]` when a sell price
/// would overflow.
Result<Tariff> apply_markup(const Tariff& buy, const MarkupRule& rule);

}  // namespace switchyard::core::voice
