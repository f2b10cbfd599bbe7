#pragma once
/// The field tables of a commission rate, an earned commission and a payout
/// (core/billing/commission.hpp), shared by the commission codec and the `billing_commissions`
/// read model. Include only in .cpp files (codec_kit.hpp).

#include "core/billing/commission.hpp"
#include "events/codec_kit.hpp"

namespace switchyard::events::billing {

/// `{"reseller_id", "percent_ppm"?, "amount_micros"?, "currency"?, "on_creation",
/// "on_renewal", "auto_approve"}`.
inline constexpr auto kCommissionRateTable =
    fields(field("reseller_id", &core::billing::CommissionRate::reseller_id),
           optional_field("percent_ppm", &core::billing::CommissionRate::percent_ppm),
           optional_field("amount_micros", &core::billing::CommissionRate::amount_micros),
           optional_field("currency", &core::billing::CommissionRate::currency),
           field("on_creation", &core::billing::CommissionRate::on_creation),
           field("on_renewal", &core::billing::CommissionRate::on_renewal),
           field("auto_approve", &core::billing::CommissionRate::auto_approve));

/// `billing.commission.earned`'s payload.
inline constexpr auto kCommissionEarnedTable = fields(
    field("commission_id", &core::billing::CommissionEarned::commission_id),
    field("reseller_id", &core::billing::CommissionEarned::reseller_id),
    field("subscription_id", &core::billing::CommissionEarned::subscription_id),
    field("plan_id", &core::billing::CommissionEarned::plan_id),
    field("line", &core::billing::CommissionEarned::line),
    field("kind", &core::billing::CommissionEarned::kind, core::billing::parse_commission_kind),
    field("currency", &core::billing::CommissionEarned::currency),
    field("sale_micros", &core::billing::CommissionEarned::sale_micros),
    optional_field("percent_ppm", &core::billing::CommissionEarned::percent_ppm),
    field("amount_micros", &core::billing::CommissionEarned::amount_micros),
    field("entry_id", &core::billing::CommissionEarned::entry_id),
    field("approved", &core::billing::CommissionEarned::approved));

/// `billing.commission_payout.made`'s payload.
inline constexpr auto kCommissionPayoutTable =
    fields(field("payout_id", &core::billing::CommissionPayoutMade::payout_id),
           field("reseller_id", &core::billing::CommissionPayoutMade::reseller_id),
           field("currency", &core::billing::CommissionPayoutMade::currency),
           field("method", &core::billing::CommissionPayoutMade::method,
                 core::billing::parse_payout_method),
           optional_field("reference", &core::billing::CommissionPayoutMade::reference),
           field("commission_ids", &core::billing::CommissionPayoutMade::commission_ids),
           field("amount_micros", &core::billing::CommissionPayoutMade::amount_micros),
           field("entry_id", &core::billing::CommissionPayoutMade::entry_id));

}  // namespace switchyard::events::billing
