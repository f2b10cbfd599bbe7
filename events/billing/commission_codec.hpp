#pragma once
/// JSON payloads of resellers' commissions (core/billing/commission.hpp):
/// `billing.commission_rate.set` in `billing_commission_rate-<reseller id>`,
/// `billing.commission.*` in `billing_commission-<sale entry id>`,
/// `billing.commission_payout.made` in `billing_commission_payout-<payout id>`.
/// Shapes: schemas/events/billing/<type>.v1.json.

#include "core/billing/commission.hpp"
#include "core/result.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::billing {

EncodedEvent encode(const core::billing::CommissionRateEvent& event);
EncodedEvent encode(const core::billing::CommissionEvent& event);
EncodedEvent encode(const core::billing::CommissionPayoutEvent& event);

/// @errors Invalid for an unknown type/schema or a malformed payload, naming the field.
core::Result<core::billing::CommissionRateEvent> decode_commission_rate_event(
    const RecordedEvent& event);
/// @errors as decode_commission_rate_event.
core::Result<core::billing::CommissionEvent> decode_commission_event(const RecordedEvent& event);
/// @errors as decode_commission_rate_event.
core::Result<core::billing::CommissionPayoutEvent> decode_commission_payout_event(
    const RecordedEvent& event);

}  // namespace switchyard::events::billing
