#pragma once
/// JSON payloads of plans (`billing.plan.*` in `billing_plan-<plan id>`,
/// core/billing/plan.hpp) and subscriptions (`billing.subscription.*` in
/// `billing_subscription-<id>`, core/billing/subscription.hpp).
/// Shapes: schemas/events/billing/<type>.v1.json.

#include "core/billing/plan.hpp"
#include "core/billing/subscription.hpp"
#include "core/result.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::billing {

EncodedEvent encode(const core::billing::PlanEvent& event);
EncodedEvent encode(const core::billing::SubscriptionEvent& event);

/// @errors Invalid for an unknown type/schema or a malformed payload, naming the field.
core::Result<core::billing::PlanEvent> decode_plan_event(const RecordedEvent& event);
/// @errors as decode_plan_event.
core::Result<core::billing::SubscriptionEvent> decode_subscription_event(
    const RecordedEvent& event);

}  // namespace switchyard::events::billing
