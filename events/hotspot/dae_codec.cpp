#include "events/hotspot/dae_codec.hpp"

#include "events/codec_kit.hpp"

namespace switchyard::events::hotspot {

using namespace core::hotspot;

namespace {

constexpr auto kAttribute =
    fields(field("name", &DaeSentAttribute::name), field("value", &DaeSentAttribute::value));

struct Codec {
    static auto payload(As<SessionEndRequested>) {
        return fields(field("unique_id", &SessionEndRequested::unique_id),
                      field("note", &SessionEndRequested::note),
                      field("command_id", &SessionEndRequested::command_id),
                      field("requested_at", &SessionEndRequested::requested_at));
    }
    static auto payload(As<DaeRequested>) {
        return fields(field("request_id", &DaeRequested::request_id),
                      field("unique_id", &DaeRequested::unique_id),
                      field("username", &DaeRequested::username),
                      field("nas_id", &DaeRequested::nas_id),
                      field("kind", &DaeRequested::kind, parse_dynamic_authorization),
                      field("reason", &DaeRequested::reason, parse_enforcement_reason),
                      field("address", &DaeRequested::address), field("port", &DaeRequested::port),
                      objects("attributes", &DaeRequested::attributes, kAttribute),
                      field("requested_at", &DaeRequested::requested_at));
    }
    static auto payload(As<DaeAttempted>) {
        return fields(field("request_id", &DaeAttempted::request_id),
                      field("unique_id", &DaeAttempted::unique_id),
                      field("attempt", &DaeAttempted::attempt),
                      field("identifier", &DaeAttempted::identifier),
                      field("sent_at", &DaeAttempted::sent_at),
                      field("round_trip_us", &DaeAttempted::round_trip_us),
                      field("outcome", &DaeAttempted::outcome));
    }
    static auto payload(As<DaeCompleted>) {
        return fields(
            field("request_id", &DaeCompleted::request_id),
            field("unique_id", &DaeCompleted::unique_id), field("nas_id", &DaeCompleted::nas_id),
            field("outcome", &DaeCompleted::outcome),
            field("error_cause", &DaeCompleted::error_cause),
            field("error_cause_name", &DaeCompleted::error_cause_name),
            field("session_gone", &DaeCompleted::session_gone),
            field("attempts", &DaeCompleted::attempts), field("message", &DaeCompleted::message),
            field("completed_at", &DaeCompleted::completed_at));
    }
};

}  // namespace

EncodedEvent encode(const DaeEvent& event) { return encode_as<Codec>(event); }

core::Result<DaeEvent> decode_dae_event(const RecordedEvent& event) {
    return decode_as<Codec, DaeEvent>(event);
}

}  // namespace switchyard::events::hotspot
