#include "core/vpn/customer_decider.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "core/overloaded.hpp"
#include "core/text.hpp"
#include "core/vpn/account.hpp"
#include "core/vpn/address_pool.hpp"
#include "core/vpn/oui.hpp"
#include "core/vpn/selection.hpp"

namespace switchyard::core::vpn {

const char* to_string(DisableReason r) noexcept {
    switch (r) {
        case DisableReason::Manual:
            return "manual";
        case DisableReason::Expired:
            return "expired";
        case DisableReason::QuotaExceeded:
            return "quota_exceeded";
        case DisableReason::Unpaid:
            return "unpaid";
    }
    return "manual";
}

bool parse_disable_reason(std::string_view text, DisableReason& out) noexcept {
    for (auto r : {DisableReason::Manual, DisableReason::Expired, DisableReason::QuotaExceeded,
                   DisableReason::Unpaid}) {
        if (text == to_string(r)) {
            out = r;
            return true;
        }
    }
    return false;
}

const char* to_string(ForwardProtocol p) noexcept {
    switch (p) {
        case ForwardProtocol::Tcp:
            return "tcp";
        case ForwardProtocol::Udp:
            return "udp";
        case ForwardProtocol::Both:
            return "both";
    }
    return "tcp";
}

bool parse_forward_protocol(std::string_view text, ForwardProtocol& out) noexcept {
    for (auto p : {ForwardProtocol::Tcp, ForwardProtocol::Udp, ForwardProtocol::Both}) {
        if (text == to_string(p)) {
            out = p;
            return true;
        }
    }
    return false;
}

void evolve(CustomerState& s, const CustomerEvent& event) {
    std::visit(
        Overloaded{
            [&](const PlanSubscribed& e) {
                s.plan_id = e.plan_id;
                s.owner_path = e.owner_path;
            },
            [&](const DeviceAdded& e) { s.devices[e.device.device_id] = e.device; },
            [&](const DeviceServerAssigned& e) {
                auto it = s.devices.find(e.device_id);
                if (it == s.devices.end()) return;
                it->second.server_id = e.server_id;
                it->second.server_reason = e.reason;
            },
            [&](const DeviceRemoved& e) {
                s.devices.erase(e.device_id);
                s.peers.erase(e.device_id);
            },
            [&](const PeerCreated& e) { s.peers[e.device_id] = e.peer; },
            [&](const PeerLimitsChanged& e) {
                if (auto it = s.peers.find(e.device_id); it != s.peers.end())
                    it->second.limits = e.limits;
            },
            [&](const PeerDisabled& e) {
                if (auto it = s.peers.find(e.device_id); it != s.peers.end()) {
                    it->second.enabled = false;
                    it->second.disabled_reason = e.reason;
                }
            },
            [&](const PeerEnabled& e) {
                if (auto it = s.peers.find(e.device_id); it != s.peers.end()) {
                    it->second.enabled = true;
                    it->second.disabled_reason.reset();
                }
            },
            [&](const PeerRemoved& e) { s.peers.erase(e.device_id); },
            [&](const PeerKeysResealed& e) {
                if (auto it = s.peers.find(e.device_id); it != s.peers.end()) {
                    it->second.private_key_sealed = e.private_key_sealed;
                    it->second.preshared_key_sealed = e.preshared_key_sealed;
                }
            },
            [&](const PortForwardCreated& e) {
                s.forwards[e.forward.forward_id] = e.forward;
                s.next_forward_id = std::max(s.next_forward_id, e.forward.forward_id + 1);
            },
            [&](const PortForwardUpdated& e) { s.forwards[e.forward.forward_id] = e.forward; },
            [&](const PortForwardRemoved& e) { s.forwards.erase(e.forward_id); },
        },
        event);
}

namespace {

std::set<std::int64_t>& ports_of(ServerAllocationState& s, ForwardProtocol p) {
    return p == ForwardProtocol::Udp ? s.udp_ports : s.tcp_ports;
}

template <class Fn>
void each_protocol(ForwardProtocol p, Fn&& fn) {
    if (p == ForwardProtocol::Both) {
        fn(ForwardProtocol::Tcp);
        fn(ForwardProtocol::Udp);
    } else {
        fn(p);
    }
}

}  // namespace

void evolve(ServerAllocationState& s, const ServerAllocationEvent& event) {
    std::visit(Overloaded{
                   [&](const AddressesAssigned& e) {
                       s.addresses.insert(e.ipv4);
                       if (!e.ipv6.empty()) s.addresses.insert(e.ipv6);
                       ++s.peers;
                   },
                   [&](const AddressesReleased& e) {
                       s.addresses.erase(e.ipv4);
                       if (!e.ipv6.empty()) s.addresses.erase(e.ipv6);
                       if (s.peers > 0) --s.peers;
                   },
                   [&](const PortReserved& e) {
                       each_protocol(e.protocol, [&](ForwardProtocol p) {
                           ports_of(s, p).insert(e.external_port);
                       });
                   },
                   [&](const PortReleased& e) {
                       each_protocol(e.protocol, [&](ForwardProtocol p) {
                           ports_of(s, p).erase(e.external_port);
                       });
                   },
               },
               event);
}

DeviceCounts count_devices(const CustomerState& s) {
    DeviceCounts out;
    for (const auto& [id, d] : s.devices) {
        ++out.categories[d.classification.category];
        ++out.types[d.classification.type];
    }
    return out;
}

namespace {

bool printable(std::string_view s, std::size_t max) {
    return s.size() <= max && is_valid_utf8(s) && !has_control_chars(s);
}

bool valid_device_id(std::string_view id) {
    return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
               ch == '_' || ch == '.' || ch == ':' || ch == '-';
    });
}

