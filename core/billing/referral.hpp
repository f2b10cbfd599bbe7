#pragma once
/// Referral codes with bonuses (DIDTron's referral and bonus system, issue 16 item 6): a
/// customer's code that new customers register with; when a referred customer's first payment
/// of at least the code's qualifying amount is received, both get their bonus on their wallets
/// in one entry `ref:<referee>`: Dr `discounts:other` (the bonuses, as Lago books granted
/// credits: a discount), Cr `wallet:<referrer>`, Cr `wallet:<referee>`.
///
/// Streams: `billing_referral_code-<code>` (defined, retired, used: one event per referee,
/// appended at the stream's revision, so `max_referrals` holds when customers race), and
/// `billing_referral-<referee id>` (registered, created once: a customer is referred once;
/// rewarded).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/billing/ledger.hpp"
#include "core/result.hpp"

namespace switchyard::core::billing {

/// A referral code's terms.
struct ReferralCode {
    std::string code;                  ///< 3 to 32 upper-case letters, digits, `-`, `_`: `ALICE-7`.
    std::string referrer_id;           ///< The customer whose code it is.
    std::string currency;              ///< ISO 4217: the bonuses' and the qualifying payment's.
    Micros referrer_bonus_micros = 0;  ///< Onto the referrer's wallet.
    Micros referee_bonus_micros = 0;   ///< Onto the referred customer's wallet.
    /// The least first payment that qualifies (0: any payment in the currency).
    Micros qualifying_micros = 0;
    std::int64_t max_referrals = 0;  ///< 0: no limit.
    friend bool operator==(const ReferralCode&, const ReferralCode&) = default;
};

/// @errors Invalid naming `code`, `referrer_id`, `currency`, `referrer_bonus_micros` (a bonus
///         below 0, or both 0), `referee_bonus_micros`, `qualifying_micros`, `max_referrals`.
Result<void> check_referral_code(const ReferralCode& c);

// ---- events ----

struct ReferralCodeDefined {
    static constexpr std::string_view kType = "billing.referral_code.defined";
    ReferralCode terms;
    friend bool operator==(const ReferralCodeDefined&, const ReferralCodeDefined&) = default;
};
struct ReferralCodeRetired {
    static constexpr std::string_view kType = "billing.referral_code.retired";
    std::string code;
    friend bool operator==(const ReferralCodeRetired&, const ReferralCodeRetired&) = default;
};
/// The code used by a new customer (`referral` 1 for its first).
struct ReferralCodeUsed {
    static constexpr std::string_view kType = "billing.referral_code.used";
    std::string code;
    std::string customer_id;
    std::int64_t referral = 0;
    friend bool operator==(const ReferralCodeUsed&, const ReferralCodeUsed&) = default;
};
using ReferralCodeEvent = std::variant<ReferralCodeDefined, ReferralCodeRetired, ReferralCodeUsed>;

/// A customer referred, with the code's terms as they were.
struct ReferralRegistered {
    static constexpr std::string_view kType = "billing.referral.registered";
    std::string customer_id;
    ReferralCode terms;
    friend bool operator==(const ReferralRegistered&, const ReferralRegistered&) = default;
};
/// The referred customer's qualifying payment received; the bonuses posted.
struct ReferralRewarded {
    static constexpr std::string_view kType = "billing.referral.rewarded";
    std::string customer_id;
    std::string payment_id;
    std::string entry_id;  ///< `ref:<customer id>`.
    Micros referrer_bonus_micros = 0;
    Micros referee_bonus_micros = 0;
    friend bool operator==(const ReferralRewarded&, const ReferralRewarded&) = default;
};
using ReferralEvent = std::variant<ReferralRegistered, ReferralRewarded>;

inline std::string referral_code_stream(const std::string& code) {
    return "billing_referral_code-" + code;
}
inline std::string referral_stream(const std::string& customer_id) {
    return "billing_referral-" + customer_id;
}

struct ReferralCodeState {
    std::optional<ReferralCode> terms;
    bool retired = false;
    std::int64_t referrals = 0;
};
void evolve(ReferralCodeState& s, const ReferralCodeEvent& e);

struct ReferralState {
    std::optional<ReferralRegistered> registered;
    std::optional<ReferralRewarded> rewarded;
};
void evolve(ReferralState& s, const ReferralEvent& e);

// ---- decisions ----

/// Defines a code; the same terms again decide nothing; terms change only while unused.
/// @errors as check_referral_code; Conflict `code` once used with other terms.
Result<std::vector<ReferralCodeEvent>> decide(const ReferralCodeState& s, const ReferralCode& c);
/// @errors NotFound `code`. Retiring twice decides nothing.
Result<std::vector<ReferralCodeEvent>> decide_retire(const ReferralCodeState& s,
                                                     const std::string& code);

/// What registering a referred customer appends: to the code's stream and to the customer's.
struct ReferralDecision {
    std::vector<ReferralCodeEvent> code;
    std::vector<ReferralEvent> referral;
};
/// Registers `customer_id` with the code. The same code again for the same customer decides
/// nothing. @errors Invalid naming `customer_id`; NotFound `code`; Rejected `code` (retired,
/// every referral used); Rejected `customer_id` (the referrer itself); Conflict `customer_id`
/// (already referred with another code).
Result<ReferralDecision> decide_register(const ReferralCodeState& code, const ReferralState& s,
                                         const std::string& code_text,
                                         const std::string& customer_id);

/// The reward a payment of the referred customer brings: rewarded once, by its first payment
/// in the code's currency of at least the qualifying amount; nothing otherwise.
std::vector<ReferralEvent> decide_reward(const ReferralState& s, const std::string& payment_id,
                                         Micros amount_micros, const std::string& currency);

/// The bonuses' entry (see above); the wallets credited only for a bonus above 0.
JournalEntry reward_entry(const ReferralRegistered& r, const ReferralRewarded& w);

}  // namespace switchyard::core::billing
