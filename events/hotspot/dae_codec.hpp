#pragma once
/// JSON payloads of the enforcement events (core/hotspot/dae.hpp).
/// Shapes: schemas/events/hotspot/hotspot.session.end_requested.v1.json and
/// hotspot.dae.{requested,attempted,completed}.v1.json.

#include "core/hotspot/dae.hpp"
#include "core/result.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::hotspot {

/// The payload of an enforcement event under its kType.
EncodedEvent encode(const core::hotspot::DaeEvent& event);
/// An enforcement event read back. @errors Invalid naming `type` for an unknown type/schema,
/// or the field of a malformed payload (missing, mistyped, an unknown reason or kind).
core::Result<core::hotspot::DaeEvent> decode_dae_event(const RecordedEvent& event);

}  // namespace switchyard::events::hotspot