Result<void> check_device(const DeviceInput& d, const std::string& p) {
    if (!valid_device_id(d.device_id))
        return fail(Errc::Invalid, p + "id", "must be 1 to 64 of A-Z a-z 0-9 _ . : -");
    if (!d.ip.empty() && !is_ip_address(d.ip))
        return fail(Errc::Invalid, p + "ip", "must be an IPv4 or IPv6 address");
    if (!d.mac.empty() && !parse_mac(d.mac))
        return fail(Errc::Invalid, p + "mac", "must be a MAC address such as D8:1D:2E:AA:BB:CC");
    if (!printable(d.hostname, 253))
        return fail(Errc::Invalid, p + "hostname", "must be at most 253 printable characters");
    if (!printable(d.vendor, 128))
        return fail(Errc::Invalid, p + "vendor", "must be at most 128 printable characters");
    if (!printable(d.type, 32))
        return fail(Errc::Invalid, p + "type", "must be at most 32 printable characters");
    if (!printable(d.type_name, 128))
        return fail(Errc::Invalid, p + "type_name", "must be at most 128 printable characters");
    if (!printable(d.icon, 16))
        return fail(Errc::Invalid, p + "icon", "must be at most 16 bytes of printable text");
    if (d.open_ports.size() > 64) return fail(Errc::Invalid, p + "open_ports", "at most 64 ports");
    for (std::size_t i = 0; i < d.open_ports.size(); ++i) {
        const auto& op = d.open_ports[i];
        if (op.port < 1 || op.port > 65535)
            return fail(Errc::Invalid, fmt::format("{}open_ports[{}].port", p, i),
                        fmt::format("{} is not a port (1-65535)", op.port));
        if (!printable(op.service, 32))
            return fail(Errc::Invalid, fmt::format("{}open_ports[{}].service", p, i),
                        "must be at most 32 printable characters");
    }
    if (!d.server_id.empty() && d.server_id.size() > 32)
        return fail(Errc::Invalid, p + "server_id", "must be a server id");
    return {};
}

}  // namespace

std::optional<Timestamp> parse_discovered_at(const std::string& text) {
    if (auto t = parse_rfc3339(text)) return t;
    if (text.size() == 19 && text[10] == 'T') return parse_rfc3339(text + "Z");
    return std::nullopt;
}

