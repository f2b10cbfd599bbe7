#pragma once
/// JSON payloads of the streaming server, server group and stream assignment events
/// (core/iptv/server.hpp). Shapes: schemas/events/iptv/iptv.server.*.v1.json,
/// iptv.server_group.*.v1.json, iptv.stream_servers.assigned.v1.json.

#include "core/iptv/server.hpp"
#include "core/result.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::iptv {

/// The payload of a server event.
EncodedEvent encode(const core::iptv::ServerEvent& event);
/// Decodes a server event. @errors Invalid for an unknown type/schema or a malformed payload.
core::Result<core::iptv::ServerEvent> decode_server_event(const RecordedEvent& event);

}  // namespace switchyard::events::iptv
