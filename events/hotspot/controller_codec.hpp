#pragma once
/// JSON payloads of the hotspot controller events (stream `hotspot_controllers-<tenant>`,
/// core/hotspot/controller_decider.hpp). Shapes: schemas/events/hotspot/<type>.v1.json. The
/// sealed secrets are written only in the events; controller_json (what read models keep and
/// the API shows) leaves them out and says which are set.

#include <string_view>

#include <boost/json/object.hpp>

#include "core/hotspot/controller_decider.hpp"
#include "core/result.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::hotspot {

EncodedEvent encode(const core::hotspot::ControllerEvent& event);

/// @errors Invalid naming `type` for an unknown type/schema, or the field of a malformed
///         payload (missing, mistyped, a vendor out of its list, a port out of range).
core::Result<core::hotspot::ControllerEvent> decode_controller_event(const RecordedEvent& event);

/// The definition without secrets: every field of the event but the `*_sealed` ones, and
/// `password_set`, `client_secret_set`, `operator_password_set`, `api_key_set` (booleans).
boost::json::object controller_json(const core::hotspot::ControllerDefinition& c);
/// A definition read back from controller_json's shape (sealed fields empty).
/// @errors Invalid naming the field.
core::Result<core::hotspot::ControllerDefinition> parse_controller(std::string_view json);

/// An outcome as `{"ok", "error_code"?, "field"?, "message"?}` (absent members when ok).
boost::json::object outcome_json(const core::hotspot::OperationOutcome& o);

}  // namespace switchyard::events::hotspot
