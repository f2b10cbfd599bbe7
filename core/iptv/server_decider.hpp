#pragma once
/// Decide and evolve for streaming servers, server groups and stream assignments (pure; see
/// core/iptv/server.hpp).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/decision_context.hpp"
#include "core/iptv/server.hpp"
#include "core/result.hpp"

namespace switchyard::core::iptv {

// ---- commands ----

/// Registers a streaming server. The same name with the same fields again decides nothing.
struct RegisterServer {
    ServerFields fields;
};
/// Replaces a server's fields.
struct ChangeServer {
    std::int64_t server_id{};
    ServerFields fields;
};
/// Removes a server (and takes it out of groups and assignments).
struct RemoveServer {
    std::int64_t server_id{};
};
/// Records what a health check found (adapters/iptv/server_health.hpp).
struct SetServerHealth {
    std::int64_t server_id{};
    bool up = true;
    std::string reason;  ///< 1 to 200 bytes: `timeout`, `HTTP 503`, `HTTP 200`.
};
/// Creates a server group. The same name with the same settings again decides nothing.
struct CreateServerGroup {
    std::string name;
    ServerStrategy strategy = ServerStrategy::RoundRobin;
    std::vector<std::int64_t> server_ids;  ///< Failover order; at least one.
};
/// Replaces a group's name, strategy and servers.
struct ChangeServerGroup {
    std::int64_t group_id{};
    std::string name;
    ServerStrategy strategy = ServerStrategy::RoundRobin;
    std::vector<std::int64_t> server_ids;
};
/// Removes a group (streams assigned to it go back to every server).
struct RemoveServerGroup {
    std::int64_t group_id{};
};
/// Sends a stream's viewers to a group, or to servers, or (neither) to every server.
struct AssignStreamServers {
    std::int64_t stream_id{};
    std::optional<std::int64_t> group_id;
    std::vector<std::int64_t> server_ids;
};

/// The events to append and the server or group id addressed.
struct ServerDecision {
    std::vector<ServerEvent> events;
    std::int64_t id = 0;
};

/// @errors Invalid naming the field (see validate_server_fields); Conflict naming `name` when
///         another server has this name with other fields.
Result<ServerDecision> decide(const ServerState& s, const RegisterServer& c,
                              const DecisionContext& ctx);
/// @errors NotFound naming `server_id`; Invalid naming the field; Conflict naming `name` when
///         another server has the name. The same fields decide nothing.
Result<ServerDecision> decide(const ServerState& s, const ChangeServer& c,
                              const DecisionContext& ctx);
/// @errors NotFound naming `server_id`.
Result<ServerDecision> decide(const ServerState& s, const RemoveServer& c,
                              const DecisionContext& ctx);
/// Decides `iptv.server.health_changed` only when up/down differs from the server's health.
/// @errors NotFound naming `server_id`; Invalid naming `reason`.
Result<ServerDecision> decide(const ServerState& s, const SetServerHealth& c,
                              const DecisionContext& ctx);
/// @errors Invalid naming `name` or `server_ids` (empty, more than 256, listed twice);
///         NotFound naming `server_ids[i]`; Conflict naming `name` (another group's name with
///         other settings).
Result<ServerDecision> decide(const ServerState& s, const CreateServerGroup& c,
                              const DecisionContext& ctx);
/// @errors NotFound naming `group_id`; otherwise as CreateServerGroup.
Result<ServerDecision> decide(const ServerState& s, const ChangeServerGroup& c,
                              const DecisionContext& ctx);
/// @errors NotFound naming `group_id`.
Result<ServerDecision> decide(const ServerState& s, const RemoveServerGroup& c,
                              const DecisionContext& ctx);
/// @errors Invalid naming `stream_id` (not positive) or `server_ids` (with a group, or listed
///         twice); NotFound naming `group_id` or `server_ids[i]`.
Result<ServerDecision> decide(const ServerState& s, const AssignStreamServers& c,
                              const DecisionContext& ctx);

/// Checks a server's fields: `name` (1 to 100 bytes of text), `scheme` (http, https), `host`
/// (a DNS name or an IPv4/IPv6 address, 1 to 253 bytes), `port` (1 to 65535),
/// `max_connections` and `max_mbps` (0 to 10,000,000), `weight` (1 to 1000), `health_path`
/// (`/` then at most 200 bytes without white space).
/// @errors Invalid naming the field.
Result<void> validate_server_fields(const ServerFields& f);

}  // namespace switchyard::core::iptv
