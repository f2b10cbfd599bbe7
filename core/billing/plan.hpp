#pragma once
/// Products and prices: the plans every service line sells (issue 16, item 2). A plan is a VPN
/// plan, a hotspot plan, an IPTV package (a duration for a price, the way Xtream panels sell
/// packages for credits), a voice plan (a monthly fee and a setup fee; usage is rated by the
/// voice engine) or anything else; it has a billing period (`interval_count` days, weeks,
/// months or years), an optional trial, a grace period for unpaid renewals, and one price per
/// currency with an optional setup fee (charged with the first paid period).
///
/// Stream `billing_plan-<plan id>`: `billing.plan.defined` (the whole plan, again on every
/// change) and `billing.plan.retired` (no new subscriptions; running ones renew).
///
/// Amount helpers shared by subscriptions and invoices: the currency's minor unit (ISO 4217),
/// proration by day, calendar periods.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/billing/ledger.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace switchyard::core::billing {

/// The unit of a billing period. Wire names: `minute`, `hour`, `day`, `week`, `month`, `year`
/// (hotspots sell 30-minute and one-hour passes; most plans are monthly).
enum class Interval { Minute, Hour, Day, Week, Month, Year };
const char* to_string(Interval i) noexcept;
bool parse_interval(std::string_view text, Interval& out) noexcept;

/// A plan's price in one currency.
struct Price {
    std::string currency;         ///< ISO 4217.
    Micros amount_micros = 0;     ///< Per billing period; >= 0 (0 is a free plan).
    Micros setup_fee_micros = 0;  ///< Once, with the first paid period; >= 0.
    friend bool operator==(const Price&, const Price&) = default;
};

/// A plan as `billing.plan.defined` records it.
struct Plan {
    std::string plan_id;       ///< 1 to 64 letters, digits, `.`, `_`, `-`.
    std::string name;          ///< For people and invoices; 1 to 200 bytes.
    std::string line;          ///< `vpn`, `voice`, `hotspot`, `iptv` or `other`.
    std::string service_plan;  ///< The line's own plan it grants (a VPN plan, a hotspot
                               ///< profile, an IPTV bouquet set); may be empty.
    Interval interval = Interval::Month;
    std::int64_t interval_count = 1;  ///< 1 to 36 intervals per period.
    std::int64_t trial_days = 0;      ///< 0 to 365.
    std::int64_t grace_days = 3;      ///< Days an unpaid renewal keeps service, 0 to 60.
    std::vector<Price> prices;        ///< 1 to 20, one per currency.
    /// Revenue recognized over each paid period (`ratable`): its charges credit
    /// `deferred_revenue:<line>` and are earned day by day (core/billing/recognition.hpp);
    /// false (`immediate`): credited to `revenue:<line>` when charged.
    bool ratable = false;
    friend bool operator==(const Plan&, const Plan&) = default;
};

/// The price of `plan` in `currency`, or null.
const Price* price_in(const Plan& plan, const std::string& currency) noexcept;

/// Checks a plan's shape. @errors Invalid naming the field (`plan_id`, `name`, `line`,
/// `service_plan`, `interval_count`, `trial_days`, `grace_days`, `prices`,
/// `prices[i].currency`, `prices[i].amount_micros`, `prices[i].setup_fee_micros`).
Result<void> check_plan(const Plan& p);

/// Stream `billing_plan-<plan id>`.
struct PlanDefined {
    static constexpr std::string_view kType = "billing.plan.defined";
    Plan plan;
    friend bool operator==(const PlanDefined&, const PlanDefined&) = default;
};
struct PlanRetired {
    static constexpr std::string_view kType = "billing.plan.retired";
    std::string plan_id;
    friend bool operator==(const PlanRetired&, const PlanRetired&) = default;
};
using PlanEvent = std::variant<PlanDefined, PlanRetired>;

struct PlanState {
    std::optional<Plan> plan;
    bool retired = false;
};
void evolve(PlanState& s, const PlanEvent& e);

inline std::string plan_stream(const std::string& plan_id) { return "billing_plan-" + plan_id; }

/// Defines or redefines a plan. The same plan again decides nothing; a retired plan is defined
/// again (and so un-retired) only by an explicit definition.
/// @errors as check_plan; Rejected naming `line` when a defined plan would change its line.
Result<std::vector<PlanEvent>> decide(const PlanState& s, const Plan& c);
/// Retires a plan. @errors NotFound naming `plan_id`. Retiring twice decides nothing.
Result<std::vector<PlanEvent>> decide_retire(const PlanState& s, const std::string& plan_id);

// ---- amounts and periods ----

/// The digits after the decimal point of a currency's minor unit (ISO 4217): 0 for JPY, KRW,
/// VND, CLP, ISK, UGX, XAF, XOF and the like; 3 for BHD, IQD, JOD, KWD, LYD, OMR, TND; 2
/// otherwise.
int minor_unit_digits(std::string_view currency) noexcept;

/// The micro-units of one minor unit of the currency: 10'000 for EUR (a cent), 1'000'000 for
/// JPY, 1'000 for BHD. A gateway's integer amount (Stripe's `amount`) times this is micro-units.
Micros minor_unit(std::string_view currency) noexcept;

/// `micros` rounded to the currency's minor unit, half away from zero.
Micros round_to_minor_unit(Micros micros, std::string_view currency) noexcept;

/// `amount * part / whole`, rounded to the currency's minor unit (half away from zero);
/// 0 when `whole` <= 0. No overflow for amounts within the ledger's bounds.
Micros prorate(Micros amount, std::int64_t part, std::int64_t whole,
               std::string_view currency) noexcept;

/// `anchor` moved by `k * count` intervals. Months and years keep the anchor's day of month,
/// clamped to the month's last day (Jan 31 + 1 month = Feb 28 or 29), and its time of day.
Timestamp add_intervals(Timestamp anchor, Interval interval, std::int64_t count, std::int64_t k);

/// Whole days (of 24 hours) from `from` to `to`, rounded down; 0 when `to` <= `from`. (A
/// period shorter than a day has 0 days, so a change within it is not prorated.)
std::int64_t whole_days(Timestamp from, Timestamp to) noexcept;

/// True when `to`'s price per period is worth at least `from`'s per year (Lago's rule: an
/// upgrade costs the same or more per unit of time; prices in the same currency).
bool is_upgrade(const Plan& from, const Price& from_price, const Plan& to,
                const Price& to_price) noexcept;

}  // namespace switchyard::core::billing
