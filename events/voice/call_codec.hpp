#pragma once
/// JSON payloads of the call events (stream `voice_call-<tenant>-<hash of the Call-ID>`,
/// core/voice/call_path.hpp). Shapes: schemas/events/voice/voice.call.<event>.v1.json. The
/// nested parts of `voice.call.routed` and `voice.call.rejected` (the INVITE's setup, the trunk,
/// the grant, the plan's fields) are written flat; the plan's routes and skipped candidates are
/// lists of objects.

#include "core/result.hpp"
#include "core/voice/call_path.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::voice {

EncodedEvent encode(const core::voice::CallEvent& event);

/// @errors Invalid for an unknown type/schema or a malformed payload, naming the field.
core::Result<core::voice::CallEvent> decode_call_event(const RecordedEvent& event);

}  // namespace switchyard::events::voice
