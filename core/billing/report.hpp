#pragma once
/// The arithmetic of the billing reports (issue 16, item 8): monthly recurring revenue and its
/// movements, receivables aging, and the calendar periods reports group by. The read model
/// that feeds them is projections/billing/reports.hpp; the routes are
/// api/routes/billing/reports.cpp.
///
/// MRR follows the SaaS metrics vendors' definitions (ChartMogul, Baremetrics): a paying
/// subscription's price normalized to one month; trials, paused, suspended, expired and
/// canceled subscriptions count 0; each change of a subscription's MRR is one movement: new
/// (first time above 0), expansion, contraction, churn (down to 0) or reactivation (above 0
/// again after churn).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/billing/ledger.hpp"
#include "core/billing/plan.hpp"
#include "core/billing/subscription.hpp"
#include "core/time.hpp"

namespace switchyard::core::billing {

/// Seconds in an average month: 365.25 days / 12.
inline constexpr std::int64_t kAverageMonthSeconds = 2'629'800;

/// `price`'s amount per average month (kAverageMonthSeconds) for `plan`'s period, rounded to
/// the currency's minor unit: a monthly plan as priced, a yearly one divided by 12, a weekly
/// one times 4.348; the setup fee is not recurring and is left out.
Micros monthly_recurring(const Plan& plan, const Price& price) noexcept;

/// The kind of a change of one subscription's MRR. Wire names: `new`, `expansion`,
/// `contraction`, `churn`, `reactivation` (`none` for no change).
enum class MrrMovement { None, New, Expansion, Contraction, Churn, Reactivation };
const char* to_string(MrrMovement m) noexcept;

/// The movement from `before` to `after` (both >= 0); `counted_before` says whether the
/// subscription's MRR was ever above 0 (so 0 -> x is a reactivation, not new).
MrrMovement classify_mrr(Micros before, Micros after, bool counted_before) noexcept;

/// True when a subscription in `status` counts towards MRR: active or past due (a renewal
/// being retried still has service and is expected to pay).
bool counts_for_mrr(SubscriptionStatus status) noexcept;

/// One posting of a receivable account as its statement has it.
struct ReceivableLine {
    Timestamp time{};
    Micros debit_micros = 0;   ///< Billed (an invoice, a postpaid charge).
    Micros credit_micros = 0;  ///< Paid or credited.
};

/// What a customer owes by the age of the charge, in days since it was posted: 0-30
/// (`current`), 31-60, 61-90 and over 90. Payments and credits settle the oldest charges first
/// (FIFO); a credit beyond every charge is an unapplied credit, negative, in `current`.
struct AgingBuckets {
    Micros current_micros = 0;
    Micros days_31_60_micros = 0;
    Micros days_61_90_micros = 0;
    Micros over_90_micros = 0;
    Micros total() const noexcept {
        return current_micros + days_31_60_micros + days_61_90_micros + over_90_micros;
    }
};

/// Ages a receivable's lines (oldest first) as of `as_of`; lines after `as_of` are left out.
AgingBuckets age_receivable(const std::vector<ReceivableLine>& lines, Timestamp as_of);

/// The UTC calendar day of `t`: `2026-11-30`.
std::string day_of(Timestamp t);

/// The reporting period a day (`YYYY-MM-DD`) falls in: the day itself for `day`, `YYYY-MM`
/// for `month`, `YYYY-Qn` for `quarter`, `YYYY` for `year`. Wire names of the grains.
enum class ReportGrain { Day, Month, Quarter, Year };
const char* to_string(ReportGrain g) noexcept;
bool parse_report_grain(std::string_view text, ReportGrain& out) noexcept;
std::string period_of(std::string_view day, ReportGrain grain);

}  // namespace switchyard::core::billing
