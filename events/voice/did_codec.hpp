#pragma once
/// JSON payloads of the DID events (`voice.did_country.*`, `voice.did_provider.*`,
/// `voice.did.*`, `voice.kyc.*`) on `voice_dids-<tenant>`. Shapes:
/// schemas/events/voice/<type>.v1.json. The JSON of a country, a provider, an inventory row and
/// a routing target is the same in its event and in the API.

#include <string_view>

#include <boost/json/object.hpp>

#include "core/result.hpp"
#include "core/voice/did.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::voice {

EncodedEvent encode(const core::voice::DidEvent& event);
/// @errors Invalid for an unknown type/schema or a malformed payload (naming the field).
core::Result<core::voice::DidEvent> decode_did_event(const RecordedEvent& event);

/// A country, a provider, an inventory row as their events write them.
boost::json::object did_country_json(const core::voice::DidCountry& c);
boost::json::object did_provider_json(const core::voice::DidProvider& p);
boost::json::object did_inventory_json(const core::voice::DidInventory& d);
/// A DID with its state: the inventory fields, `status`, `status_since`, `customer_id`,
/// `port_status`, `port_status_since`, `routing`, `kyc` (documents), `activated_at`,
/// `missing_kyc` (the required types without an approved document, given by the caller).
boost::json::object did_json(const core::voice::Did& d,
                             const std::vector<std::string>& missing_kyc);
/// A KYC document: `document_id`, `doc_type`, `sha256`, `content_type`, `size_bytes`,
/// `status`, `reason`, `submitted_at`, `decided_at`.
boost::json::object kyc_document_json(const core::voice::KycDocument& d);

/// A country or a provider read from its JSON (every field required).
/// @errors Invalid naming the missing or mistyped field (`body` for text that is not an object).
core::Result<core::voice::DidCountry> parse_did_country(std::string_view json);
core::Result<core::voice::DidProvider> parse_did_provider(std::string_view json);
/// Routing targets from `{"targets": [{"kind": "trunk"|"uri", "value": "..."}, ...]}`.
core::Result<std::vector<core::voice::DidTarget>> parse_did_targets(std::string_view json);

}  // namespace switchyard::events::voice
