#pragma once
/// Resellers' commissions (PanelX's commission system, issue 16 item 6): a rate per reseller,
/// a percent of what a sale charged or a fixed amount per sale, earned on the sales the
/// reseller's credits pay for (a subscription's creation, its renewals, or both). A commission
/// is earned in the same atomic append as the sale's charge, so a charge never exists without
/// its commission: entry `com:<sale entry id>` debits `commission_expense:<line>` and credits
/// `commissions_payable:<reseller>`. It then waits for staff (`pending`), who approve it
/// (`approved`) or reject it (`rejected`: the entry is reversed), and approved commissions are
/// paid out together (`paid`): entry `compay:<payout id>` debits `commissions_payable:<reseller>`
/// and credits the reseller's credits or the money account it left from.
///
/// Streams: `billing_commission_rate-<reseller id>` (rate set), `billing_commission-<sale entry
/// id>` (earned, approved, rejected, paid), `billing_commission_payout-<payout id>` (made).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/billing/ledger.hpp"
#include "core/billing/tax.hpp"
#include "core/result.hpp"

namespace switchyard::core::billing {

/// A reseller's commission rate: percent of the sale or a fixed amount per sale, and on which
/// sales.
struct CommissionRate {
    std::string reseller_id;    ///< The reseller's user id.
    RatePpm percent_ppm = 0;    ///< Percent of the sale in parts per million (10 % = 100'000), or
    Micros amount_micros = 0;   ///< a fixed amount per sale, in
    std::string currency;       ///< this currency (sales in other currencies earn nothing).
    bool on_creation = true;    ///< A subscription's first paid period.
    bool on_renewal = true;     ///< Each renewal (the renewal worker's, a retry, a payment).
    bool auto_approve = false;  ///< Earned as `approved` instead of `pending`.
    friend bool operator==(const CommissionRate&, const CommissionRate&) = default;
};

/// @errors Invalid naming `reseller_id`, `percent_ppm` (not 0 to 1'000'000, or both or neither
///         of percent and amount), `amount_micros` (below 0), `currency` (a fixed amount needs
///         its ISO 4217 code; a percent has none). A rate of 0 % stops commissions.
Result<void> check_commission_rate(const CommissionRate& r);

/// Which sale earned a commission. Wire names: `creation`, `renewal`.
enum class CommissionKind { Creation, Renewal };
const char* to_string(CommissionKind k) noexcept;
bool parse_commission_kind(std::string_view text, CommissionKind& out) noexcept;

/// Wire names: `pending`, `approved`, `rejected`, `paid`.
enum class CommissionStatus { Pending, Approved, Rejected, Paid };
const char* to_string(CommissionStatus s) noexcept;
bool parse_commission_status(std::string_view text, CommissionStatus& out) noexcept;

/// How a payout leaves: onto the reseller's credits (`credits`), or as money (`bank_transfer`,
/// `cash`, `other`) from `gateway_clearing:bank|cash|other`.
enum class PayoutMethod { Credits, BankTransfer, Cash, Other };
const char* to_string(PayoutMethod m) noexcept;
bool parse_payout_method(std::string_view text, PayoutMethod& out) noexcept;

// ---- events ----

struct CommissionRateSet {
    static constexpr std::string_view kType = "billing.commission_rate.set";
    CommissionRate rate;
    friend bool operator==(const CommissionRateSet&, const CommissionRateSet&) = default;
};
using CommissionRateEvent = std::variant<CommissionRateSet>;

/// A commission earned by a sale; `commission_id` is the sale's entry id.
struct CommissionEarned {
    static constexpr std::string_view kType = "billing.commission.earned";
    std::string commission_id;
    std::string reseller_id;
    std::string subscription_id;
    std::string plan_id;
    std::string line;  ///< The sale's service line.
    CommissionKind kind = CommissionKind::Creation;
    std::string currency;
    Micros sale_micros = 0;  ///< What the reseller's credits paid for the sale.
    RatePpm percent_ppm = 0;
    Micros amount_micros = 0;  ///< The commission.
    std::string entry_id;      ///< `com:<commission id>`.
    bool approved = false;     ///< Approved on earning (the rate's auto_approve).
    friend bool operator==(const CommissionEarned&, const CommissionEarned&) = default;
};
struct CommissionApproved {
    static constexpr std::string_view kType = "billing.commission.approved";
    std::string commission_id;
    friend bool operator==(const CommissionApproved&, const CommissionApproved&) = default;
};
/// Rejected by staff; its entry reversed (`<entry id>.reversal`).
struct CommissionRejected {
    static constexpr std::string_view kType = "billing.commission.rejected";
    std::string commission_id;
    std::string reason;
    std::string entry_id;  ///< The reversal.
    friend bool operator==(const CommissionRejected&, const CommissionRejected&) = default;
};
struct CommissionPaid {
    static constexpr std::string_view kType = "billing.commission.paid";
    std::string commission_id;
    std::string payout_id;
    friend bool operator==(const CommissionPaid&, const CommissionPaid&) = default;
};
using CommissionEvent =
    std::variant<CommissionEarned, CommissionApproved, CommissionRejected, CommissionPaid>;

/// Approved commissions of one reseller paid out together, in one currency.
struct CommissionPayoutMade {
    static constexpr std::string_view kType = "billing.commission_payout.made";
    std::string payout_id;
    std::string reseller_id;
    std::string currency;
    PayoutMethod method = PayoutMethod::Credits;
    std::string reference;  ///< The bank transfer's reference, a receipt; may be empty.
    std::vector<std::string> commission_ids;
    Micros amount_micros = 0;  ///< Their sum.
    std::string entry_id;      ///< `compay:<payout id>`.
    friend bool operator==(const CommissionPayoutMade&, const CommissionPayoutMade&) = default;
};
using CommissionPayoutEvent = std::variant<CommissionPayoutMade>;

inline std::string commission_rate_stream(const std::string& reseller_id) {
    return "billing_commission_rate-" + reseller_id;
}
inline std::string commission_stream(const std::string& commission_id) {
    return "billing_commission-" + commission_id;
}
inline std::string commission_payout_stream(const std::string& payout_id) {
    return "billing_commission_payout-" + payout_id;
}

struct CommissionRateState {
    std::optional<CommissionRate> rate;
};
void evolve(CommissionRateState& s, const CommissionRateEvent& e);

struct CommissionState {
    std::optional<CommissionEarned> earned;
    CommissionStatus status = CommissionStatus::Pending;
    std::string reason;     ///< Why it was rejected.
    std::string payout_id;  ///< The payout that paid it.
};
void evolve(CommissionState& s, const CommissionEvent& e);

struct CommissionPayoutState {
    std::optional<CommissionPayoutMade> made;
};
void evolve(CommissionPayoutState& s, const CommissionPayoutEvent& e);

// ---- decisions ----

/// Sets a rate; the same rate again decides nothing. @errors as check_commission_rate.
Result<std::vector<CommissionRateEvent>> decide(const CommissionRateState& s,
                                                const CommissionRate& r);

/// A sale: a charge a reseller's credits paid.
struct Sale {
    std::string reseller_id;
    std::string subscription_id;
    std::string plan_id;
    std::string line;
    CommissionKind kind = CommissionKind::Creation;
    const JournalEntry* entry = nullptr;  ///< The charge; what it debits the credits is the sale.
};

/// The commission `rate` gives for `sale`: percent of the sale rounded to the currency's minor
/// unit (half away from zero), or the fixed amount when the sale is in the rate's currency;
/// nothing when the rate is not for this kind of sale or the commission would be 0.
std::optional<CommissionEarned> commission_for(const CommissionRate& rate, const Sale& sale);

/// The entry of an earned commission: Dr `commission_expense:<line>`, Cr
/// `commissions_payable:<reseller>`.
JournalEntry commission_entry(const CommissionEarned& c);

/// @errors NotFound naming `commission_id`; Rejected naming `status` unless pending (approving
///         an approved one decides nothing).
Result<std::vector<CommissionEvent>> decide_approve(const CommissionState& s,
                                                    const std::string& commission_id);
/// Rejects a pending or approved commission; the caller posts the reversal of its entry.
/// @errors NotFound; Invalid naming `reason` (1 to 200 characters); Rejected naming `status`
///         when paid (rejecting a rejected one decides nothing).
Result<std::vector<CommissionEvent>> decide_reject(const CommissionState& s,
                                                   const std::string& commission_id,
                                                   const std::string& reason);

/// A payout asked for.
struct PayOutCommissions {
    std::string payout_id;
    std::string reseller_id;
    std::string currency;
    PayoutMethod method = PayoutMethod::Credits;
    std::string reference;
};

/// The most commissions one payout pays (the rest wait for the next).
inline constexpr std::size_t kMaxPayoutCommissions = 500;

/// The payout of `approved` (the reseller's approved, unpaid commissions in the currency, as
/// their streams have them): at most kMaxPayoutCommissions of them, oldest first as given; its
/// entry is payout_entry's. @errors Invalid naming `payout_id`, `reseller_id`, `currency`,
/// `reference`; Rejected naming `reseller_id` when nothing is approved and unpaid.
Result<CommissionPayoutMade> decide_payout(const PayOutCommissions& c,
                                           const std::vector<CommissionEarned>& approved);

/// The payout's entry: Dr `commissions_payable:<reseller>`, Cr `reseller_credit:<reseller>`
/// (credits) or `gateway_clearing:bank|cash|other`.
JournalEntry payout_entry(const CommissionPayoutMade& p);

}  // namespace switchyard::core::billing
