#pragma once
/// JSON payloads of the route quality events (stream `voice_quality-<tenant>`,
/// core/voice/quality.hpp). Shapes: schemas/events/voice/voice.quality.<event>.v1.json. A rule
/// and an alert are written flat; an alert's key as `scope`, `carrier_id`, `subject`.

#include <boost/json/fwd.hpp>

#include "core/result.hpp"
#include "core/voice/quality.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::voice {

EncodedEvent encode(const core::voice::QualityEvent& event);

/// @errors Invalid for an unknown type/schema or a malformed payload, naming the field.
core::Result<core::voice::QualityEvent> decode_quality_event(const RecordedEvent& event);

/// A rule as the API shows it (the fields of `voice.quality.rule_created`), as JSON text.
std::string quality_rule_json(const core::voice::QualityRule& rule);
/// A rule read from the fields of `voice.quality.rule_created` (JSON text); members it does not
/// name keep their defaults. @errors Invalid naming the first missing or mistyped field.
core::Result<core::voice::QualityRule> parse_quality_rule(const std::string& json_text);
/// The JSON keys of a rule, in the order written.
std::vector<std::string> quality_rule_keys();
/// An alert as the API shows it, as JSON text (`value` in the metric's unit added).
std::string quality_alert_json(const core::voice::QualityAlert& alert);

}  // namespace switchyard::events::voice