namespace {

Result<const Plan*> plan_of(const CustomerState& s, const NetworkState& network) {
    if (s.plan_id.empty())
        return fail(Errc::Rejected, "plan_id", "the customer has no plan; subscribe to one first");
    auto it = network.plans.find(s.plan_id);
    if (it == network.plans.end())
        return fail(Errc::Rejected, "plan_id",
                    fmt::format("the customer's plan '{}' no longer exists", s.plan_id));
    return &it->second;
}

std::string limit_name(DeviceCategory c) {
    return c == DeviceCategory::HomeNetwork ? "home-network devices" : "personal devices";
}

/// Why one more device of `c` would break the plan; none when it fits.
std::optional<std::string> limit_refusal(const Plan& plan, const DeviceCounts& counts,
                                         const Classification& c) {
    if (auto max = plan.max_for(c.category)) {
        auto it = counts.categories.find(c.category);
        const auto have = it == counts.categories.end() ? 0 : it->second;
        if (have >= *max)
            return fmt::format("plan {} allows {} {}; {} are in use", plan.name, *max,
                               limit_name(c.category), have);
    }
    if (auto tm = plan.type_max.find(c.type); tm != plan.type_max.end()) {
        auto it = counts.types.find(c.type);
        const auto have = it == counts.types.end() ? 0 : it->second;
        if (have >= tm->second)
            return fmt::format("plan {} allows at most {} {}; {} in use", plan.name, tm->second,
                               c.type, have);
    }
    return std::nullopt;
}

}  // namespace

Result<CustomerDecision> decide(const CustomerState& s, const NetworkState& network,
                                const Subscribe& c, const DecisionContext&) {
    auto it = network.plans.find(c.plan_id);
    if (it == network.plans.end())
        return fail(Errc::NotFound, "plan_id", fmt::format("plan '{}' does not exist", c.plan_id));
    const auto& plan = it->second;
    const auto counts = count_devices(s);
    for (auto cat : {DeviceCategory::HomeNetwork, DeviceCategory::Personal}) {
        auto max = plan.max_for(cat);
        auto have = counts.categories.count(cat) ? counts.categories.at(cat) : 0;
        if (max && have > *max)
            return fail(Errc::Rejected, "plan_id",
                        fmt::format("plan {} allows {} {} but the customer has {}; remove some "
                                    "first",
                                    plan.name, *max, limit_name(cat), have));
    }
    for (const auto& [type, max] : plan.type_max) {
        auto have = counts.types.count(type) ? counts.types.at(type) : 0;
        if (have > max)
            return fail(Errc::Rejected, "plan_id",
                        fmt::format("plan {} allows {} {} but the customer has {}", plan.name, max,
                                    type, have));
    }
    CustomerDecision out;
    if (s.plan_id != c.plan_id || s.owner_path != c.owner_path)
        out.events.push_back(PlanSubscribed{c.plan_id, c.owner_path});
    return out;
}

namespace {

/// The device an AddDevices input becomes once added.
Device added_device(const DeviceInput& in, const DeviceOutcome& o, const Classification& c,
                    const std::string& source, Timestamp now) {
    return Device{.device_id = in.device_id,
                  .name = o.name,
                  .ip = in.ip,
                  .mac = in.mac,
                  .hostname = in.hostname,
                  .vendor = in.vendor,
                  .declared_type = in.type,
                  .icon = in.icon,
                  .open_ports = in.open_ports,
                  .discovered_at = in.discovered_at,
                  .classification = c,
                  .server_id = o.server_id,
                  .server_reason = o.reason,
                  .source = source,
                  .added_at = now};
}

/// A device added by itself is refused where one of a scan is skipped: Conflict naming `id`
/// when it is already on the account, else Rejected naming `server_id` (limits, servers).
Result<void> refuse_single(const DeviceOutcome& o, bool duplicate) {
    if (o.added) return {};
    return fail(duplicate ? Errc::Conflict : Errc::Rejected, duplicate ? "id" : "server_id",
                o.reason);
}

}  // namespace

