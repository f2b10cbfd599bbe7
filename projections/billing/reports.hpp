#pragma once
/// The `billing_reports` read model (issue 16, item 8): the income and tax postings of each day
/// attributed to a plan and a reseller, and each day's MRR movements, from which the report
/// routes (api/routes/billing/reports.cpp) sum revenue by line, plan, reseller and period,
/// taxes by jurisdiction, the profit and loss, and MRR with churn, for any range of days. As a
/// read model it is rebuilt by replay, so `switchyard replay --until` gives the reports as they
/// stood at any time.
///
/// Sources: `billing.entry.posted` (the postings), `billing.subscription.*` and
/// `billing.invoice.issued` (which entry bills which plan, for which reseller),
/// `billing.plan.defined` (the prices MRR normalizes). An entry's plan is its subscription's
/// plan, or its invoice's when every line with a plan names the same one; its reseller is the
/// subscription's payer `reseller_credit:<id>`, or the reseller whose credits the entry moves.
/// A reversal is attributed as the entry it reverses.
///
/// Keys (ids and account codes never contain `/`; `-` stands for none):
/// - `r/<day>/<currency>/<account>/<plan>/<reseller>` -> `{"debit_micros", "credit_micros"}`
///   for revenue, discounts, commission_expense and tax_payable accounts;
/// - `m/<day>/<currency>` -> the day's MRR movements (MrrDay);
/// - `x/<entry id>` -> `{"plan_id", "reseller_id"}`: an entry's attribution;
/// - `p/<plan id>` -> the plan; `s/<subscription id>` -> its plan, status and MRR.
/// Days are UTC calendar days `YYYY-MM-DD`.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/billing/ledger.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::billing {

inline constexpr const char* kBillingReports = "billing_reports.v1";

std::unique_ptr<Projector> make_billing_reports_projector();

/// The postings of one day to one income or tax account, for one plan and reseller (empty:
/// none).
struct IncomeRow {
    std::string day;  ///< `YYYY-MM-DD` (UTC).
    std::string currency;
    std::string account;  ///< `revenue:iptv`, `discounts:vpn`, `tax_payable:DE`, ...
    std::string plan_id;
    std::string reseller_id;
    core::billing::Micros debit_micros = 0;
    core::billing::Micros credit_micros = 0;
};

/// One day's MRR movements in one currency (amounts per month, all >= 0).
struct MrrDay {
    std::string day;
    std::string currency;
    core::billing::Micros new_micros = 0;
    core::billing::Micros expansion_micros = 0;
    core::billing::Micros contraction_micros = 0;
    core::billing::Micros churn_micros = 0;
    core::billing::Micros reactivation_micros = 0;
    std::int64_t new_subscriptions = 0;
    std::int64_t churned_subscriptions = 0;
    std::int64_t reactivated_subscriptions = 0;
};

/// The income and tax rows of the days in [`from_day`, `to_day`) (`YYYY-MM-DD`), by day,
/// currency and account.
std::vector<IncomeRow> income_rows(const ReadModelView& view, const std::string& from_day,
                                   const std::string& to_day);

/// The MRR movements of every day before `to_day`, oldest first (MRR on a day is the sum of
/// the movements up to it).
std::vector<MrrDay> mrr_days(const ReadModelView& view, const std::string& to_day);

}  // namespace switchyard::projections::billing
