// The voice_customers and voice_reference read models fed through a ProjectionRunner, their
// queries, and a rebuild from the log equal to the live models.
#include <doctest/doctest.h>

#include "events/memory_event_store.hpp"
#include "events/voice/customer_codec.hpp"
#include "events/voice/reference_codec.hpp"
#include "events/voice/voice_service.hpp"
#include "projections/projection_runner.hpp"
#include "projections/voice/customers.hpp"
#include "projections/voice/reference.hpp"
#include "tests/projections/projector_harness.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard;
using namespace switchyard::core::voice;
using switchyard::testing::ProjectorHarness;

namespace {

const std::string kDirectory = "voice_directory-op";
const std::string kReference = "voice_reference-op";

Customer customer(std::int64_t id, std::string name, std::string group, std::string owner = "/") {
    Customer c;
    c.customer_id = id;
    c.name = std::move(name);
    c.country = "DE";
    c.currency = "EUR";
    c.category_id = group == "silver" ? "enterprise" : "sip_trunk";
    c.group_id = std::move(group);
    c.owner_path = std::move(owner);
    c.accountcodes = {"ac-" + std::to_string(id)};
    return c;
}

void add(ProjectorHarness& h, const DirectoryEvent& e) {
    h.append(kDirectory, events::voice::encode(e));
}
void add(ProjectorHarness& h, const ReferenceEvent& e) {
    h.append(kReference, events::voice::encode(e));
}

std::vector<std::string> names(const std::vector<Customer>& list) {
    std::vector<std::string> out;
    for (const auto& c : list) out.push_back(c.name);
    return out;
}

}  // namespace

TEST_CASE("customers list in id order, filtered by category, group, status and scope") {
    ProjectorHarness h(projections::voice::make_voice_customers_projector());
    add(h, CustomerCreated{customer(1, "a", "gold"), "c1"});
    add(h, CustomerCreated{customer(2, "b", "silver", "/u_1/"), "c2"});
    add(h, CustomerCreated{customer(3, "c", "gold", "/u_1/u_5/"), "c3"});
    add(h, CustomerCreated{customer(4, "d", "gold", "/u_2/"), "c4"});
    auto suspended = customer(3, "c", "gold", "/u_1/u_5/");
    suspended.status = CustomerStatus::Suspended;
    add(h, CustomerUpdated{suspended});
    const auto& v = h.view();
    using projections::voice::CustomerFilter;
    using projections::voice::list_customers;
    CHECK(names(list_customers(v, 0, 10, CustomerFilter{})) ==
          std::vector<std::string>{"a", "b", "c", "d"});
    CHECK(names(list_customers(v, 1, 2, CustomerFilter{})) == std::vector<std::string>{"b", "c"});
    CustomerFilter f;
    f.category_id = "sip_trunk";
    CHECK(names(list_customers(v, 0, 10, f)) == std::vector<std::string>{"a", "c", "d"});
    f = {};
    f.group_id = "silver";
    CHECK(names(list_customers(v, 0, 10, f)) == std::vector<std::string>{"b"});
    f = {};
    f.status = CustomerStatus::Suspended;
    CHECK(names(list_customers(v, 0, 10, f)) == std::vector<std::string>{"c"});
    f = {};
    f.scope = "/u_1/";  // reseller u_1 and its sub-reseller u_5
    CHECK(names(list_customers(v, 0, 10, f)) == std::vector<std::string>{"b", "c"});
    f.scope = "/u_2/";
    CHECK(names(list_customers(v, 0, 10, f)) == std::vector<std::string>{"d"});
}

TEST_CASE("a customer is found by id and by accountcode, a changed accountcode moves") {
    ProjectorHarness h(projections::voice::make_voice_customers_projector());
    add(h, CustomerCreated{customer(1, "a", "gold"), "c1"});
    auto changed = customer(1, "a", "gold");
    changed.accountcodes = {"new-code"};
    add(h, CustomerUpdated{changed});
    const auto& v = h.view();
    auto c = projections::voice::find_customer(v, 1);
    REQUIRE(c);
    CHECK(c->accountcodes == std::vector<std::string>{"new-code"});
    CHECK_FALSE(projections::voice::find_customer(v, 2));
    CHECK_FALSE(projections::voice::find_customer_by_accountcode(v, "ac-1"));
    auto by_code = projections::voice::find_customer_by_accountcode(v, "new-code");
    REQUIRE(by_code);
    CHECK(by_code->customer_id == 1);
}

