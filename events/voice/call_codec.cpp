#include "events/voice/call_codec.hpp"

#include "events/codec_kit.hpp"

namespace switchyard::events::voice {

using namespace core::voice;

namespace {

auto setup_table() {
    return fields(
        field("call_id", &CallSetup::call_id), field("source_ip", &CallSetup::source_ip),
        field("source_port", &CallSetup::source_port), field("ruri_user", &CallSetup::ruri_user),
        field("from_user", &CallSetup::from_user), field("from_display", &CallSetup::from_display),
        field("pai_user", &CallSetup::pai_user), field("auth_user", &CallSetup::auth_user),
        field("codecs", &CallSetup::codecs), field("setup_at", &CallSetup::setup_at));
}

auto trunk_table() {
    return fields(
        field("customer_id", &TrunkMatch::customer_id), field("trunk_id", &TrunkMatch::trunk_id),
        field("tech_prefix", &TrunkMatch::tech_prefix),
        field("destination", &TrunkMatch::destination), field("caller", &TrunkMatch::caller),
        field("route_group_id", &TrunkMatch::route_group_id),
        field("sell_rating_plan", &TrunkMatch::sell_rating_plan),
        field("currency", &TrunkMatch::currency));
}

auto admission_table() {
    return fields(field("max_duration_s", &Admission::max_duration_s),
                  field("reserved_micros", &Admission::reserved_micros),
                  field("sell_per_minute", &Admission::sell_per_minute));
}

auto route_table() {
    return fields(field("carrier_id", &RouteOption::carrier_id),
                  field("gateway_id", &RouteOption::gateway_id), field("uri", &RouteOption::uri),
                  field("dst_uri", &RouteOption::dst_uri),
                  field("extra_headers", &RouteOption::extra_headers),
                  field("matched_prefix", &RouteOption::matched_prefix),
                  field("buy_per_minute", &RouteOption::buy_per_minute),
                  field("sell_per_minute", &RouteOption::sell_per_minute),
                  field("fr_inv_timer_ms", &RouteOption::fr_inv_timer_ms),
                  field("why", &RouteOption::why),
                  optional_field("location", &RouteOption::location),
                  optional_field("ring", &RouteOption::ring),
                  optional_field("on_busy", &RouteOption::on_busy),
                  optional_field("on_no_answer", &RouteOption::on_no_answer),
                  optional_field("on_unavailable", &RouteOption::on_unavailable));
}

auto skipped_table() {
    return fields(field("carrier_id", &SkippedRoute::carrier_id),
                  field("gateway_id", &SkippedRoute::gateway_id),
                  field("reason", &SkippedRoute::reason), field("detail", &SkippedRoute::detail));
}

auto plan_table() {
    return fields(field("plan_route_group_id", &RoutePlan::route_group_id),
                  field("strategy", &RoutePlan::strategy),
                  field("max_attempts", &RoutePlan::max_attempts),
                  optional_field("route_id", &RoutePlan::route_id),
                  optional_field("route_prefix", &RoutePlan::route_prefix),
                  objects("routes", &RoutePlan::routes, route_table()),
                  objects("skipped", &RoutePlan::skipped, skipped_table()));
}

auto refusal_table() {
    return fields(field("sip_code", &CallRefusal::sip_code), field("reason", &CallRefusal::reason),
                  field("code", &CallRefusal::code));
}

struct Codec {
    static auto payload(As<CallRouted>) {
        return fields(
            flat(&CallRouted::setup, setup_table()), flat(&CallRouted::trunk, trunk_table()),
            flat(&CallRouted::admission, admission_table()), flat(&CallRouted::plan, plan_table()));
    }
    static auto payload(As<CallRejected>) {
        return fields(flat(&CallRejected::setup, setup_table()),
                      field("customer_id", &CallRejected::customer_id),
                      flat(&CallRejected::refusal, refusal_table()));
    }
    static auto payload(As<CallAttemptFailed>) {
        return fields(field("call_id", &CallAttemptFailed::call_id),
                      field("attempt", &CallAttemptFailed::attempt),
                      field("carrier_id", &CallAttemptFailed::carrier_id),
                      field("gateway_id", &CallAttemptFailed::gateway_id),
                      field("sip_code", &CallAttemptFailed::sip_code),
                      field("reason", &CallAttemptFailed::reason),
                      field("at", &CallAttemptFailed::at));
    }
    static auto payload(As<CallAnswered>) {
        return fields(field("call_id", &CallAnswered::call_id),
                      field("attempt", &CallAnswered::attempt),
                      field("carrier_id", &CallAnswered::carrier_id),
                      field("gateway_id", &CallAnswered::gateway_id),
                      field("answered_at", &CallAnswered::answered_at),
                      field("pdd_ms", &CallAnswered::pdd_ms));
    }
    static auto payload(As<CallEnded>) {
        return fields(field("call_id", &CallEnded::call_id),
                      field("ended_at", &CallEnded::ended_at),
                      field("billsec", &CallEnded::billsec), field("reason", &CallEnded::reason));
    }
    static auto payload(As<CallFailed>) {
        return fields(field("call_id", &CallFailed::call_id),
                      field("sip_code", &CallFailed::sip_code),
                      field("reason", &CallFailed::reason), field("at", &CallFailed::at));
    }
};

}  // namespace

EncodedEvent encode(const CallEvent& event) { return encode_as<Codec>(event); }

core::Result<CallEvent> decode_call_event(const RecordedEvent& event) {
    return decode_as<Codec, CallEvent>(event);
}

}  // namespace switchyard::events::voice
