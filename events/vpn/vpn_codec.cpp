#include "events/vpn/vpn_codec.hpp"

#include "events/codec_kit.hpp"
#include "events/vpn/vpn_json.hpp"

namespace switchyard::events::vpn {

using namespace core::vpn;

namespace {

/// A device (`vpn.device.added`, and the API's view of it).
constexpr auto kDevice =
    fields(field("device_id", &Device::device_id), field("name", &Device::name),
           field("ip", &Device::ip), field("mac", &Device::mac),
           field("hostname", &Device::hostname), field("vendor", &Device::vendor),
           field("declared_type", &Device::declared_type), field("icon", &Device::icon),
           objects("open_ports", &Device::open_ports,
                   fields(field("port", &OpenPort::port), field("service", &OpenPort::service))),
           field("discovered_at", &Device::discovered_at),
           flat(&Device::classification,
                fields(field("type", &Classification::type),
                       field("category", &Classification::category, parse_device_category),
                       field("high_bandwidth", &Classification::high_bandwidth),
                       field("reasons", &Classification::reasons))),
           field("server_id", &Device::server_id), field("server_reason", &Device::server_reason),
           field("source", &Device::source), field("added_at", &Device::added_at));

/// A port forward (`vpn.port_forward.created` and `.updated`).
constexpr auto kPortForward =
    fields(field("forward_id", &PortForward::forward_id),
           field("device_id", &PortForward::device_id), field("server_id", &PortForward::server_id),
           field("local_ip", &PortForward::local_ip), field("local_port", &PortForward::local_port),
           field("external_port", &PortForward::external_port),
           field("protocol", &PortForward::protocol, parse_forward_protocol),
           field("description", &PortForward::description), field("status", &PortForward::status));

}  // namespace

json::object device_json(const Device& d) { return to_json(d, kDevice); }

json::object peer_json(const std::string& device_id, const Peer& p, bool with_secret) {
    json::object o{
        {"device_id", device_id},
        {"server_id", p.server_id},
        {"public_key", p.public_key},
        {"ipv4", p.ipv4},
        {"ipv6", p.ipv6},
        {"dns", strings(p.dns)},
        {"persistent_keepalive", p.persistent_keepalive},
        {"expires_at", opt_time(p.limits.expires_at)},
        {"quota_bytes", opt(p.limits.quota_bytes)},
        {"enabled", p.enabled},
        {"disabled_reason",
         p.disabled_reason ? json::value(to_string(*p.disabled_reason)) : json::value(nullptr)}};
    if (with_secret) {
        o["private_key_sealed"] = p.private_key_sealed;
        o["preshared_key_sealed"] = p.preshared_key_sealed;
    } else {
        o["key_held_by"] = p.private_key_sealed.empty() ? "client" : "switchyard";
    }
    return o;
}

json::object plan_json(const Plan& p) {
    json::object types;
    for (const auto& [t, max] : p.type_max) types[t] = max;
    return {{"plan_id", p.plan_id},
            {"name", p.name},
            {"home_network_max", opt(p.home_network_max)},
            {"personal_max", opt(p.personal_max)},
            {"type_max", std::move(types)},
            {"vip_access", p.vip_access},
            {"dedicated_server_only", p.dedicated_server_only}};
}

Plan get_plan(const JsonObject& o) {
    Plan p;
    p.plan_id = o.str("plan_id");
    p.name = o.str("name");
    p.home_network_max = o.opt_i64("home_network_max");
    p.personal_max = o.opt_i64("personal_max");
    if (o.has("type_max")) p.type_max = o.i64_map("type_max");
    p.vip_access = o.opt_boolean("vip_access", false);
    p.dedicated_server_only = o.opt_boolean("dedicated_server_only", false);
    return p;
}

json::object server_json(const Server& s, bool with_secret) {
    const auto& p = s.policy;
    json::array cats;
    for (auto c : p.allowed_categories) cats.emplace_back(to_string(c));
    json::object o{{"server_id", s.server_id},
                   {"name", s.name},
                   {"location", s.location},
                   {"endpoint_host", s.endpoint_host},
                   {"listen_port", s.listen_port},
                   {"public_key", s.public_key},
                   {"ipv4_pool", s.ipv4_pool},
                   {"ipv6_pool", s.ipv6_pool},
                   {"dns", strings(s.dns)},
                   {"client_allowed_ips", s.client_allowed_ips},
                   {"persistent_keepalive", s.persistent_keepalive},
                   {"policy", json::object{{"allowed_categories", std::move(cats)},
                                           {"allowed_types", strings(p.allowed_types)},
                                           {"bandwidth", to_string(p.bandwidth)},
                                           {"streaming_optimized", p.streaming_optimized},
                                           {"vip_only", p.vip_only},
                                           {"allowlist", strings(p.allowlist)},
                                           {"dedicated_owner", p.dedicated_owner
                                                                   ? json::value(*p.dedicated_owner)
                                                                   : json::value(nullptr)},
                                           {"capacity", opt(p.capacity)}}}};
    if (with_secret) o["private_key_sealed"] = s.private_key_sealed;
    return o;
}

namespace {

Peer get_peer(const JsonObject& o) {
    std::optional<DisableReason> disabled;
    if (!o.opt_str("disabled_reason").empty())
        disabled = o.enumerated("disabled_reason", parse_disable_reason);
    return {o.str("server_id"),
            o.str("public_key"),
            o.str("private_key_sealed"),
            o.str("preshared_key_sealed"),
            o.str("ipv4"),
            o.str("ipv6"),
            o.str_list("dns"),
            o.i64("persistent_keepalive"),
            PeerLimits{o.opt_time("expires_at"), o.opt_i64("quota_bytes")},
            o.boolean("enabled"),
            disabled};
}

ServerPolicy get_policy(const JsonObject& o) {
    ServerPolicy p;
    if (o.has("allowed_categories")) {
        p.allowed_categories.clear();
        for (const auto& c : o.str_list("allowed_categories")) {
            DeviceCategory cat{};
            if (!parse_device_category(c, cat)) throw FieldError{"policy.allowed_categories"};
            p.allowed_categories.push_back(cat);
        }
    }
    if (o.has("allowed_types")) p.allowed_types = o.str_list("allowed_types");
    if (auto b = o.opt_str("bandwidth"); !b.empty() && !parse_bandwidth_class(b, p.bandwidth))
        throw FieldError{"policy.bandwidth"};
    p.streaming_optimized = o.opt_boolean("streaming_optimized", false);
    p.vip_only = o.opt_boolean("vip_only", false);
    if (o.has("allowlist")) p.allowlist = o.str_list("allowlist");
    if (auto owner = o.opt_str("dedicated_owner"); !owner.empty()) p.dedicated_owner = owner;
    p.capacity = o.opt_i64("capacity");
    return p;
}

}  // namespace

Server get_server(const JsonObject& o) {
    Server s;
    s.server_id = o.str("server_id");
    s.name = o.str("name");
    s.location = o.opt_str("location");
    s.endpoint_host = o.str("endpoint_host");
    if (o.has("listen_port")) s.listen_port = o.i64("listen_port");
    s.public_key = o.opt_str("public_key");
    s.private_key_sealed = o.opt_str("private_key_sealed");
    s.ipv4_pool = o.str("ipv4_pool");
    s.ipv6_pool = o.opt_str("ipv6_pool");
    if (o.has("dns")) s.dns = o.str_list("dns");
    if (auto a = o.opt_str("client_allowed_ips"); !a.empty()) s.client_allowed_ips = a;
    if (o.has("persistent_keepalive")) s.persistent_keepalive = o.i64("persistent_keepalive");
    if (o.has("policy")) s.policy = get_policy(o.obj("policy"));
    return s;
}

namespace {

/// The payloads of the VPN events (events/codec_kit.hpp).
struct Codec {
    // ---- the offer (`vpn_network-<tenant>`) ----
    static json::object put(const PlanDefined& e) { return plan_json(e.plan); }
    static PlanDefined get(const JsonObject& o, As<PlanDefined>) { return {get_plan(o)}; }
    static auto payload(As<PlanRemoved>) { return fields(field("plan_id", &PlanRemoved::plan_id)); }
    static json::object put(const ServerDefined& e) { return server_json(e.server, true); }
    static ServerDefined get(const JsonObject& o, As<ServerDefined>) { return {get_server(o)}; }
    static auto payload(As<ServerRemoved>) {
        return fields(field("server_id", &ServerRemoved::server_id));
    }

