#pragma once
/// JSON payloads of the voice reference events (`voice.<kind>.defined`, `.retired`) on
/// `voice_reference-<tenant>`. Shapes: schemas/events/voice/<type>.v1.json. An item's JSON is
/// the same in its event, in the API and in config/voice/tiers.json.

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/result.hpp"
#include "core/voice/reference.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::voice {

EncodedEvent encode(const core::voice::ReferenceEvent& event);
/// @errors Invalid for an unknown type/schema or a malformed payload (naming the field).
core::Result<core::voice::ReferenceEvent> decode_reference_event(const RecordedEvent& event);

/// An item as its `voice.<kind>.defined` payload writes it. Defined for the six reference
/// kinds (Pop, VoiceTier, Codec, CodecSet, ChannelPlan, Carrier).
template <class Item>
boost::json::object item_json(const Item& item);
/// An item read from that shape: every field is required.
/// @errors Invalid naming the missing or mistyped field (`data` for text that is not a JSON
///         object).
template <class Item>
core::Result<Item> parse_item(std::string_view json);
/// The keys of an item's JSON, in the order written.
template <class Item>
std::vector<std::string> item_keys();

/// The voice tiers of a data file `{"tiers": [<tier>, ...]}` (config/voice/tiers.json).
/// @errors Invalid naming the field.
core::Result<std::vector<core::voice::VoiceTier>> parse_tiers(std::string_view json);

}  // namespace switchyard::events::voice