Result<CustomerDecision> decide(const CustomerState& s, const NetworkState& network,
                                const ClassificationRules& rules, const AddDevices& c,
                                const DecisionContext& ctx) {
    if (c.devices.size() > kMaxScanDevices)
        return fail(Errc::Invalid, "devices", fmt::format("at most {} devices", kMaxScanDevices));
    for (std::size_t i = 0; i < c.devices.size(); ++i)
        SY_TRY(check_device(c.devices[i], c.single ? "" : fmt::format("devices[{}].", i)));
    const Plan* plan = SY_TRY(plan_of(s, network));

    CustomerDecision out;
    auto counts = count_devices(s);
    std::set<std::string> ids, macs;
    for (const auto& [id, d] : s.devices) {
        ids.insert(id);
        if (auto m = parse_mac(d.mac)) macs.insert(std::to_string(*m));
    }
    for (const auto& in : c.devices) {
        DeviceOutcome o;
        o.device_id = in.device_id;
        o.name = !in.type_name.empty()  ? in.type_name
                 : !in.hostname.empty() ? in.hostname
                                        : in.device_id;
        const auto classification =
            classify(rules, {in.type, in.vendor, in.oui_vendor, in.hostname, in.open_ports});
        const auto* type = rules.find(classification.type);
        o.type = classification.type;
        o.category = classification.category;
        o.classification = classification.reasons;
        const auto mac = parse_mac(in.mac);
        const bool same_id = ids.count(in.device_id) != 0;
        const bool same_mac = !same_id && mac && macs.count(std::to_string(*mac));
        if (same_id) {
            o.reason = "already on the account (same id)";
        } else if (same_mac) {
            o.reason = "already on the account (same MAC address)";
        } else if (auto why = limit_refusal(*plan, counts, classification)) {
            o.reason = *why;
        } else {
            auto choice =
                in.server_id.empty()
                    ? select_server(network, *plan, c.customer_id, classification, *type, c.load)
                    : check_assignment(network, *plan, c.customer_id, classification, *type,
                                       in.server_id,
                                       c.load.count(in.server_id) ? c.load.at(in.server_id) : 0);
            if (!choice) {
                o.reason = choice.error().message;
            } else {
                o.added = true;
                o.server_id = choice->server_id;
                o.server_name = choice->server_name;
                o.reason = choice->reason;
            }
        }
        if (c.single) SY_TRY(refuse_single(o, same_id || same_mac));
        if (o.added) {
            out.events.push_back(
                DeviceAdded{added_device(in, o, classification, c.source, ctx.now)});
            ++counts.categories[classification.category];
            ++counts.types[classification.type];
            if (mac) macs.insert(std::to_string(*mac));
        }
        ids.insert(in.device_id);  // a second entry with the same id in one scan is skipped
        out.devices.push_back(std::move(o));
    }
    return out;
}

Result<CustomerDecision> decide(const CustomerState& s, const NetworkState& network,
                                const ClassificationRules& rules, const AssignServer& c,
                                const DecisionContext&) {
    const Device* d = SY_TRY(find_device(s, c.device_id));
    const Plan* plan = SY_TRY(plan_of(s, network));
    const auto* type = rules.find(d->classification.type);
    if (!type) type = rules.find(rules.fallback_type);
    if (d->server_id == c.server_id) return CustomerDecision{};
    if (auto it = s.peers.find(c.device_id); it != s.peers.end())
        return fail(Errc::Rejected, "server_id",
                    fmt::format("device '{}' has a peer on '{}'; remove the peer first",
                                c.device_id, it->second.server_id));
    auto choice = SY_TRY(check_assignment(network, *plan, c.customer_id, d->classification, *type,
                                          c.server_id, c.load));
    CustomerDecision out;
    out.events.push_back(DeviceServerAssigned{c.device_id, choice.server_id, choice.reason});
    return out;
}

namespace {

void release_forward(CustomerDecision& out, const PortForward& f) {
    out.events.push_back(PortForwardRemoved{f.forward_id});
    out.allocations[f.server_id].push_back(PortReleased{f.external_port, f.protocol});
}

void release_peer(CustomerDecision& out, const std::string& device_id, const Peer& p) {
    out.events.push_back(PeerRemoved{device_id});
    out.allocations[p.server_id].push_back(AddressesReleased{p.ipv4, p.ipv6});
}

}  // namespace

Result<CustomerDecision> decide(const CustomerState& s, const RemoveDevice& c,
                                const DecisionContext&) {
    SY_TRY(find_device(s, c.device_id));
    CustomerDecision out;
    for (const auto& [id, f] : s.forwards)
        if (f.device_id == c.device_id) release_forward(out, f);
    if (auto it = s.peers.find(c.device_id); it != s.peers.end())
        release_peer(out, c.device_id, it->second);
    out.events.push_back(DeviceRemoved{c.device_id});
    return out;
}

