#pragma once
/// A memory log with what rating a Kamailio call's CDR needs: a sell card `card` (49 at
/// 0.0200/min, per-minute increments), a buy deck `buy` (49 at 0.0100/min) of carrier
/// `carrier_b`, customer `7` (accountcode `7`) prepaid with 1.000000 EUR, and a CdrService whose
/// resolvers find them. For the call path's tests.

#include <memory>

#include <doctest/doctest.h>

#include "events/memory_event_store.hpp"
#include "events/voice/account_service.hpp"
#include "events/voice/cdr_service.hpp"
#include "events/voice/deck_service.hpp"
#include "events/voice/tariff_registry.hpp"

namespace switchyard::testing {

struct CallLedger {
    std::unique_ptr<events::EventStore> owned;
    events::EventStore& store;
    events::voice::TariffRegistry registry;
    events::voice::DeckService decks{store, "op", &registry};
    events::voice::AccountService accounts{store, "op"};
    std::unique_ptr<events::voice::CdrService> cdrs;

    static core::voice::Tariff tariff(core::voice::Micros per_minute) {
        core::voice::Tariff t;
        t.currency = "EUR";
        t.destinations.push_back({"D49", "", {"49"}});
        t.rate_groups.push_back({"R49", 0, {{0, per_minute, 60, 60}}});
        t.destination_rates.push_back({"DR", "D49", "R49"});
        t.rating_plans = {{"PLAN", "DR", "*any", 10}};
        return t;
    }

    /// On its own memory log.
    CallLedger() : owned(events::make_memory_event_store()), store(*owned) { init(); }
    /// On `log` (which must outlive it).
    explicit CallLedger(events::EventStore& log) : store(log) { init(); }

    void init() {
        using namespace core::voice;
        using namespace events::voice;
        const core::DecisionContext ctx{core::from_unix_seconds(1'767'225'600),
                                        {core::ActorKind::System, "test", ""},
                                        "setup",
                                        {},
                                        {}};
        REQUIRE(decks.create(CreateDeck{{"card", "Retail", DeckKind::Sell, "", "EUR",
                                         DeckFormat::Csv, "", std::nullopt}},
                             ctx));
        REQUIRE(decks.create(CreateDeck{{"buy", "Carrier B", DeckKind::Buy, "carrier_b", "EUR",
                                         DeckFormat::Csv, "", std::nullopt}},
                             ctx));
        ImportDeckVersion sell;
        sell.deck_id = "card";
        sell.tariff = tariff(20'000);
        sell.effective_from = core::from_unix_seconds(1'767'225'600);
        REQUIRE(decks.import_version(sell, ctx));
        auto buy = sell;
        buy.deck_id = "buy";
        buy.tariff = tariff(10'000);
        REQUIRE(decks.import_version(buy, ctx));
        REQUIRE(accounts.open(OpenAccount{{"7", "EUR", AccountKind::Prepaid, 0, 0}}, ctx));
        REQUIRE(accounts.top_up(TopUp{"7", "pay-1", 1'000'000, "bank transfer", ""},
                                {core::ActorKind::User, "alice", ""}, ctx));
        CdrServiceOptions o;
        o.tenant = "op";
        o.customer = [](const CallRecord& r) -> core::Result<CustomerTerms> {
            if (r.accountcode != "7")
                return core::fail(core::Errc::NotFound, "accountcode", "unknown");
            return CustomerTerms{"7", "EUR", "card", "DE", {}, ""};
        };
        o.carrier = [](const CallRecord& r) -> core::Result<CarrierTerms> {
            if (r.trunk != "carrier_b") return core::fail(core::Errc::NotFound, "trunk", "none");
            return CarrierTerms{"carrier_b", "buy"};
        };
        cdrs = std::make_unique<CdrService>(store, registry, std::move(o));
    }

    core::voice::Micros balance() {
        auto a = accounts.load("7");
        REQUIRE(a);
        return a->first.balance_micros;
    }
};

}  // namespace switchyard::testing