    // ---- a customer (`vpn_customer-<user id>`) ----
    static auto payload(As<PlanSubscribed>) {
        return fields(field("plan_id", &PlanSubscribed::plan_id),
                      field("owner_path", &PlanSubscribed::owner_path));
    }
    static auto payload(As<DeviceAdded>) { return fields(flat(&DeviceAdded::device, kDevice)); }
    static auto payload(As<DeviceServerAssigned>) {
        using E = DeviceServerAssigned;
        return fields(field("device_id", &E::device_id), field("server_id", &E::server_id),
                      field("reason", &E::reason));
    }
    /// The events that name just a device: `{"device_id"}`.
    template <OneOf<DeviceRemoved, PeerEnabled, PeerRemoved> E>
    static auto payload(As<E>) {
        return fields(field("device_id", &E::device_id));
    }
    static json::object put(const PeerCreated& e) { return peer_json(e.device_id, e.peer, true); }
    static PeerCreated get(const JsonObject& o, As<PeerCreated>) {
        return {o.str("device_id"), get_peer(o)};
    }
    static auto payload(As<PeerLimitsChanged>) {
        using E = PeerLimitsChanged;
        return fields(field("device_id", &E::device_id),
                      flat(&E::limits, fields(field("expires_at", &PeerLimits::expires_at),
                                              field("quota_bytes", &PeerLimits::quota_bytes))));
    }
    static auto payload(As<PeerDisabled>) {
        return fields(field("device_id", &PeerDisabled::device_id),
                      field("reason", &PeerDisabled::reason, parse_disable_reason));
    }
    static auto payload(As<PeerKeysResealed>) {
        using E = PeerKeysResealed;
        return fields(field("device_id", &E::device_id),
                      field("private_key_sealed", &E::private_key_sealed),
                      field("preshared_key_sealed", &E::preshared_key_sealed));
    }
    /// A forward's events carry all its fields.
    template <OneOf<PortForwardCreated, PortForwardUpdated> E>
    static auto payload(As<E>) {
        return fields(flat(&E::forward, kPortForward));
    }
    static auto payload(As<PortForwardRemoved>) {
        return fields(field("forward_id", &PortForwardRemoved::forward_id));
    }

