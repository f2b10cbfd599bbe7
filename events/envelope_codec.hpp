#pragma once
/// JSON text of the envelope (DESIGN.md, Events): how events are stored and published.

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "events/envelope.hpp"

namespace switchyard::events {

/// Serialises a recorded event as one JSON object (no trailing newline); `data` is embedded as is.
/// Without `with_position` the `position` field is left out: a Kafka record's position is its
/// topic, partition and offset, known only once it is written.
std::string encode_envelope(const RecordedEvent& event, bool with_position = true);

/// Parses an envelope produced by `encode_envelope` (simdjson On-Demand).
/// @errors Invalid naming the first missing or mistyped field.
core::Result<RecordedEvent> decode_envelope(std::string_view json);

}  // namespace switchyard::events
