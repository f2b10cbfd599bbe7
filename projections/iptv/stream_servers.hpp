#pragma once
/// The `stream_servers.v1` read model: the streaming servers with their health, the server
/// groups, each stream's assignment, and an alert per server that is down.
///
/// Keys: `s/<server id as 8-byte big-endian>` -> ServerRow JSON (`{"server_id", <the fields as
/// in iptv.server.registered>, "up", "health_reason", "health_since"}`); `g/<group id>` ->
/// GroupRow (`{"group_id", "name", "strategy", "server_ids"}`); `a/<stream id>` ->
/// AssignmentRow (`{"stream_id", "group_id", "server_ids"}`); `d/<server id>` -> AlertRow
/// (`{"server_id", "name", "reason", "since"}`) while the server is down. Groups and
/// assignments keep the ids of servers and groups removed later; the queries leave them out.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/iptv/server.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::iptv {

inline constexpr const char* kStreamServers = "stream_servers.v1";

/// Creates the projector of `stream_servers.v1`.
std::unique_ptr<Projector> make_stream_servers_projector();

/// One server as the read model holds it.
struct ServerRow {
    std::int64_t server_id{};
    core::iptv::ServerFields fields;
    bool up = true;
    std::string health_reason;      ///< See core::iptv::ServerHealth.
    std::int64_t health_since = 0;  ///< Unix seconds of the last health change; 0 = never.
};
/// One server group; `server_ids` holds existing servers only (in the queries' answers).
struct GroupRow {
    std::int64_t group_id{};
    std::string name;
    std::string strategy;  ///< core::iptv::ServerStrategy wire name.
    std::vector<std::int64_t> server_ids;
};
/// Where a stream's viewers go.
struct AssignmentRow {
    std::int64_t stream_id{};
    std::optional<std::int64_t> group_id;
    std::vector<std::int64_t> server_ids;
};
/// A server that is down: the alert an operator sees.
struct AlertRow {
    std::int64_t server_id{};
    std::string name;
    std::string reason;
    std::int64_t since = 0;  ///< Unix seconds.
};

/// Every server, in id order.
std::vector<ServerRow> list_servers(const ReadModelView& view);
/// The server with this id, or nullopt.
std::optional<ServerRow> find_server(const ReadModelView& view, std::int64_t server_id);
/// Every group, in id order.
std::vector<GroupRow> list_groups(const ReadModelView& view);
/// The group with this id, or nullopt.
std::optional<GroupRow> find_group(const ReadModelView& view, std::int64_t group_id);
/// The assignment of a stream, or nullopt (its viewers go to every server).
std::optional<AssignmentRow> find_assignment(const ReadModelView& view, std::int64_t stream_id);
/// The servers that are down now, in id order.
std::vector<AlertRow> server_down_alerts(const ReadModelView& view);

/// The servers a stream's viewers may go to, in failover order, and how to pick one: its
/// group's (when assigned to an existing group), round-robin over its servers (when assigned
/// to servers), else least connections over every server.
struct StreamServers {
    core::iptv::ServerStrategy strategy = core::iptv::ServerStrategy::LeastConnections;
    std::optional<std::int64_t> group_id;
    std::vector<ServerRow> servers;
};
/// See StreamServers.
StreamServers servers_for_stream(const ReadModelView& view, std::int64_t stream_id);

}  // namespace switchyard::projections::iptv
