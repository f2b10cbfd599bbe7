#include <fmt/format.h>

#include "core/iptv/connection.hpp"

namespace switchyard::core::iptv {

const char* to_string(ConnectionKind kind) noexcept {
    switch (kind) {
        case ConnectionKind::Live:
            return "live";
        case ConnectionKind::Movie:
            return "movie";
        case ConnectionKind::Series:
            return "series";
    }
    return "live";
}

bool parse_connection_kind(std::string_view text, ConnectionKind& out) noexcept {
    for (auto k : {ConnectionKind::Live, ConnectionKind::Movie, ConnectionKind::Series}) {
        if (text == to_string(k)) {
            out = k;
            return true;
        }
    }
    return false;
}

void evolve(LineConnections& state, const ConnectionEvent& event) {
    std::visit(
        [&](const auto& e) {
            using E = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<E, ConnectionOpened>) {
                state.leases[e.lease_id] = Lease{e, e.expires_at};
            } else if constexpr (std::is_same_v<E, ConnectionRenewed>) {
                if (auto it = state.leases.find(e.lease_id); it != state.leases.end())
                    it->second.expires_at = e.expires_at;
            } else {
                state.leases.erase(e.lease_id);
            }
        },
        event);
}

std::string connections_stream(const std::string& tenant, std::int64_t line_id) {
    return fmt::format("iptv_connections-{}-{}", tenant, line_id);
}

std::int64_t active_leases(const LineConnections& state, Timestamp now) {
    std::int64_t n = 0;
    for (const auto& [id, lease] : state.leases) {
        if (lease.expires_at > now) ++n;
    }
    return n;
}

Result<std::vector<ConnectionEvent>> decide(const LineConnections& state,
                                            std::int64_t max_connections, const OpenConnection& c,
                                            Timestamp now, std::chrono::seconds timeout) {
    if (c.lease_id.empty()) return fail(Errc::Invalid, "lease_id", "lease_id must not be empty");
    if (auto it = state.leases.find(c.lease_id);
        it != state.leases.end() && it->second.expires_at > now)
        return std::vector<ConnectionEvent>{};
    const auto active = active_leases(state, now);
    if (active >= max_connections)
        return fail(Errc::TooMany, "max_connections",
                    fmt::format("max_connections: the line already has {} of {} connections open",
                                active, max_connections));
    ConnectionOpened e{c.lease_id,   c.line_id, c.stream_id,   c.kind,    c.output,   c.remote_ip,
                       c.user_agent, now,       now + timeout, c.country, c.server_id};
    return std::vector<ConnectionEvent>{std::move(e)};
}

Result<std::vector<ConnectionEvent>> decide_renewal(const LineConnections& state,
                                                    const std::string& lease_id, Timestamp now,
                                                    std::chrono::seconds timeout,
                                                    std::int64_t bytes) {
    auto it = state.leases.find(lease_id);
    if (it == state.leases.end() || it->second.expires_at <= now)
        return fail(Errc::NotFound, "lease_id",
                    "lease_id: the connection is closed or has expired");
    return std::vector<ConnectionEvent>{ConnectionRenewed{lease_id, now + timeout, bytes}};
}

std::vector<ConnectionEvent> decide_close(const LineConnections& state, const std::string& lease_id,
                                          const std::string& reason, std::int64_t bytes) {
    if (!state.leases.count(lease_id)) return {};
    return {ConnectionClosed{lease_id, reason, bytes}};
}

std::vector<ConnectionEvent> decide_sweep(const LineConnections& state, Timestamp now) {
    std::vector<ConnectionEvent> out;
    for (const auto& [id, lease] : state.leases) {
        if (lease.expires_at <= now) out.push_back(ConnectionClosed{id, "timeout"});
    }
    return out;
}

}  // namespace switchyard::core::iptv
