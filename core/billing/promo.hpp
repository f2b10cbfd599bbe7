#pragma once
/// Promo codes: a discount off a subscription's charges, percent or fixed, for its first period
/// (`once`), its first N periods (`repeating`) or as long as it runs (`forever`); with a
/// redemption limit across customers, a last day to redeem it (`redeem_by`: a code redeemed
/// before keeps discounting afterwards, as Stripe's and Lago's coupons do), the plans it is
/// for, and at most one redemption per customer unless it is reusable.
///
/// Stream `billing_promo-<code>`: defined, redeemed (one event per redemption, appended at the
/// stream's expected revision, so the limit holds when customers race for the last one),
/// retired. A discount is taken off before tax (Stripe, Lago), rounded to the currency's minor
/// unit, and never more than the amount it applies to.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/billing/ledger.hpp"
#include "core/billing/tax.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace switchyard::core::billing {

/// How long a discount lasts. Wire names: `once`, `repeating`, `forever`.
enum class DiscountDuration { Once, Repeating, Forever };
const char* to_string(DiscountDuration d) noexcept;
bool parse_discount_duration(std::string_view text, DiscountDuration& out) noexcept;

/// A promo code's terms.
struct PromoCode {
    std::string code;          ///< 3 to 32 upper-case letters, digits, `-`, `_`: `WELCOME10`.
    RatePpm percent_ppm = 0;   ///< Percent off in parts per million (25 % = 250'000), or
    Micros amount_micros = 0;  ///< a fixed amount off, in
    std::string currency;      ///< this currency (fixed codes only).
    DiscountDuration duration = DiscountDuration::Once;
    std::int64_t periods = 0;          ///< Repeating: how many billing periods.
    std::int64_t max_redemptions = 0;  ///< Across customers; 0: no limit.
    std::optional<Timestamp> redeem_by;
    std::vector<std::string> plan_ids;  ///< The plans it is for; empty: every plan.
    bool reusable = false;              ///< False: once per customer.
    friend bool operator==(const PromoCode&, const PromoCode&) = default;
};

/// @errors Invalid naming `code`, `percent_ppm`, `amount_micros`, `currency`, `periods`,
///         `max_redemptions` or `plan_ids`: exactly one of percent (1 to 1'000'000) and amount
///         (> 0, with its currency); repeating needs periods >= 1, the others none.
Result<void> check_promo(const PromoCode& p);

/// True for a code customers type (a promo or referral code): 3 to 32 upper-case letters,
/// digits, `-` or `_`.
bool valid_code(std::string_view code) noexcept;

/// `code` upper-cased as customers may type it (`welcome10` is `WELCOME10`).
std::string normalize_promo_code(std::string_view code);

struct PromoDefined {
    static constexpr std::string_view kType = "billing.promo.defined";
    PromoCode promo;
    friend bool operator==(const PromoDefined&, const PromoDefined&) = default;
};
struct PromoRetired {
    static constexpr std::string_view kType = "billing.promo.retired";
    std::string code;
    friend bool operator==(const PromoRetired&, const PromoRetired&) = default;
};
/// Redeemed by a customer for a subscription.
struct PromoRedeemed {
    static constexpr std::string_view kType = "billing.promo.redeemed";
    std::string code;
    std::string customer_id;
    std::string subscription_id;
    std::string plan_id;
    std::int64_t redemption = 0;  ///< 1 for the first redemption of the code.
    friend bool operator==(const PromoRedeemed&, const PromoRedeemed&) = default;
};
using PromoEvent = std::variant<PromoDefined, PromoRetired, PromoRedeemed>;

inline std::string promo_stream(const std::string& code) { return "billing_promo-" + code; }

struct PromoState {
    std::optional<PromoCode> promo;
    bool retired = false;
    std::int64_t redemptions = 0;
    std::set<std::string> customers;  ///< Who redeemed it.
};
void evolve(PromoState& s, const PromoEvent& e);

/// Defines a code; the same terms again decide nothing. Terms change only while nobody redeemed
/// it. @errors as check_promo; Conflict `code` once redeemed with other terms.
Result<std::vector<PromoEvent>> decide(const PromoState& s, const PromoCode& p);
/// @errors NotFound `code`. Retiring twice decides nothing.
Result<std::vector<PromoEvent>> decide_retire(const PromoState& s, const std::string& code);

/// A redemption asked for.
struct RedeemPromo {
    std::string code;
    std::string customer_id;
    std::string subscription_id;
    std::string plan_id;
    std::string currency;  ///< The subscription's.
};
/// @errors NotFound `promo_code` (no such code); Rejected `promo_code` naming why: retired,
///         past its redeem_by, every redemption used, not for this plan, already redeemed by
///         this customer, in another currency than the subscription's.
Result<std::vector<PromoEvent>> decide_redeem(const PromoState& s, const RedeemPromo& c,
                                              Timestamp now);

/// The discount `p` gives off `amount` in the `period`-th period it applies to (1 = the period
/// it was redeemed for): percent rounded to the minor unit, fixed as is, at most `amount`; 0
/// once its duration is over.
Micros discount_for(const PromoCode& p, Micros amount, std::int64_t period,
                    std::string_view currency);

}  // namespace switchyard::core::billing