namespace {

bool is_wireguard_key(std::string_view k) {
    if (k.size() != 44 || k[43] != '=') return false;
    for (std::size_t i = 0; i < 43; ++i) {
        const char ch = k[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '+' || ch == '/'))
            return false;
    }
    // The last character before '=' carries 2 bits of padding that must be zero.
    return std::string_view("AEIMQUYcgkosw048").find(k[42]) != std::string_view::npos;
}

Result<void> check_limits(const PeerLimits& l) {
    if (l.quota_bytes && *l.quota_bytes < 0)
        return fail(Errc::Invalid, "quota_bytes", "must be 0 or more bytes, or null for none");
    return {};
}

/// A peer's new expiry must lie after now: one already past would make a peer that the expiry
/// adapter cuts at once (or a "live" peer that never worked).
Result<void> check_expiry(const PeerLimits& l, const DecisionContext& ctx) {
    if (l.expires_at && *l.expires_at <= ctx.now)
        return fail(Errc::Rejected, "expires_at",
                    fmt::format("{} is not in the future (now is {}): a peer must expire later",
                                format_rfc3339(*l.expires_at), format_rfc3339(ctx.now)));
    return {};
}

}  // namespace

Result<CustomerDecision> decide(const CustomerState& s, const NetworkState& network,
                                const ServerAllocationState& allocations, const CreatePeer& c,
                                const DecisionContext& ctx) {
    const Device* d = SY_TRY(find_device(s, c.device_id));
    if (s.peers.count(c.device_id))
        return fail(Errc::Conflict, "device_id",
                    fmt::format("device '{}' already has a peer", c.device_id));
    if (!is_wireguard_key(c.public_key))
        return fail(Errc::Invalid, "public_key", "must be a WireGuard key: base64 of 32 bytes");
    SY_TRY(check_limits(c.limits));
    SY_TRY(check_expiry(c.limits, ctx));
    if (d->server_id.empty())
        return fail(Errc::Rejected, "server_id",
                    fmt::format("device '{}' has no server: {}", c.device_id, d->server_reason));
    auto sit = network.servers.find(d->server_id);
    if (sit == network.servers.end())
        return fail(Errc::Rejected, "server_id",
                    fmt::format("the device's server '{}' no longer exists", d->server_id));
    const auto& server = sit->second;
    if (server.public_key == c.public_key)
        return fail(Errc::Invalid, "public_key", "is the server's own key");
    if (server.policy.capacity && allocations.peers >= *server.policy.capacity)
        return fail(Errc::Rejected, "server_id",
                    fmt::format("{} is full ({} peers)", server.name, *server.policy.capacity));
    Peer p;
    p.server_id = server.server_id;
    p.public_key = c.public_key;
    p.private_key_sealed = c.private_key_sealed;
    p.preshared_key_sealed = c.preshared_key_sealed;
    p.dns = c.dns.value_or(server.dns);
    if (p.dns.size() > 4) return fail(Errc::Invalid, "dns", "at most 4 servers");
    for (const auto& ip : p.dns)
        if (!is_ip_address(ip))
            return fail(Errc::Invalid, "dns", fmt::format("'{}' is not an IP address", ip));
    p.persistent_keepalive = c.persistent_keepalive.value_or(server.persistent_keepalive);
    if (p.persistent_keepalive < 0 || p.persistent_keepalive > 65535)
        return fail(Errc::Invalid, "persistent_keepalive", "must be 0 to 65535 seconds");
    p.limits = c.limits;
    std::string why;
    auto v4 = AddressPool::parse(server.ipv4_pool, why);
    auto ipv4 = v4 ? v4->first_free(allocations.addresses) : std::nullopt;
    if (!ipv4)
        return fail(
            Errc::Rejected, "server_id",
            fmt::format("{} has no free IPv4 address in {}", server.name, server.ipv4_pool));
    p.ipv4 = *ipv4;
    if (!server.ipv6_pool.empty()) {
        auto v6 = AddressPool::parse(server.ipv6_pool, why);
        auto ipv6 = v6 ? v6->first_free(allocations.addresses) : std::nullopt;
        if (!ipv6)
            return fail(
                Errc::Rejected, "server_id",
                fmt::format("{} has no free IPv6 address in {}", server.name, server.ipv6_pool));
        p.ipv6 = *ipv6;
    }
    CustomerDecision out;
    out.allocations[server.server_id].push_back(
        AddressesAssigned{p.ipv4, p.ipv6, c.customer_id, c.device_id});
    out.events.push_back(PeerCreated{c.device_id, std::move(p)});
    return out;
}

