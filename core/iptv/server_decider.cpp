#include "core/iptv/server_decider.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "core/overloaded.hpp"
#include "core/text.hpp"

namespace switchyard::core::iptv {

namespace {

constexpr std::int64_t kMaxCapacity = 10'000'000;
constexpr std::size_t kMaxGroupServers = 256;

void drop(std::vector<std::int64_t>& ids, std::int64_t id) {
    ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
}

struct Evolver {
    ServerState& s;
    /// An assignment left with neither a group nor servers sends the stream to every server.
    void drop_empty_assignments() {
        std::erase_if(s.assignments, [](const auto& kv) {
            return !kv.second.group_id && kv.second.server_ids.empty();
        });
    }
    void operator()(const ServerRegistered& e) {
        s.servers[e.server_id] = StreamingServer{e.server_id, e.fields, {}};
        s.next_server_id = std::max(s.next_server_id, e.server_id + 1);
    }
    void operator()(const ServerChanged& e) {
        if (auto it = s.servers.find(e.server_id); it != s.servers.end())
            it->second.fields = e.fields;
    }
    void operator()(const ServerRemoved& e) {
        s.servers.erase(e.server_id);
        for (auto& [id, g] : s.groups) drop(g.server_ids, e.server_id);
        for (auto& [id, a] : s.assignments) drop(a.server_ids, e.server_id);
        drop_empty_assignments();
    }
    void operator()(const ServerHealthChanged& e) {
        if (auto it = s.servers.find(e.server_id); it != s.servers.end())
            it->second.health = ServerHealth{e.up, e.reason, e.since};
    }
    void operator()(const ServerGroupCreated& e) {
        s.groups[e.group_id] = ServerGroup{e.group_id, e.name, e.strategy, e.server_ids};
        s.next_group_id = std::max(s.next_group_id, e.group_id + 1);
    }
    void operator()(const ServerGroupChanged& e) {
        s.groups[e.group_id] = ServerGroup{e.group_id, e.name, e.strategy, e.server_ids};
    }
    void operator()(const ServerGroupRemoved& e) {
        s.groups.erase(e.group_id);
        for (auto& [id, a] : s.assignments)
            if (a.group_id == e.group_id) a.group_id.reset();
        drop_empty_assignments();
    }
    void operator()(const StreamServersAssigned& e) {
        if (!e.group_id && e.server_ids.empty()) {
            s.assignments.erase(e.stream_id);
            return;
        }
        s.assignments[e.stream_id] = StreamAssignment{e.group_id, e.server_ids};
    }
};

Result<void> check_text(std::string_view v, const char* field, std::size_t max) {
    if (v.empty()) return fail(Errc::Invalid, field, "must not be empty");
    if (v.size() > max)
        return fail(Errc::Invalid, field, fmt::format("must have at most {} bytes", max));
    if (!is_valid_utf8(v) || has_control_chars(v))
        return fail(Errc::Invalid, field, "must be UTF-8 text without control characters");
    return {};
}

bool is_host_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == ':';
}

Result<void> check_range(std::int64_t v, const char* field, std::int64_t lo, std::int64_t hi) {
    if (v < lo || v > hi)
        return fail(Errc::Invalid, field, fmt::format("must be from {} to {}", lo, hi));
    return {};
}

/// Server ids of a group or an assignment: each exists, none twice.
Result<void> check_server_ids(const ServerState& s, const std::vector<std::int64_t>& ids) {
    if (ids.size() > kMaxGroupServers)
        return fail(Errc::Invalid, "server_ids",
                    fmt::format("must list at most {} servers", kMaxGroupServers));
    std::set<std::int64_t> seen;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const auto field = fmt::format("server_ids[{}]", i);
        if (!s.servers.count(ids[i]))
            return fail(Errc::NotFound, field, fmt::format("server {} does not exist", ids[i]));
        if (!seen.insert(ids[i]).second) return fail(Errc::Invalid, field, "is listed twice");
    }
    return {};
}

const StreamingServer* server_named(const ServerState& s, std::string_view name) {
    for (const auto& [id, server] : s.servers)
        if (server.fields.name == name) return &server;
    return nullptr;
}

