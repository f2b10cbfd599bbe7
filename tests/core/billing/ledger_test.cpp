#include <doctest/doctest.h>

#include <random>

#include "core/billing/ledger.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core;
using namespace switchyard::core::billing;
using switchyard::testing::error_of;

namespace {

JournalEntry top_up(std::string id, std::string wallet, Micros amount) {
    return {std::move(id),
            "EUR",
            "top-up",
            "",
            "",
            {{"gateway_clearing:stripe", amount, 0}, {std::move(wallet), 0, amount}}};
}

/// A wallet spends `amount`: revenue and 19 % VAT out of it (amount includes the tax).
JournalEntry spend(std::string id, std::string wallet, Micros amount) {
    const Micros tax = amount * 19 / 119;
    return {std::move(id),
            "EUR",
            "IPTV package",
            "",
            "",
            {{std::move(wallet), amount, 0},
             {"revenue:iptv", 0, amount - tax},
             {"tax_payable:DE", 0, tax}}};
}

AccountState opened(std::string code, Micros balance, Micros credit_limit = 0) {
    AccountState s;
    evolve(s, AccountOpened{std::move(code), "EUR", credit_limit});
    if (balance != 0) evolve(s, AccountMoved{"seed", balance, balance});
    return s;
}

}  // namespace

TEST_CASE("account codes follow the chart and name the wrong part") {
    CHECK(parse_account("wallet:cust-42", "a")->kind == AccountKind::Wallet);
    CHECK(parse_account("tax_payable:US-CA", "a")->qualifier == "US-CA");
    CHECK(parse_account("revenue:iptv", "a")->text() == "revenue:iptv");
    CHECK(error_of(parse_account("wallet", "a")).field == "a");
    CHECK(error_of(parse_account("assets:x", "a")).message.find("unknown account kind") !=
          std::string::npos);
    CHECK(error_of(parse_account("revenue:movies", "a")).message.find("service line") !=
          std::string::npos);
    CHECK(!parse_account("tax_payable:de", "a"));
    CHECK(!parse_account("tax_payable:US-", "a"));
    CHECK(!parse_account("wallet:", "a"));
    CHECK(!parse_account("wallet:a/b", "a"));
    CHECK(class_of(AccountKind::GatewayClearing) == AccountClass::Asset);
    CHECK(class_of(AccountKind::Discounts) == AccountClass::Expense);
    CHECK(is_guarded(AccountKind::ResellerCredit));
    CHECK(!is_guarded(AccountKind::Receivable));
}

