#pragma once
/// The `billing_commissions` read model: resellers' commission rates, their commissions with
/// status, the totals per reseller and currency, and payouts (core/billing/commission.hpp).
///
/// Keys (ids never contain `/`):
/// - `k/<reseller id>` -> the rate (`billing.commission_rate.set`'s payload) with `set_at`;
/// - `c/<commission id>` -> the commission: what it earned, status, reason, payout, times;
/// - `r/<reseller id>/<commission id>` -> empty: a reseller's commissions;
/// - `a/<reseller id>/<currency>/<commission id>` -> empty: approved and not yet paid;
/// - `t/<reseller id>/<currency>` -> the totals by status (micro-units);
/// - `o/<payout id>` -> the payout (`billing.commission_payout.made`'s payload) with `made_at`.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/billing/commission.hpp"
#include "core/time.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::billing {

inline constexpr const char* kBillingCommissions = "billing_commissions.v1";

std::unique_ptr<Projector> make_billing_commissions_projector();

struct CommissionRateRow {
    core::billing::CommissionRate rate;
    core::Timestamp set_at{};
};

struct CommissionRow {
    core::billing::CommissionEarned earned;
    core::billing::CommissionStatus status = core::billing::CommissionStatus::Pending;
    std::string reason;     ///< Why it was rejected.
    std::string payout_id;  ///< The payout that paid it.
    core::Timestamp earned_at{};
    core::Timestamp updated_at{};
};

/// A reseller's commissions in one currency, by status (micro-units); earned is their sum.
struct CommissionTotals {
    std::string reseller_id;
    std::string currency;
    core::billing::Micros pending_micros = 0;
    core::billing::Micros approved_micros = 0;
    core::billing::Micros paid_micros = 0;
    core::billing::Micros rejected_micros = 0;
    std::int64_t count = 0;
};

struct CommissionPayoutRow {
    core::billing::CommissionPayoutMade made;
    core::Timestamp made_at{};
};

std::optional<CommissionRateRow> find_commission_rate(const ReadModelView& view,
                                                      const std::string& reseller_id);
std::optional<CommissionRow> find_commission(const ReadModelView& view,
                                             const std::string& commission_id);
/// Up to `limit` commissions after `after` (a commission id), by id; only the reseller's when
/// `reseller_id` is set, only in `status` when set.
std::vector<CommissionRow> list_commissions(const ReadModelView& view,
                                            const std::string& reseller_id,
                                            std::optional<core::billing::CommissionStatus> status,
                                            const std::string& after, std::size_t limit);
/// The ids of the reseller's approved, unpaid commissions in `currency`, by id.
std::vector<std::string> approved_commissions(const ReadModelView& view,
                                              const std::string& reseller_id,
                                              const std::string& currency);
/// The reseller's totals, one per currency.
std::vector<CommissionTotals> commission_totals(const ReadModelView& view,
                                                const std::string& reseller_id);
std::optional<CommissionPayoutRow> find_commission_payout(const ReadModelView& view,
                                                          const std::string& payout_id);

}  // namespace switchyard::projections::billing
