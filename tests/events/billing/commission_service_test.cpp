// Commissions on the memory log: a sale paid by a reseller's credits earns its commission in
// the same append as its charge, and two payouts racing for the same approved commission pay
// it once, every time.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "events/billing/commission_service.hpp"
#include "events/billing/subscription_service.hpp"
#include "events/memory_event_store.hpp"

using namespace switchyard;
using namespace switchyard::core;
using namespace switchyard::core::billing;
using namespace switchyard::events;
using namespace switchyard::events::billing;

namespace {

const DecisionContext kCtx{
    from_unix_seconds(1'790'000'000), {ActorKind::User, "alice", ""}, "req-1", {}, {}};

/// A reseller with 20.00 EUR of credits, a 10 % rate and one IPTV package sold (5.00).
struct Books {
    std::unique_ptr<EventStore> store = make_memory_event_store();
    LedgerService ledger{*store, "op"};
    CommissionService commissions{*store, ledger, "op"};
    SubscriptionService subscriptions{*store, ledger, "op", &commissions};

    Books() {
        REQUIRE(ledger.open_account({"reseller_credit:r1", "EUR", 0}, kCtx));
        REQUIRE(ledger.post(
            {"buy",
             "EUR",
             "credits bought",
             "",
             "",
             {{"gateway_clearing:bank", 20'000'000, 0}, {"reseller_credit:r1", 0, 20'000'000}}},
            kCtx));
        CommissionRate rate;
        rate.reseller_id = "r1";
        rate.percent_ppm = 100'000;
        REQUIRE(commissions.set_rate(rate, kCtx));
        Plan plan;
        plan.plan_id = "iptv-1m";
        plan.name = "IPTV 1 month";
        plan.line = "iptv";
        plan.prices = {{"EUR", 5'000'000, 0}};
        REQUIRE(subscriptions.define_plan(plan, kCtx));
        CreateSubscription c;
        c.terms = {"pkg-1", "iptv-7", "EUR", "reseller_credit:r1", "7"};
        c.plan_id = "iptv-1m";
        REQUIRE(subscriptions.create(c, kCtx));
    }
};

}  // namespace

TEST_CASE("a sale paid by a reseller's credits earns its commission with the charge") {
    Books b;
    const auto [state, revision] = *b.commissions.commission("sub:pkg-1:1");
    REQUIRE(state.earned);
    CHECK(state.earned->amount_micros == 500'000);
    CHECK(state.status == CommissionStatus::Pending);
    const auto entry = b.ledger.entry("com:sub:pkg-1:1");
    REQUIRE(entry);
    REQUIRE(entry->has_value());
    CHECK((*entry)->postings[1] == Posting{"commissions_payable:r1", 0, 500'000});
    // The charge and the commission are in the log together: the commission's event follows
    // the subscription's in the same append, with no other event between.
    auto all = b.store->read_all({}, 1000);
    REQUIRE(all);
    std::vector<std::string> types;
    for (const auto& e : *all) types.push_back(e.type);
    auto created = std::find(types.begin(), types.end(), "billing.subscription.created");
    auto earned = std::find(types.begin(), types.end(), "billing.commission.earned");
    REQUIRE(created != types.end());
    REQUIRE(earned != types.end());
    CHECK(earned - created == 3);  // created, the charge, the credits' moved, then earned
}

TEST_CASE("two payouts racing for one approved commission: it is paid once, every time") {
    for (int round = 0; round < 10; ++round) {
        Books b;
        REQUIRE(b.commissions.approve("sub:pkg-1:1", kCtx));
        std::atomic<int> paid{0}, refused{0};
        std::vector<std::thread> payers;
        for (int i = 0; i < 2; ++i)
            payers.emplace_back([&, i] {
                auto r = b.commissions.pay_out(
                    {"po-" + std::to_string(i), "r1", "EUR", PayoutMethod::Credits, ""},
                    {"sub:pkg-1:1"}, kCtx);
                if (r && r->changed) {
                    ++paid;
                } else {
                    CHECK_FALSE(r);
                    CHECK(r.error().code == Errc::Rejected);
                    CHECK(r.error().field == "reseller_id");
                    ++refused;
                }
            });
        for (auto& t : payers) t.join();
        CHECK(paid == 1);
        CHECK(refused == 1);
        CHECK(b.commissions.commission("sub:pkg-1:1")->first.status == CommissionStatus::Paid);
        // 20 - 5 + 0.50, once.
        CHECK(b.ledger.account("reseller_credit:r1")->first.balance_micros == 15'500'000);
    }
}
