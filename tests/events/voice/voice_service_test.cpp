// The voice service on the memory log: commands append once (a retry appends nothing), the
// streams they write, and effective_config() as other voice services call it.
#include <doctest/doctest.h>

#include "events/memory_event_store.hpp"
#include "events/voice/voice_service.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::voice;
using switchyard::testing::error_of;

namespace {

core::DecisionContext ctx(std::int64_t seconds = 0) {
    core::DecisionContext c;
    c.now = core::from_unix_seconds(1'790'000'000 + seconds);
    c.correlation_id = "req-" + std::to_string(seconds);
    return c;
}

struct World {
    std::unique_ptr<events::EventStore> store = events::make_memory_event_store();
    events::voice::VoiceService voice{*store, "op"};

    World() {
        REQUIRE(voice.execute(SeedCategories{{Category{"sip_trunk", "SIP Trunk", "", true, 1}}},
                              ctx()));
        REQUIRE(voice.execute(DefineGroup{Group{"gold", "sip_trunk", "Gold", ""}}, ctx()));
        REQUIRE(voice.execute(SeedTiers{{VoiceTier{"premium", "Premium", "", 55, 240, 3000, 1}}},
                              ctx()));
    }

    std::int64_t customer(const std::string& command_id) {
        Customer c;
        c.name = "Acme";
        c.country = "DE";
        c.currency = "EUR";
        c.category_id = "sip_trunk";
        c.group_id = "gold";
        auto o = voice.execute(CreateCustomer{c, command_id}, ctx());
        REQUIRE(o);
        return o->id;
    }
};

}  // namespace

TEST_CASE("directory and reference events go to the tenant's two streams") {
    World w;
    auto dir = w.store->read_stream("voice_directory-op", 0, 100);
    REQUIRE(dir);
    CHECK(dir->size() == 2);
    CHECK((*dir)[0].type == "voice.category.defined");
    CHECK((*dir)[1].type == "voice.group.defined");
    auto ref = w.store->read_stream("voice_reference-op", 0, 100);
    REQUIRE(ref);
    REQUIRE(ref->size() == 1);
    CHECK((*ref)[0].type == "voice.tier.defined");
}

TEST_CASE("creating a customer twice with one command id appends once and names the customer") {
    World w;
    const auto before = w.store->head().total();
    Customer c;
    c.name = "Acme";
    c.country = "DE";
    c.currency = "EUR";
    c.category_id = "sip_trunk";
    c.group_id = "gold";
    auto first = w.voice.execute(CreateCustomer{c, "idem:k"}, ctx(1));
    REQUIRE(first);
    CHECK(first->changed);
    CHECK(first->id == 1);
    CHECK_FALSE(first->positions.empty());
    auto retry = w.voice.execute(CreateCustomer{c, "idem:k"}, ctx(2));
    REQUIRE(retry);
    CHECK_FALSE(retry->changed);
    CHECK(retry->id == 1);
    CHECK(w.store->head().total() == before + 1);
}

TEST_CASE("effective_config resolves the customer's assignments, an unknown customer is 404") {
    World w;
    const auto id = w.customer("c1");
    auto none = w.voice.effective_config(id);
    REQUIRE(none);
    CHECK(none->effective.items.empty());
    REQUIRE(w.voice.execute(
        CreateAssignment{{0, ItemKind::RateCard, "deck-all", AssignmentScope::All, "", {}}, "a1"},
        ctx(10)));
    REQUIRE(w.voice.execute(
        CreateAssignment{{0, ItemKind::RateCard, "deck-gold", AssignmentScope::Group, "gold", {}},
                         "a2"},
        ctx(5)));
    REQUIRE(w.voice.execute(
        CreateAssignment{
            {0, ItemKind::VoiceTier, "premium", AssignmentScope::Customer, std::to_string(id), {}},
            "a3"},
        ctx(6)));
    auto e = w.voice.effective_config(id);
    REQUIRE(e);
    CHECK(e->customer.name == "Acme");
    CHECK(e->effective.value(ItemKind::RateCard) == "deck-gold");  // group beats all
    REQUIRE(e->effective.find(ItemKind::RateCard) != nullptr);
    CHECK(e->effective.find(ItemKind::RateCard)->assignment_id == 2);
    CHECK(e->effective.value(ItemKind::VoiceTier) == "premium");
    auto unknown = w.voice.effective_config(99);
    CHECK(error_of(unknown).code == core::Errc::NotFound);
    CHECK(error_of(unknown).field == "customer_id");
}

TEST_CASE("a retired tier can no longer be assigned, and the refusal appends nothing") {
    World w;
    REQUIRE(w.voice.execute(RetireItem<VoiceTier>{"premium"}, ctx()));
    const auto before = w.store->head().total();
    auto refused = w.voice.execute(
        CreateAssignment{{0, ItemKind::VoiceTier, "premium", AssignmentScope::All, "", {}}, "a"},
        ctx());
    CHECK(error_of(refused).code == core::Errc::Rejected);
    CHECK(error_of(refused).field == "value");
    CHECK(w.store->head().total() == before);
    auto ref = w.voice.reference();
    REQUIRE(ref);
    CHECK(ref->items<VoiceTier>().at("premium").retired);
}

TEST_CASE("seeding again on a second start appends nothing") {
    World w;
    const auto before = w.store->head().total();
    events::voice::VoiceService again(*w.store, "op");
    auto c = again.execute(SeedCategories{{Category{"other", "Other", "", true, 1}}}, ctx());
    REQUIRE(c);
    CHECK_FALSE(c->changed);
    auto t = again.execute(SeedTiers{{VoiceTier{"other", "Other", "", 1, 1, 1, 1}}}, ctx());
    REQUIRE(t);
    CHECK_FALSE(t->changed);
    CHECK(w.store->head().total() == before);
}
