// Subscriptions on the memory log with the real ledger: each charge is a journal entry appended
// atomically with the subscription's event, a wallet that cannot pay refuses a purchase with
// nothing appended and turns a renewal into a failed one, concurrent buyers never overdraw, and
// advancing twice at the same time changes once.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "events/billing/ledger_service.hpp"
#include "events/billing/subscription_service.hpp"
#include "events/memory_event_store.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core;
using namespace switchyard::core::billing;
using namespace switchyard::events;
using namespace switchyard::events::billing;
using switchyard::testing::error_of;

namespace {

DecisionContext at(const char* rfc3339) {
    return {*parse_rfc3339(rfc3339), {ActorKind::User, "alice", ""}, "req-1", {}, {}};
}

struct Books {
    std::unique_ptr<EventStore> store = make_memory_event_store();
    LedgerService ledger{*store, "op"};
    SubscriptionService subscriptions{*store, ledger, "op"};

    void wallet(const std::string& customer, Micros amount, const std::string& id) {
        REQUIRE(ledger.open_account({"wallet:" + customer, "EUR", 0}, at("2026-01-01T00:00:00Z")));
        top_up(customer, amount, id);
    }
    void top_up(const std::string& customer, Micros amount, const std::string& id) {
        JournalEntry e{
            id, "EUR", "top-up",
            "", "",    {{"gateway_clearing:stripe", amount, 0}, {"wallet:" + customer, 0, amount}}};
        REQUIRE(ledger.post(e, at("2026-01-01T00:00:00Z")));
    }
    Micros balance(const std::string& customer) {
        return ledger.account("wallet:" + customer)->first.balance_micros;
    }
    SubscriptionState sub(const std::string& id) { return subscriptions.subscription(id)->first; }
};

Plan vpn_monthly(Micros eur) {
    Plan p;
    p.plan_id = "vpn-monthly";
    p.name = "VPN monthly";
    p.line = "vpn";
    p.service_plan = "standard";
    p.prices = {{"EUR", eur, 0}};
    return p;
}

CreateSubscription create(std::string id, std::string customer) {
    CreateSubscription c;
    c.terms = {std::move(id), customer, "EUR", "wallet:" + customer, "peer-" + customer};
    c.plan_id = "vpn-monthly";
    return c;
}

}  // namespace

TEST_CASE(
    "a purchase charges the wallet in the same append, and one it cannot pay appends nothing") {
    Books b;
    REQUIRE(b.subscriptions.define_plan(vpn_monthly(5'000'000), at("2026-01-01T00:00:00Z")));
    b.wallet("c1", 7'000'000, "topup-1");
    auto created = b.subscriptions.create(create("s1", "c1"), at("2026-01-10T00:00:00Z"));
    REQUIRE(created);
    CHECK(created->changed);
    CHECK(b.balance("c1") == 2'000'000);
    auto entry = b.ledger.entry("sub:s1:1");
    REQUIRE(entry);
    REQUIRE(*entry);
    CHECK((*entry)->reference == "s1");
    CHECK(b.sub("s1").status == SubscriptionStatus::Active);
    // The same command again: nothing appended, nothing charged.
    const auto head = b.store->head().total();
    auto again = b.subscriptions.create(create("s1", "c1"), at("2026-01-10T00:00:01Z"));
    REQUIRE(again);
    CHECK(!again->changed);
    CHECK(b.balance("c1") == 2'000'000);

    // A second subscription the wallet cannot pay: refused naming the payer's posting.
    auto refused = b.subscriptions.create(create("s2", "c1"), at("2026-01-10T00:00:00Z"));
    CHECK(error_of(refused).code == Errc::Rejected);
    CHECK(error_of(refused).field == "postings[0].account");
    CHECK(b.store->head().total() == head);
    CHECK(!b.sub("s2").terms);
}

