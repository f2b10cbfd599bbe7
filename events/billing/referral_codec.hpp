#pragma once
/// JSON payloads of referral codes (core/billing/referral.hpp): `billing.referral_code.*` in
/// `billing_referral_code-<code>`, `billing.referral.*` in `billing_referral-<customer id>`.
/// Shapes: schemas/events/billing/<type>.v1.json.

#include "core/billing/referral.hpp"
#include "core/result.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::billing {

EncodedEvent encode(const core::billing::ReferralCodeEvent& event);
EncodedEvent encode(const core::billing::ReferralEvent& event);

/// @errors Invalid for an unknown type/schema or a malformed payload, naming the field.
core::Result<core::billing::ReferralCodeEvent> decode_referral_code_event(
    const RecordedEvent& event);
/// @errors as decode_referral_code_event.
core::Result<core::billing::ReferralEvent> decode_referral_event(const RecordedEvent& event);

}  // namespace switchyard::events::billing
