#pragma once
/// The `voice_balances` read model: the current balance of every voice account, for listing
/// the accounts that are low or exhausted (the balance of one customer is read from its
/// account stream by the API, fresher than any read model).
///
/// Keys: `b/<customer id>` -> `{"customer_id", "currency", "kind" (prepaid/postpaid),
/// "credit_limit_micros", "low_balance_threshold_micros", "balance_micros", "low_balance",
/// "exhausted"}`, where `low_balance` is balance < threshold and `exhausted` balance <= the
/// floor (0 prepaid, -credit limit postpaid), as core/voice/account.hpp defines them.

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/voice/account.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::voice {

inline constexpr const char* kVoiceBalances = "voice_balances.v1";

std::unique_ptr<Projector> make_voice_balances_projector();

/// One account's row.
struct BalanceRow {
    core::voice::AccountTerms terms;
    core::voice::Micros balance_micros = 0;
    bool low_balance = false;
    bool exhausted = false;
};

/// Which accounts a balance list keeps.
struct BalanceFilter {
    std::string state;  ///< Empty: all; `low` (low or exhausted); `exhausted`.
    /// The customers the caller may see; nullopt for the operator's staff.
    std::optional<std::set<std::string>> reach;
    std::string after;  ///< Customer id of the last row of the previous page (key order).
};

/// Up to `limit` accounts that `filter` keeps, in key order (customer id as text).
std::vector<BalanceRow> list_balances(const ReadModelView& view, const BalanceFilter& filter,
                                      std::size_t limit);
/// One account's row, or nullopt.
std::optional<BalanceRow> find_balance(const ReadModelView& view, const std::string& customer_id);

}  // namespace switchyard::projections::voice