TEST_CASE("reference items list by kind in id order, retired ones only on request") {
    ProjectorHarness h(projections::voice::make_voice_reference_projector());
    add(h, ItemDefined<Pop>{Pop{"lon1", "London", "eu-west", {"192.0.2.2:5060"}}});
    add(h, ItemDefined<Pop>{Pop{"fra1", "Frankfurt", "eu-central", {"192.0.2.1:5060"}}});
    add(h, ItemDefined<Pop>{Pop{"nyc1", "New York", "us-east", {"192.0.2.3:5060"}}});
    add(h, ItemDefined<Codec>{Codec{"pcmu", "PCMU", 0, 8000}});
    add(h, ItemRetired<Pop>{"lon1"});
    add(h, ItemDefined<Pop>{Pop{"fra1", "Frankfurt 1", "eu-central", {"192.0.2.1:5060"}}});
    const auto& v = h.view();
    using projections::voice::list_items;
    auto live = list_items<Pop>(v, "", 10, false);
    REQUIRE(live.size() == 2);
    CHECK(live[0].item.pop_id == "fra1");
    CHECK(live[0].item.name == "Frankfurt 1");
    CHECK(live[1].item.pop_id == "nyc1");
    auto all = list_items<Pop>(v, "", 10, true);
    REQUIRE(all.size() == 3);
    CHECK(all[1].item.pop_id == "lon1");
    CHECK(all[1].retired);
    auto after = list_items<Pop>(v, "fra1", 10, true);
    REQUIRE(after.size() == 2);
    CHECK(after[0].item.pop_id == "lon1");
    CHECK(list_items<Codec>(v, "", 10, false).size() == 1);
    auto found = projections::voice::find_item<Pop>(v, "lon1");
    REQUIRE(found);
    CHECK(found->retired);
    CHECK_FALSE(projections::voice::find_item<Carrier>(v, "lon1"));
}

TEST_CASE("the voice read models rebuilt from the log equal the live ones") {
    auto store = events::make_memory_event_store();
    auto projectors = [] {
        std::vector<std::unique_ptr<projections::Projector>> p;
        p.push_back(projections::voice::make_voice_customers_projector());
        p.push_back(projections::voice::make_voice_reference_projector());
        return p;
    };
    switchyard::testing::TempDir live_dir, rebuilt_dir;
    auto live = projections::ProjectionRunner::open(live_dir.path(), projectors());
    REQUIRE(live);
    (*live)->start(*store);
    // History written through the service, as the API writes it.
    events::voice::VoiceService voice(*store, "op");
    core::DecisionContext ctx;
    ctx.now = core::from_unix_seconds(1'790'000'000);
    REQUIRE(voice.execute(SeedCategories{{Category{"sip_trunk", "SIP Trunk", "", true, 1}}}, ctx));
    REQUIRE(voice.execute(DefineGroup{Group{"gold", "sip_trunk", "Gold", ""}}, ctx));
    for (int i = 0; i < 5; ++i) {
        auto c = customer(0, "c" + std::to_string(i), "gold");
        c.accountcodes = {"code" + std::to_string(i)};
        REQUIRE(voice.execute(CreateCustomer{c, "cmd" + std::to_string(i)}, ctx));
    }
    auto changed = customer(2, "renamed", "gold");
    changed.accountcodes = {"x"};
    REQUIRE(voice.execute(UpdateCustomer{changed}, ctx));
    REQUIRE(voice.execute(DefineItem<Codec>{Codec{"pcmu", "PCMU", 0, 8000}}, ctx));
    REQUIRE(voice.execute(DefineItem<CodecSet>{CodecSet{"g711", "G.711", {"pcmu"}}}, ctx));
    REQUIRE(voice.execute(RetireItem<CodecSet>{"g711"}, ctx));
    const auto head = store->head();
    REQUIRE((*live)->wait_for({events::Position{0, head.next_offset(0) - 1}},
                              std::chrono::seconds(10)));
    (*live)->stop();
    auto rebuilt = projections::ProjectionRunner::open(rebuilt_dir.path(), projectors());
    REQUIRE(rebuilt);
    REQUIRE((*rebuilt)->catch_up(*store, std::nullopt));
    for (const char* name :
         {projections::voice::kVoiceCustomers, projections::voice::kVoiceReference}) {
        auto a = (*live)->digest(name);
        auto b = (*rebuilt)->digest(name);
        REQUIRE(a);
        REQUIRE(b);
        CHECK_MESSAGE(*a == *b, name);
    }
    // And the model holds what was written.
    auto c = projections::voice::find_customer(
        *(*rebuilt)->view(projections::voice::kVoiceCustomers), 2);
    REQUIRE(c);
    CHECK(c->name == "renamed");
}
