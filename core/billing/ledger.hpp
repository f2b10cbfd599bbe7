#pragma once
/// The billing ledger: double-entry books per tenant, kept as events and never edited.
///
/// An account is named by a code `<kind>:<qualifier>` from the chart below, e.g.
/// `wallet:cust-42`, `revenue:iptv`, `tax_payable:DE`, `gateway_clearing:stripe`. A journal entry
/// moves money between accounts in one currency: each posting debits or credits one account by
/// a positive amount of micro-units (1e-6 of the currency, DESIGN.md), and the debits equal the
/// credits. A correction is a reversing entry (the same postings, sides swapped), never an edit.
///
/// Streams:
/// - `billing_entry-<entry id>` holds the entry (`billing.entry.posted`); the stream is created
///   once, so an entry id is posted at most once (appends are idempotent on it).
/// - `billing_account-<account code>` holds a guarded account: a wallet or a reseller's credits,
///   which must never go below its floor (0, or minus its credit limit). It is opened with its
///   currency (`billing.account.opened`), and every entry that touches it also appends
///   `billing.account.moved` to it at the stream's expected revision, in the same atomic append
///   as the entry: two entries racing for the last credits conflict, and the retry of the
///   loser sees the balance the winner left.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace switchyard::core::billing {

/// An amount in micro-units (1e-6) of a currency: 12.50 EUR is 12'500'000.
using Micros = std::int64_t;

/// The kinds of account of the chart. Wire names (the code's first part): `wallet`,
/// `reseller_credit`, `receivable`, `gateway_clearing`, `revenue`, `deferred_revenue`,
/// `tax_payable`, `commissions_payable`, `commission_expense`, `discounts`, `equity`.
enum class AccountKind {
    Wallet,           ///< A customer's prepaid money (liability), guarded.
    ResellerCredit,   ///< A reseller's prepaid credits (liability), guarded.
    Receivable,       ///< What a customer owes (asset).
    GatewayClearing,  ///< Money held by a payment gateway or method (asset): `stripe`, `bank`.
    Revenue,  ///< Earned revenue per service line (`vpn`, `voice`, `hotspot`, `iptv`, `other`).
    DeferredRevenue,     ///< Paid, not yet earned, per service line (liability).
    TaxPayable,          ///< Tax owed per jurisdiction: ISO 3166-1 `DE` or with region `US-CA`.
    CommissionsPayable,  ///< Commissions owed to a reseller (liability).
    CommissionExpense,   ///< Commissions per service line (expense).
    Discounts,           ///< Promo codes and discounts per service line (contra-revenue, debit).
    Equity,              ///< Opening balances and the owner's capital.
};
const char* to_string(AccountKind k) noexcept;
bool parse_account_kind(std::string_view text, AccountKind& out) noexcept;

/// The accounting class of a kind; assets and expenses are debit-normal, the others credit-normal.
enum class AccountClass { Asset, Liability, Equity, Revenue, Expense };
const char* to_string(AccountClass c) noexcept;
bool parse_account_class(std::string_view text, AccountClass& out) noexcept;
AccountClass class_of(AccountKind k) noexcept;
/// True for the classes whose balance grows with debits (assets, expenses).
bool debit_normal(AccountClass c) noexcept;
/// True for wallets and reseller credits: they never go below their floor.
bool is_guarded(AccountKind k) noexcept;

/// A parsed account code.
struct AccountCode {
    AccountKind kind = AccountKind::Equity;
    std::string qualifier;
    std::string text() const;
    friend bool operator==(const AccountCode&, const AccountCode&) = default;
};

/// Parses `<kind>:<qualifier>`. Qualifiers: a service line for revenue, deferred_revenue,
/// commission_expense and discounts; a jurisdiction (`DE`, `US-CA`) for tax_payable; otherwise
/// an id of 1 to 64 letters, digits, `.`, `_` or `-`.
/// @errors Invalid naming `field`, saying which part is wrong.
Result<AccountCode> parse_account(std::string_view text, const std::string& field);

/// True for an id of the billing module (customer, reseller, plan, subscription): 1 to 64
/// letters, digits, `.`, `_` or `-`.
bool valid_id(std::string_view id) noexcept;

/// Checks a billing id (valid_id). @errors Invalid naming `field`.
Result<void> check_id(const std::string& id, const char* field);

/// Checks a free text: at most `max` bytes, no control characters (newlines neither).
/// @errors Invalid naming `field` and saying which.
Result<void> check_text(const std::string& text, std::size_t max, const char* field);

/// True for a three-letter upper-case ISO 4217 code such as `EUR`.
bool valid_currency(std::string_view code) noexcept;

/// One line of an entry: exactly one of debit and credit is > 0.
struct Posting {
    std::string account;  ///< An account code.
    Micros debit_micros = 0;
    Micros credit_micros = 0;
    friend bool operator==(const Posting&, const Posting&) = default;
};

