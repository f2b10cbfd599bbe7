#include "core/billing/ledger.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <utility>

#include "core/overloaded.hpp"

namespace switchyard::core::billing {

namespace {

constexpr std::array<std::pair<AccountKind, const char*>, 11> kKinds{{
    {AccountKind::Wallet, "wallet"},
    {AccountKind::ResellerCredit, "reseller_credit"},
    {AccountKind::Receivable, "receivable"},
    {AccountKind::GatewayClearing, "gateway_clearing"},
    {AccountKind::Revenue, "revenue"},
    {AccountKind::DeferredRevenue, "deferred_revenue"},
    {AccountKind::TaxPayable, "tax_payable"},
    {AccountKind::CommissionsPayable, "commissions_payable"},
    {AccountKind::CommissionExpense, "commission_expense"},
    {AccountKind::Discounts, "discounts"},
    {AccountKind::Equity, "equity"},
}};

constexpr std::array<const char*, 5> kServiceLines{"vpn", "voice", "hotspot", "iptv", "other"};

bool per_service_line(AccountKind k) {
    return k == AccountKind::Revenue || k == AccountKind::DeferredRevenue ||
           k == AccountKind::CommissionExpense || k == AccountKind::Discounts;
}

bool upper(char c) { return c >= 'A' && c <= 'Z'; }
bool id_char(char c) {
    return (c >= 'a' && c <= 'z') || upper(c) || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
}

/// `DE`, `US-CA`: ISO 3166-1 alpha-2, optionally a region of 1 to 3 letters or digits.
bool valid_jurisdiction(std::string_view j) {
    if (j.size() < 2 || !upper(j[0]) || !upper(j[1])) return false;
    if (j.size() == 2) return true;
    if (j[2] != '-' || j.size() < 4 || j.size() > 6) return false;
    return std::all_of(j.begin() + 3, j.end(),
                       [](char c) { return upper(c) || (c >= '0' && c <= '9'); });
}

bool valid_entry_id(std::string_view id) {
    return !id.empty() && id.size() <= 128 &&
           std::all_of(id.begin(), id.end(), [](char c) { return id_char(c) || c == ':'; });
}

std::string posting_field(std::size_t i, const char* member) {
    return "postings[" + std::to_string(i) + "]." + member;
}

}  // namespace

const char* to_string(AccountKind k) noexcept {
    for (const auto& [kind, name] : kKinds)
        if (kind == k) return name;
    return "equity";
}

bool parse_account_kind(std::string_view text, AccountKind& out) noexcept {
    for (const auto& [kind, name] : kKinds) {
        if (text == name) {
            out = kind;
            return true;
        }
    }
    return false;
}

const char* to_string(AccountClass c) noexcept {
    switch (c) {
        case AccountClass::Asset:
            return "asset";
        case AccountClass::Liability:
            return "liability";
        case AccountClass::Equity:
            return "equity";
        case AccountClass::Revenue:
            return "revenue";
        case AccountClass::Expense:
            return "expense";
    }
    return "equity";
}

bool parse_account_class(std::string_view text, AccountClass& out) noexcept {
    for (auto c : {AccountClass::Asset, AccountClass::Liability, AccountClass::Equity,
                   AccountClass::Revenue, AccountClass::Expense}) {
        if (text == to_string(c)) {
            out = c;
            return true;
        }
    }
    return false;
}

AccountClass class_of(AccountKind k) noexcept {
    switch (k) {
        case AccountKind::Receivable:
        case AccountKind::GatewayClearing:
            return AccountClass::Asset;
        case AccountKind::Wallet:
        case AccountKind::ResellerCredit:
        case AccountKind::DeferredRevenue:
        case AccountKind::TaxPayable:
        case AccountKind::CommissionsPayable:
            return AccountClass::Liability;
        case AccountKind::Revenue:
            return AccountClass::Revenue;
        case AccountKind::CommissionExpense:
        case AccountKind::Discounts:
            return AccountClass::Expense;
        case AccountKind::Equity:
            return AccountClass::Equity;
    }
    return AccountClass::Equity;
}

bool debit_normal(AccountClass c) noexcept {
    return c == AccountClass::Asset || c == AccountClass::Expense;
}

bool is_guarded(AccountKind k) noexcept {
    return k == AccountKind::Wallet || k == AccountKind::ResellerCredit;
}

std::string AccountCode::text() const { return std::string(to_string(kind)) + ":" + qualifier; }

Result<AccountCode> parse_account(std::string_view text, const std::string& field) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos)
        return fail(
            Errc::Invalid, field,
            "an account code is <kind>:<qualifier>, such as wallet:cust-42 or revenue:iptv");
    AccountCode code;
    if (!parse_account_kind(text.substr(0, colon), code.kind))
        return fail(Errc::Invalid, field,
                    "unknown account kind '" + std::string(text.substr(0, colon)) +
                        "' (wallet, reseller_credit, receivable, gateway_clearing, revenue, "
                        "deferred_revenue, tax_payable, commissions_payable, commission_expense, "
                        "discounts, equity)");
    code.qualifier = std::string(text.substr(colon + 1));
    const auto& q = code.qualifier;
    if (per_service_line(code.kind)) {
        if (std::find_if(kServiceLines.begin(), kServiceLines.end(),
                         [&](const char* l) { return q == l; }) == kServiceLines.end())
            return fail(Errc::Invalid, field,
                        std::string(to_string(code.kind)) +
                            " is kept per service line: vpn, voice, hotspot, iptv or other");
    } else if (code.kind == AccountKind::TaxPayable) {
        if (!valid_jurisdiction(q))
            return fail(Errc::Invalid, field,
                        "tax_payable needs a jurisdiction: an ISO 3166-1 country such as DE, "
                        "optionally with a region such as US-CA");
    } else if (!valid_id(q)) {
        return fail(Errc::Invalid, field,
                    "the qualifier must be 1 to 64 letters, digits, '.', '_' or '-'");
    }
    return code;
}

