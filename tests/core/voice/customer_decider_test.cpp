// Customer categories, groups, customers and assignments (given events / when command / then
// events or an error), each command with its idempotency check.
#include <doctest/doctest.h>

#include "core/voice/customer_decider.hpp"
#include "tests/support/decider_checks.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::voice;
using switchyard::testing::check_idempotent;
using switchyard::testing::error_of;
using switchyard::testing::given;

namespace {

core::DecisionContext ctx(std::int64_t seconds = 0) {
    core::DecisionContext c;
    c.now = core::from_unix_seconds(1'790'000'000 + seconds);
    return c;
}

Category category(std::string id, std::string name) {
    Category c;
    c.category_id = std::move(id);
    c.name = std::move(name);
    return c;
}

Group group(std::string id, std::string category_id) {
    Group g;
    g.group_id = std::move(id);
    g.category_id = std::move(category_id);
    g.name = "Group " + g.group_id;
    return g;
}

Customer acme() {
    Customer c;
    c.name = "Acme";
    c.company = "Acme Telecom GmbH";
    c.country = "DE";
    c.currency = "EUR";
    c.billing_type = BillingType::Prepaid;
    c.accountcodes = {"acme-1"};
    c.source_ips = {"192.0.2.10", "198.51.100.0/24", "2001:db8::/32"};
    c.tech_prefix = "4411#";
    c.category_id = "sip_trunk";
    c.group_id = "gold";
    return c;
}

/// Categories SIP Trunk and Enterprise, groups gold (SIP Trunk) and silver (Enterprise).
std::vector<DirectoryEvent> world() {
    return {CategoryDefined{category("sip_trunk", "SIP Trunk")},
            CategoryDefined{category("enterprise", "Enterprise")},
            GroupDefined{group("gold", "sip_trunk")}, GroupDefined{group("silver", "enterprise")}};
}

/// The world with customer 1 (Acme) created.
std::vector<DirectoryEvent> world_with_acme() {
    auto events = world();
    auto c = acme();
    c.customer_id = 1;
    c.created_at = ctx().now;
    events.push_back(CustomerCreated{c, "cmd-acme"});
    return events;
}

ReferenceState reference() {
    ReferenceState r;
    VoiceTier premium;
    premium.tier_id = "premium";
    premium.name = "Premium";
    evolve(r, ItemDefined<VoiceTier>{premium});
    VoiceTier old = premium;
    old.tier_id = "legacy";
    evolve(r, ItemDefined<VoiceTier>{old});
    evolve(r, ItemRetired<VoiceTier>{"legacy"});
    return r;
}

}  // namespace

TEST_CASE("a category is created once, the same definition again decides nothing") {
    auto s = given<DirectoryState>(std::vector<DirectoryEvent>{});
    auto twice = check_idempotent(s, [](const DirectoryState& st) {
        return decide(st, DefineCategory{category("wholesale", "Wholesale")}, ctx());
    });
    REQUIRE(twice.first.events.size() == 1);
    CHECK(std::get<CategoryDefined>(twice.first.events[0]).category.name == "Wholesale");
    // A different category under the same id is a conflict.
    auto clash = decide(twice.state, DefineCategory{category("wholesale", "Other")}, ctx());
    CHECK(error_of(clash).code == core::Errc::Conflict);
    CHECK(error_of(clash).field == "category_id");
}

TEST_CASE("a category update needs the category, a bad id or name is refused by name") {
    auto s = given<DirectoryState>(world());
    auto missing = decide(s, DefineCategory{category("nope", "Nope"), DefineMode::Update}, ctx());
    CHECK(error_of(missing).code == core::Errc::NotFound);
    check_idempotent(s, [](const DirectoryState& st) {
        auto c = category("sip_trunk", "SIP Trunks");
        c.description = "Wholesale SIP trunking";
        return decide(st, DefineCategory{c, DefineMode::Update}, ctx());
    });
    CHECK(error_of(decide(s, DefineCategory{category("Bad Id", "x")}, ctx())).field ==
          "category_id");
    CHECK(error_of(decide(s, DefineCategory{category("ok", "")}, ctx())).field == "name");
}

TEST_CASE("the public categories are seeded into an empty directory only") {
    SeedCategories seed{{category("sip_trunk", "SIP Trunk"), category("enterprise", "Enterprise"),
                         category("call_center", "Call Center"),
                         category("individual", "Individual")}};
    auto twice = check_idempotent(
        DirectoryState{}, [&](const DirectoryState& st) { return decide(st, seed, ctx()); });
    CHECK(twice.first.events.size() == 4);
    CHECK(twice.state.categories.size() == 4);
    // An operator who renamed or added categories is not seeded again.
    auto later = given<DirectoryState>(
        std::vector<DirectoryEvent>{CategoryDefined{category("wholesale", "Wholesale")}});
    CHECK(decide(later, seed, ctx())->events.empty());
    SeedCategories bad{{category("a", "A"), category("a", "A again")}};
    CHECK(error_of(decide(DirectoryState{}, bad, ctx())).field == "categories[1].category_id");
}

TEST_CASE("a group lives in an existing category and never moves to another") {
    auto s = given<DirectoryState>(world());
    check_idempotent(s, [](const DirectoryState& st) {
        return decide(st, DefineGroup{group("platinum", "sip_trunk")}, ctx());
    });
    auto unknown = decide(s, DefineGroup{group("g1", "nope")}, ctx());
    CHECK(error_of(unknown).code == core::Errc::NotFound);
    CHECK(error_of(unknown).field == "category_id");
    auto moved = decide(s, DefineGroup{group("gold", "enterprise"), DefineMode::Update}, ctx());
    CHECK(error_of(moved).code == core::Errc::Rejected);
    CHECK(error_of(moved).field == "category_id");
}

TEST_CASE("a customer is created with the next id, once per command id") {
    auto s = given<DirectoryState>(world());
    auto twice = check_idempotent(s, [](const DirectoryState& st) {
        return decide(st, CreateCustomer{acme(), "cmd-1"}, ctx(5));
    });
    REQUIRE(twice.first.events.size() == 1);
    const auto& created = std::get<CustomerCreated>(twice.first.events[0]);
    CHECK(created.customer.customer_id == 1);
    CHECK(twice.first.id == 1);
    CHECK(twice.second.id == 1);  // the retry names the customer it created
    CHECK(created.customer.created_at == core::from_unix_seconds(1'790'000'005));
    CHECK(created.customer.owner_path == "/");
    // Another command creates customer 2.
    auto b = acme();
    b.name = "Beta";
    b.accountcodes = {"beta"};
    auto second = decide(twice.state, CreateCustomer{b, "cmd-2"}, ctx());
    REQUIRE(second);
    CHECK(second->id == 2);
}

TEST_CASE("a customer's fields are checked and each refusal names its field") {
    auto s = given<DirectoryState>(world_with_acme());
    auto refused = [&](auto change) {
        auto c = acme();
        c.accountcodes = {"fresh"};
        change(c);
        return error_of(decide(s, CreateCustomer{c, "cmd-x"}, ctx()));
    };
    CHECK(refused([](Customer& c) { c.name = ""; }).field == "name");
    CHECK(refused([](Customer& c) { c.country = "UK"; }).field == "country");  // GB is the code
    CHECK(refused([](Customer& c) { c.country = "de"; }).field == "country");
    CHECK(refused([](Customer& c) { c.currency = "EURO"; }).field == "currency");
    CHECK(refused([](Customer& c) { c.accountcodes = {"a b"}; }).field == "accountcodes");
    CHECK(refused([](Customer& c) { c.source_ips = {"10.0.0.0/33"}; }).field == "source_ips");
    CHECK(refused([](Customer& c) { c.source_ips = {"example.com"}; }).field == "source_ips");
    CHECK(refused([](Customer& c) { c.tech_prefix = "12a"; }).field == "tech_prefix");
    auto unknown = refused([](Customer& c) { c.group_id = "platinum"; });
    CHECK(unknown.code == core::Errc::NotFound);
    CHECK(unknown.field == "group_id");
    auto other = refused([](Customer& c) { c.group_id = "silver"; });  // Enterprise's group
    CHECK(other.code == core::Errc::Invalid);
    CHECK(other.field == "group_id");
    auto taken = refused([](Customer& c) { c.accountcodes = {"acme-1"}; });  // Acme's
    CHECK(taken.code == core::Errc::Conflict);
    CHECK(taken.field == "accountcodes");
}

TEST_CASE("a customer update keeps the owner and creation time, and frees old accountcodes") {
    auto s = given<DirectoryState>(world_with_acme());
    auto c = s.customers.at(1);
    c.status = CustomerStatus::Suspended;
    c.accountcodes = {"acme-2"};
    c.owner_path = "/u_9/";  // ignored: the owner never changes through an update
    auto twice = check_idempotent(
        s, [&](const DirectoryState& st) { return decide(st, UpdateCustomer{c}, ctx(60)); });
    const auto& after = twice.state.customers.at(1);
    CHECK(after.status == CustomerStatus::Suspended);
    CHECK(after.owner_path == "/");
    CHECK(after.created_at == core::from_unix_seconds(1'790'000'000));
    CHECK(twice.state.accountcodes.count("acme-1") == 0);
    CHECK(twice.state.accountcodes.at("acme-2") == 1);
    auto missing = c;
    missing.customer_id = 42;
    CHECK(error_of(decide(s, UpdateCustomer{missing}, ctx())).code == core::Errc::NotFound);
}

TEST_CASE("an assignment is created once per command id, with the next id and the time") {
    auto s = given<DirectoryState>(world_with_acme());
    Assignment a{0, ItemKind::VoiceTier, "premium", AssignmentScope::Group, "gold", {}};
    auto twice = check_idempotent(s, [&](const DirectoryState& st) {
        return decide(st, reference(), CreateAssignment{a, "cmd-a"}, ctx(9));
    });
    const auto& created = std::get<AssignmentCreated>(twice.first.events[0]).assignment;
    CHECK(created.assignment_id == 1);
    CHECK(created.created_at == core::from_unix_seconds(1'790'000'009));
    CHECK(twice.second.id == 1);
    // The customer's effective tier is now the group's.
    CHECK(resolve(twice.state.assignments, twice.state.ref_of(twice.state.customers.at(1)))
              .value(ItemKind::VoiceTier) == "premium");
}

TEST_CASE("an assignment names an existing target and a live reference item") {
    auto s = given<DirectoryState>(world_with_acme());
    auto refused = [&](Assignment a) {
        return error_of(decide(s, reference(), CreateAssignment{a, "c"}, ctx()));
    };
    using K = ItemKind;
    using S = AssignmentScope;
    auto e = refused({0, K::RateCard, "deck-1", S::All, "gold", {}});
    CHECK(e.field == "target");
    CHECK(e.code == core::Errc::Invalid);
    e = refused({0, K::RateCard, "deck-1", S::Category, "nope", {}});
    CHECK(e.field == "target");
    CHECK(e.code == core::Errc::NotFound);
    CHECK(refused({0, K::RateCard, "deck-1", S::Group, "", {}}).field == "target");
    CHECK(refused({0, K::RateCard, "deck-1", S::Customer, "2", {}}).code == core::Errc::NotFound);
    CHECK(refused({0, K::RateCard, "deck-1", S::Customer, "x1", {}}).field == "target");
    CHECK(refused({0, K::RateCard, "", S::All, "", {}}).field == "value");
    e = refused({0, K::VoiceTier, "gold-plated", S::All, "", {}});
    CHECK(e.field == "value");
    CHECK(e.code == core::Errc::NotFound);
    e = refused({0, K::VoiceTier, "legacy", S::All, "", {}});
    CHECK(e.field == "value");
    CHECK(e.code == core::Errc::Rejected);
    CHECK(refused({0, K::Pop, "fra1", S::All, "", {}}).code == core::Errc::NotFound);
    // Rate cards and route groups are other parts' ids, stored as given.
    CHECK(decide(s, reference(), CreateAssignment{{0, K::RouteGroup, "rg", S::All, "", {}}, "c"},
                 ctx()));
    // A customer target is written in its canonical form.
    auto ok = decide(s, reference(),
                     CreateAssignment{{0, K::RateCard, "d", S::Customer, "01", {}}, "c"}, ctx());
    REQUIRE(ok);
    CHECK(std::get<AssignmentCreated>(ok->events[0]).assignment.target == "1");
}

TEST_CASE("deleting an assignment lets the next one win, deleting it again decides nothing") {
    auto events = world_with_acme();
    events.push_back(AssignmentCreated{
        {1, ItemKind::RateCard, "deck-all", AssignmentScope::All, "", ctx().now}, "a1"});
    events.push_back(AssignmentCreated{
        {2, ItemKind::RateCard, "deck-acme", AssignmentScope::Customer, "1", ctx().now}, "a2"});
    auto s = given<DirectoryState>(events);
    CHECK(resolve(s.assignments, s.ref_of(s.customers.at(1))).value(ItemKind::RateCard) ==
          "deck-acme");
    auto twice = check_idempotent(
        s, [](const DirectoryState& st) { return decide(st, DeleteAssignment{2}, ctx()); });
    CHECK(resolve(twice.state.assignments, s.ref_of(s.customers.at(1))).value(ItemKind::RateCard) ==
          "deck-all");
    auto never = decide(s, DeleteAssignment{99}, ctx());
    CHECK(error_of(never).code == core::Errc::NotFound);
    CHECK(error_of(never).field == "assignment_id");
}