const ServerGroup* group_named(const ServerState& s, std::string_view name) {
    for (const auto& [id, group] : s.groups)
        if (group.name == name) return &group;
    return nullptr;
}

Result<void> check_group(const ServerState& s, const std::string& name,
                         const std::vector<std::int64_t>& server_ids) {
    SY_TRY(check_text(name, "name", 100));
    if (server_ids.empty()) return fail(Errc::Invalid, "server_ids", "must list a server");
    return check_server_ids(s, server_ids);
}

ServerDecision one(ServerEvent e, std::int64_t id) { return ServerDecision{{std::move(e)}, id}; }

}  // namespace

const char* to_string(ServerStrategy s) noexcept {
    switch (s) {
        case ServerStrategy::RoundRobin:
            return "round_robin";
        case ServerStrategy::LeastConnections:
            return "least_connections";
        case ServerStrategy::Weighted:
            return "weighted";
        case ServerStrategy::SpareCapacity:
            return "spare_capacity";
    }
    return "round_robin";
}

bool parse_server_strategy(std::string_view text, ServerStrategy& out) noexcept {
    for (auto s : {ServerStrategy::RoundRobin, ServerStrategy::LeastConnections,
                   ServerStrategy::Weighted, ServerStrategy::SpareCapacity}) {
        if (text == to_string(s)) {
            out = s;
            return true;
        }
    }
    return false;
}

std::string base_url(const ServerFields& f) {
    const bool default_port =
        (f.scheme == "http" && f.port == 80) || (f.scheme == "https" && f.port == 443);
    const auto host = f.host.find(':') != std::string::npos ? "[" + f.host + "]" : f.host;
    if (default_port) return fmt::format("{}://{}", f.scheme, host);
    return fmt::format("{}://{}:{}", f.scheme, host, f.port);
}

void evolve(ServerState& state, const ServerEvent& event) { std::visit(Evolver{state}, event); }

Result<void> validate_server_fields(const ServerFields& f) {
    SY_TRY(check_text(f.name, "name", 100));
    if (f.scheme != "http" && f.scheme != "https")
        return fail(Errc::Invalid, "scheme", "must be http or https");
    if (f.host.empty() || f.host.size() > 253 ||
        !std::all_of(f.host.begin(), f.host.end(), is_host_char) || f.host.front() == '.' ||
        f.host.front() == '-')
        return fail(Errc::Invalid, "host",
                    "must be a host name or an IP address (letters, digits, '.', '-', ':')");
    SY_TRY(check_range(f.port, "port", 1, 65535));
    SY_TRY(check_range(f.max_connections, "max_connections", 0, kMaxCapacity));
    SY_TRY(check_range(f.max_mbps, "max_mbps", 0, kMaxCapacity));
    SY_TRY(check_range(f.weight, "weight", 1, 1000));
    if (f.health_path.empty() || f.health_path.front() != '/' || f.health_path.size() > 201 ||
        !is_valid_utf8(f.health_path) || has_control_chars(f.health_path) ||
        f.health_path.find_first_of(" \t") != std::string::npos)
        return fail(Errc::Invalid, "health_path",
                    "must start with '/' and have at most 200 more bytes without white space");
    return {};
}

Result<ServerDecision> decide(const ServerState& s, const RegisterServer& c,
                              const DecisionContext&) {
    SY_TRY(validate_server_fields(c.fields));
    if (const auto* same = server_named(s, c.fields.name)) {
        if (same->fields == c.fields) return ServerDecision{{}, same->id};
        return fail(Errc::Conflict, "name",
                    fmt::format("server {} is already named {}", same->id, c.fields.name));
    }
    return one(ServerRegistered{s.next_server_id, c.fields}, s.next_server_id);
}

