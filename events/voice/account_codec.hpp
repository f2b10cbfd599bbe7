#pragma once
/// JSON payloads of the balance events (stream `voice_account-<customer id>`,
/// core/voice/account.hpp). Shapes: schemas/events/voice/voice.account.<event>.v1.json.

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/voice/account.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::voice {

EncodedEvent encode(const core::voice::AccountEvent& event);

/// @errors Invalid for an unknown type/schema or a malformed payload, naming the field.
core::Result<core::voice::AccountEvent> decode_account_event(const RecordedEvent& event);

}  // namespace switchyard::events::voice
