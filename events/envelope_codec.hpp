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

/// An envelope encoded before the log assigns its revision and position: the JSON text up to
/// and including the stream name (`{"id":…,"stream":"…"`) followed by the rest (`,"time":…}`),
/// split at `split`. Appenders encode on their own thread; the log's writer only adds the two
/// numbers (assemble_envelope), so the writer's work per event is a copy.
struct EnvelopeParts {
    std::string text;       ///< Head and tail, concatenated.
    std::size_t split = 0;  ///< Length of the head.
    std::string_view head() const { return std::string_view(text).substr(0, split); }
    std::string_view tail() const { return std::string_view(text).substr(split); }
};

/// Encodes the parts of `event` appended to `stream`.
EnvelopeParts encode_envelope_parts(const NewEvent& event, std::string_view stream);

/// Appends the middle of an envelope to `out`: `,"revision":R` and, when `position` is given,
/// its `position` object, as encode_envelope writes them. head + middle + tail =
/// encode_envelope's text. The writer reuses one `out` per group, so it allocates nothing.
void append_envelope_middle(std::string& out, std::int64_t revision, const Position* position);

/// Parses an envelope produced by `encode_envelope` (simdjson On-Demand).
/// @errors Invalid naming the first missing or mistyped field.
core::Result<RecordedEvent> decode_envelope(std::string_view json);

}  // namespace switchyard::events
