#include "events/hotspot/session_codec.hpp"

#include "events/codec_kit.hpp"

namespace switchyard::events::hotspot {

using namespace core::hotspot;

namespace {

constexpr auto kCounters = fields(field("input_bytes", &SessionCounters::input_bytes),
                                  field("output_bytes", &SessionCounters::output_bytes),
                                  field("session_seconds", &SessionCounters::session_seconds));

constexpr auto kSession = fields(
    field("unique_id", &Session::unique_id), field("acct_session_id", &Session::acct_session_id),
    field("username", &Session::username), field("nas_id", &Session::nas_id),
    field("nas_ip", &Session::nas_ip), field("framed_ip", &Session::framed_ip),
    field("calling_station_id", &Session::calling_station_id),
    field("called_station_id", &Session::called_station_id),
    field("started_at", &Session::started_at), field("updated_at", &Session::updated_at),
    flat(&Session::counters, kCounters), field("active", &Session::active),
    field("terminate_cause", &Session::terminate_cause));

struct Codec {
    static auto payload(As<SessionStarted>) {
        return fields(flat(&SessionStarted::session, kSession));
    }
    static auto payload(As<SessionUpdated>) {
        return fields(field("unique_id", &SessionUpdated::unique_id),
                      flat(&SessionUpdated::counters, kCounters),
                      field("framed_ip", &SessionUpdated::framed_ip),
                      field("updated_at", &SessionUpdated::updated_at));
    }
    static auto payload(As<SessionStopped>) {
        return fields(field("unique_id", &SessionStopped::unique_id),
                      flat(&SessionStopped::counters, kCounters),
                      field("terminate_cause", &SessionStopped::terminate_cause),
                      field("stopped_at", &SessionStopped::stopped_at));
    }
    static auto payload(As<SessionClosedByNas>) {
        return fields(field("unique_id", &SessionClosedByNas::unique_id),
                      field("nas_id", &SessionClosedByNas::nas_id),
                      field("acct_status", &SessionClosedByNas::acct_status),
                      field("closed_at", &SessionClosedByNas::closed_at));
    }
};

}  // namespace

EncodedEvent encode(const SessionEvent& event) { return encode_as<Codec>(event); }

core::Result<SessionEvent> decode_session_event(const RecordedEvent& event) {
    return decode_as<Codec, SessionEvent>(event);
}

json::object session_json(const Session& s) { return to_json(s, kSession); }

core::Result<Session> parse_session(std::string_view json) {
    return with_json_object(json,
                            [](const JsonObject& o) { return from_json<Session>(o, kSession); });
}

}  // namespace switchyard::events::hotspot
