#pragma once
/// JSON payloads of an invoice's stream `billing_invoice-<id>` (core/billing/issued_invoice.hpp):
/// `billing.invoice.numbered`, `.issued`, `.paid`, `.credited`, `.sent`; and
/// `billing.customer.erased` in `billing_customer-<id>`. Shapes:
/// schemas/events/billing/<type>.v1.json.

#include "core/billing/issued_invoice.hpp"
#include "core/result.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::billing {

EncodedEvent encode(const core::billing::InvoiceEvent& event);
EncodedEvent encode(const core::billing::CustomerEvent& event);

/// @errors Invalid for an unknown type/schema or a malformed payload, naming the field.
core::Result<core::billing::InvoiceEvent> decode_invoice_event(const RecordedEvent& event);
/// @errors as decode_invoice_event.
core::Result<core::billing::CustomerEvent> decode_customer_event(const RecordedEvent& event);

}  // namespace switchyard::events::billing