/// A journal entry as the command gives it and `billing.entry.posted` records it.
struct JournalEntry {
    std::string
        entry_id;  ///< 1 to 128 of letters, digits, `.`, `_`, `-`, `:`; the idempotency key.
    std::string currency;  ///< ISO 4217.
    std::string memo;      ///< What the entry is, for people (required).
    std::string
        reference;  ///< An outside reference (invoice number, gateway event id); may be empty.
    std::string reverses;  ///< The entry id this entry reverses; empty for an ordinary entry.
    std::vector<Posting> postings;
    /// The service period what it credits to `deferred_revenue:<line>` pays for: earned pro
    /// rata over [earned_from, earned_until) (core/billing/recognition.hpp). Both or neither.
    std::optional<Timestamp> earned_from;
    std::optional<Timestamp> earned_until;
    friend bool operator==(const JournalEntry&, const JournalEntry&) = default;
};

/// The most postings one entry may have.
inline constexpr std::size_t kMaxPostings = 100;

/// Checks an entry's shape: the id, the currency, a memo, 2 to 100 postings with valid account
/// codes and exactly one positive side each, and debits equal to credits (no overflow); an
/// earning period has both ends, the first before the second, an id of at most 100 bytes (its
/// reversal's recognitions add 24) and a `deferred_revenue` posting.
/// @errors Invalid naming the field (`entry_id`, `currency`, `memo`, `postings`,
///         `postings[i].account`, `postings[i].debit_micros`, `earned_until`), with the totals
///         when unbalanced.
Result<void> check_entry(const JournalEntry& e);

/// The entry that reverses `e`: id `<e.entry_id>.reversal`, sides swapped, `reverses` = e's id.
JournalEntry reversal_of(const JournalEntry& e, std::string memo);

/// The signed effect of `p` on its account's balance, in the account's normal direction
/// (a debit raises an asset, a credit raises a liability).
Micros balance_effect(const Posting& p, AccountClass c) noexcept;

// ---- events ----

/// Stream `billing_entry-<entry id>`.
struct EntryPosted {
    static constexpr std::string_view kType = "billing.entry.posted";
    JournalEntry entry;
    friend bool operator==(const EntryPosted&, const EntryPosted&) = default;
};

/// Stream `billing_account-<code>`: a guarded account opened (or its credit limit changed).
struct AccountOpened {
    static constexpr std::string_view kType = "billing.account.opened";
    std::string account;
    std::string currency;
    Micros credit_limit_micros = 0;  ///< How far below 0 the balance may go; >= 0.
    friend bool operator==(const AccountOpened&, const AccountOpened&) = default;
};

/// Stream `billing_account-<code>`: an entry moved the guarded account's balance.
struct AccountMoved {
    static constexpr std::string_view kType = "billing.account.moved";
    std::string entry_id;
    Micros amount_micros = 0;   ///< Signed, in the account's normal direction (+ adds credit).
    Micros balance_micros = 0;  ///< After the entry.
    friend bool operator==(const AccountMoved&, const AccountMoved&) = default;
};

using EntryEvent = std::variant<EntryPosted>;
using AccountEvent = std::variant<AccountOpened, AccountMoved>;

/// A guarded account as its stream has it.
struct AccountState {
    std::optional<AccountOpened> terms;  ///< None until opened.
    Micros balance_micros = 0;
};
void evolve(AccountState& s, const AccountEvent& e);

inline std::string entry_stream(const std::string& entry_id) { return "billing_entry-" + entry_id; }
inline std::string account_stream(const std::string& code) { return "billing_account-" + code; }

// ---- commands ----

/// Opens a guarded account (wallet or reseller credit). The same terms again decide nothing;
/// another credit limit is recorded as a new `opened` event.
struct OpenAccount {
    std::string account;
    std::string currency;
    Micros credit_limit_micros = 0;
};
/// @errors Invalid naming `account` (not a code, or not a guarded kind), `currency`,
///         `credit_limit_micros` (negative); Conflict `currency` when open in another currency.
Result<std::vector<AccountEvent>> decide(const AccountState& s, const OpenAccount& c);

/// The decision of one entry: the entry's event (none when this exact entry is already posted)
/// and, per guarded account it touches, that account's `moved` event.
struct EntryDecision {
    std::vector<EntryEvent> entry;
    std::map<std::string, std::vector<AccountEvent>> accounts;  ///< By account code.
};

/// Decides a posting. `existing` is the entry already stored under the id, if any: the same
/// entry again decides nothing; another one is a Conflict. `guarded` holds the state of every
/// guarded account the entry touches, by code.
/// @errors as check_entry; Conflict `entry_id` (used for another entry); NotFound
///         `postings[i].account` for a guarded account not opened; Rejected `currency` when a
///         guarded account is in another currency; Rejected `postings[i].account` when the
///         entry would take a guarded account below its floor (insufficient balance).
Result<EntryDecision> decide_entry(const JournalEntry& e,
                                   const std::optional<JournalEntry>& existing,
                                   const std::map<std::string, AccountState>& guarded);

/// The codes of the guarded accounts an entry touches (valid codes only), sorted.
std::vector<std::string> guarded_accounts(const JournalEntry& e);

}  // namespace switchyard::core::billing
