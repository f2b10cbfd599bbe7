#pragma once
/// JSON payloads of the connection lease events (core/iptv/connection.hpp). Shapes:
/// schemas/events/iptv/iptv.connection.{opened,renewed,closed}.v1.json.

#include "core/iptv/connection.hpp"
#include "core/result.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::iptv {

/// `iptv.connection.opened`: `{"lease_id", "line_id", "stream_id", "kind", "output",
/// "remote_ip", "user_agent", "opened_at", "expires_at", "country"?, "server_id"}`;
/// `iptv.connection.renewed`: `{"lease_id", "expires_at", "bytes"}`; `iptv.connection.closed`:
/// `{"lease_id", "reason", "bytes"}`. Events written before `country`, `server_id` and `bytes`
/// existed read back with "", 0 and 0.
EncodedEvent encode(const core::iptv::ConnectionEvent& event);
/// Decodes a lease event. @errors Invalid for an unknown type/schema or a malformed payload.
core::Result<core::iptv::ConnectionEvent> decode_connection_event(const RecordedEvent& event);

}  // namespace switchyard::events::iptv
