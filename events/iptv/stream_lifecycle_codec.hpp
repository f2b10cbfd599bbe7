#pragma once
/// JSON payloads of a stream worker's lifecycle events (core/iptv/stream_lifecycle.hpp).
/// Shapes: schemas/events/iptv/iptv.stream.{started,stopped,failed,probed}.v1.json.

#include "core/iptv/stream_lifecycle.hpp"
#include "core/result.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::iptv {

/// The payload of a started, stopped, failed or probed event.
EncodedEvent encode(const core::iptv::StreamLifecycleEvent& event);
/// Decodes a lifecycle event. @errors Invalid for an unknown type/schema or a malformed payload.
core::Result<core::iptv::StreamLifecycleEvent> decode_stream_lifecycle_event(
    const RecordedEvent& event);

}  // namespace switchyard::events::iptv
