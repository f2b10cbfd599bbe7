#include "events/iptv/connection_codec.hpp"

#include "events/codec_kit.hpp"

namespace switchyard::events::iptv {

using namespace core::iptv;

namespace {

struct Codec {
    static auto payload(As<ConnectionOpened>) {
        using E = ConnectionOpened;
        return fields(field("lease_id", &E::lease_id), field("line_id", &E::line_id),
                      field("stream_id", &E::stream_id),
                      field("kind", &E::kind, parse_connection_kind), field("output", &E::output),
                      field("remote_ip", &E::remote_ip), field("user_agent", &E::user_agent),
                      field("opened_at", &E::opened_at), field("expires_at", &E::expires_at),
                      optional_field("country", &E::country),
                      optional_field("server_id", &E::server_id));
    }
    static auto payload(As<ConnectionRenewed>) {
        return fields(field("lease_id", &ConnectionRenewed::lease_id),
                      field("expires_at", &ConnectionRenewed::expires_at),
                      optional_field("bytes", &ConnectionRenewed::bytes));
    }
    static auto payload(As<ConnectionClosed>) {
        return fields(field("lease_id", &ConnectionClosed::lease_id),
                      field("reason", &ConnectionClosed::reason),
                      optional_field("bytes", &ConnectionClosed::bytes));
    }
};

}  // namespace

EncodedEvent encode(const ConnectionEvent& event) { return encode_as<Codec>(event); }
core::Result<ConnectionEvent> decode_connection_event(const RecordedEvent& e) {
    return decode_as<Codec, ConnectionEvent>(e);
}

}  // namespace switchyard::events::iptv
