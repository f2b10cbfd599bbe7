#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "events/memory_event_store.hpp"
#include "events/voice/account_codec.hpp"
#include "events/voice/account_service.hpp"
#include "events/voice/cdr_service.hpp"
#include "events/voice/deck_service.hpp"
#include "events/voice/tariff_registry.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core;
using namespace switchyard::core::voice;
using namespace switchyard::events;
using namespace switchyard::events::voice;
using switchyard::testing::error_of;

namespace {

Timestamp at(std::int64_t s) { return from_unix_seconds(s); }
const Timestamp kDeckFrom = at(1'767'225'600);  // 2026-01-01T00:00:00Z
const Timestamp kCallTime = at(1'767'268'800);  // 2026-01-01T12:00:00Z
const DecisionContext kCtx{at(1'767'300'000), {ActorKind::System, "test", ""}, "req-1", {}, {}};
const Actor kStaff{ActorKind::User, "alice", ""};

/// One rating plan `PLAN`: per-minute increments; rate groups given as (prefix, connect fee,
/// rate per minute).
Tariff tariff(std::vector<std::tuple<std::string, Micros, Micros>> rows) {
    Tariff t;
    t.currency = "EUR";
    for (const auto& [prefix, connect, rate] : rows) {
        t.destinations.push_back({"D" + prefix, "", {prefix}});
        t.rate_groups.push_back({"R" + prefix, connect, {{0, rate, 60, 60}}});
        t.destination_rates.push_back({"DR", "D" + prefix, "R" + prefix});
    }
    t.rating_plans = {{"PLAN", "DR", "*any", 10}};
    return t;
}

/// Sell: 49 at 0.0200/min; 4930 at 0.0500 connect + 0.0300/min. Buy: 49 at 0.0100/min.
Tariff sell_v1() { return tariff({{"49", 0, 20'000}, {"4930", 50'000, 30'000}}); }
Tariff buy_v1() { return tariff({{"49", 0, 10'000}}); }

ImportDeckVersion import_of(std::string deck, Tariff t) {
    ImportDeckVersion c;
    c.deck_id = std::move(deck);
    c.tariff = std::move(t);
    c.effective_from = kDeckFrom;
    return c;
}

CallRecord call(std::string key, std::string accountcode, std::string dialled,
                std::int64_t billsec) {
    CallRecord r;
    r.switch_key = std::move(key);
    r.accountcode = std::move(accountcode);
    r.destination = std::move(dialled);
    r.caller = "4930111";
    r.start = kCallTime;
    if (billsec > 0) r.answer = kCallTime;
    r.billsec = billsec;
    r.duration_s = billsec + 5;
    r.disposition = billsec > 0 ? Disposition::Answered : Disposition::NoAnswer;
    return r;
}

/// A memory log with a sell card, a buy deck, a prepaid customer `cust-1` (accountcode
/// `acct-1`, 1.00 EUR topped up, low balance below 0.50) and the services.
struct Ledger {
    std::unique_ptr<EventStore> store = make_memory_event_store();
    TariffRegistry registry;
    DeckService decks{*store, "op", &registry};
    AccountService accounts{*store, "op"};
    std::shared_ptr<std::mutex> mu = std::make_shared<std::mutex>();
    std::shared_ptr<std::map<std::string, std::string>> customers =
        std::make_shared<std::map<std::string, std::string>>(
            std::map<std::string, std::string>{{"acct-1", "cust-1"}});
    std::unique_ptr<CdrService> cdrs;

    explicit Ledger(bool charge_unanswered = false) {
        REQUIRE(decks.create(CreateDeck{{"card", "Retail", DeckKind::Sell, "", "EUR",
                                         DeckFormat::Csv, "", std::nullopt}},
                             kCtx));
        REQUIRE(decks.create(CreateDeck{{"grn", "GRN premium", DeckKind::Buy, "carrier-1", "EUR",
                                         DeckFormat::Cdrtool, "", std::nullopt}},
                             kCtx));
        REQUIRE(decks.import_version(import_of("card", sell_v1()), kCtx));
        REQUIRE(decks.import_version(import_of("grn", buy_v1()), kCtx));
        REQUIRE(
            accounts.open(OpenAccount{{"cust-1", "EUR", AccountKind::Prepaid, 0, 500'000}}, kCtx));
        REQUIRE(accounts.top_up(TopUp{"cust-1", "pay-1", 1'000'000, "bank transfer", ""}, kStaff,
                                kCtx));
        CdrServiceOptions o;
        o.tenant = "op";
        o.charge_unanswered = charge_unanswered;
        o.customer = [mu = mu,
                      customers = customers](const CallRecord& r) -> Result<CustomerTerms> {
            std::lock_guard lock(*mu);
            auto it = customers->find(r.accountcode);
            if (it == customers->end())
                return fail(Errc::NotFound, "accountcode", "no customer for " + r.accountcode);
            return CustomerTerms{it->second, "EUR", "card", "DE", {"999#"}, ""};
        };
        o.carrier = [](const CallRecord&) -> Result<CarrierTerms> {
            return CarrierTerms{"carrier-1", "grn"};
        };
        cdrs = std::make_unique<CdrService>(*store, registry, std::move(o));
    }

    Micros balance() {
        auto a = accounts.load("cust-1");
        REQUIRE(a);
        return a->first.balance_micros;
    }

    /// Every event of the account stream, decoded.
    std::vector<AccountEvent> account_events() {
        std::vector<AccountEvent> out;
        auto events = store->read_stream(account_stream("cust-1"), 0, 100'000);
        REQUIRE(events);
        for (const auto& e : *events) {
            auto d = decode_account_event(e);
            REQUIRE(d);
            out.push_back(*d);
        }
        return out;
    }
};

}  // namespace

TEST_CASE(
    "a deck version imported is usable from the registry, the same content again is "
    "unchanged") {
    Ledger l;
    auto v = l.registry.current("card", kCallTime);
    REQUIRE(v);
    CHECK(v->header.version == 1);
    CHECK(v->index->tariff() == sell_v1());
    // Before the first version's effective date, the first version prices (older CDRs).
    CHECK(l.registry.current("card", kDeckFrom - std::chrono::seconds(1))->header.version == 1);
    CHECK_FALSE(l.registry.current("no-such-deck", kCallTime));
    CHECK(l.registry.find("GRN premium")->deck_id == "grn");
    auto again = l.decks.import_version(import_of("card", sell_v1()), kCtx);
    REQUIRE(again);
    CHECK(again->unchanged);
    CHECK_FALSE(again->changed);
    CHECK(again->version == 1);
    auto v2 = l.decks.import_version(import_of("card", tariff({{"49", 0, 21'000}})), kCtx);
    REQUIRE(v2);
    CHECK(v2->version == 2);
    CHECK(v2->chunks == 1);
    CHECK(l.registry.current("card", kCallTime)->header.version == 2);
    CHECK(l.registry.versions("card").size() == 2);
    // A registry rebuilt from the log alone knows the same.
    TariffRegistry rebuilt;
    REQUIRE(rebuilt.catch_up(*l.store));
    CHECK(rebuilt.current("card", kCallTime)->index->tariff() == tariff({{"49", 0, 21'000}}));
    CHECK(rebuilt.version("card", 1)->index->tariff() == sell_v1());
}

TEST_CASE("a derived card is the buy deck marked up, as a new version") {
    Ledger l;
    REQUIRE(l.decks.create(CreateDeck{{"retail", "Retail +20%", DeckKind::Sell, "", "EUR",
                                       DeckFormat::Derived, "grn", MarkupRule{2'000, 0, 0}}},
                           kCtx));
    auto d = l.decks.derive("retail", kDeckFrom, kCtx);
    REQUIRE(d);
    CHECK(d->version == 1);
    auto v = l.registry.latest("retail");
    REQUIRE(v);
    // 0.0100/min + 20 % = 0.0120/min.
    CHECK(v->index->tariff().rate_groups[0].intervals[0].rate_micros == 12'000);
    CHECK(error_of(l.decks.derive("card", kDeckFrom, kCtx)).code == Errc::Rejected);
}

TEST_CASE("top-ups and adjustments are staff actions") {
    Ledger l;
    CHECK(error_of(l.accounts.top_up(TopUp{"cust-1", "pay-2", 1, "x", ""},
                                     Actor{ActorKind::System, "", ""}, kCtx))
              .code == Errc::Forbidden);
    REQUIRE(l.accounts.adjust(Adjust{"cust-1", "adj-1", -100'000, "correction", ""}, kStaff, kCtx));
    CHECK(l.balance() == 900'000);
}

TEST_CASE("ingest rates both sides, debits the account, keeps the unrated and unanswered") {
    Ledger l;
    const std::vector<CallRecord> batch{
        call("a", "acct-1", "00493012345", 61),      // 4930: 0.05 + 2 x 0.03 = 0.11; buy 2 x 0.01.
        call("b", "acct-1", "999#+4915112345", 30),  // 49: 1 x 0.02; buy 0.01.
        call("c", "acct-1", "0049301111", 0),        // Unanswered: kept, no cost.
        call("d", "acct-9", "0049301111", 30),       // Unknown customer.
        call("e", "acct-1", "0033123456", 30),       // No rate for France.
    };
    auto r = l.cdrs->ingest(batch, kCtx);
    REQUIRE(r);
    CHECK(r->rated == 3);
    CHECK(r->unanswered == 1);
    CHECK(r->unrated == 2);
    CHECK(r->duplicates == 0);
    CHECK(r->failed == 0);
    CHECK(r->totals["EUR"].sell_micros == 130'000);
    CHECK(r->totals["EUR"].buy_micros == 30'000);
    CHECK(r->totals["EUR"].margin_micros == 100'000);
    CHECK(r->outcomes[3].reason == "unknown_customer");
    CHECK(r->outcomes[4].reason == "no_rate");
    CHECK(l.balance() == 1'000'000 - 130'000);

    auto a = l.cdrs->load(CdrService::cdr_id_of(batch[0]));
    REQUIRE(a);
    CHECK(a->status == CdrStatus::Rated);
    CHECK(a->destination == "493012345");
    CHECK(a->sell.matched_prefix == "4930");
    CHECK(a->sell.cost_micros == 110'000);
    REQUIRE(a->buy);
    CHECK(a->buy->cost_micros == 20'000);
    CHECK(a->buy->deck_id == "grn");

    // The same batch again: every record a duplicate, the balance unchanged.
    auto again = l.cdrs->ingest(batch, kCtx);
    REQUIRE(again);
    CHECK(again->duplicates == 5);
    CHECK(again->rated == 0);
    CHECK(again->positions.empty());
    CHECK(l.balance() == 870'000);
}

TEST_CASE("with connect on attempt an unanswered call costs its connect fee") {
    Ledger l(true);
    auto r = l.cdrs->ingest({call("c", "acct-1", "0049301111", 0)}, kCtx);
    REQUIRE(r);
    CHECK(r->rated == 1);
    CHECK(r->totals["EUR"].sell_micros == 50'000);
    CHECK(l.balance() == 950'000);
}

TEST_CASE("an unrated CDR is rated again after the fix, once") {
    Ledger l;
    REQUIRE(l.cdrs->ingest({call("d", "acct-9", "0049301111", 30)}, kCtx));
    {
        std::lock_guard lock(*l.mu);
        (*l.customers)["acct-9"] = "cust-1";
    }
    auto r = l.cdrs->rate_again({}, kCtx);
    REQUIRE(r);
    CHECK(r->rated == 1);
    // 0049301111 matches 4930: 0.05 connect + 1 minute at 0.03.
    CHECK(l.balance() == 1'000'000 - 80'000);
    auto twice = l.cdrs->rate_again({}, kCtx);
    REQUIRE(twice);
    CHECK(twice->rated == 0);
    CHECK(l.balance() == 920'000);
}

TEST_CASE("re-rating appends the changed costs with the account delta, twice changes nothing") {
    Ledger l;
    REQUIRE(l.cdrs->ingest(
        {call("a", "acct-1", "00493012345", 61), call("b", "acct-1", "004915112345", 30)}, kCtx));
    CHECK(l.balance() == 870'000);
    // Version 2 of the card, effective from the same instant: 4930 now 0.0400/min.
    REQUIRE(l.decks.import_version(
        import_of("card", tariff({{"49", 0, 20'000}, {"4930", 50'000, 40'000}})), kCtx));
    auto r = l.cdrs->rerate({}, kCtx);
    REQUIRE(r);
    CHECK(r->considered == 2);
    CHECK(r->rerated == 1);
    CHECK(r->unchanged == 1);
    CHECK(r->customers["cust-1"].old_micros == 110'000);
    CHECK(r->customers["cust-1"].new_micros == 130'000);
    CHECK(r->customers["cust-1"].delta_micros == 20'000);
    CHECK(l.balance() == 850'000);
    auto twice = l.cdrs->rerate({}, kCtx);
    REQUIRE(twice);
    CHECK(twice->rerated == 0);
    CHECK(twice->unchanged == 2);
    CHECK(twice->positions.empty());
    CHECK(l.balance() == 850'000);
    // A customer filter that selects nobody considers nothing.
    CdrFilter other;
    other.customer_id = "cust-2";
    CHECK(l.cdrs->rerate(other, kCtx)->considered == 0);
}

TEST_CASE("32 concurrent CDR batches against one prepaid account: every CDR debited once") {
    Ledger l;
    constexpr int kThreads = 32;
    std::vector<IngestReport> reports(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            std::vector<CallRecord> batch;
            for (int i = 0; i < 3; ++i)
                batch.push_back(call("t" + std::to_string(t) + "-" + std::to_string(i), "acct-1",
                                     "004915112345", 60));
            batch.push_back(call("shared", "acct-1", "004915112345", 60));  // In every batch.
            auto r = l.cdrs->ingest(batch, kCtx);
            if (r) reports[t] = *r;
        });
    }
    for (auto& th : threads) th.join();
    std::int64_t rated = 0, duplicates = 0, failed = 0;
    for (const auto& r : reports) {
        rated += r.rated;
        duplicates += r.duplicates;
        failed += r.failed;
    }
    CHECK(failed == 0);
    CHECK(rated == kThreads * 3 + 1);
    CHECK(duplicates == kThreads - 1);
    // 97 CDRs of 0.02 = 1.94 against 1.00 topped up: debited in full, never twice.
    std::set<std::string> debit_ids;
    Micros debited = 0;
    int exhausted = 0, low = 0;
    for (const auto& e : l.account_events()) {
        if (const auto* d = std::get_if<AccountDebited>(&e)) {
            CHECK(debit_ids.insert(d->debit_id).second);
            debited += d->amount_micros;
        }
        exhausted += std::holds_alternative<AccountExhausted>(e);
        low += std::holds_alternative<AccountLowBalance>(e);
    }
    CHECK(debit_ids.size() == kThreads * 3 + 1);
    CHECK(debited == (kThreads * 3 + 1) * 20'000);
    CHECK(l.balance() == 1'000'000 - (kThreads * 3 + 1) * 20'000);
    CHECK(exhausted == 1);
    CHECK(low == 1);
}
