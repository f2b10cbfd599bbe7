#include <doctest/doctest.h>

#include "core/voice/account_decider.hpp"
#include "tests/support/decider_checks.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core;
using namespace switchyard::core::voice;
using switchyard::testing::check_idempotent;
using switchyard::testing::error_of;
using switchyard::testing::given;

namespace {

const DecisionContext kCtx{from_unix_seconds(1'767'225'600), {}, "req-1", {}, {}};

/// Prepaid EUR, low balance below 2.00.
AccountTerms prepaid() { return {"cust-1", "EUR", AccountKind::Prepaid, 0, 2'000'000}; }

AccountState with_balance(AccountTerms terms, Micros balance) {
    std::vector<AccountEvent> events{AccountOpened{terms}};
    if (balance > 0) events.push_back(AccountToppedUp{"pay-0", balance, "opening", "staff", 0});
    return given<AccountState>(events);
}

Debit debit(std::string id, Micros amount) { return {"cust-1", id, id, amount, "EUR"}; }

}  // namespace

TEST_CASE("an account opens once, the same terms again decide nothing, other terms conflict") {
    auto twice = check_idempotent(AccountState{}, [](const AccountState& s) {
        return decide(s, OpenAccount{prepaid()}, kCtx);
    });
    CHECK(std::get<AccountOpened>(twice.first[0]).terms == prepaid());
    auto other = prepaid();
    other.currency = "USD";
    CHECK(error_of(decide(twice.state, OpenAccount{other}, kCtx)).code == Errc::Conflict);
    CHECK(error_of(decide(twice.state, OpenAccount{other}, kCtx)).field == "currency");
    auto postpaid = prepaid();
    postpaid.kind = AccountKind::Postpaid;
    CHECK(error_of(decide(twice.state, OpenAccount{postpaid}, kCtx)).field == "kind");
    auto credit = prepaid();
    credit.credit_limit_micros = 5;
    CHECK(error_of(decide({}, OpenAccount{credit}, kCtx)).field == "credit_limit_micros");
}

TEST_CASE("an open account's credit limit and threshold change, and crossing a new line says so") {
    // Given a postpaid account 3.00 in credit with a 50.00 credit limit and no threshold
    const AccountTerms terms{"cust-1", "EUR", AccountKind::Postpaid, 50'000'000, 0};
    auto s = given<AccountState>(std::vector<AccountEvent>{
        AccountOpened{terms}, AccountToppedUp{"pay-1", 3'000'000, "bank", "staff", 0}});
    REQUIRE(s.balance_micros == 3'000'000);
    // When the threshold becomes 5.00: the new terms, then low_balance (3.00 < 5.00)
    auto threshold = terms;
    threshold.low_balance_threshold_micros = 5'000'000;
    auto changed = check_idempotent(
        s, [&](const AccountState& st) { return decide(st, OpenAccount{threshold}, kCtx); });
    REQUIRE(changed.first.size() == 2);
    CHECK(std::get<AccountTermsChanged>(changed.first[0]) ==
          AccountTermsChanged{50'000'000, 5'000'000});
    CHECK(std::get<AccountLowBalance>(changed.first[1]).threshold_micros == 5'000'000);
    CHECK(changed.state.terms == threshold);
    // Given it then 30.00 in debt
    evolve(changed.state, AccountAdjusted{"adj-1", -33'000'000, "usage", "staff", 0});
    REQUIRE(changed.state.balance_micros == -30'000'000);
    // When the credit limit drops to 20.00: the balance is past the new floor of -20.00
    auto tighter = threshold;
    tighter.credit_limit_micros = 20'000'000;
    auto out = decide(changed.state, OpenAccount{tighter}, kCtx);
    REQUIRE(out);
    REQUIRE(out->size() == 2);
    CHECK(std::get<AccountExhausted>((*out)[1]) == AccountExhausted{-30'000'000, -20'000'000});
}

TEST_CASE("a top-up is applied once per reference and needs a reason and a staff member") {
    const auto s = with_balance(prepaid(), 0);
    auto twice = check_idempotent(s, [](const AccountState& st) {
        return decide(st, TopUp{"cust-1", "pay-1", 10'000'000, "bank transfer", "alice"}, kCtx);
    });
    CHECK(twice.state.balance_micros == 10'000'000);
    CHECK(std::get<AccountToppedUp>(twice.first[0]).balance_micros == 10'000'000);
    CHECK(error_of(decide(s, TopUp{"cust-1", "pay-2", 5, "", "alice"}, kCtx)).field == "reason");
    CHECK(error_of(decide(s, TopUp{"cust-1", "pay-2", 0, "x", "alice"}, kCtx)).field ==
          "amount_micros");
    CHECK(error_of(decide(s, TopUp{"cust-1", "pay-2", 5, "x", ""}, kCtx)).field == "by");
    CHECK(error_of(decide(AccountState{}, TopUp{"cust-1", "p", 5, "x", "a"}, kCtx)).code ==
          Errc::NotFound);
}

TEST_CASE("a debit charges its amount, a zero debit decides nothing, the currency must match") {
    // The account keeps no list of debits (it would grow with every CDR): the CDR stream,
    // appended with the debit at its expected revision, makes a debit happen once
    // (ledger_services_test: 32 concurrent batches never debit twice).
    const auto s = with_balance(prepaid(), 10'000'000);
    auto once = decide(s, debit("cdr-1", 300'000), kCtx);
    REQUIRE(once);
    REQUIRE(once->size() == 1);
    CHECK(std::get<AccountDebited>((*once)[0]).balance_micros == 9'700'000);
    const auto after = given<AccountState>(std::vector<AccountEvent>{
        AccountOpened{prepaid()}, AccountToppedUp{"pay-0", 10'000'000, "opening", "staff", 0},
        (*once)[0]});
    CHECK(after.balance_micros == 9'700'000);
    CHECK(after.debited_micros == 300'000);
    auto zero = decide(s, debit("cdr-2", 0), kCtx);
    REQUIRE(zero);
    CHECK(zero->empty());
    auto usd = debit("cdr-2", 1);
    usd.currency = "USD";
    CHECK(error_of(decide(s, usd, kCtx)).field == "currency");
}

TEST_CASE("a prepaid debit that overdraws is applied in full, with low_balance and exhausted") {
    const auto s = with_balance(prepaid(), 2'500'000);
    auto r = decide(s, debit("cdr-1", 3'000'000), kCtx);
    REQUIRE(r);
    REQUIRE(r->size() == 3);
    CHECK(std::get<AccountDebited>((*r)[0]).balance_micros == -500'000);
    CHECK(std::get<AccountLowBalance>((*r)[1]) == AccountLowBalance{-500'000, 2'000'000});
    CHECK(std::get<AccountExhausted>((*r)[2]) == AccountExhausted{-500'000, 0});
    // Already below both: a further debit records no crossing again.
    auto after = s;
    for (const auto& e : *r) evolve(after, e);
    auto again = decide(after, debit("cdr-2", 100'000), kCtx);
    REQUIRE(again);
    CHECK(again->size() == 1);
}

TEST_CASE("low_balance is recorded when the balance falls below the threshold, not at it") {
    const auto s = with_balance(prepaid(), 2'100'000);
    auto at = decide(s, debit("cdr-1", 100'000), kCtx);  // 2.00: not below 2.00.
    REQUIRE(at);
    CHECK(at->size() == 1);
    auto below = decide(s, debit("cdr-1", 100'001), kCtx);
    REQUIRE(below);
    REQUIRE(below->size() == 2);
    CHECK(std::holds_alternative<AccountLowBalance>((*below)[1]));
}

TEST_CASE("a postpaid account is exhausted at minus its credit limit") {
    const AccountTerms post{"cust-1", "EUR", AccountKind::Postpaid, 50'000'000, 0};
    const auto s = with_balance(post, 0);
    auto within = decide(s, debit("cdr-1", 49'000'000), kCtx);
    REQUIRE(within);
    // Below the threshold of 0, but not exhausted.
    REQUIRE(within->size() == 2);
    CHECK(std::holds_alternative<AccountLowBalance>((*within)[1]));
    auto beyond = decide(s, debit("cdr-1", 50'000'000), kCtx);
    REQUIRE(beyond);
    REQUIRE(beyond->size() == 3);
    CHECK(std::get<AccountExhausted>((*beyond)[2]) == AccountExhausted{-50'000'000, -50'000'000});
}

TEST_CASE("an adjustment either way is applied once and may exhaust the account") {
    const auto s = with_balance(prepaid(), 1'000'000);
    auto twice = check_idempotent(s, [](const AccountState& st) {
        return decide(st, Adjust{"cust-1", "adj-1", -1'000'000, "refund reversal", "bob"}, kCtx);
    });
    // 1.00 -> 0.00: below 2.00 was already the case, exhausted now.
    REQUIRE(twice.first.size() == 2);
    CHECK(std::get<AccountExhausted>(twice.first[1]).balance_micros == 0);
    CHECK(error_of(decide(s, Adjust{"cust-1", "adj-2", 0, "x", "bob"}, kCtx)).field ==
          "amount_micros");
}
