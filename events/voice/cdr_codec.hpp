#pragma once
/// JSON payloads of the CDR events (stream `voice_cdr-<cdr id>`, core/voice/cdr.hpp). Shapes:
/// schemas/events/voice/voice.cdr.<event>.v1.json. The call record is written under `record`
/// with the field names of core/voice/call_record.hpp; a side's price as an object with
/// `deck_id`, `deck_version`, `currency`, `cost_micros`, `matched_prefix`, `destination_id`,
/// `rating_plan_id`, `rate_id`, `billed_usage_s`, `explain` (null for an absent buy side).

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/voice/cdr.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::voice {

EncodedEvent encode(const core::voice::CdrEvent& event);

/// @errors Invalid for an unknown type/schema or a malformed payload, naming the field.
core::Result<core::voice::CdrEvent> decode_cdr_event(const RecordedEvent& event);

/// The CDR id of a `voice_cdr-<id>` stream; empty for any other stream.
std::string cdr_of_stream(std::string_view stream);

}  // namespace switchyard::events::voice
