#pragma once
/// JSON payloads of the recording events (core/iptv/recording.hpp).
/// Shapes: schemas/events/iptv/iptv.recording.*.v1.json.

#include "core/iptv/recording.hpp"
#include "core/result.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::iptv {

/// The payload of a recording event.
EncodedEvent encode(const core::iptv::RecordingEvent& event);
/// Decodes a recording event. @errors Invalid for an unknown type/schema or a malformed payload.
core::Result<core::iptv::RecordingEvent> decode_recording_event(const RecordedEvent& event);

}  // namespace switchyard::events::iptv