    // ---- a server's allocations (`vpn_server-<server id>`) ----
    static auto payload(As<AddressesAssigned>) {
        using E = AddressesAssigned;
        return fields(field("ipv4", &E::ipv4), field("ipv6", &E::ipv6),
                      field("customer_id", &E::customer_id), field("device_id", &E::device_id));
    }
    static auto payload(As<AddressesReleased>) {
        return fields(field("ipv4", &AddressesReleased::ipv4),
                      field("ipv6", &AddressesReleased::ipv6));
    }
    static auto payload(As<PortReserved>) {
        using E = PortReserved;
        return fields(field("external_port", &E::external_port),
                      field("protocol", &E::protocol, parse_forward_protocol),
                      field("customer_id", &E::customer_id), field("forward_id", &E::forward_id));
    }
    static auto payload(As<PortReleased>) {
        using E = PortReleased;
        return fields(field("external_port", &E::external_port),
                      field("protocol", &E::protocol, parse_forward_protocol));
    }

    // ---- observations (`vpn_usage-<server id>`, `vpn_diagnostics-<tenant>`) ----
    static auto payload(As<PeerUsageRecorded>) {
        using E = PeerUsageRecorded;
        return fields(field("server_id", &E::server_id), field("customer_id", &E::customer_id),
                      field("device_id", &E::device_id), field("public_key", &E::public_key),
                      field("rx_bytes", &E::rx_bytes), field("tx_bytes", &E::tx_bytes),
                      field("rx_counter", &E::rx_counter), field("tx_counter", &E::tx_counter),
                      field("last_handshake", &E::last_handshake), field("at", &E::at));
    }
    static auto payload(As<InterfaceReconciled>) {
        using E = InterfaceReconciled;
        return fields(field("server_id", &E::server_id), field("interface", &E::interface_name),
                      field("peers_added", &E::peers_added),
                      field("peers_removed", &E::peers_removed),
                      field("peers_updated", &E::peers_updated), field("ok", &E::ok),
                      field("error", &E::error), field("attempt", &E::attempt));
    }
    static auto payload(As<DiagnosticRan>) {
        using E = DiagnosticRan;
        return fields(field("customer_id", &E::customer_id), field("tool", &E::tool),
                      field("target", &E::target), field("exit_code", &E::exit_code),
                      field("duration_ms", &E::duration_ms), field("timed_out", &E::timed_out),
                      field("output_bytes", &E::output_bytes));
    }
};

}  // namespace

EncodedEvent encode(const NetworkEvent& event) { return encode_as<Codec>(event); }
core::Result<NetworkEvent> decode_network_event(const RecordedEvent& e) {
    return decode_as<Codec, NetworkEvent>(e);
}

EncodedEvent encode(const CustomerEvent& event) { return encode_as<Codec>(event); }
core::Result<CustomerEvent> decode_customer_event(const RecordedEvent& e) {
    return decode_as<Codec, CustomerEvent>(e);
}

EncodedEvent encode(const ServerAllocationEvent& event) { return encode_as<Codec>(event); }
core::Result<ServerAllocationEvent> decode_allocation_event(const RecordedEvent& e) {
    return decode_as<Codec, ServerAllocationEvent>(e);
}

EncodedEvent encode(const UsageEvent& event) { return encode_as<Codec>(event); }
core::Result<UsageEvent> decode_usage_event(const RecordedEvent& e) {
    return decode_as<Codec, UsageEvent>(e);
}

std::string customer_of_stream(std::string_view stream) {
    constexpr std::string_view prefix = "vpn_customer-";
    if (stream.substr(0, prefix.size()) != prefix) return {};
    return std::string(stream.substr(prefix.size()));
}

}  // namespace switchyard::events::vpn
