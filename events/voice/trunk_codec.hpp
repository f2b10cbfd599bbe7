#pragma once
/// JSON payloads of the customer SIP trunk events (`voice_trunks-<tenant>`). Shapes:
/// schemas/events/voice/voice.trunk.*.v1.json. The sealed HA1 is written only in
/// `voice.trunk.password_set`; trunk_json (what the API and read models show) never has it.

#include <string>
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

/// A trunk as the API and the read model show it: no secret, only whether a password is set
/// and for which realm.
struct TrunkRow {
    core::voice::Trunk trunk;
    bool password_set = false;
    std::string realm;
};
/// The row of an entry (its credential reduced to `password_set` and `realm`).
TrunkRow row_of(const core::voice::TrunkEntry& e);
/// trunk_json with `password_set` and `realm`.
boost::json::object trunk_row_json(const TrunkRow& row);
/// A row read back from trunk_row_json's shape. @errors Invalid naming the field.
core::Result<TrunkRow> parse_trunk_row(std::string_view json);

}  // namespace switchyard::events::voice