Result<CustomerDecision> decide(const CustomerState& s, const UpdatePeer& c,
                                const DecisionContext& ctx) {
    const Peer* p = SY_TRY(find_peer(s, c.device_id));
    CustomerDecision out;
    if (c.limits) {
        SY_TRY(check_limits(*c.limits));
        // A changed expiry must lie ahead; an unchanged one (a quota edit) may have passed.
        if (c.limits->expires_at != p->limits.expires_at) SY_TRY(check_expiry(*c.limits, ctx));
        if (!(*c.limits == p->limits))
            out.events.push_back(PeerLimitsChanged{c.device_id, *c.limits});
    }
    if (c.enabled && *c.enabled != p->enabled) {
        if (*c.enabled) {
            out.events.push_back(PeerEnabled{c.device_id});
        } else {
            out.events.push_back(PeerDisabled{c.device_id, DisableReason::Manual});
        }
    }
    return out;
}

Result<CustomerDecision> decide(const CustomerState& s, const DisablePeer& c,
                                const DecisionContext&) {
    const Peer* p = SY_TRY(find_peer(s, c.device_id));
    CustomerDecision out;
    if (p->enabled) out.events.push_back(PeerDisabled{c.device_id, c.reason});
    return out;
}

Result<CustomerDecision> decide(const CustomerState& s, const RemovePeer& c,
                                const DecisionContext&) {
    const Peer* p = SY_TRY(find_peer(s, c.device_id));
    CustomerDecision out;
    release_peer(out, c.device_id, *p);
    return out;
}

std::optional<Error> check_forward_spec(const ForwardSpec& f, const std::string& p) {
    if (!f.local_ip.empty() && !is_ip_address(f.local_ip))
        return Error{Errc::Invalid, p + "local_ip", "must be an IPv4 or IPv6 address"};
    if (f.local_port < 1 || f.local_port > 65535)
        return Error{Errc::Invalid, p + "local_port",
                     fmt::format("{} is not a port (1-65535)", f.local_port)};
    if (f.external_port && (*f.external_port < 1 || *f.external_port > 65535))
        return Error{Errc::Invalid, p + "external_port",
                     fmt::format("{} is not a port (1-65535)", *f.external_port)};
    if (!printable(f.description, 128))
        return Error{Errc::Invalid, p + "description", "must be at most 128 printable characters"};
    return std::nullopt;
}

namespace {

bool port_free(const ServerAllocationState& a, const Server& server, std::int64_t port,
               ForwardProtocol protocol) {
    bool free = true;
    each_protocol(protocol, [&](ForwardProtocol p) {
        if (p == ForwardProtocol::Udp && port == server.listen_port) free = false;
        if (p == ForwardProtocol::Udp ? a.udp_ports.count(port) : a.tcp_ports.count(port))
            free = false;
    });
    return free;
}

/// Reserves `f`'s external port (allocating one when unset) in `a` and `out`.
Result<void> reserve(ServerAllocationState& a, const Server& server, PortForward& f,
                     const std::optional<std::int64_t>& requested, const std::string& customer_id,
                     CustomerDecision& out, const std::string& prefix) {
    if (requested) {
        if (!port_free(a, server, *requested, f.protocol))
            return fail(Errc::Conflict, prefix + "external_port",
                        fmt::format("{} {} is already forwarded on {}", to_string(f.protocol),
                                    *requested, server.name));
        f.external_port = *requested;
    } else {
        std::int64_t port = kFirstAllocatedPort;
        while (port <= 65535 && !port_free(a, server, port, f.protocol)) ++port;
        if (port > 65535)
            return fail(Errc::Rejected, prefix + "external_port",
                        fmt::format("{} has no free {} port", server.name, to_string(f.protocol)));
        f.external_port = port;
    }
    PortReserved r{f.external_port, f.protocol, customer_id, f.forward_id};
    evolve(a, r);
    out.allocations[server.server_id].push_back(r);
    return {};
}

Result<const Server*> forward_server(const NetworkState& network, const Device& d) {
    if (d.server_id.empty())
        return fail(Errc::Rejected, "device_id",
                    fmt::format("device '{}' has no server to forward through", d.device_id));
    auto it = network.servers.find(d.server_id);
    if (it == network.servers.end())
        return fail(Errc::Rejected, "device_id",
                    fmt::format("the device's server '{}' no longer exists", d.server_id));
    return &it->second;
}

}  // namespace

