// Subscription charges and their invoices on the memory log: each charge that debits the payer
// is appended with its invoice (numbered in the year's series, the charge's entry as its own,
// so nothing posts twice): a receipt when the wallet paid, an open invoice with a due date for
// a receivable payer, the setup fee and the promo code's discount as lines, a plan change's
// prorated difference; a purchase the wallet cannot pay appends neither and takes no number;
// charges and invoices issued through the API share one series without gaps under concurrency.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include "events/billing/invoice_codec.hpp"
#include "events/billing/invoice_service.hpp"
#include "events/billing/ledger_codec.hpp"
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
    std::unique_ptr<EventStore> log_store = make_memory_event_store();
    EventStore& store = *log_store;
    std::shared_ptr<SubjectKeys> keys = SubjectKeys::in_memory();
    LedgerService ledger{store, "op"};
    PricingService pricing{store, "op", "DE"};
    InvoiceNumbers numbers{store, "op"};
    InvoiceService invoices{store, ledger, pricing, numbers, keys, "op"};
    SubscriptionService subscriptions{store, ledger, "op", nullptr, &invoices};

    Books() {
        Plan basic;
        basic.plan_id = "vpn-basic";
        basic.name = "VPN basic";
        basic.line = "vpn";
        basic.prices = {{"EUR", 10'000'000, 2'000'000}};  // 10 EUR a month, 2 EUR setup fee
        REQUIRE(subscriptions.define_plan(basic, at("2026-01-01T00:00:00Z")));
        Plan pro = basic;
        pro.plan_id = "vpn-pro";
        pro.name = "VPN pro";
        pro.prices = {{"EUR", 40'000'000, 0}};
        REQUIRE(subscriptions.define_plan(pro, at("2026-01-01T00:00:00Z")));
        Plan trial = basic;
        trial.plan_id = "vpn-trial";
        trial.trial_days = 7;
        REQUIRE(subscriptions.define_plan(trial, at("2026-01-01T00:00:00Z")));
        PromoCode promo;
        promo.code = "WELCOME25";
        promo.percent_ppm = 250'000;
        promo.duration = DiscountDuration::Once;
        REQUIRE(pricing.define_promo(promo, at("2026-01-01T00:00:00Z")));
        REQUIRE(pricing.set_tax_rate({"DE", "VAT", 190'000}, at("2026-01-01T00:00:00Z")));
    }

    void fund(const std::string& customer, Micros amount) {
        REQUIRE(ledger.open_account({"wallet:" + customer, "EUR", 0}, at("2026-01-01T00:00:00Z")));
        REQUIRE(
            ledger.post({"top-up:" + customer,
                         "EUR",
                         "top-up",
                         "",
                         "",
                         {{"gateway_clearing:bank", amount, 0}, {"wallet:" + customer, 0, amount}}},
                        at("2026-01-01T00:00:00Z")));
    }

    InvoiceState invoice(const std::string& id) {
        auto s = invoices.invoice(id);
        REQUIRE(s);
        return s->first;
    }

    /// `account`'s balance (debits minus credits) summed from the posted entries (receivables
    /// are not guarded, so they keep no running balance of their own).
    Micros posted(const std::string& account) {
        auto all = store.read_all(Checkpoint{}, 1'000'000);
        REQUIRE(all);
        Micros sum = 0;
        for (const auto& e : *all) {
            if (e.type != EntryPosted::kType) continue;
            auto d = decode_entry_event(e);
            REQUIRE(d);
            for (const auto& p : std::get<EntryPosted>(*d).entry.postings)
                if (p.account == account) sum += p.debit_micros - p.credit_micros;
        }
        return sum;
    }

    /// How many entries the log holds with `entry_id`, and how many invoices are numbered.
    std::pair<int, int> count(const std::string& entry_id) {
        auto all = store.read_all(Checkpoint{}, 1'000'000);
        REQUIRE(all);
        int entries = 0, numbered = 0;
        for (const auto& e : *all) {
            if (e.type == EntryPosted::kType) {
                auto d = decode_entry_event(e);
                REQUIRE(d);
                entries += std::get<EntryPosted>(*d).entry.entry_id == entry_id;
            }
            numbered += e.type == InvoiceNumbered::kType;
        }
        return {entries, numbered};
    }
};

CreateSubscription create(std::string id, std::string customer, std::string payer,
                          std::string plan = "vpn-basic") {
    CreateSubscription c;
    c.terms = {std::move(id), customer, "EUR", std::move(payer), ""};
    c.plan_id = std::move(plan);
    return c;
}

}  // namespace

TEST_CASE("a wallet-paid purchase is appended with its receipt: period, setup fee, discount") {
    Books b;
    b.fund("c1", 20'000'000);
    REQUIRE(b.subscriptions.create(create("s1", "c1", "wallet:c1"), at("2026-03-10T09:00:00Z"),
                                   "welcome25"));
    const auto s = b.invoice("sub:s1:1");
    REQUIRE(s.number);
    CHECK(s.number->invoice_number == "INV-2026-000001");
    REQUIRE(s.issued);
    const auto& doc = *s.issued;
    CHECK(doc.kind == DocumentKind::Invoice);
    CHECK(doc.customer_id == "c1");
    CHECK(doc.subscription_id == "s1");
    CHECK(doc.buyer.name == "c1");  // opened from its seal
    CHECK(doc.buyer.country == "DE");
    CHECK(doc.promo_code == "WELCOME25");
    CHECK(doc.entry_id == "sub:s1:1");
    CHECK(doc.note == "VPN basic, period 1 (2026-03-10 to 2026-04-10)");
    REQUIRE(doc.lines.size() == 2);
    CHECK(doc.lines[0].input.description == "VPN basic, period 1 (2026-03-10 to 2026-04-10)");
    CHECK(doc.lines[0].amount_micros == 10'000'000);
    CHECK(doc.lines[0].discount_micros == 2'500'000);  // 25 % off the period, not the setup fee
    CHECK(doc.lines[1].input.description == "Setup fee, VPN basic");
    CHECK(doc.lines[1].amount_micros == 2'000'000);
    CHECK(doc.lines[1].discount_micros == 0);
    CHECK(doc.totals.subtotal_micros == 12'000'000);
    CHECK(doc.totals.discount_micros == 2'500'000);
    CHECK(doc.totals.tax_micros == 0);
    CHECK(doc.totals.total_micros == 9'500'000);
    CHECK_FALSE(doc.due_at);
    REQUIRE(s.paid);
    CHECK(s.paid->source == "wallet");
    CHECK(s.paid->amount_micros == 9'500'000);
    CHECK(s.paid->entry_id == "sub:s1:1");
    CHECK(s.status() == "paid");
    // The charge posted once, with the wallet debited by what the receipt says; the receipt
    // added no entry of its own.
    CHECK(b.ledger.account("wallet:c1")->first.balance_micros == 10'500'000);
    CHECK(b.count("sub:s1:1") == std::pair{1, 1});
    CHECK(b.count("inv:sub:s1:1").first == 0);
    // The buyer's name is sealed in the log like every buyer's.
    const auto raw = b.store.read_stream("billing_invoice-sub:s1:1", 0, 10);
    REQUIRE(raw);
    REQUIRE(raw->size() == 3);
    CHECK((*raw)[1].data.find("\"buyer_name\":\"sy1p:") != std::string::npos);
    // The invoice bills a subscription: the subscription's own commands credit it, not a note.
    const auto credited = b.invoices.credit("sub:s1:1", "cn-1", "", at("2026-03-11T00:00:00Z"));
    CHECK(error_of(credited).code == Errc::Rejected);
    CHECK(error_of(credited).field == "invoice_id");
}

TEST_CASE("a purchase the wallet cannot pay appends no invoice and takes no number") {
    Books b;
    b.fund("c1", 5'000'000);
    const auto refused =
        b.subscriptions.create(create("s1", "c1", "wallet:c1"), at("2026-03-10T09:00:00Z"));
    REQUIRE_FALSE(refused);
    CHECK_FALSE(b.invoice("sub:s1:1").number);
    CHECK(b.count("sub:s1:1") == std::pair{0, 0});
    // A trial charges nothing and has no invoice; its first paid period has one, numbered next.
    b.fund("c2", 50'000'000);
    REQUIRE(b.subscriptions.create(create("t1", "c2", "wallet:c2", "vpn-trial"),
                                   at("2026-03-10T09:00:00Z")));
    CHECK(b.count("sub:t1:1") == std::pair{0, 0});
    REQUIRE(b.subscriptions.advance("t1", at("2026-03-17T09:00:00Z")));
    const auto first = b.invoice("sub:t1:1");
    REQUIRE(first.number);
    CHECK(first.number->invoice_number == "INV-2026-000001");
    CHECK(first.issued->totals.total_micros == 12'000'000);  // the setup fee with it
}

TEST_CASE("a receivable payer owes each period's invoice within 14 days, renewals included") {
    Books b;
    REQUIRE(
        b.subscriptions.create(create("s2", "c2", "receivable:c2"), at("2026-12-20T12:00:00Z")));
    const auto first = b.invoice("sub:s2:1");
    REQUIRE(first.issued);
    CHECK(first.status() == "open");
    CHECK_FALSE(first.paid);
    REQUIRE(first.issued->due_at);
    CHECK(*first.issued->due_at == *parse_rfc3339("2027-01-03T12:00:00Z"));
    CHECK(first.number->invoice_number == "INV-2026-000001");
    // The renewal in January is numbered in the new year's series.
    REQUIRE(b.subscriptions.advance("s2", at("2027-01-20T12:00:00Z")));
    const auto second = b.invoice("sub:s2:2");
    REQUIRE(second.issued);
    CHECK(second.number->invoice_number == "INV-2027-000001");
    REQUIRE(second.issued->lines.size() == 1);  // the setup fee was paid with the first
    CHECK(second.issued->totals.total_micros == 10'000'000);
    CHECK(second.issued->note == "VPN basic, period 2 (2027-01-20 to 2027-02-20)");
    CHECK(b.posted("receivable:c2") == 22'000'000);
    // Paying it from the wallet settles the receivable like any open invoice.
    b.fund("c2", 10'000'000);
    REQUIRE(b.invoices.pay_from_wallet("sub:s2:2", at("2027-01-21T00:00:00Z")));
    CHECK(b.invoice("sub:s2:2").status() == "paid");
    CHECK(b.posted("receivable:c2") == 12'000'000);
}

TEST_CASE("an upgrade's invoice bills the prorated difference, paid by a reseller's credits") {
    Books b;
    REQUIRE(b.ledger.open_account({"reseller_credit:r1", "EUR", 0}, at("2026-01-01T00:00:00Z")));
    REQUIRE(b.ledger.post(
        {"credits:r1",
         "EUR",
         "credits bought",
         "",
         "",
         {{"gateway_clearing:bank", 100'000'000, 0}, {"reseller_credit:r1", 0, 100'000'000}}},
        at("2026-01-01T00:00:00Z")));
    REQUIRE(b.subscriptions.create(create("s3", "c3", "reseller_credit:r1"),
                                   at("2026-04-01T00:00:00Z")));
    REQUIRE(b.subscriptions.change_plan("s3", "vpn-pro", at("2026-04-16T00:00:00Z")));
    const auto change = b.invoice("sub:s3:change:1");
    REQUIRE(change.issued);
    REQUIRE(change.issued->lines.size() == 1);
    // 15 of 30 days: 20 EUR of the new plan less 5 EUR unused of the old.
    CHECK(change.issued->lines[0].input.description ==
          "VPN pro, 15 of 30 days, less 15 unused days of vpn-basic");
    CHECK(change.issued->lines[0].input.plan_id == "vpn-pro");
    CHECK(change.issued->totals.total_micros == 15'000'000);
    REQUIRE(change.paid);
    CHECK(change.paid->source == "reseller_credit");
    CHECK(change.number->invoice_number == "INV-2026-000002");
    CHECK(b.ledger.account("reseller_credit:r1")->first.balance_micros == 73'000'000);
}

TEST_CASE("subscription charges and issued invoices share one series without gaps") {
    Books b;
    constexpr int kPerThread = 15;
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < 2; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                const auto id = "s" + std::to_string(t) + "-" + std::to_string(i);
                if (!b.subscriptions.create(create(id, "c" + id, "receivable:c" + id),
                                            at("2026-05-01T00:00:00Z")))
                    ++failures;
            }
        });
    for (int t = 0; t < 2; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                IssueInvoice c;
                c.invoice_id = "i" + std::to_string(t) + "-" + std::to_string(i);
                c.customer_id = "c" + c.invoice_id;
                c.currency = "EUR";
                c.buyer = {"Ana Lima", "", "", "DE", ""};
                c.lines = {{"Setup", "other", "", 1, 1'000'000}};
                if (!b.invoices.issue(c, at("2026-05-01T00:00:00Z"))) ++failures;
            }
        });
    for (auto& t : threads) t.join();
    CHECK(failures == 0);
    std::set<std::int64_t> numbers;
    auto all = b.store.read_all(Checkpoint{}, 1'000'000);
    REQUIRE(all);
    for (const auto& e : *all) {
        if (e.type != InvoiceNumbered::kType) continue;
        auto d = decode_invoice_number_event(e);
        REQUIRE(d);
        const auto& n = std::get<InvoiceNumbered>(*d);
        CHECK(n.series == "INV-2026");
        numbers.insert(n.number);
    }
    for (int t = 0; t < 2; ++t)
        for (int i = 0; i < kPerThread; ++i) {
            const auto s = b.invoice("sub:s" + std::to_string(t) + "-" + std::to_string(i) + ":1");
            CHECK(s.number);
            CHECK(s.status() == "open");
        }
    REQUIRE(numbers.size() == 4 * kPerThread);
    CHECK(*numbers.begin() == 1);
    CHECK(*numbers.rbegin() == 4 * kPerThread);
}
