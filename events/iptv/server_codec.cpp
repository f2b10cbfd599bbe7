#include "events/iptv/server_codec.hpp"

#include "events/codec_kit.hpp"

namespace switchyard::events::iptv {

using namespace core::iptv;

namespace {

/// A server's fields, written flat into `iptv.server.registered` and `iptv.server.changed`.
constexpr auto kServerFields = fields(
    field("name", &ServerFields::name), field("scheme", &ServerFields::scheme),
    field("host", &ServerFields::host), field("port", &ServerFields::port),
    field("max_connections", &ServerFields::max_connections),
    field("max_mbps", &ServerFields::max_mbps), field("weight", &ServerFields::weight),
    field("enabled", &ServerFields::enabled), field("health_path", &ServerFields::health_path));

struct Codec {
    static auto payload(As<ServerRegistered>) {
        return fields(field("server_id", &ServerRegistered::server_id),
                      flat(&ServerRegistered::fields, kServerFields));
    }
    static auto payload(As<ServerChanged>) {
        return fields(field("server_id", &ServerChanged::server_id),
                      flat(&ServerChanged::fields, kServerFields));
    }
    static auto payload(As<ServerRemoved>) {
        return fields(field("server_id", &ServerRemoved::server_id));
    }
    static auto payload(As<ServerHealthChanged>) {
        using E = ServerHealthChanged;
        return fields(field("server_id", &E::server_id), field("up", &E::up),
                      field("reason", &E::reason), field("since", &E::since));
    }
    static auto payload(As<ServerGroupCreated>) {
        using E = ServerGroupCreated;
        return fields(field("group_id", &E::group_id), field("name", &E::name),
                      field("strategy", &E::strategy, parse_server_strategy),
                      field("server_ids", &E::server_ids));
    }
    static auto payload(As<ServerGroupChanged>) {
        using E = ServerGroupChanged;
        return fields(field("group_id", &E::group_id), field("name", &E::name),
                      field("strategy", &E::strategy, parse_server_strategy),
                      field("server_ids", &E::server_ids));
    }
    static auto payload(As<ServerGroupRemoved>) {
        return fields(field("group_id", &ServerGroupRemoved::group_id));
    }
    static auto payload(As<StreamServersAssigned>) {
        using E = StreamServersAssigned;
        return fields(field("stream_id", &E::stream_id), field("group_id", &E::group_id),
                      field("server_ids", &E::server_ids));
    }
};

}  // namespace

EncodedEvent encode(const ServerEvent& event) { return encode_as<Codec>(event); }
core::Result<ServerEvent> decode_server_event(const RecordedEvent& e) {
    return decode_as<Codec, ServerEvent>(e);
}

}  // namespace switchyard::events::iptv
