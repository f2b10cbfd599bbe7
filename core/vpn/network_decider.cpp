#include "core/vpn/network_decider.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "core/overloaded.hpp"
#include "core/text.hpp"
#include "core/vpn/address_pool.hpp"

namespace switchyard::core::vpn {

const char* to_string(BandwidthClass b) noexcept {
    return b == BandwidthClass::Unlimited ? "unlimited" : "limited";
}

bool parse_bandwidth_class(std::string_view text, BandwidthClass& out) noexcept {
    if (text == "unlimited") {
        out = BandwidthClass::Unlimited;
        return true;
    }
    if (text == "limited") {
        out = BandwidthClass::Limited;
        return true;
    }
    return false;
}

bool valid_offer_id(std::string_view id) noexcept {
    return !id.empty() && id.size() <= 32 && std::all_of(id.begin(), id.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
    });
}

void evolve(NetworkState& state, const NetworkEvent& event) {
    std::visit(Overloaded{
                   [&](const PlanDefined& e) {
                       state.plans_ever_defined = true;
                       state.plans[e.plan.plan_id] = e.plan;
                   },
                   [&](const PlanRemoved& e) { state.plans.erase(e.plan_id); },
                   [&](const ServerDefined& e) { state.servers[e.server.server_id] = e.server; },
                   [&](const ServerRemoved& e) { state.servers.erase(e.server_id); },
               },
               event);
}

namespace {

bool valid_name(std::string_view s) {
    return !s.empty() && s.size() <= 64 && is_valid_utf8(s) && !has_control_chars(s);
}

Result<void> check_plan(const Plan& p, const std::string& prefix) {
    if (!valid_offer_id(p.plan_id))
        return fail(Errc::Invalid, prefix + "plan_id", "must be [a-z0-9_-]{1,32}");
    if (!valid_name(p.name))
        return fail(Errc::Invalid, prefix + "name", "must be 1 to 64 characters");
    for (auto [field, max] : {std::pair{"home_network_max", p.home_network_max},
                              std::pair{"personal_max", p.personal_max}}) {
        if (max && (*max < 0 || *max > 100000))
            return fail(Errc::Invalid, prefix + field,
                        "must be 0 to 100000, or null for unlimited");
    }
    for (const auto& [type, max] : p.type_max) {
        if (!valid_offer_id(type) || type.find('-') != std::string::npos)
            return fail(Errc::Invalid, prefix + "type_max",
                        fmt::format("'{}' is not a device type name", type));
        if (max < 0 || max > 100000)
            return fail(Errc::Invalid, prefix + "type_max." + type, "must be 0 to 100000");
    }
    return {};
}

Result<void> check_server(const Server& s) {
    if (!valid_offer_id(s.server_id))
        return fail(Errc::Invalid, "server_id", "must be [a-z0-9_-]{1,32}");
    if (!valid_name(s.name)) return fail(Errc::Invalid, "name", "must be 1 to 64 characters");
    if (s.location.size() > 128 || has_control_chars(s.location) || !is_valid_utf8(s.location))
        return fail(Errc::Invalid, "location", "must be at most 128 printable characters");
    if (!is_hostname(s.endpoint_host) && !is_ip_address(s.endpoint_host))
        return fail(Errc::Invalid, "endpoint_host", "must be a DNS name or an IP address");
    if (s.listen_port < 1 || s.listen_port > 65535)
        return fail(Errc::Invalid, "listen_port", "must be a UDP port, 1 to 65535");
    std::string why;
    auto v4 = AddressPool::parse(s.ipv4_pool, why);
    if (!v4) return fail(Errc::Invalid, "ipv4_pool", why);
    if (v4->v6) return fail(Errc::Invalid, "ipv4_pool", "must be an IPv4 block");
    // Clients route the pool into the tunnel: the server's own address inside it would cut the
    // tunnel off from its endpoint.
    if (v4->contains(s.endpoint_host))
        return fail(Errc::Invalid, "ipv4_pool",
                    fmt::format("contains the server's endpoint address {}", s.endpoint_host));
    if (!s.ipv6_pool.empty()) {
        auto v6 = AddressPool::parse(s.ipv6_pool, why);
        if (!v6) return fail(Errc::Invalid, "ipv6_pool", why);
        if (!v6->v6) return fail(Errc::Invalid, "ipv6_pool", "must be an IPv6 block");
        if (v6->contains(s.endpoint_host))
            return fail(Errc::Invalid, "ipv6_pool",
                        fmt::format("contains the server's endpoint address {}", s.endpoint_host));
    }
    if (s.dns.size() > 4) return fail(Errc::Invalid, "dns", "at most 4 servers");
    for (const auto& d : s.dns)
        if (!is_ip_address(d))
            return fail(Errc::Invalid, "dns", fmt::format("'{}' is not an IP address", d));
    std::size_t start = 0, n = 0;
    while (start <= s.client_allowed_ips.size()) {
        auto end = s.client_allowed_ips.find(',', start);
        if (end == std::string::npos) end = s.client_allowed_ips.size();
        auto entry = std::string_view(s.client_allowed_ips).substr(start, end - start);
        while (!entry.empty() && entry.front() == ' ') entry.remove_prefix(1);
        while (!entry.empty() && entry.back() == ' ') entry.remove_suffix(1);
        if (!is_cidr(entry))
            return fail(Errc::Invalid, "client_allowed_ips",
                        fmt::format("'{}' is not a CIDR block", entry));
        ++n;
        start = end + 1;
    }
    if (n > 64) return fail(Errc::Invalid, "client_allowed_ips", "at most 64 blocks");
    if (s.persistent_keepalive < 0 || s.persistent_keepalive > 65535)
        return fail(Errc::Invalid, "persistent_keepalive", "must be 0 to 65535 seconds");
    if (s.public_key.size() != 44)
        return fail(Errc::Invalid, "public_key", "must be the base64 of 32 bytes");
    const auto& p = s.policy;
    if (p.allowed_categories.empty())
        return fail(Errc::Invalid, "policy.allowed_categories", "must name at least one category");
    for (const auto& t : p.allowed_types)
        if (!valid_offer_id(t))
            return fail(Errc::Invalid, "policy.allowed_types",
                        fmt::format("'{}' is not a device type name", t));
    if (p.capacity && *p.capacity < 0)
        return fail(Errc::Invalid, "policy.capacity", "must be 0 or more, or null for unlimited");
    if (p.dedicated_owner && p.dedicated_owner->empty())
        return fail(Errc::Invalid, "policy.dedicated_owner", "must be a user id or null");
    return {};
}

/// A new server's pools: at least /16 (IPv4) and /48 (IPv6) long, and apart from every other
/// server's pools.
Result<void> check_new_pools(const NetworkState& state, const Server& server) {
    std::string why;
    for (auto [field, text, min] :
         {std::tuple{"ipv4_pool", &server.ipv4_pool, kMinIpv4PoolPrefix},
          std::tuple{"ipv6_pool", &server.ipv6_pool, kMinIpv6PoolPrefix}}) {
        if (text->empty()) continue;
        auto pool = AddressPool::parse(*text, why);
        if (!pool) return fail(Errc::Invalid, field, why);
        if (pool->prefix < min)
            return fail(Errc::Invalid, field,
                        fmt::format("{} is too large a block: the prefix must be /{} or longer",
                                    *text, min));
        for (const auto& [id, other] : state.servers) {
            if (id == server.server_id) continue;
            for (const auto* other_text : {&other.ipv4_pool, &other.ipv6_pool}) {
                auto o = AddressPool::parse(*other_text, why);
                if (o && pool->overlaps(*o))
                    return fail(Errc::Conflict, field,
                                fmt::format("{} overlaps the pool {} of server '{}'", *text,
                                            *other_text, id));
            }
        }
    }
    return {};
}

}  // namespace

