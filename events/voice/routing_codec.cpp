#include "events/voice/routing_codec.hpp"

#include "events/codec_kit.hpp"

namespace switchyard::events::voice {

using namespace core::voice;

namespace {

constexpr auto header_table() {
    return fields(field("name", &HeaderField::name), field("value", &HeaderField::value));
}
constexpr auto entry_table() {
    // The numbers are always written; a body may leave them out (their defaults: priority 0,
    // weight 1, share 0).
    return fields(field("carrier_id", &RouteEntry::carrier_id),
                  optional_field("priority", &RouteEntry::priority),
                  optional_field("weight", &RouteEntry::weight),
                  optional_field("share_percent", &RouteEntry::share_percent));
}

constexpr auto table(As<Gateway>) {
    return fields(
        field("gateway_id", &Gateway::gateway_id), field("carrier_id", &Gateway::carrier_id),
        field("host", &Gateway::host), field("port", &Gateway::port),
        field("transport", &Gateway::transport, parse_sip_transport),
        field("dst_uri", &Gateway::dst_uri), objects("headers", &Gateway::headers, header_table()),
        field("max_channels", &Gateway::max_channels),
        field("ring_timeout_ms", &Gateway::ring_timeout_ms), field("weight", &Gateway::weight),
        field("enabled", &Gateway::enabled));
}
constexpr auto table(As<Route>) {
    return fields(field("route_id", &Route::route_id),
                  field("route_group_id", &Route::route_group_id), field("prefix", &Route::prefix),
                  objects("carriers", &Route::carriers, entry_table()),
                  field("blocked", &Route::blocked));
}
constexpr auto table(As<RouteGroup>) {
    return fields(field("route_group_id", &RouteGroup::route_group_id),
                  field("name", &RouteGroup::name),
                  field("strategy", &RouteGroup::strategy, parse_routing_strategy),
                  field("max_attempts", &RouteGroup::max_attempts),
                  field("margin_guard", &RouteGroup::margin_guard, parse_margin_guard_mode),
                  field("min_margin_micros", &RouteGroup::min_margin_micros));
}

struct Wire {
    template <class Item>
    static auto payload(As<ItemDefined<Item>>) {
        return fields(flat(&ItemDefined<Item>::item, table(As<Item>{})));
    }
    template <class Item>
    static auto payload(As<ItemRetired<Item>>) {
        return fields(field(Item::kIdKey, &ItemRetired<Item>::id));
    }
};

}  // namespace

EncodedEvent encode(const RoutingEvent& event) { return encode_as<Wire>(event); }

core::Result<RoutingEvent> decode_routing_event(const RecordedEvent& event) {
    return decode_as<Wire, RoutingEvent>(event);
}

template <class Item>
json::object routing_item_json(const Item& item) {
    return to_json(item, table(As<Item>{}));
}

template <class Item>
core::Result<Item> parse_routing_item(std::string_view json) {
    return with_json_object(
        json, [](const JsonObject& o) { return from_json<Item>(o, table(As<Item>{})); });
}

template <class Item>
std::vector<std::string> routing_item_keys() {
    std::vector<std::string> out;
    for (const auto& member : routing_item_json(Item{})) out.emplace_back(member.key());
    return out;
}

#define SY_VOICE_ROUTING_CODEC(Item)                                             \
    template json::object routing_item_json(const Item&);                        \
    template core::Result<Item> parse_routing_item<Item>(std::string_view json); \
    template std::vector<std::string> routing_item_keys<Item>();

SY_VOICE_ROUTING_CODEC(Gateway)
SY_VOICE_ROUTING_CODEC(Route)
SY_VOICE_ROUTING_CODEC(RouteGroup)

#undef SY_VOICE_ROUTING_CODEC

}  // namespace switchyard::events::voice
