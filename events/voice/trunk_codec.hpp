#pragma once
/// JSON payloads of the customer SIP trunk events (`voice_trunks-<tenant>`). Shapes:
/// schemas/events/voice/voice.trunk.*.v1.json. The sealed HA1 is written only in
/// `voice.trunk.password_set`; trunk_json (what the API and read models show) never has it.

#include <string_view>

#include <boost/json/object.hpp>

#include "core/result.hpp"
#include "core/voice/trunk.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::voice {

EncodedEvent encode(const core::voice::TrunkEvent& event);
/// @errors Invalid for an unknown type/schema or a malformed payload (naming the field).
core::Result<core::voice::TrunkEvent> decode_trunk_event(const RecordedEvent& event);

/// The trunk as in `voice.trunk.defined` (without the command id): `trunk_id`, `customer_id`,
/// `name`, `source_ips`, `username`, `tech_prefix`, `cli_prefixes`, `cli_policy`,
/// `default_cli`, `pai_policy`, `codec_set_id`, `channels`, `cps`, `pop_id`, `status`,
/// `created_at`.
boost::json::object trunk_json(const core::voice::Trunk& t);
/// trunk_json and, of the credential, only whether one is set and its realm:
/// `password_set` (bool) and `realm` (empty when none).
boost::json::object trunk_entry_json(const core::voice::TrunkEntry& e);

}  // namespace switchyard::events::voice
