#pragma once
/// JSON payloads of tax rates (`billing.tax_rate.set` in `billing_tax_rates`,
/// core/billing/tax.hpp) and promo codes (`billing.promo.*` in `billing_promo-<code>`,
/// core/billing/promo.hpp). Shapes: schemas/events/billing/<type>.v1.json.

#include "core/billing/promo.hpp"
#include "core/billing/tax.hpp"
#include "core/result.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::billing {

EncodedEvent encode(const core::billing::TaxEvent& event);
EncodedEvent encode(const core::billing::PromoEvent& event);

/// @errors Invalid for an unknown type/schema or a malformed payload, naming the field.
core::Result<core::billing::TaxEvent> decode_tax_event(const RecordedEvent& event);
/// @errors as decode_tax_event.
core::Result<core::billing::PromoEvent> decode_promo_event(const RecordedEvent& event);

}  // namespace switchyard::events::billing
