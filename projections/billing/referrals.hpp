#pragma once
/// The `billing_referrals` read model: referral codes, referred customers and the qualifying
/// payments waiting for their bonuses (core/billing/referral.hpp), which the billing worker
/// reads to reward them.
///
/// Keys (ids and codes never contain `/`):
/// - `k/<code>` -> the code's terms, `retired`, `referrals`;
/// - `r/<customer id>` -> the referral: its terms, when registered, its reward if any;
/// - `c/<code>/<customer id>` -> empty: the customers a code referred;
/// - `q/<customer id>` -> the first qualifying payment received after the registration
///   (`payment_id`, `amount_micros`, `currency`), until the referral is rewarded.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/billing/referral.hpp"
#include "core/time.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::billing {

inline constexpr const char* kBillingReferrals = "billing_referrals.v1";

std::unique_ptr<Projector> make_billing_referrals_projector();

struct ReferralCodeRow {
    core::billing::ReferralCode terms;
    bool retired = false;
    std::int64_t referrals = 0;
};

struct ReferralRow {
    std::string customer_id;
    core::billing::ReferralCode terms;
    core::Timestamp registered_at{};
    std::string payment_id;  ///< The payment that qualified; empty until rewarded.
    std::string entry_id;    ///< The bonuses' entry; empty until rewarded.
    std::optional<core::Timestamp> rewarded_at;
};

/// A qualifying payment waiting for its referral's reward.
struct QualifyingPayment {
    std::string customer_id;
    std::string payment_id;
    core::billing::Micros amount_micros = 0;
    std::string currency;
};

std::optional<ReferralCodeRow> find_referral_code(const ReadModelView& view,
                                                  const std::string& code);
std::optional<ReferralRow> find_referral(const ReadModelView& view, const std::string& customer_id);
/// Up to `limit` customers `code` referred, by customer id.
std::vector<ReferralRow> list_referrals(const ReadModelView& view, const std::string& code,
                                        std::size_t limit);
/// Up to `limit` qualifying payments waiting for a reward, by customer id.
std::vector<QualifyingPayment> qualifying_payments(const ReadModelView& view, std::size_t limit);

}  // namespace switchyard::projections::billing
