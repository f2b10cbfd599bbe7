#include "core/voice/account_decider.hpp"

#include <algorithm>

#include "core/overloaded.hpp"

namespace switchyard::core::voice {

const char* to_string(AccountKind k) noexcept {
    return k == AccountKind::Postpaid ? "postpaid" : "prepaid";
}

bool parse_account_kind(std::string_view text, AccountKind& out) noexcept {
    for (auto k : {AccountKind::Prepaid, AccountKind::Postpaid}) {
        if (text == to_string(k)) {
            out = k;
            return true;
        }
    }
    return false;
}

void evolve(AccountState& s, const AccountEvent& event) {
    std::visit(Overloaded{
                   [&](const AccountOpened& e) { s.terms = e.terms; },
                   [&](const AccountTermsChanged& e) {
                       if (!s.terms) return;
                       s.terms->credit_limit_micros = e.credit_limit_micros;
                       s.terms->low_balance_threshold_micros = e.low_balance_threshold_micros;
                   },
                   [&](const AccountToppedUp& e) {
                       s.balance_micros += e.amount_micros;
                       s.references.insert(e.reference);
                   },
                   [&](const AccountAdjusted& e) {
                       s.balance_micros += e.amount_micros;
                       s.references.insert(e.reference);
                   },
                   [&](const AccountDebited& e) {
                       s.balance_micros -= e.amount_micros;
                       s.debited_micros += e.amount_micros;
                   },
                   [&](const AccountLowBalance&) {},
                   [&](const AccountExhausted&) {},
               },
               event);
}

namespace {

bool valid_currency(std::string_view c) {
    return c.size() == 3 &&
           std::all_of(c.begin(), c.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
}

/// The threshold events of a balance moving from `before` to `after`.
void crossings(const AccountTerms& t, Micros before, Micros after, std::vector<AccountEvent>& out) {
    if (after >= before) return;
    const auto threshold = t.low_balance_threshold_micros;
    if (before >= threshold && after < threshold)
        out.emplace_back(AccountLowBalance{after, threshold});
    const auto floor = floor_of(t);
    if (before > floor && after <= floor) out.emplace_back(AccountExhausted{after, floor});
}

Result<void> check_staff_action(const AccountState& s, const std::string& customer_id,
                                const std::string& reference, const std::string& reason,
                                const std::string& by) {
    if (!s.terms) return fail(Errc::NotFound, "customer_id", "no account for " + customer_id);
    if (reference.empty()) return fail(Errc::Invalid, "reference", "is required");
    if (reason.empty()) return fail(Errc::Invalid, "reason", "is required");
    if (by.empty()) return fail(Errc::Invalid, "by", "a staff member is required");
    return {};
}

}  // namespace

Result<std::vector<AccountEvent>> decide(const AccountState& s, const OpenAccount& c,
                                         const DecisionContext&) {
    const auto& t = c.terms;
    if (t.customer_id.empty()) return fail(Errc::Invalid, "customer_id", "is required");
    if (!valid_currency(t.currency))
        return fail(Errc::Invalid, "currency", "must be an ISO 4217 code such as EUR");
    if (t.credit_limit_micros < 0)
        return fail(Errc::Invalid, "credit_limit_micros", "must not be negative");
    if (t.kind == AccountKind::Prepaid && t.credit_limit_micros != 0)
        return fail(Errc::Invalid, "credit_limit_micros", "a prepaid account has no credit");
    if (t.low_balance_threshold_micros < 0)
        return fail(Errc::Invalid, "low_balance_threshold_micros", "must not be negative");
    if (!s.terms) return std::vector<AccountEvent>{AccountOpened{t}};
    const auto& old = *s.terms;
    if (old == t) return std::vector<AccountEvent>{};
    if (old.customer_id != t.customer_id)
        return fail(Errc::Conflict, "customer_id", "the account belongs to another customer");
    if (old.currency != t.currency)
        return fail(Errc::Conflict, "currency",
                    "the account is open in " + old.currency + "; its currency never changes");
    if (old.kind != t.kind)
        return fail(
            Errc::Conflict, "kind",
            std::string("the account is ") + to_string(old.kind) + "; its kind never changes");
    std::vector<AccountEvent> out{
        AccountTermsChanged{t.credit_limit_micros, t.low_balance_threshold_micros}};
    // New terms that put the present balance past a line say so, as a debit crossing it would.
    const auto b = s.balance_micros;
    if (b <= floor_of(t) && b > floor_of(old))
        out.push_back(AccountExhausted{b, floor_of(t)});
    else if (b < t.low_balance_threshold_micros && b >= old.low_balance_threshold_micros)
        out.push_back(AccountLowBalance{b, t.low_balance_threshold_micros});
    return out;
}

Result<std::vector<AccountEvent>> decide(const AccountState& s, const TopUp& c,
                                         const DecisionContext&) {
    SY_TRY(check_staff_action(s, c.customer_id, c.reference, c.reason, c.by));
    if (c.amount_micros <= 0) return fail(Errc::Invalid, "amount_micros", "must be > 0");
    if (s.references.count(c.reference)) return std::vector<AccountEvent>{};
    return std::vector<AccountEvent>{AccountToppedUp{c.reference, c.amount_micros, c.reason, c.by,
                                                     s.balance_micros + c.amount_micros}};
}

Result<std::vector<AccountEvent>> decide(const AccountState& s, const Adjust& c,
                                         const DecisionContext&) {
    SY_TRY(check_staff_action(s, c.customer_id, c.reference, c.reason, c.by));
    if (c.amount_micros == 0) return fail(Errc::Invalid, "amount_micros", "must not be 0");
    if (s.references.count(c.reference)) return std::vector<AccountEvent>{};
    const auto after = s.balance_micros + c.amount_micros;
    std::vector<AccountEvent> out{
        AccountAdjusted{c.reference, c.amount_micros, c.reason, c.by, after}};
    crossings(*s.terms, s.balance_micros, after, out);
    return out;
}

Result<std::vector<AccountEvent>> decide(const AccountState& s, const Debit& c,
                                         const DecisionContext&) {
    if (!s.terms) return fail(Errc::NotFound, "customer_id", "no account for " + c.customer_id);
    if (c.debit_id.empty()) return fail(Errc::Invalid, "debit_id", "is required");
    if (c.currency != s.terms->currency)
        return fail(Errc::Rejected, "currency",
                    "the charge is in " + c.currency + ", the account in " + s.terms->currency);
    if (c.amount_micros == 0) return std::vector<AccountEvent>{};
    const auto after = s.balance_micros - c.amount_micros;
    std::vector<AccountEvent> out{AccountDebited{c.debit_id, c.cdr_id, c.amount_micros, after}};
    crossings(*s.terms, s.balance_micros, after, out);
    return out;
}

}  // namespace switchyard::core::voice
