#pragma once
/// JSON payload of `identity.api_key.created`
/// (schemas/events/identity/identity.api_key.created.v1.json).

#include "core/identity/api_key.hpp"
#include "core/result.hpp"
#include "events/envelope.hpp"
#include "events/iptv/iptv_codec.hpp"

namespace switchyard::events::identity {

EncodedEvent encode(const core::identity::ApiKeyCreated& event);
/// @errors Invalid for another type or a malformed payload.
core::Result<core::identity::ApiKeyCreated> decode_api_key_created(const RecordedEvent& event);

}  // namespace switchyard::events::identity
