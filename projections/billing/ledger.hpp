#pragma once
/// The `billing_ledger` read model: the books of the tenant built from `billing.entry.posted`
/// (core/billing/ledger.hpp), queryable now and as of any past time.
///
/// Keys (account codes never contain `/`):
/// - `a/<account>/<currency>` -> `{"account", "currency", "class", "debit_micros",
///   "credit_micros", "balance_micros", "lines"}`: totals of every posting, the balance in the
///   account's normal direction (debit minus credit for assets and expenses, the reverse for the
///   others), the number of lines;
/// - `l/<account>/<currency>/<be64 time us><be64 line number>` -> `{"entry_id", "time",
///   "debit_micros", "credit_micros", "debit_total_micros", "credit_total_micros",
///   "balance_micros", "memo"}`: the account's statement, one line per posting, with the totals
///   after it (so a balance as of a time is one seek);
/// - `e/<entry id>` -> the entry as posted (`billing.entry.posted`'s payload) with `time`,
///   `position` and `reversed_by` (the id of the entry that reversed it, or absent).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/billing/ledger.hpp"
#include "core/time.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::billing {

inline constexpr const char* kBillingLedger = "billing_ledger.v1";

std::unique_ptr<Projector> make_billing_ledger_projector();

/// One account's totals in one currency (at a time, for as-of queries).
struct AccountBalance {
    std::string account;
    std::string currency;
    core::billing::AccountClass account_class = core::billing::AccountClass::Equity;
    core::billing::Micros debit_micros = 0;
    core::billing::Micros credit_micros = 0;
    core::billing::Micros balance_micros = 0;  ///< In the account's normal direction.
    std::int64_t lines = 0;
};

/// One line of an account's statement.
struct StatementLine {
    std::string entry_id;
    core::Timestamp time{};
    core::billing::Micros debit_micros = 0;
    core::billing::Micros credit_micros = 0;
    core::billing::Micros balance_micros = 0;  ///< After the line.
    std::string memo;
};

/// An entry as the books hold it.
struct BookedEntry {
    core::billing::JournalEntry entry;
    core::Timestamp time{};
    std::string reversed_by;  ///< Empty when not reversed.
};

/// The trial balance of one currency: every account's balance and the sums of the debit-side
/// and credit-side balances, which are equal in balanced books.
struct TrialBalance {
    std::string currency;
    std::vector<AccountBalance> accounts;             ///< Accounts with a posting by then, by code.
    core::billing::Micros debit_balances_micros = 0;  ///< Sum of debit-side balances.
    core::billing::Micros credit_balances_micros = 0;  ///< Sum of credit-side balances.
};

/// One account's totals as of `as_of` (inclusive; nullopt: now), or nullopt when it had no
/// posting by then.
std::optional<AccountBalance> find_account(const ReadModelView& view, const std::string& account,
                                           const std::string& currency,
                                           std::optional<core::Timestamp> as_of = std::nullopt);
/// Up to `limit` accounts after `after` (an `<account>/<currency>` of the previous page), in
/// key order, with their present totals.
std::vector<AccountBalance> list_accounts(const ReadModelView& view, const std::string& after,
                                          std::size_t limit);
/// Up to `limit` statement lines of an account, oldest first, from line `from` (0-based).
std::vector<StatementLine> statement(const ReadModelView& view, const std::string& account,
                                     const std::string& currency, std::int64_t from,
                                     std::size_t limit);
/// The entry booked under `entry_id`, or nullopt.
std::optional<BookedEntry> find_entry(const ReadModelView& view, const std::string& entry_id);
/// The trial balance of each currency as of `as_of` (inclusive; nullopt: now), by currency.
std::vector<TrialBalance> trial_balance(const ReadModelView& view,
                                        std::optional<core::Timestamp> as_of = std::nullopt);

}  // namespace switchyard::projections::billing
