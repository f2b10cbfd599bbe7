// The assignment resolver (DIDTron's assignment system): customer > group > category > all,
// and between equals the latest assignment wins.
#include <doctest/doctest.h>

#include "core/voice/assignment.hpp"

using namespace switchyard;
using namespace switchyard::core::voice;

namespace {

core::Timestamp at(std::int64_t seconds) {
    return core::from_unix_seconds(1'790'000'000 + seconds);
}

Assignment assign(std::int64_t id, ItemKind kind, std::string value, AssignmentScope scope,
                  std::string target, std::int64_t when) {
    return {id, kind, std::move(value), scope, std::move(target), at(when)};
}

const CustomerRef kAcme{7, "sip_trunk", "gold"};

}  // namespace

TEST_CASE("with nothing assigned the effective configuration is empty") {
    auto e = resolve({}, kAcme);
    CHECK(e.items.empty());
    CHECK(e.find(ItemKind::RateCard) == nullptr);
    CHECK_FALSE(e.value(ItemKind::Pop).has_value());
}

TEST_CASE("the most specific assignment wins: customer over group over category over all") {
    Assignments a;
    // Written in the opposite order of specificity, and the general ones later in time, so that
    // neither the id nor the time decides.
    a[1] = assign(1, ItemKind::RateCard, "deck-customer", AssignmentScope::Customer, "7", 0);
    a[2] = assign(2, ItemKind::RateCard, "deck-group", AssignmentScope::Group, "gold", 10);
    a[3] =
        assign(3, ItemKind::RateCard, "deck-category", AssignmentScope::Category, "sip_trunk", 20);
    a[4] = assign(4, ItemKind::RateCard, "deck-all", AssignmentScope::All, "", 30);
    CHECK(resolve(a, kAcme).value(ItemKind::RateCard) == "deck-customer");
    a.erase(1);
    CHECK(resolve(a, kAcme).value(ItemKind::RateCard) == "deck-group");
    a.erase(2);
    CHECK(resolve(a, kAcme).value(ItemKind::RateCard) == "deck-category");
    a.erase(3);
    auto e = resolve(a, kAcme);
    REQUIRE(e.find(ItemKind::RateCard) != nullptr);
    CHECK(e.find(ItemKind::RateCard)->assignment_id == 4);
    CHECK(e.find(ItemKind::RateCard)->scope == AssignmentScope::All);
}

TEST_CASE("assignments to another category, group or customer do not reach the customer") {
    Assignments a;
    a[1] = assign(1, ItemKind::Pop, "fra1", AssignmentScope::All, "", 0);
    a[2] = assign(2, ItemKind::Pop, "nyc1", AssignmentScope::Category, "enterprise", 5);
    a[3] = assign(3, ItemKind::Pop, "lon1", AssignmentScope::Group, "silver", 5);
    a[4] = assign(4, ItemKind::Pop, "sin1", AssignmentScope::Customer, "70", 5);
    CHECK(resolve(a, kAcme).value(ItemKind::Pop) == "fra1");
    CHECK(resolve(a, CustomerRef{70, "enterprise", "silver"}).value(ItemKind::Pop) == "sin1");
    CHECK(resolve(a, CustomerRef{71, "enterprise", "silver"}).value(ItemKind::Pop) == "lon1");
    CHECK(resolve(a, CustomerRef{72, "enterprise", "bronze"}).value(ItemKind::Pop) == "nyc1");
}

TEST_CASE("between two assignments of the same scope the latest wins, then the higher id") {
    Assignments a;
    a[5] = assign(5, ItemKind::VoiceTier, "premium", AssignmentScope::Group, "gold", 100);
    a[6] = assign(6, ItemKind::VoiceTier, "economy", AssignmentScope::Group, "gold", 50);
    CHECK(resolve(a, kAcme).value(ItemKind::VoiceTier) == "premium");  // later in time
    a[7] = assign(7, ItemKind::VoiceTier, "standard", AssignmentScope::Group, "gold", 100);
    CHECK(resolve(a, kAcme).value(ItemKind::VoiceTier) == "standard");  // same time, higher id
}

TEST_CASE("each item kind resolves on its own") {
    Assignments a;
    a[1] = assign(1, ItemKind::RateCard, "deck-a", AssignmentScope::All, "", 0);
    a[2] = assign(2, ItemKind::CodecSet, "g711", AssignmentScope::Customer, "7", 0);
    a[3] = assign(3, ItemKind::ChannelPlan, "c30", AssignmentScope::Category, "sip_trunk", 0);
    a[4] = assign(4, ItemKind::RouteGroup, "rg-eu", AssignmentScope::Group, "gold", 0);
    auto e = resolve(a, kAcme);
    CHECK(e.items.size() == 4);
    CHECK(e.value(ItemKind::RateCard) == "deck-a");
    CHECK(e.value(ItemKind::CodecSet) == "g711");
    CHECK(e.value(ItemKind::ChannelPlan) == "c30");
    CHECK(e.value(ItemKind::RouteGroup) == "rg-eu");
    CHECK_FALSE(e.value(ItemKind::VoiceTier).has_value());
}

TEST_CASE("item kinds and scopes have wire names and read back") {
    for (auto k : kItemKinds) {
        ItemKind back{};
        REQUIRE(parse_item_kind(to_string(k), back));
        CHECK(back == k);
    }
    CHECK(std::string(to_string(ItemKind::ChannelPlan)) == "channel_plan");
    AssignmentScope s{};
    CHECK(parse_assignment_scope("group", s));
    CHECK(s == AssignmentScope::Group);
    CHECK_FALSE(parse_assignment_scope("groups", s));
    ItemKind k{};
    CHECK_FALSE(parse_item_kind("rate-card", k));
}
