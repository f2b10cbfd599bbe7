#pragma once
/// JSON payloads of the hotspot session events (core/hotspot/session.hpp).
/// Shapes: schemas/events/hotspot/hotspot.session.{started,updated,stopped,closed_by_nas}.v1.json.

#include <string_view>

#include <boost/json/object.hpp>

#include "core/hotspot/session.hpp"
#include "core/result.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::hotspot {

/// The payload of a session event under its kType.
EncodedEvent encode(const core::hotspot::SessionEvent& event);
/// A session event read back. @errors Invalid for an unknown type/schema or a malformed payload
/// (naming the field).
core::Result<core::hotspot::SessionEvent> decode_session_event(const RecordedEvent& event);

/// A session as JSON, the shape inside `hotspot.session.started`: `unique_id`,
/// `acct_session_id`, `username`, `nas_id`, `nas_ip`, `framed_ip`, `calling_station_id`,
/// `called_station_id`, `started_at`, `updated_at`, `input_bytes`, `output_bytes`,
/// `session_seconds`, `active`, `terminate_cause`.
boost::json::object session_json(const core::hotspot::Session& s);
/// A session read back from session_json's shape. @errors Invalid naming the field.
core::Result<core::hotspot::Session> parse_session(std::string_view json);

}  // namespace switchyard::events::hotspot
