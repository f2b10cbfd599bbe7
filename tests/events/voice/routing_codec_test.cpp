// The routing events on the wire: round trips with every field set, exactly the schema's
// fields, and refusals of malformed payloads naming the field.
#include <doctest/doctest.h>

#include "events/voice/routing_codec.hpp"
#include "tests/events/voice/schema_keys.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::voice;
using switchyard::testing::check_against_schema;
using switchyard::testing::error_of;

namespace {

template <class E>
E round_trip(const E& event) {
    const auto enc = events::voice::encode(RoutingEvent{event});
    check_against_schema(enc);
    events::RecordedEvent r;
    r.type = enc.type;
    r.schema = enc.schema;
    r.data = enc.data;
    auto back = events::voice::decode_routing_event(r);
    REQUIRE_MESSAGE(back, enc.data);
    REQUIRE(std::holds_alternative<E>(*back));
    return std::get<E>(*back);
}

template <class Item>
void item_round_trip(const Item& item) {
    CHECK(round_trip(ItemDefined<Item>{item}).item == item);
    CHECK(round_trip(ItemRetired<Item>{item.id()}).id == item.id());
}

}  // namespace

TEST_CASE("every routing event reads back as written, with exactly its schema's fields") {
    Gateway g{"acme-fra",
              "acme",
              "sip.acme.example",
              5080,
              SipTransport::Tls,
              "sip:192.0.2.10:5060",
              {{"X-Sy-Carrier", "acme"}, {"X-Tag", "a b"}},
              30,
              30'000,
              7,
              false};
    item_round_trip(g);
    item_round_trip(Route{"de", "std", "49", {{"acme", 1, 10, 70}, {"beta", 2, 5, 30}}, false});
    item_round_trip(Route{"block", "", "4990", {}, true});
    item_round_trip(RouteGroup{"std", "Standard", RoutingStrategy::LoadShare, 4,
                               MarginGuardMode::Reject, 1'500});
    const auto enc = events::voice::encode(RoutingEvent{ItemRetired<Route>{"de"}});
    CHECK(enc.type == "voice.route.deleted");
    CHECK(enc.data == R"({"route_id":"de"})");
}

TEST_CASE("malformed routing payloads are refused, naming the field") {
    auto refused = [](std::string type, std::string data) {
        events::RecordedEvent r;
        r.type = std::move(type);
        r.schema = 1;
        r.data = std::move(data);
        return error_of(events::voice::decode_routing_event(r));
    };
    CHECK(refused("voice.route_group.defined",
                  R"({"route_group_id":"g","name":"G","strategy":"cheapest","max_attempts":3,)"
                  R"("margin_guard":"skip","min_margin_micros":0})")
              .field == "strategy");
    CHECK(refused("voice.gateway.deleted", R"({"id":"x"})").field == "gateway_id");
    CHECK(refused("voice.route.defined", "not json").field == "data");
    CHECK(error_of(events::voice::parse_routing_item<Route>(
                       R"({"route_id":"r","route_group_id":"g","prefix":"1","blocked":false})"))
              .field == "carriers");
}
