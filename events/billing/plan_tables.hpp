#pragma once
/// The field tables of a plan, of a subscription's terms and of a promo code's terms
/// (core/billing/plan.hpp, core/billing/subscription.hpp), shared by the billing codec and the read
/// model that keeps plans and subscriptions as rows. Include only in .cpp files (codec_kit.hpp).

#include "core/billing/plan.hpp"
#include "core/billing/promo.hpp"
#include "core/billing/subscription.hpp"
#include "events/codec_kit.hpp"

namespace switchyard::events::billing {

/// A price: `{"currency", "amount_micros", "setup_fee_micros"}`.
inline constexpr auto kPriceTable =
    fields(field("currency", &core::billing::Price::currency),
           field("amount_micros", &core::billing::Price::amount_micros),
           field("setup_fee_micros", &core::billing::Price::setup_fee_micros));

/// A plan: `{"plan_id", "name", "line", "service_plan"?, "interval", "interval_count",
/// "trial_days", "grace_days", "prices", "ratable"?}`.
inline constexpr auto kPlanTable =
    fields(field("plan_id", &core::billing::Plan::plan_id),
           field("name", &core::billing::Plan::name), field("line", &core::billing::Plan::line),
           optional_field("service_plan", &core::billing::Plan::service_plan),
           field("interval", &core::billing::Plan::interval, core::billing::parse_interval),
           field("interval_count", &core::billing::Plan::interval_count),
           field("trial_days", &core::billing::Plan::trial_days),
           field("grace_days", &core::billing::Plan::grace_days),
           objects("prices", &core::billing::Plan::prices, kPriceTable),
           optional_field("ratable", &core::billing::Plan::ratable));

/// A subscription's terms: `{"subscription_id", "customer_id", "currency", "payer",
/// "service_id"?}`.
inline constexpr auto kTermsTable =
    fields(field("subscription_id", &core::billing::SubscriptionTerms::subscription_id),
           field("customer_id", &core::billing::SubscriptionTerms::customer_id),
           field("currency", &core::billing::SubscriptionTerms::currency),
           field("payer", &core::billing::SubscriptionTerms::payer),
           optional_field("service_id", &core::billing::SubscriptionTerms::service_id));

/// A promo code's terms: `{"code", "percent_ppm"?, "amount_micros"?, "currency"?, "duration",
/// "periods"?, "max_redemptions"?, "redeem_by", "plan_ids"?, "reusable"}` (promo codes and the
/// discounts a subscription carries).
inline constexpr auto kPromoTable = fields(
    field("code", &core::billing::PromoCode::code),
    optional_field("percent_ppm", &core::billing::PromoCode::percent_ppm),
    optional_field("amount_micros", &core::billing::PromoCode::amount_micros),
    optional_field("currency", &core::billing::PromoCode::currency),
    field("duration", &core::billing::PromoCode::duration, core::billing::parse_discount_duration),
    optional_field("periods", &core::billing::PromoCode::periods),
    optional_field("max_redemptions", &core::billing::PromoCode::max_redemptions),
    field("redeem_by", &core::billing::PromoCode::redeem_by),
    optional_field("plan_ids", &core::billing::PromoCode::plan_ids),
    field("reusable", &core::billing::PromoCode::reusable));

}  // namespace switchyard::events::billing
