#pragma once
/// The field tables of a referral code's terms and of a reward (core/billing/referral.hpp),
/// shared by the referral codec and the `billing_referrals` read model. Include only in .cpp
/// files (codec_kit.hpp).

#include "core/billing/referral.hpp"
#include "events/codec_kit.hpp"

namespace switchyard::events::billing {

/// `{"code", "referrer_id", "currency", "referrer_bonus_micros", "referee_bonus_micros",
/// "qualifying_micros"?, "max_referrals"?}`.
inline constexpr auto kReferralCodeTable =
    fields(field("code", &core::billing::ReferralCode::code),
           field("referrer_id", &core::billing::ReferralCode::referrer_id),
           field("currency", &core::billing::ReferralCode::currency),
           field("referrer_bonus_micros", &core::billing::ReferralCode::referrer_bonus_micros),
           field("referee_bonus_micros", &core::billing::ReferralCode::referee_bonus_micros),
           optional_field("qualifying_micros", &core::billing::ReferralCode::qualifying_micros),
           optional_field("max_referrals", &core::billing::ReferralCode::max_referrals));

/// `billing.referral.rewarded`'s payload.
inline constexpr auto kReferralRewardedTable =
    fields(field("customer_id", &core::billing::ReferralRewarded::customer_id),
           field("payment_id", &core::billing::ReferralRewarded::payment_id),
           field("entry_id", &core::billing::ReferralRewarded::entry_id),
           field("referrer_bonus_micros", &core::billing::ReferralRewarded::referrer_bonus_micros),
           field("referee_bonus_micros", &core::billing::ReferralRewarded::referee_bonus_micros));

}  // namespace switchyard::events::billing