TEST_CASE("an entry balances, has two postings or more, and one side per posting") {
    CHECK(check_entry(top_up("e1", "wallet:c1", 5'000'000)));
    auto unbalanced = top_up("e1", "wallet:c1", 5'000'000);
    unbalanced.postings[1].credit_micros = 4'999'999;
    CHECK(error_of(check_entry(unbalanced)).field == "postings");
    CHECK(error_of(check_entry(unbalanced)).message.find("5000000") != std::string::npos);
    auto both = top_up("e1", "wallet:c1", 5);
    both.postings[0].credit_micros = 5;
    both.postings[1].debit_micros = 5;
    CHECK(error_of(check_entry(both)).field == "postings[0].debit_micros");
    auto negative = top_up("e1", "wallet:c1", 5);
    negative.postings[0].debit_micros = -5;
    CHECK(error_of(check_entry(negative)).field == "postings[0].debit_micros");
    auto one = top_up("e1", "wallet:c1", 5);
    one.postings.pop_back();
    CHECK(error_of(check_entry(one)).field == "postings");
    auto bad_account = top_up("e1", "wallet:c1", 5);
    bad_account.postings[1].account = "wallet c1";
    CHECK(error_of(check_entry(bad_account)).field == "postings[1].account");
    auto bad_id = top_up("e 1", "wallet:c1", 5);
    CHECK(error_of(check_entry(bad_id)).field == "entry_id");
    auto bad_currency = top_up("e1", "wallet:c1", 5);
    bad_currency.currency = "eur";
    CHECK(error_of(check_entry(bad_currency)).field == "currency");
    auto huge = top_up("e1", "wallet:c1", 2'000'000'000'000'000);
    CHECK(error_of(check_entry(huge)).field == "postings[0].debit_micros");
}

TEST_CASE("a guarded account never goes below its floor, other accounts may") {
    const std::map<std::string, AccountState> accounts{
        {"wallet:c1", opened("wallet:c1", 10'000'000)}};
    auto ok = decide_entry(spend("s1", "wallet:c1", 10'000'000), std::nullopt, accounts);
    REQUIRE(ok);
    REQUIRE(ok->entry.size() == 1);
    const auto& moved = std::get<AccountMoved>(ok->accounts.at("wallet:c1").at(0));
    CHECK(moved.amount_micros == -10'000'000);
    CHECK(moved.balance_micros == 0);

    auto over = decide_entry(spend("s2", "wallet:c1", 10'000'001), std::nullopt, accounts);
    CHECK(error_of(over).code == Errc::Rejected);
    CHECK(error_of(over).field == "postings[0].account");
    CHECK(error_of(over).message.find("insufficient balance") != std::string::npos);

    const std::map<std::string, AccountState> credit{
        {"wallet:c1", opened("wallet:c1", 0, 3'000'000)}};
    CHECK(decide_entry(spend("s3", "wallet:c1", 3'000'000), std::nullopt, credit));
    CHECK(!decide_entry(spend("s3", "wallet:c1", 3'000'001), std::nullopt, credit));

    CHECK(error_of(decide_entry(spend("s4", "wallet:c2", 119), std::nullopt, accounts)).code ==
          Errc::NotFound);
    auto usd = spend("s5", "wallet:c1", 119);
    usd.currency = "USD";
    CHECK(error_of(decide_entry(usd, std::nullopt, accounts)).field == "currency");
    // A receivable (not guarded) goes negative without complaint.
    const JournalEntry invoice{"inv-1",    "EUR", "invoice",
                               "INV-0001", "",    {{"revenue:vpn", 7, 0}, {"receivable:c9", 0, 7}}};
    CHECK(decide_entry(invoice, std::nullopt, {}));
}

TEST_CASE("the same entry again decides nothing, another entry under its id conflicts") {
    const auto e = top_up("t1", "wallet:c1", 5);
    const std::map<std::string, AccountState> accounts{{"wallet:c1", opened("wallet:c1", 0)}};
    auto again = decide_entry(e, e, accounts);
    REQUIRE(again);
    CHECK(again->entry.empty());
    CHECK(again->accounts.empty());
    auto other = top_up("t1", "wallet:c1", 6);
    CHECK(error_of(decide_entry(other, e, accounts)).code == Errc::Conflict);
    CHECK(error_of(decide_entry(other, e, accounts)).field == "entry_id");
}

TEST_CASE("a reversal swaps the sides and names the entry it reverses") {
    const auto e = spend("s1", "wallet:c1", 119);
    const auto r = reversal_of(e, "refund");
    CHECK(r.entry_id == "s1.reversal");
    CHECK(r.reverses == "s1");
    REQUIRE(r.postings.size() == e.postings.size());
    for (std::size_t i = 0; i < e.postings.size(); ++i) {
        CHECK(r.postings[i].debit_micros == e.postings[i].credit_micros);
        CHECK(r.postings[i].credit_micros == e.postings[i].debit_micros);
    }
    CHECK(check_entry(r));
}

TEST_CASE("opening a guarded account: currency fixed, same terms idempotent, only guarded kinds") {
    AccountState s;
    auto first = decide(s, OpenAccount{"reseller_credit:r1", "EUR", 0});
    REQUIRE(first);
    REQUIRE(first->size() == 1);
    evolve(s, first->front());
    CHECK(decide(s, OpenAccount{"reseller_credit:r1", "EUR", 0})->empty());
    CHECK(decide(s, OpenAccount{"reseller_credit:r1", "EUR", 5})->size() == 1);
    CHECK(error_of(decide(s, OpenAccount{"reseller_credit:r1", "USD", 0})).code == Errc::Conflict);
    CHECK(error_of(decide(AccountState{}, OpenAccount{"revenue:iptv", "EUR", 0})).field ==
          "account");
    CHECK(error_of(decide(AccountState{}, OpenAccount{"wallet:c1", "EUR", -1})).field ==
          "credit_limit_micros");
}

// Property: over random sequences of top-ups, spends, transfers and reversals, every accepted
// entry balances, no guarded account ever ends below its floor, and each guarded account's
// balance equals the sum of the postings the books hold for it.
TEST_CASE(
    "property: random command sequences keep the books balanced and the wallets above floor") {
    std::mt19937_64 rng(20261202);
    const std::vector<std::string> wallets{"wallet:a", "wallet:b", "reseller_credit:r"};
    for (int round = 0; round < 50; ++round) {
        std::map<std::string, AccountState> accounts;
        for (const auto& w : wallets) accounts[w] = opened(w, 0, w == "wallet:b" ? 2'000'000 : 0);
        std::vector<JournalEntry> books;
        std::map<std::string, JournalEntry> by_id;
        int rejected = 0;
        for (int step = 0; step < 200; ++step) {
            const auto& w = wallets[rng() % wallets.size()];
            const Micros amount = 1 + static_cast<Micros>(rng() % 9'000'000);
            const auto id = "e" + std::to_string(step);
            JournalEntry e;
            switch (rng() % 4) {
                case 0:
                    e = top_up(id, w, amount);
                    break;
                case 1:
                    e = spend(id, w, amount);
                    break;
                case 2: {
                    const auto& to = wallets[rng() % wallets.size()];
                    e = {id, "EUR", "transfer", "", "", {{w, amount, 0}, {to, 0, amount}}};
                    break;
                }
                default:
                    if (books.empty()) continue;
                    e = reversal_of(books[rng() % books.size()], "correction");
            }
            std::optional<JournalEntry> existing;
            if (auto it = by_id.find(e.entry_id); it != by_id.end()) existing = it->second;
            auto d = decide_entry(e, existing, accounts);
            if (!d) {
                CHECK((d.error().code == Errc::Rejected || d.error().code == Errc::Conflict));
                ++rejected;
                continue;
            }
            for (const auto& [code, events] : d->accounts)
                for (const auto& ev : events) evolve(accounts.at(code), ev);
            if (d->entry.empty()) continue;
            const auto& posted = std::get<EntryPosted>(d->entry.front()).entry;
            Micros debits = 0, credits = 0;
            for (const auto& p : posted.postings) {
                debits += p.debit_micros;
                credits += p.credit_micros;
            }
            CHECK(debits == credits);
            books.push_back(posted);
            by_id[posted.entry_id] = posted;
        }
        CHECK(rejected < 200);
        for (const auto& w : wallets) {
            Micros sum = 0;
            for (const auto& e : books)
                for (const auto& p : e.postings)
                    if (p.account == w) sum += p.credit_micros - p.debit_micros;
            CHECK(accounts.at(w).balance_micros == sum);
            CHECK(accounts.at(w).balance_micros >= -accounts.at(w).terms->credit_limit_micros);
        }
    }
}
