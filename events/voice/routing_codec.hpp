#pragma once
/// JSON payloads of the routing events (`voice.gateway.*`, `voice.route.*`,
/// `voice.route_group.*`) on `voice_routing-<tenant>`. Shapes:
/// schemas/events/voice/<type>.v1.json. An item's JSON is the same in its event, in the read
/// model and in the API.

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/result.hpp"
#include "core/voice/routing.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::voice {

EncodedEvent encode(const core::voice::RoutingEvent& event);
/// @errors Invalid for an unknown type/schema or a malformed payload (naming the field).
core::Result<core::voice::RoutingEvent> decode_routing_event(const RecordedEvent& event);

/// An item (Gateway, Route, RouteGroup) as its `voice.<kind>.defined` payload writes it.
template <class Item>
boost::json::object routing_item_json(const Item& item);
/// An item read from that shape: every field is required.
/// @errors Invalid naming the missing or mistyped field (`data` for text that is not a JSON
///         object).
template <class Item>
core::Result<Item> parse_routing_item(std::string_view json);
/// The keys of an item's JSON, in the order written.
template <class Item>
std::vector<std::string> routing_item_keys();

}  // namespace switchyard::events::voice
