// The voice events on Kafka: every event a voice service appends lands on the module's topic,
// `switchyard.voice.events` (app/modules/module.hpp kafka_topic), on librdkafka's mock cluster.
#include <doctest/doctest.h>

#include "app/modules/voice_module.hpp"
#include "events/voice/account_service.hpp"
#include "events/voice/cdr_service.hpp"
#include "events/voice/deck_service.hpp"
#include "events/voice/tariff_registry.hpp"
#include "tests/events/store_backends.hpp"

using namespace switchyard;
using namespace switchyard::core::voice;

namespace {

core::DecisionContext context(const std::string& id) {
    core::DecisionContext ctx;
    ctx.now = core::from_unix_seconds(1'706'000'000);
    ctx.actor = core::Actor{core::ActorKind::User, "staff-1", ""};
    ctx.correlation_id = id;
    return ctx;
}

/// 0.10 per minute to 49, per-second increments.
Tariff germany() {
    Tariff t;
    t.destinations = {{"DE", "GERMANY", {"49"}}};
    t.rate_groups = {{"R", 0, {{0, 100'000, 60, 1}}}};
    DestinationRate dr;
    dr.id = "DR";
    dr.destination_id = "DE";
    dr.rate_id = "R";
    t.destination_rates = {dr};
    t.rating_plans = {{"P", "DR", "*any", 10}};
    t.pricing = PricingModel::Exact;
    return t;
}

}  // namespace

TEST_CASE("voice decks, balances and rated CDRs travel on the topic switchyard.voice.events") {
    testing::KafkaBackend kafka;
    auto& store = kafka.get();
    events::voice::TariffRegistry registry;
    events::voice::DeckService decks(store, "op", &registry);
    REQUIRE(decks.create(CreateDeck{DeckInfo{"card", "Card", DeckKind::Sell, "", "EUR",
                                             DeckFormat::Csv, "", std::nullopt}},
                         context("d1")));
    ImportDeckVersion v;
    v.deck_id = "card";
    v.tariff = germany();
    REQUIRE(decks.import_version(v, context("d2")));
    events::voice::AccountService accounts(store, "op");
    REQUIRE(accounts.open(OpenAccount{AccountTerms{"7", "EUR", AccountKind::Prepaid, 0, 0}},
                          context("a1")));
    REQUIRE(accounts.top_up(TopUp{"7", "t1", 5'000'000, "first payment", ""},
                            core::Actor{core::ActorKind::User, "staff-1", ""}, context("a2")));
    events::voice::CdrServiceOptions o;
    o.tenant = "op";
    o.customer = [](const CallRecord&) -> core::Result<events::voice::CustomerTerms> {
        return events::voice::CustomerTerms{"7", "EUR", "card", "DE", {}, "7"};
    };
    events::voice::CdrService cdrs(store, registry, o);
    CallRecord r;
    r.switch_key = "1706000000.1/0";
    r.accountcode = "acme";
    r.destination = "004930123456";
    r.start = core::from_unix_seconds(1'706'000'000);
    r.answer = r.start;
    r.end = r.start + std::chrono::seconds(90);
    r.duration_s = 90;
    r.billsec = 90;
    r.disposition = Disposition::Answered;
    auto report = cdrs.ingest({r}, context("c1"));
    REQUIRE(report);
    CHECK(report->rated == 1);

    app::VoiceModule module;
    const auto topic = app::kafka_topic(module);
    CHECK(topic == "switchyard.voice.events");
    auto all = store.read_all(events::Checkpoint{}, 1'000);
    REQUIRE(all);
    std::set<std::string> types;
    for (const auto& e : *all) {
        CHECK(e.position.topic == topic);
        types.insert(e.type);
    }
    for (const auto* type :
         {"voice.deck.created", "voice.deck.version_imported", "voice.deck.rates_loaded",
          "voice.deck.version_published", "voice.account.opened", "voice.account.topped_up",
          "voice.cdr.rated", "voice.account.debited"})
        CHECK_MESSAGE(types.count(type) == 1, type);
}
