// Trunks and admission over the voice module's real services (events/voice
// admission_sources): the trunk finds the customer's rate card through the assignment system
// and the tariff registry, admission prices with it against the account's balance from the
// log, and the channel plan assigned to the customer limits its calls. Figures by hand.
#include <doctest/doctest.h>

#include "events/memory_event_store.hpp"
#include "events/voice/account_service.hpp"
#include "events/voice/admission_service.hpp"
#include "events/voice/deck_service.hpp"
#include "events/voice/trunk_service.hpp"

using namespace switchyard;
using namespace switchyard::core;
using namespace switchyard::core::voice;
using namespace switchyard::events::voice;

namespace {

const Timestamp kDeckFrom = from_unix_seconds(1'767'225'600);  // 2026-01-01T00:00:00Z
const Timestamp kCallTime = from_unix_seconds(1'767'268'800);  // 2026-01-01T12:00:00Z
const DecisionContext kCtx{
    from_unix_seconds(1'767'300'000), {ActorKind::System, "test", ""}, "req-1", {}, {}};
const Actor kStaff{ActorKind::User, "alice", ""};

/// Berlin (4930): connect fee 0.05, 0.03 per minute billed per minute.
Tariff card() {
    Tariff t;
    t.currency = "EUR";
    t.destinations.push_back({"DBER", "", {"4930"}});
    t.rate_groups.push_back({"RBER", 50'000, {{0, 30'000, 60, 60}}});
    t.destination_rates.push_back({"DR", "DBER", "RBER"});
    t.rating_plans = {{"PLAN", "DR", "*any", 10}};
    return t;
}

struct World {
    std::unique_ptr<events::EventStore> store = events::make_memory_event_store();
    VoiceService voice{*store, "op"};
    TariffRegistry tariffs;
    DeckService decks{*store, "op", &tariffs};
    AccountService accounts{*store, "op"};
    events::MasterKeyring keyring = events::MasterKeyring::generate();
    TrunkService trunks{*store, "op", voice, tariffs, keyring, "switchyard"};
    AdmissionService admission{admission_sources(voice, tariffs, accounts, trunks),
                               AdmissionOptions{3 * 3600, [] { return kCallTime; }}};

    World() {
        REQUIRE(
            voice.execute(SeedCategories{{Category{"sip_trunk", "SIP Trunk", "", true, 1}}}, kCtx));
        REQUIRE(voice.execute(DefineGroup{Group{"gold", "sip_trunk", "Gold", ""}}, kCtx));
        REQUIRE(voice.execute(DefineItem<ChannelPlan>{ChannelPlan{"c2", "Two", 2, 10}}, kCtx));
        Customer c;
        c.name = "Acme";
        c.country = "DE";
        c.currency = "EUR";
        c.category_id = "sip_trunk";
        c.group_id = "gold";
        auto created = voice.execute(CreateCustomer{c, "c-1"}, kCtx);
        REQUIRE(created);
        REQUIRE(created->id == 1);
        for (auto [kind, value] : std::vector<std::pair<ItemKind, std::string>>{
                 {ItemKind::RateCard, "card"}, {ItemKind::ChannelPlan, "c2"}}) {
            Assignment a;
            a.kind = kind;
            a.value = value;
            a.scope = AssignmentScope::Customer;
            a.target = "1";
            REQUIRE(voice.execute(CreateAssignment{a, "as-" + value}, kCtx));
        }
        REQUIRE(decks.create(CreateDeck{{"card", "Retail", DeckKind::Sell, "", "EUR",
                                         DeckFormat::Csv, "", std::nullopt}},
                             kCtx));
        ImportDeckVersion v;
        v.deck_id = "card";
        v.tariff = card();
        v.effective_from = kDeckFrom;
        REQUIRE(decks.import_version(v, kCtx));
        REQUIRE(accounts.open(OpenAccount{{"1", "EUR", AccountKind::Prepaid, 0, 0}}, kCtx));
        REQUIRE(accounts.top_up(TopUp{"1", "pay-1", 1'000'000, "bank", ""}, kStaff, kCtx));
        Trunk t;
        t.trunk_id = "acme";
        t.customer_id = 1;
        t.name = "Acme";
        t.source_ips = {"192.0.2.0/24"};
        REQUIRE(trunks.execute(DefineTrunk{t, DefineMode::Create, ""}, kCtx));
    }

    TrunkMatch identify(const std::string& call_id) {
        CallSetup s;
        s.call_id = call_id;
        s.source_ip = "192.0.2.5";
        s.ruri_user = "030123456";
        s.from_user = "4930555000";
        s.setup_at = kCallTime;
        auto r = trunks.identify(s);
        REQUIRE(r.has_value());
        REQUIRE(std::holds_alternative<TrunkMatch>(*r));
        return std::get<TrunkMatch>(*r);
    }

    std::variant<Admission, CallRefusal> admit(const std::string& call_id) {
        CallSetup s;
        s.call_id = call_id;
        s.setup_at = kCallTime;
        auto r = admission.admit(s, identify(call_id), RoutePlan{});
        REQUIRE(r.has_value());
        return *r;
    }
};

}  // namespace

TEST_CASE("a prepaid call is priced with the assigned rate card against the logged balance") {
    World w;
    const auto m = w.identify("call-1");
    CHECK(m.destination == "4930123456");
    CHECK(m.sell_deck_id == "card");
    CHECK(m.sell_rating_plan == "PLAN");
    CHECK(m.currency == "EUR");
    // 1.00 pays 0.05 + 31 minutes at 0.03 = 0.98 (32 minutes would cost 1.01): 1860 s.
    auto first = w.admit("call-1");
    REQUIRE(std::holds_alternative<Admission>(first));
    CHECK(std::get<Admission>(first).max_duration_s == 1860);
    CHECK(std::get<Admission>(first).reserved_micros == 980'000);
    CHECK(std::get<Admission>(first).sell_per_minute == 30'000);
    // 0.02 left cannot pay 0.05 + 0.03.
    auto second = w.admit("call-2");
    REQUIRE(std::holds_alternative<CallRefusal>(second));
    CHECK(std::get<CallRefusal>(second).code == "balance_exhausted");
    // 10.00 more: 10.02 available pays the 3 h cap, 0.05 + 180 x 0.03 = 5.45.
    REQUIRE(w.accounts.top_up(TopUp{"1", "pay-2", 10'000'000, "bank", ""}, kStaff, kCtx));
    auto third = w.admit("call-2");
    REQUIRE(std::holds_alternative<Admission>(third));
    CHECK(std::get<Admission>(third).max_duration_s == 10800);
    CHECK(std::get<Admission>(third).reserved_micros == 5'450'000);
    // The channel plan c2 allows two calls at once.
    auto fourth = w.admit("call-3");
    REQUIRE(std::holds_alternative<CallRefusal>(fourth));
    CHECK(std::get<CallRefusal>(fourth).code == "channel_limit");
    w.admission.release("call-1");
    CHECK(std::holds_alternative<Admission>(w.admit("call-3")));
}
