// The voice directory events on the wire: round trips with every field set, the payload keys
// of each schema, and refusals of malformed payloads naming the field.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "events/voice/customer_codec.hpp"
#include "tests/events/voice/schema_keys.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::voice;
using switchyard::testing::check_against_schema;
using switchyard::testing::error_of;

namespace {

events::RecordedEvent recorded(const events::EncodedEvent& e) {
    events::RecordedEvent r;
    r.type = e.type;
    r.schema = e.schema;
    r.data = e.data;
    return r;
}

template <class E>
E round_trip(const E& event) {
    const auto enc = events::voice::encode(DirectoryEvent{event});
    check_against_schema(enc);
    auto back = events::voice::decode_directory_event(recorded(enc));
    REQUIRE_MESSAGE(back, enc.data);
    REQUIRE(std::holds_alternative<E>(*back));
    return std::get<E>(*back);
}

Customer acme() {
    Customer c;
    c.customer_id = 12;
    c.name = "Acme";
    c.company = "Acme Telecom GmbH";
    c.country = "DE";
    c.currency = "EUR";
    c.billing_type = BillingType::Postpaid;
    c.accountcodes = {"acme-1", "acme-2"};
    c.source_ips = {"192.0.2.10", "2001:db8::/32"};
    c.trunks = {"acme-in", "PJSIP-acme"};
    c.caller_prefixes = {"4930123", "7495"};
    c.tech_prefix = "4411#";
    c.status = CustomerStatus::Suspended;
    c.category_id = "sip_trunk";
    c.group_id = "gold";
    c.owner_path = "/u_7/";
    c.user_id = "u_9";
    c.created_at = core::from_unix_seconds(1'790'000'123);
    return c;
}

}  // namespace

TEST_CASE("every directory event reads back as written, with exactly its schema's fields") {
    Category cat{"call_center", "Call Center", "Contact centres", false, 3};
    CHECK(round_trip(CategoryDefined{cat}).category == cat);
    Group g{"gold", "sip_trunk", "Gold", "Large trunks"};
    CHECK(round_trip(GroupDefined{g}).group == g);
    auto created = round_trip(CustomerCreated{acme(), "idem:k1"});
    CHECK(created.customer == acme());
    CHECK(created.command_id == "idem:k1");
    CHECK(round_trip(CustomerUpdated{acme()}).customer == acme());
    Assignment a{4,      ItemKind::CodecSet,
                 "g711", AssignmentScope::Customer,
                 "12",   core::from_unix_seconds(1'790'000'456)};
    auto ac = round_trip(AssignmentCreated{a, "req-1"});
    CHECK(ac.assignment == a);
    CHECK(ac.command_id == "req-1");
    CHECK(round_trip(AssignmentDeleted{4}).assignment_id == 4);
}

TEST_CASE("the customer's JSON names its fields in the field's terms") {
    const auto enc = events::voice::encode(DirectoryEvent{CustomerCreated{acme(), "c"}});
    CHECK(enc.type == "voice.customer.created");
    CHECK(enc.data.find(R"("billing_type":"postpaid")") != std::string::npos);
    CHECK(enc.data.find(R"("accountcodes":["acme-1","acme-2"])") != std::string::npos);
    CHECK(enc.data.find(R"("created_at":"2026-09-21T)") != std::string::npos);
}

TEST_CASE("malformed directory payloads are refused, naming the field") {
    auto refused = [](std::string type, std::string data) {
        events::RecordedEvent r;
        r.type = std::move(type);
        r.schema = 1;
        r.data = std::move(data);
        return error_of(events::voice::decode_directory_event(r));
    };
    CHECK(refused("voice.assignment.deleted", R"({"assignment_id":"4"})").field == "assignment_id");
    CHECK(refused("voice.assignment.deleted", "[]").field == "data");
    CHECK(refused("voice.assignment.created",
                  R"({"assignment_id":1,"kind":"trunk","value":"x","scope":"all","target":"",)"
                  R"("created_at":"2026-01-01T00:00:00Z","command_id":""})")
              .field == "kind");
    CHECK(refused("voice.group.defined", R"({"group_id":"g","name":"G","description":""})").field ==
          "category_id");
    CHECK(refused("voice.category.renamed", "{}").field == "type");
    auto c = events::voice::customer_json(acme());
    c["billing_type"] = "credit";
    CHECK(error_of(events::voice::parse_customer(boost::json::serialize(c))).field ==
          "billing_type");
}

TEST_CASE("the shipped categories file holds DIDTron's four public categories") {
    std::ifstream in(SY_CONFIG_DIR "/voice/categories.json");
    std::stringstream text;
    text << in.rdbuf();
    auto cats = events::voice::parse_categories(text.str());
    REQUIRE(cats);
    REQUIRE(cats->size() == 4);
    CHECK((*cats)[0].name == "SIP Trunk");
    CHECK((*cats)[1].name == "Enterprise");
    CHECK((*cats)[2].name == "Call Center");
    CHECK((*cats)[3].name == "Individual");
    for (const auto& c : *cats) CHECK(c.is_public);
}
