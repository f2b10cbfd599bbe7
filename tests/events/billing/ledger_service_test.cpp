// The ledger service on the memory log: entries post once, wallets and reseller credits never go
// below their floor under concurrency, reversals, and refusals that append nothing.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "events/billing/ledger_codec.hpp"
#include "events/billing/ledger_service.hpp"
#include "events/memory_event_store.hpp"
#include "tests/support/codec_checks.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core;
using namespace switchyard::core::billing;
using namespace switchyard::events;
using namespace switchyard::events::billing;
using switchyard::testing::error_of;

namespace {

const DecisionContext kCtx{
    from_unix_seconds(1'790'000'000), {ActorKind::User, "alice", ""}, "req-1", {}, {}};

JournalEntry buy_credits(std::string id, std::string reseller, Micros amount) {
    return {std::move(id),
            "EUR",
            "credits bought",
            "",
            "",
            {{"gateway_clearing:bank", amount, 0}, {"reseller_credit:" + reseller, 0, amount}}};
}

/// A reseller spends credits on an IPTV line.
JournalEntry create_line(std::string id, std::string reseller, Micros amount) {
    return {std::move(id),
            "EUR",
            "IPTV line, 1 month",
            "",
            "",
            {{"reseller_credit:" + reseller, amount, 0}, {"revenue:iptv", 0, amount}}};
}

std::size_t log_size(EventStore& store) {
    auto all = store.read_all(Checkpoint{}, 100'000);
    REQUIRE(all);
    return all->size();
}

}  // namespace

TEST_CASE("ledger codec: every event round-trips, a malformed posting names its field") {
    using testing::check_round_trip;
    check_round_trip<EntryEvent>(
        EntryPosted{create_line("e1", "r1", 5)}, [](const EntryEvent& e) { return encode(e); },
        decode_entry_event);
    auto reversed = create_line("e1.reversal", "r1", 5);
    reversed.reverses = "e1";
    reversed.reference = "INV-7";
    check_round_trip<EntryEvent>(
        EntryPosted{reversed}, [](const EntryEvent& e) { return encode(e); }, decode_entry_event);
    check_round_trip<AccountEvent>(
        AccountOpened{"wallet:c1", "EUR", 5}, [](const AccountEvent& e) { return encode(e); },
        decode_account_event);
    check_round_trip<AccountEvent>(
        AccountMoved{"e1", -5, 10}, [](const AccountEvent& e) { return encode(e); },
        decode_account_event);
    auto bad = decode_entry_event(testing::recorded(
        "billing.entry.posted",
        R"({"entry_id":"e","currency":"EUR","memo":"m","postings":[{"account":"x:y","debit_micros":"1","credit_micros":0}]})"));
    CHECK(error_of(bad).code == Errc::Invalid);
    CHECK(error_of(bad).field.find("debit_micros") != std::string::npos);
}

TEST_CASE(
    "an entry posts once: the same entry again appends nothing, another under its id conflicts") {
    auto store = make_memory_event_store();
    LedgerService ledger(*store, "op");
    REQUIRE(ledger.open_account({"reseller_credit:r1", "EUR", 0}, kCtx));
    auto first = ledger.post(buy_credits("pay-1", "r1", 10'000'000), kCtx);
    REQUIRE(first);
    CHECK(first->changed);
    CHECK(first->balances.at("reseller_credit:r1") == 10'000'000);
    const auto size = log_size(*store);
    CHECK(size == 3);  // opened, posted, moved
    auto again = ledger.post(buy_credits("pay-1", "r1", 10'000'000), kCtx);
    REQUIRE(again);
    CHECK(!again->changed);
    CHECK(log_size(*store) == size);
    CHECK(error_of(ledger.post(buy_credits("pay-1", "r1", 9'000'000), kCtx)).code ==
          Errc::Conflict);
    CHECK(ledger.account("reseller_credit:r1")->first.balance_micros == 10'000'000);
    auto stored = ledger.entry("pay-1");
    REQUIRE(stored);
    REQUIRE(stored->has_value());
    CHECK(**stored == buy_credits("pay-1", "r1", 10'000'000));
}

TEST_CASE("bad entries are refused naming the field, and nothing is appended") {
    auto store = make_memory_event_store();
    LedgerService ledger(*store, "op");
    REQUIRE(ledger.open_account({"wallet:c1", "EUR", 0}, kCtx));
    const auto size = log_size(*store);
    auto unbalanced = buy_credits("x", "r1", 5);
    unbalanced.postings[0].debit_micros = 4;
    CHECK(error_of(ledger.post(unbalanced, kCtx)).field == "postings");
    CHECK(error_of(ledger.post(create_line("y", "nobody", 5), kCtx)).code == Errc::NotFound);
    CHECK(error_of(ledger.post(
                       {"z", "EUR", "spend", "", "", {{"wallet:c1", 1, 0}, {"revenue:vpn", 0, 1}}},
                       kCtx))
              .code == Errc::Rejected);
    CHECK(error_of(ledger.open_account({"revenue:vpn", "EUR", 0}, kCtx)).field == "account");
    CHECK(log_size(*store) == size);
}

TEST_CASE("two buyers racing for a reseller's last credits: exactly one wins, every time") {
    for (int round = 0; round < 20; ++round) {
        auto store = make_memory_event_store();
        LedgerService ledger(*store, "op");
        REQUIRE(ledger.open_account({"reseller_credit:r1", "EUR", 0}, kCtx));
        REQUIRE(ledger.post(buy_credits("pay", "r1", 5'000'000), kCtx));
        std::atomic<int> won{0}, refused{0};
        std::vector<std::thread> buyers;
        for (int b = 0; b < 2; ++b) {
            buyers.emplace_back([&, b] {
                auto r =
                    ledger.post(create_line("line-" + std::to_string(b), "r1", 5'000'000), kCtx);
                if (r) {
                    ++won;
                } else {
                    CHECK(r.error().code == Errc::Rejected);
                    CHECK(r.error().message.find("insufficient balance") != std::string::npos);
                    ++refused;
                }
            });
        }
        for (auto& t : buyers) t.join();
        CHECK(won == 1);
        CHECK(refused == 1);
        CHECK(ledger.account("reseller_credit:r1")->first.balance_micros == 0);
    }
}

TEST_CASE("many concurrent spenders never take a wallet below zero") {
    auto store = make_memory_event_store();
    LedgerService ledger(*store, "op");
    REQUIRE(ledger.open_account({"wallet:c1", "EUR", 0}, kCtx));
    REQUIRE(
        ledger.post({"top",
                     "EUR",
                     "top-up",
                     "",
                     "",
                     {{"gateway_clearing:stripe", 10'000'000, 0}, {"wallet:c1", 0, 10'000'000}}},
                    kCtx));
    std::atomic<int> won{0};
    std::vector<std::thread> spenders;
    for (int t = 0; t < 8; ++t) {
        spenders.emplace_back([&, t] {
            for (int i = 0; i < 10; ++i) {
                auto r = ledger.post({"s-" + std::to_string(t) + "-" + std::to_string(i),
                                      "EUR",
                                      "hotspot plan",
                                      "",
                                      "",
                                      {{"wallet:c1", 300'000, 0}, {"revenue:hotspot", 0, 300'000}}},
                                     kCtx);
                if (r) ++won;
            }
        });
    }
    for (auto& t : spenders) t.join();
    // 10.00 buys 33 plans of 0.30; 80 tried.
    CHECK(won == 33);
    CHECK(ledger.account("wallet:c1")->first.balance_micros == 100'000);
}

TEST_CASE("a reversal swaps the sides once, a spent top-up cannot be reversed") {
    auto store = make_memory_event_store();
    LedgerService ledger(*store, "op");
    REQUIRE(ledger.open_account({"reseller_credit:r1", "EUR", 0}, kCtx));
    REQUIRE(ledger.post(buy_credits("pay", "r1", 5'000'000), kCtx));
    REQUIRE(ledger.post(create_line("line", "r1", 3'000'000), kCtx));
    auto refund = ledger.reverse("line", "line deleted in its first day", kCtx);
    REQUIRE(refund);
    CHECK(refund->entry_id == "line.reversal");
    CHECK(refund->balances.at("reseller_credit:r1") == 5'000'000);
    auto again = ledger.reverse("line", "other memo", kCtx);
    REQUIRE(again);
    CHECK(!again->changed);
    CHECK(error_of(ledger.reverse("line.reversal", "x", kCtx)).code == Errc::Rejected);
    CHECK(error_of(ledger.reverse("nope", "x", kCtx)).code == Errc::NotFound);
    CHECK(error_of(ledger.reverse("pay", "", kCtx)).field == "memo");
    REQUIRE(ledger.post(create_line("line2", "r1", 4'000'000), kCtx));
    // The credits bought are spent: reversing the purchase would take the account below 0.
    CHECK(error_of(ledger.reverse("pay", "chargeback", kCtx)).code == Errc::Rejected);
}