bool valid_id(std::string_view id) noexcept {
    return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), id_char);
}

Result<void> check_id(const std::string& id, const char* field) {
    if (!valid_id(id))
        return fail(Errc::Invalid, field, "must be 1 to 64 letters, digits, '.', '_' or '-'");
    return {};
}

Result<void> check_text(const std::string& text, std::size_t max, const char* field) {
    if (text.size() > max)
        return fail(Errc::Invalid, field, "must be at most " + std::to_string(max) + " bytes");
    if (std::any_of(text.begin(), text.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
        return fail(Errc::Invalid, field, "must not hold control characters");
    return {};
}

bool valid_currency(std::string_view code) noexcept {
    return code.size() == 3 && std::all_of(code.begin(), code.end(), upper);
}

Result<void> check_entry(const JournalEntry& e) {
    if (!valid_entry_id(e.entry_id))
        return fail(Errc::Invalid, "entry_id",
                    "must be 1 to 128 letters, digits, '.', '_', '-' or ':'");
    if (!valid_currency(e.currency))
        return fail(Errc::Invalid, "currency", "must be an ISO 4217 code such as EUR");
    if (e.memo.empty()) return fail(Errc::Invalid, "memo", "is required");
    if (e.memo.size() > 500) return fail(Errc::Invalid, "memo", "is longer than 500 bytes");
    if (e.reference.size() > 200)
        return fail(Errc::Invalid, "reference", "is longer than 200 bytes");
    if (e.postings.size() < 2)
        return fail(Errc::Invalid, "postings", "an entry needs at least two postings");
    if (e.postings.size() > kMaxPostings)
        return fail(Errc::Invalid, "postings",
                    "at most " + std::to_string(kMaxPostings) + " postings per entry");
    // Bounded amounts keep every sum of an entry far from overflow.
    constexpr Micros kMaxAmount = 1'000'000'000'000'000;  // 1e12 units of the currency.
    Micros debits = 0, credits = 0;
    for (std::size_t i = 0; i < e.postings.size(); ++i) {
        const auto& p = e.postings[i];
        SY_TRY(parse_account(p.account, posting_field(i, "account")));
        if (p.debit_micros < 0 || p.credit_micros < 0)
            return fail(Errc::Invalid, posting_field(i, "debit_micros"),
                        "amounts are positive; the side says the direction");
        if ((p.debit_micros > 0) == (p.credit_micros > 0))
            return fail(Errc::Invalid, posting_field(i, "debit_micros"),
                        "a posting has exactly one of debit_micros and credit_micros above 0");
        if (p.debit_micros > kMaxAmount || p.credit_micros > kMaxAmount)
            return fail(Errc::Invalid, posting_field(i, "debit_micros"),
                        "an amount is at most 1e12 units of the currency");
        debits += p.debit_micros;
        credits += p.credit_micros;
    }
    if (debits != credits)
        return fail(Errc::Invalid, "postings",
                    "debits (" + std::to_string(debits) + ") do not equal credits (" +
                        std::to_string(credits) + ") in micro-units");
    if (e.earned_from || e.earned_until) {
        if (!e.earned_from || !e.earned_until || *e.earned_until <= *e.earned_from)
            return fail(Errc::Invalid, "earned_until",
                        "an earning period needs earned_from before earned_until");
        if (e.entry_id.size() > 100)
            return fail(Errc::Invalid, "entry_id",
                        "an entry that defers revenue has an id of at most 100 bytes");
        if (std::none_of(e.postings.begin(), e.postings.end(), [](const Posting& p) {
                return p.account.starts_with("deferred_revenue:");
            }))
            return fail(Errc::Invalid, "earned_until",
                        "an earning period is for an entry that posts to deferred_revenue");
    }
    return {};
}

JournalEntry reversal_of(const JournalEntry& e, std::string memo) {
    JournalEntry r;
    r.entry_id = e.entry_id + ".reversal";
    r.currency = e.currency;
    r.memo = std::move(memo);
    r.reference = e.reference;
    r.reverses = e.entry_id;
    for (const auto& p : e.postings)
        r.postings.push_back({p.account, p.credit_micros, p.debit_micros});
    // A deferral reversed un-earns over the same period what the original earns.
    r.earned_from = e.earned_from;
    r.earned_until = e.earned_until;
    return r;
}

Micros balance_effect(const Posting& p, AccountClass c) noexcept {
    return debit_normal(c) ? p.debit_micros - p.credit_micros : p.credit_micros - p.debit_micros;
}

void evolve(AccountState& s, const AccountEvent& e) {
    std::visit(Overloaded{
                   [&](const AccountOpened& o) { s.terms = o; },
                   [&](const AccountMoved& m) { s.balance_micros = m.balance_micros; },
               },
               e);
}

Result<std::vector<AccountEvent>> decide(const AccountState& s, const OpenAccount& c) {
    const auto code = SY_TRY(parse_account(c.account, "account"));
    if (!is_guarded(code.kind))
        return fail(Errc::Invalid, "account",
                    "only wallets and reseller credits are opened; other accounts exist with "
                    "their first entry");
    if (!valid_currency(c.currency))
        return fail(Errc::Invalid, "currency", "must be an ISO 4217 code such as EUR");
    if (c.credit_limit_micros < 0)
        return fail(Errc::Invalid, "credit_limit_micros", "must not be negative");
    AccountOpened opened{c.account, c.currency, c.credit_limit_micros};
    if (!s.terms) return std::vector<AccountEvent>{opened};
    if (s.terms->currency != c.currency)
        return fail(Errc::Conflict, "currency",
                    "the account is open in " + s.terms->currency + "; its currency never changes");
    if (*s.terms == opened) return std::vector<AccountEvent>{};
    return std::vector<AccountEvent>{opened};
}

std::vector<std::string> guarded_accounts(const JournalEntry& e) {
    std::set<std::string> out;
    for (const auto& p : e.postings) {
        auto code = parse_account(p.account, "account");
        if (code && is_guarded(code->kind)) out.insert(p.account);
    }
    return {out.begin(), out.end()};
}

Result<EntryDecision> decide_entry(const JournalEntry& e,
                                   const std::optional<JournalEntry>& existing,
                                   const std::map<std::string, AccountState>& guarded) {
    SY_TRY(check_entry(e));
    EntryDecision out;
    if (existing) {
        if (*existing == e) return out;
        return fail(Errc::Conflict, "entry_id",
                    "entry " + e.entry_id + " is already posted with other content");
    }
    // Per guarded account: its balance after every posting of the entry that touches it.
    std::map<std::string, std::pair<Micros, std::size_t>> moves;  // code -> (amount, first index)
    for (std::size_t i = 0; i < e.postings.size(); ++i) {
        const auto& p = e.postings[i];
        const auto code = SY_TRY(parse_account(p.account, posting_field(i, "account")));
        if (!is_guarded(code.kind)) continue;
        auto [it, fresh] = moves.try_emplace(p.account, 0, i);
        it->second.first += balance_effect(p, class_of(code.kind));
    }
    for (const auto& [code, move] : moves) {
        const auto field = posting_field(move.second, "account");
        auto it = guarded.find(code);
        if (it == guarded.end() || !it->second.terms)
            return fail(Errc::NotFound, field, "no account " + code + "; open it first");
        const auto& s = it->second;
        if (s.terms->currency != e.currency)
            return fail(
                Errc::Rejected, "currency",
                code + " is kept in " + s.terms->currency + ", the entry is in " + e.currency);
        const auto after = s.balance_micros + move.first;
        const auto floor = -s.terms->credit_limit_micros;
        if (move.first < 0 && after < floor)
            return fail(Errc::Rejected, field,
                        "insufficient balance: " + code + " holds " +
                            std::to_string(s.balance_micros) + " micro-units (floor " +
                            std::to_string(floor) + "), the entry takes " +
                            std::to_string(-move.first));
        if (move.first == 0) continue;
        out.accounts[code].push_back(AccountMoved{e.entry_id, move.first, after});
    }
    out.entry.push_back(EntryPosted{e});
    return out;
}

}  // namespace switchyard::core::billing