Result<ServerDecision> decide(const ServerState& s, const ChangeServer& c, const DecisionContext&) {
    auto it = s.servers.find(c.server_id);
    if (it == s.servers.end())
        return fail(Errc::NotFound, "server_id",
                    fmt::format("server {} does not exist", c.server_id));
    SY_TRY(validate_server_fields(c.fields));
    if (const auto* same = server_named(s, c.fields.name); same && same->id != c.server_id)
        return fail(Errc::Conflict, "name",
                    fmt::format("server {} is already named {}", same->id, c.fields.name));
    if (it->second.fields == c.fields) return ServerDecision{{}, c.server_id};
    return one(ServerChanged{c.server_id, c.fields}, c.server_id);
}

Result<ServerDecision> decide(const ServerState& s, const RemoveServer& c, const DecisionContext&) {
    if (!s.servers.count(c.server_id))
        return fail(Errc::NotFound, "server_id",
                    fmt::format("server {} does not exist", c.server_id));
    return one(ServerRemoved{c.server_id}, c.server_id);
}

Result<ServerDecision> decide(const ServerState& s, const SetServerHealth& c,
                              const DecisionContext& ctx) {
    auto it = s.servers.find(c.server_id);
    if (it == s.servers.end())
        return fail(Errc::NotFound, "server_id",
                    fmt::format("server {} does not exist", c.server_id));
    SY_TRY(check_text(c.reason, "reason", 200));
    if (it->second.health.up == c.up) return ServerDecision{{}, c.server_id};
    return one(ServerHealthChanged{c.server_id, c.up, c.reason, ctx.now}, c.server_id);
}

Result<ServerDecision> decide(const ServerState& s, const CreateServerGroup& c,
                              const DecisionContext&) {
    SY_TRY(check_group(s, c.name, c.server_ids));
    if (const auto* same = group_named(s, c.name)) {
        if (same->strategy == c.strategy && same->server_ids == c.server_ids)
            return ServerDecision{{}, same->id};
        return fail(Errc::Conflict, "name",
                    fmt::format("group {} is already named {}", same->id, c.name));
    }
    return one(ServerGroupCreated{s.next_group_id, c.name, c.strategy, c.server_ids},
               s.next_group_id);
}

Result<ServerDecision> decide(const ServerState& s, const ChangeServerGroup& c,
                              const DecisionContext&) {
    auto it = s.groups.find(c.group_id);
    if (it == s.groups.end())
        return fail(Errc::NotFound, "group_id", fmt::format("group {} does not exist", c.group_id));
    SY_TRY(check_group(s, c.name, c.server_ids));
    if (const auto* same = group_named(s, c.name); same && same->id != c.group_id)
        return fail(Errc::Conflict, "name",
                    fmt::format("group {} is already named {}", same->id, c.name));
    const auto& g = it->second;
    if (g.name == c.name && g.strategy == c.strategy && g.server_ids == c.server_ids)
        return ServerDecision{{}, c.group_id};
    return one(ServerGroupChanged{c.group_id, c.name, c.strategy, c.server_ids}, c.group_id);
}

Result<ServerDecision> decide(const ServerState& s, const RemoveServerGroup& c,
                              const DecisionContext&) {
    if (!s.groups.count(c.group_id))
        return fail(Errc::NotFound, "group_id", fmt::format("group {} does not exist", c.group_id));
    return one(ServerGroupRemoved{c.group_id}, c.group_id);
}

Result<ServerDecision> decide(const ServerState& s, const AssignStreamServers& c,
                              const DecisionContext&) {
    if (c.stream_id <= 0) return fail(Errc::Invalid, "stream_id", "must be a positive integer");
    if (c.group_id) {
        if (!c.server_ids.empty())
            return fail(Errc::Invalid, "server_ids", "must be empty when group_id is given");
        if (!s.groups.count(*c.group_id))
            return fail(Errc::NotFound, "group_id",
                        fmt::format("group {} does not exist", *c.group_id));
    }
    SY_TRY(check_server_ids(s, c.server_ids));
    const StreamAssignment wanted{c.group_id, c.server_ids};
    auto it = s.assignments.find(c.stream_id);
    const StreamAssignment current = it == s.assignments.end() ? StreamAssignment{} : it->second;
    if (current == wanted) return ServerDecision{{}, c.stream_id};
    return one(StreamServersAssigned{c.stream_id, c.group_id, c.server_ids}, c.stream_id);
}

}  // namespace switchyard::core::iptv