TEST_CASE("a renewal the wallet cannot pay makes the subscription past due, and a top-up pays it") {
    Books b;
    REQUIRE(b.subscriptions.define_plan(vpn_monthly(5'000'000), at("2026-01-01T00:00:00Z")));
    b.wallet("c1", 5'000'000, "topup-1");
    REQUIRE(b.subscriptions.create(create("s1", "c1"), at("2026-01-10T00:00:00Z")));
    auto failed = b.subscriptions.advance("s1", at("2026-02-10T00:00:00Z"));
    REQUIRE(failed);
    CHECK(failed->changed);
    auto s = b.sub("s1");
    CHECK(s.status == SubscriptionStatus::PastDue);
    CHECK(s.renewal_attempts == 1);
    CHECK(!*b.ledger.entry("sub:s1:2"));
    // Not yet time for the retry: nothing.
    CHECK(!b.subscriptions.advance("s1", at("2026-02-10T12:00:00Z"))->changed);
    b.top_up("c1", 6'000'000, "topup-2");
    auto paid = b.subscriptions.advance("s1", at("2026-02-11T00:00:00Z"));
    REQUIRE(paid);
    s = b.sub("s1");
    CHECK(s.status == SubscriptionStatus::Active);
    CHECK(s.periods_paid == 2);
    CHECK(s.period_end == *parse_rfc3339("2026-03-10T00:00:00Z"));
    CHECK(b.balance("c1") == 1'000'000);
    // Advancing again at the same time changes nothing (no double charge).
    CHECK(!b.subscriptions.advance("s1", at("2026-02-11T00:00:00Z"))->changed);
    CHECK(b.balance("c1") == 1'000'000);
}

TEST_CASE("unpaid through the grace period: suspended, and a payment reinstates it") {
    Books b;
    REQUIRE(b.subscriptions.define_plan(vpn_monthly(5'000'000), at("2026-01-01T00:00:00Z")));
    b.wallet("c1", 5'000'000, "topup-1");
    REQUIRE(b.subscriptions.create(create("s1", "c1"), at("2026-01-10T00:00:00Z")));
    for (const char* t : {"2026-02-10T00:00:00Z", "2026-02-11T00:00:00Z", "2026-02-13T00:00:00Z"})
        REQUIRE(b.subscriptions.advance("s1", at(t)));
    CHECK(b.sub("s1").status == SubscriptionStatus::Suspended);
    CHECK(b.sub("s1").renewal_attempts == 3);
    CHECK(error_of(b.subscriptions.renew("s1", at("2026-02-20T00:00:00Z"))).field ==
          "postings[0].account");
    b.top_up("c1", 5'000'000, "topup-2");
    REQUIRE(b.subscriptions.renew("s1", at("2026-02-20T00:00:00Z")));
    CHECK(b.sub("s1").status == SubscriptionStatus::Active);
    CHECK(b.sub("s1").period_end == *parse_rfc3339("2026-03-20T00:00:00Z"));
    CHECK(b.balance("c1") == 0);
}

TEST_CASE("buyers racing for one wallet: it pays exactly as many periods as it holds") {
    for (int round = 0; round < 10; ++round) {
        Books b;
        REQUIRE(b.subscriptions.define_plan(vpn_monthly(3'000'000), at("2026-01-01T00:00:00Z")));
        b.wallet("c1", 10'000'000, "topup-1");
        std::atomic<int> won{0}, refused{0};
        std::vector<std::thread> buyers;
        for (int i = 0; i < 6; ++i)
            buyers.emplace_back([&, i] {
                auto r = b.subscriptions.create(create("s" + std::to_string(i), "c1"),
                                                at("2026-01-10T00:00:00Z"));
                if (r)
                    ++won;
                else if (r.error().code == Errc::Rejected)
                    ++refused;
            });
        for (auto& t : buyers) t.join();
        CHECK(won == 3);
        CHECK(refused == 3);
        CHECK(b.balance("c1") == 1'000'000);
    }
}
