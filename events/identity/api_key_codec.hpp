#pragma once
/// JSON payloads of the API key events (schemas/events/identity/identity.api_key.*.v1.json):
/// `created`, `rotated`, `revoked`, `used`.

#include "core/identity/api_key.hpp"
#include "core/result.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::identity {

EncodedEvent encode(const core::identity::ApiKeyEvent& event);
/// True for the types of the `api_key-<id>` stream.
bool is_api_key_event(const std::string& type);
/// @errors Invalid for another type or a malformed payload.
core::Result<core::identity::ApiKeyEvent> decode_api_key_event(const RecordedEvent& event);

}  // namespace switchyard::events::identity