Result<CustomerDecision> decide(const CustomerState& s, const NetworkState& network,
                                const ServerAllocationState& allocations,
                                const CreatePortForwards& c, const DecisionContext&) {
    const Device* d = SY_TRY(find_device(s, c.device_id));
    if (c.ports.empty())
        return fail(Errc::Invalid, c.field_prefix + "ports", "name at least one port");
    for (std::size_t i = 0; i < c.ports.size(); ++i) {
        const auto prefix =
            c.ports.size() > 1 ? fmt::format("{}ports[{}].", c.field_prefix, i) : c.field_prefix;
        if (auto e = check_forward_spec(c.ports[i], prefix)) return fail(*e);
    }
    const Server* server = SY_TRY(forward_server(network, *d));
    CustomerDecision out;
    auto a = allocations;
    auto next_id = s.next_forward_id;
    for (std::size_t i = 0; i < c.ports.size(); ++i) {
        const auto& spec = c.ports[i];
        const auto prefix =
            c.ports.size() > 1 ? fmt::format("{}ports[{}].", c.field_prefix, i) : c.field_prefix;
        PortForward f;
        f.forward_id = next_id++;
        f.device_id = d->device_id;
        f.server_id = server->server_id;
        f.local_ip = spec.local_ip.empty() ? d->ip : spec.local_ip;
        if (f.local_ip.empty())
            return fail(Errc::Invalid, prefix + "local_ip",
                        "is required: the device has no IP address on record");
        f.local_port = spec.local_port;
        f.protocol = spec.protocol;
        f.description = spec.description;
        SY_TRY(reserve(a, *server, f, spec.external_port, c.customer_id, out, prefix));
        out.forward_ids.push_back(f.forward_id);
        out.events.push_back(PortForwardCreated{std::move(f)});
    }
    return out;
}

Result<CustomerDecision> decide(const CustomerState& s, const NetworkState& network,
                                const ServerAllocationState& allocations,
                                const UpdatePortForward& c, const DecisionContext&) {
    const auto& old = *SY_TRY(find_forward(s, c.forward_id));
    PortForward f = old;
    if (c.local_ip) f.local_ip = *c.local_ip;
    if (c.local_port) f.local_port = *c.local_port;
    if (c.protocol) f.protocol = *c.protocol;
    if (c.description) f.description = *c.description;
    if (c.status) {
        if (*c.status != "active" && *c.status != "disabled")
            return fail(Errc::Invalid, "status", "must be active or disabled");
        f.status = *c.status;
    }
    if (auto e = check_forward_spec(
            {f.local_ip, f.local_port, c.external_port, f.protocol, f.description}, ""))
        return fail(*e);
    if (f.local_ip.empty()) return fail(Errc::Invalid, "local_ip", "is required");
    CustomerDecision out;
    const bool moved =
        (c.external_port && *c.external_port != old.external_port) || f.protocol != old.protocol;
    if (moved) {
        auto sit = network.servers.find(old.server_id);
        if (sit == network.servers.end())
            return fail(Errc::Rejected, "external_port",
                        fmt::format("server '{}' no longer exists", old.server_id));
        auto a = allocations;
        PortReleased r{old.external_port, old.protocol};
        evolve(a, r);
        out.allocations[old.server_id].push_back(r);
        SY_TRY(reserve(a, sit->second, f, c.external_port.value_or(old.external_port),
                       c.customer_id, out, ""));
    }
    if (!(f == old)) out.events.push_back(PortForwardUpdated{f});
    if (out.events.empty()) out.allocations.clear();
    return out;
}

Result<CustomerDecision> decide(const CustomerState& s, const RemovePortForward& c,
                                const DecisionContext&) {
    const PortForward* f = SY_TRY(find_forward(s, c.forward_id));
    CustomerDecision out;
    release_forward(out, *f);
    return out;
}

}  // namespace switchyard::core::vpn
