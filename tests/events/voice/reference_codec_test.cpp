// The voice reference events on the wire: round trips with every field set, the payload keys
// of each schema, refusals of malformed payloads, and the shipped tiers file.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "core/voice/reference_decider.hpp"
#include "events/voice/reference_codec.hpp"
#include "tests/events/voice/schema_keys.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::voice;
using switchyard::testing::check_against_schema;
using switchyard::testing::error_of;

namespace {

template <class E>
E round_trip(const E& event) {
    const auto enc = events::voice::encode(ReferenceEvent{event});
    check_against_schema(enc);
    events::RecordedEvent r;
    r.type = enc.type;
    r.schema = enc.schema;
    r.data = enc.data;
    auto back = events::voice::decode_reference_event(r);
    REQUIRE_MESSAGE(back, enc.data);
    REQUIRE(std::holds_alternative<E>(*back));
    return std::get<E>(*back);
}

template <class Item>
void item_round_trip(const Item& item) {
    CHECK(round_trip(ItemDefined<Item>{item}).item == item);
    const auto retired = round_trip(ItemRetired<Item>{item.id()});
    CHECK(retired.id == item.id());
    // The retirement names the item by its id field.
    const auto enc = events::voice::encode(ReferenceEvent{ItemRetired<Item>{item.id()}});
    CHECK(enc.data == std::string("{\"") + Item::kIdKey + "\":\"" + item.id() + "\"}");
}

}  // namespace

TEST_CASE("every reference event reads back as written, with exactly its schema's fields") {
    item_round_trip(
        Pop{"fra1", "Frankfurt 1", "eu-central", {"192.0.2.1:5060", "[2001:db8::1]:5061"}});
    item_round_trip(VoiceTier{"premium", "Premium", "CLI routes", 55, 240, 3000, 1});
    item_round_trip(Codec{"g729", "G729", 18, 8000});
    item_round_trip(CodecSet{"low", "Low bandwidth", {"g729", "pcmu"}});
    item_round_trip(ChannelPlan{"c30", "30 channels", 30, 5});
    item_round_trip(Carrier{
        "acme", "Acme", {"sbc.acme.example:5080"}, "USD", "0711#", CarrierStatus::Suspended});
}

TEST_CASE("malformed reference payloads are refused, naming the field") {
    auto refused = [](std::string type, std::string data) {
        events::RecordedEvent r;
        r.type = std::move(type);
        r.schema = 1;
        r.data = std::move(data);
        return error_of(events::voice::decode_reference_event(r));
    };
    CHECK(refused("voice.codec.defined",
                  R"({"codec_id":"pcmu","name":"PCMU","payload_type":"0","clock_rate":8000})")
              .field == "payload_type");
    CHECK(refused("voice.carrier.defined",
                  R"({"carrier_id":"a","name":"A","trunk_hosts":["h"],"currency":"USD",)"
                  R"("tech_prefix":"","status":"retired"})")
              .field == "status");
    CHECK(refused("voice.pop.retired", R"({"id":"fra1"})").field == "pop_id");
    CHECK(refused("voice.pop.defined", "not json").field == "data");
    CHECK(refused("voice.pop.defined", R"({"pop_id":"a","name":"A","region":""})").field ==
          "sip_addresses");
    CHECK(error_of(events::voice::parse_item<ChannelPlan>(R"({"channel_plan_id":"c","name":"C",)"
                                                          R"("channels":1})"))
              .field == "cps");
}

TEST_CASE("the shipped tiers file holds four valid tiers in display order") {
    std::ifstream in(SY_CONFIG_DIR "/voice/tiers.json");
    std::stringstream text;
    text << in.rdbuf();
    auto tiers = events::voice::parse_tiers(text.str());
    REQUIRE(tiers);
    REQUIRE(tiers->size() == 4);
    for (std::size_t i = 0; i < tiers->size(); ++i) {
        CHECK((*tiers)[i].display_order == static_cast<std::int64_t>(i + 1));
        CHECK(check_item((*tiers)[i]));
    }
    CHECK((*tiers)[0].tier_id == "premium");
}

TEST_CASE("an item's keys are its event's fields, id first") {
    const auto keys = events::voice::item_keys<Carrier>();
    REQUIRE(keys.size() == 6);
    CHECK(keys.front() == "carrier_id");
    CHECK(keys.back() == "status");
}
