#pragma once
/// Streaming servers and server groups: where viewers are sent to watch a stream.
///
/// A streaming server is a machine that delivers streams to viewers (Xtream UI and XC_VM call
/// them "servers" or "load balancers": a name, a public address, a connection limit and a
/// bandwidth limit per server). A server group is a named set of servers with a strategy that
/// picks one of them for each viewer (core/iptv/server_choice.hpp); a stream is assigned to a
/// group or to a list of servers (streams without an assignment use every server).
///
/// All of one tenant's servers, groups and assignments are one aggregate, `iptv_servers-<tenant>`
/// (an operator runs tens of servers, not thousands), so that a group never names a removed
/// server. Server and group ids are given by this aggregate (1, 2, ...).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/time.hpp"

namespace switchyard::core::iptv {

/// How a group picks a server for a viewer (core/iptv/server_choice.hpp).
enum class ServerStrategy {
    RoundRobin,        ///< `round_robin`: each healthy server in turn.
    LeastConnections,  ///< `least_connections`: the one with the fewest viewers.
    Weighted,          ///< `weighted`: at random, in proportion to the servers' weights.
    SpareCapacity,     ///< `spare_capacity`: at random, by weight times the spare capacity.
};
/// Wire name: `round_robin`, `least_connections`, `weighted`, `spare_capacity`.
const char* to_string(ServerStrategy s) noexcept;
/// Reads a wire name. @returns false for another text.
bool parse_server_strategy(std::string_view text, ServerStrategy& out) noexcept;

/// The fields of a streaming server an operator sets.
struct ServerFields {
    std::string name;                  ///< Display name, 1 to 100 bytes, e.g. `edge-fra-1`.
    std::string scheme = "http";       ///< `http` or `https`.
    std::string host;                  ///< Public host name or IP address viewers connect to.
    std::int64_t port = 80;            ///< 1 to 65535.
    std::int64_t max_connections = 0;  ///< Viewers it can take at once; 0 = no limit.
    std::int64_t max_mbps = 0;         ///< Outgoing bandwidth it can deliver, Mbit/s; 0 = no limit.
    std::int64_t weight = 1;           ///< Share in the weighted strategies, 1 to 1000.
    bool enabled = true;               ///< A disabled server gets no new viewers.
    std::string health_path = "/healthz";  ///< Path the health checks GET, starting with `/`.
    friend bool operator==(const ServerFields&, const ServerFields&) = default;
};

/// A server's public base URL: `scheme://host[:port]` (the port left out when it is the
/// scheme's default; an IPv6 address in brackets).
std::string base_url(const ServerFields& f);

/// What the health checks last found of a server.
struct ServerHealth {
    bool up = true;      ///< A new server counts as up until a check finds it down.
    std::string reason;  ///< Why it is down (`timeout`, `HTTP 503`, `connection refused`); or
                         ///< why it came up (`registered`, `HTTP 200`).
    Timestamp since{};   ///< When it last changed.
    friend bool operator==(const ServerHealth&, const ServerHealth&) = default;
};

// ---- events ----

struct ServerRegistered {
    static constexpr std::string_view kType = "iptv.server.registered";
    std::int64_t server_id{};
    ServerFields fields;
};
struct ServerChanged {
    static constexpr std::string_view kType = "iptv.server.changed";
    std::int64_t server_id{};
    ServerFields fields;  ///< All of them, as they are now.
};
/// A server was removed; groups and assignments that named it no longer do.
struct ServerRemoved {
    static constexpr std::string_view kType = "iptv.server.removed";
    std::int64_t server_id{};
};
/// The health checks found a server down, or up again.
struct ServerHealthChanged {
    static constexpr std::string_view kType = "iptv.server.health_changed";
    std::int64_t server_id{};
    bool up = false;
    std::string reason;
    Timestamp since{};  ///< The check that found the change.
};
struct ServerGroupCreated {
    static constexpr std::string_view kType = "iptv.server_group.created";
    std::int64_t group_id{};
    std::string name;
    ServerStrategy strategy = ServerStrategy::RoundRobin;
    std::vector<std::int64_t> server_ids;  ///< In failover order.
};
struct ServerGroupChanged {
    static constexpr std::string_view kType = "iptv.server_group.changed";
    std::int64_t group_id{};
    std::string name;
    ServerStrategy strategy = ServerStrategy::RoundRobin;
    std::vector<std::int64_t> server_ids;
};
/// A group was removed; streams assigned to it no longer are.
struct ServerGroupRemoved {
    static constexpr std::string_view kType = "iptv.server_group.removed";
    std::int64_t group_id{};
};
/// A stream's viewers go to this group, or to these servers (failover order, round-robin), or
/// (neither) to every server again.
struct StreamServersAssigned {
    static constexpr std::string_view kType = "iptv.stream_servers.assigned";
    std::int64_t stream_id{};
    std::optional<std::int64_t> group_id;
    std::vector<std::int64_t> server_ids;
};

using ServerEvent =
    std::variant<ServerRegistered, ServerChanged, ServerRemoved, ServerHealthChanged,
                 ServerGroupCreated, ServerGroupChanged, ServerGroupRemoved, StreamServersAssigned>;

// ---- state ----

struct StreamingServer {
    std::int64_t id{};
    ServerFields fields;
    ServerHealth health;
};
struct ServerGroup {
    std::int64_t id{};
    std::string name;
    ServerStrategy strategy = ServerStrategy::RoundRobin;
    std::vector<std::int64_t> server_ids;
};
/// Where a stream's viewers go: a group, or servers; neither = every server.
struct StreamAssignment {
    std::optional<std::int64_t> group_id;
    std::vector<std::int64_t> server_ids;
    friend bool operator==(const StreamAssignment&, const StreamAssignment&) = default;
};

/// One tenant's servers, groups and stream assignments.
struct ServerState {
    std::int64_t next_server_id = 1;
    std::int64_t next_group_id = 1;
    std::map<std::int64_t, StreamingServer> servers;
    std::map<std::int64_t, ServerGroup> groups;
    std::map<std::int64_t, StreamAssignment> assignments;  ///< By stream id.
};

/// Applies one event. Total.
void evolve(ServerState& state, const ServerEvent& event);

}  // namespace switchyard::core::iptv