Result<std::vector<NetworkEvent>> decide(const NetworkState& s, const DefinePlan& c,
                                         const DecisionContext&) {
    SY_TRY(check_plan(c.plan, ""));
    auto it = s.plans.find(c.plan.plan_id);
    if (it != s.plans.end() && it->second == c.plan) return std::vector<NetworkEvent>{};
    return std::vector<NetworkEvent>{PlanDefined{c.plan}};
}

Result<std::vector<NetworkEvent>> decide(const NetworkState& s, const RemovePlan& c,
                                         const DecisionContext&) {
    if (!s.plans.count(c.plan_id))
        return fail(Errc::NotFound, "plan_id", fmt::format("plan '{}' does not exist", c.plan_id));
    return std::vector<NetworkEvent>{PlanRemoved{c.plan_id}};
}

Result<std::vector<NetworkEvent>> decide(const NetworkState& s, const SeedPlans& c,
                                         const DecisionContext&) {
    std::vector<NetworkEvent> out;
    for (std::size_t i = 0; i < c.plans.size(); ++i) {
        SY_TRY(check_plan(c.plans[i], fmt::format("plans[{}].", i)));
        if (!s.plans_ever_defined) out.push_back(PlanDefined{c.plans[i]});
    }
    return out;
}

Result<std::vector<NetworkEvent>> decide(const NetworkState& s, const DefineServer& c,
                                         const DecisionContext&) {
    Server server = c.server;
    auto it = s.servers.find(server.server_id);
    if (it != s.servers.end() && server.public_key.empty()) {
        server.public_key = it->second.public_key;
        server.private_key_sealed = it->second.private_key_sealed;
    }
    SY_TRY(check_server(server));
    if (it != s.servers.end() && it->second.ipv4_pool != server.ipv4_pool)
        return fail(Errc::Rejected, "ipv4_pool",
                    "cannot change while peers may hold its addresses; define a new server");
    if (it != s.servers.end() && it->second.ipv6_pool != server.ipv6_pool)
        return fail(Errc::Rejected, "ipv6_pool",
                    "cannot change while peers may hold its addresses; define a new server");
    // Pools never change after the first definition, so a new server's are checked against the
    // others: no huge block, no address that two servers could hand out.
    if (it == s.servers.end()) SY_TRY(check_new_pools(s, server));
    for (const auto& [id, other] : s.servers) {
        if (id != server.server_id && other.endpoint_host == server.endpoint_host &&
            other.listen_port == server.listen_port)
            return fail(Errc::Conflict, "listen_port",
                        fmt::format("server '{}' already listens on {}:{}", id,
                                    server.endpoint_host, server.listen_port));
    }
    if (it != s.servers.end() && it->second == server) return std::vector<NetworkEvent>{};
    return std::vector<NetworkEvent>{ServerDefined{std::move(server)}};
}

Result<std::vector<NetworkEvent>> decide(const NetworkState& s,
                                         const ServerAllocationState& allocations,
                                         const RemoveServer& c, const DecisionContext&) {
    if (!s.servers.count(c.server_id))
        return fail(Errc::NotFound, "server_id",
                    fmt::format("server '{}' does not exist", c.server_id));
    if (allocations.peers > 0 || !allocations.tcp_ports.empty() || !allocations.udp_ports.empty())
        return fail(Errc::Rejected, "server_id",
                    fmt::format("server '{}' still carries {} peers and {} forwarded ports",
                                c.server_id, allocations.peers,
                                allocations.tcp_ports.size() + allocations.udp_ports.size()));
    return std::vector<NetworkEvent>{ServerRemoved{c.server_id}};
}

}  // namespace switchyard::core::vpn
