#pragma once
/// JSON payloads of payments (`billing.payment.*` in `billing_payment-<payment id>`) and
/// gateway webhooks (`billing.webhook.received` in `billing_webhook-<gateway>.<event id>`),
/// core/billing/payment.hpp. Shapes: schemas/events/billing/<type>.v1.json.

#include "core/billing/payment.hpp"
#include "core/result.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::billing {

EncodedEvent encode(const core::billing::PaymentEvent& event);
EncodedEvent encode(const core::billing::WebhookEvent& event);

/// @errors Invalid for an unknown type/schema or a malformed payload, naming the field.
core::Result<core::billing::PaymentEvent> decode_payment_event(const RecordedEvent& event);
/// @errors as decode_payment_event.
core::Result<core::billing::WebhookEvent> decode_webhook_event(const RecordedEvent& event);

}  // namespace switchyard::events::billing
