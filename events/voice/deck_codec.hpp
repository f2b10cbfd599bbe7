#pragma once
/// JSON payloads of the rate deck events (stream `voice_deck-<deck id>`, core/voice/deck.hpp).
/// Shapes: schemas/events/voice/voice.deck.<event>.v1.json.

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/voice/deck.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::voice {

EncodedEvent encode(const core::voice::DeckEvent& event);

/// @errors Invalid for an unknown type/schema or a malformed payload, naming the field.
core::Result<core::voice::DeckEvent> decode_deck_event(const RecordedEvent& event);

/// The deck id of a `voice_deck-<id>` stream; empty for any other stream.
std::string deck_of_stream(std::string_view stream);

}  // namespace switchyard::events::voice
