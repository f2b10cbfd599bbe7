#pragma once
/// JSON payloads of the IPTV events. Shapes: schemas/events/iptv/<type>.v1.json.

#include <string>

#include "core/iptv/catalogue.hpp"
#include "core/iptv/line.hpp"
#include "core/result.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events {

namespace iptv {

EncodedEvent encode(const core::iptv::CatalogueEvent& event);
EncodedEvent encode(const core::iptv::LineRegistryEvent& event);
EncodedEvent encode(const core::iptv::LineEvent& event);
/// `iptv.name.claimed` / `iptv.name.released`: `{"kind", "name", "id"}`.
EncodedEvent encode(const core::iptv::ClaimEvent& event);

/// Decodes a catalogue event. @errors Invalid for an unknown type/schema or a malformed payload.
core::Result<core::iptv::CatalogueEvent> decode_catalogue_event(const RecordedEvent& event);
/// Decodes a line registry event. @errors as decode_catalogue_event.
core::Result<core::iptv::LineRegistryEvent> decode_line_registry_event(const RecordedEvent& event);
/// Decodes a claim event. @errors as decode_catalogue_event.
core::Result<core::iptv::ClaimEvent> decode_claim_event(const RecordedEvent& event);
/// Decodes a line event. @errors as decode_catalogue_event.
core::Result<core::iptv::LineEvent> decode_line_event(const RecordedEvent& event);

}  // namespace iptv
}  // namespace switchyard::events
