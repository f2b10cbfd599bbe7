#include "events/billing/subscription_codec.hpp"

#include "events/billing/plan_tables.hpp"
#include "events/codec_kit.hpp"

namespace switchyard::events::billing {

using namespace core::billing;

namespace {

struct Codec {
    static auto payload(As<PlanDefined>) { return fields(flat(&PlanDefined::plan, kPlanTable)); }
    static auto payload(As<PlanRetired>) { return fields(field("plan_id", &PlanRetired::plan_id)); }
    static auto payload(As<SubscriptionCreated>) {
        using E = SubscriptionCreated;
        return fields(flat(&E::terms, kTermsTable), field("plan_id", &E::plan_id),
                      field("line", &E::line), field("auto_renew", &E::auto_renew),
                      field("trial", &E::trial), field("anchor", &E::anchor),
                      field("period_start", &E::period_start), field("period_end", &E::period_end),
                      optional_field("entry_id", &E::entry_id),
                      field("amount_micros", &E::amount_micros),
                      optional_field("discount_micros", &E::discount_micros),
                      optional_objects("discounts", &E::discounts, kPromoTable));
    }
    static auto payload(As<SubscriptionRenewed>) {
        using E = SubscriptionRenewed;
        return fields(field("period", &E::period), field("plan_id", &E::plan_id),
                      field("anchor", &E::anchor), field("period_start", &E::period_start),
                      field("period_end", &E::period_end), optional_field("entry_id", &E::entry_id),
                      field("amount_micros", &E::amount_micros),
                      optional_field("discount_micros", &E::discount_micros),
                      field("reinstated", &E::reinstated));
    }
    static auto payload(As<SubscriptionPlanChanged>) {
        using E = SubscriptionPlanChanged;
        return fields(field("from_plan", &E::from_plan), field("to_plan", &E::to_plan),
                      field("at", &E::at), field("days_remaining", &E::days_remaining),
                      field("days_in_period", &E::days_in_period),
                      field("credit_micros", &E::credit_micros),
                      field("charge_micros", &E::charge_micros), field("anchor", &E::anchor),
                      field("period_start", &E::period_start), field("period_end", &E::period_end),
                      optional_field("entry_id", &E::entry_id));
    }
    static auto payload(As<SubscriptionDowngradeScheduled>) {
        return fields(optional_field("to_plan", &SubscriptionDowngradeScheduled::to_plan));
    }
    static auto payload(As<SubscriptionCancelScheduled>) {
        return fields(
            field("cancel_at_period_end", &SubscriptionCancelScheduled::cancel_at_period_end));
    }
    static auto payload(As<SubscriptionAutoRenewSet>) {
        return fields(field("auto_renew", &SubscriptionAutoRenewSet::auto_renew));
    }
    static auto payload(As<SubscriptionPaused>) {
        return fields(field("at", &SubscriptionPaused::at));
    }
    static auto payload(As<SubscriptionResumed>) {
        return fields(field("at", &SubscriptionResumed::at),
                      field("anchor", &SubscriptionResumed::anchor),
                      field("period_end", &SubscriptionResumed::period_end));
    }
    static auto payload(As<SubscriptionReminderDue>) {
        return fields(field("days_before", &SubscriptionReminderDue::days_before),
                      field("period_end", &SubscriptionReminderDue::period_end));
    }
    static auto payload(As<SubscriptionRenewalFailed>) {
        return fields(field("attempt", &SubscriptionRenewalFailed::attempt),
                      field("reason", &SubscriptionRenewalFailed::reason),
                      field("next_attempt_at", &SubscriptionRenewalFailed::next_attempt_at));
    }
    static auto payload(As<SubscriptionSuspended>) {
        return fields(field("reason", &SubscriptionSuspended::reason));
    }
    static auto payload(As<SubscriptionExpired>) {
        return fields(field("period_end", &SubscriptionExpired::period_end));
    }
    static auto payload(As<SubscriptionCanceled>) {
        return fields(field("period_end", &SubscriptionCanceled::period_end));
    }
};

}  // namespace

EncodedEvent encode(const PlanEvent& event) { return encode_as<Codec>(event); }
EncodedEvent encode(const SubscriptionEvent& event) { return encode_as<Codec>(event); }

core::Result<PlanEvent> decode_plan_event(const RecordedEvent& event) {
    return decode_as<Codec, PlanEvent>(event);
}

core::Result<SubscriptionEvent> decode_subscription_event(const RecordedEvent& event) {
    return decode_as<Codec, SubscriptionEvent>(event);
}

}  // namespace switchyard::events::billing
