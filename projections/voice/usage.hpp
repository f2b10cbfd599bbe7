#pragma once
/// The `voice_usage` read model: usage and cost of the rated CDRs summed per UTC day, customer,
/// carrier, destination and currency, for the usage, carrier cost and margin queries of the
/// API. Each rated CDR's contribution is kept too, so that a re-rating (or a CDR rated again)
/// replaces it: the totals always hold the latest costs.
///
/// Keys (all text):
/// - `f/<day>/<customer id>/<carrier id>/<destination>/<sell currency>/<buy currency>` -> a
///   fact: `{"calls", "answered", "billsec", "sell_micros", "buy_micros", "margin_micros"}`.
///   `<day>` is `YYYY-MM-DD` (UTC) of the call start; `<destination>` the sell side's
///   destination id, else its matched prefix; `<carrier id>` and `<buy currency>` empty when the
///   buy side is unknown.
/// - `x/<cdr id>` -> the CDR's contribution: the fact's key and its own six numbers.
///
/// `buy_micros` sums the buy side where known, `margin_micros` the CDR margins where known (the
/// CDR service computes a margin only when both sides are in one currency).

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/voice/money.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::voice {

inline constexpr const char* kVoiceUsage = "voice_usage.v1";

std::unique_ptr<Projector> make_voice_usage_projector();

/// Usage and cost of some CDRs.
struct UsageTotals {
    std::int64_t calls = 0;     ///< Rated CDRs.
    std::int64_t answered = 0;  ///< Of them with billsec > 0.
    std::int64_t billsec = 0;   ///< Seconds, as the switch measured them.
    core::voice::Micros sell_micros = 0, buy_micros = 0, margin_micros = 0;
    UsageTotals& operator+=(const UsageTotals& o);
    friend bool operator==(const UsageTotals&, const UsageTotals&) = default;
};

/// One fact of the model: the totals of one day, customer, carrier, destination and currencies.
struct UsageFact {
    std::string day;  ///< `YYYY-MM-DD`, UTC.
    std::string customer_id, carrier_id, destination, currency, buy_currency;
    UsageTotals totals;
};

/// What a usage query keeps; empty members match everything.
struct UsageQuery {
    std::string from_day, to_day;  ///< Inclusive `YYYY-MM-DD` bounds.
    std::string customer_id, carrier_id;
    /// The customers the caller may see; nullopt for the operator's staff.
    std::optional<std::set<std::string>> reach;
};

/// The facts `query` keeps, in key order (day first).
std::vector<UsageFact> usage_facts(const ReadModelView& view, const UsageQuery& query);

}  // namespace switchyard::projections::voice
