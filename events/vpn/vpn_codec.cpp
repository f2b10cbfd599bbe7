#include "events/vpn/vpn_codec.hpp"

#include "events/codec_kit.hpp"
#include "events/vpn/vpn_json.hpp"

namespace switchyard::events::vpn {

using namespace core::vpn;

json::object device_json(const Device& d) {
    json::array ports;
    for (const auto& p : d.open_ports)
        ports.push_back(json::object{{"port", p.port}, {"service", p.service}});
    return {{"device_id", d.device_id},
            {"name", d.name},
            {"ip", d.ip},
            {"mac", d.mac},
            {"hostname", d.hostname},
            {"vendor", d.vendor},
            {"declared_type", d.declared_type},
            {"icon", d.icon},
            {"open_ports", std::move(ports)},
            {"discovered_at", opt_time(d.discovered_at)},
            {"type", d.classification.type},
            {"category", to_string(d.classification.category)},
            {"high_bandwidth", d.classification.high_bandwidth},
            {"reasons", strings(d.classification.reasons)},
            {"server_id", d.server_id},
            {"server_reason", d.server_reason},
            {"source", d.source},
            {"added_at", core::format_rfc3339(d.added_at)}};
}

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

Device get_device(const JsonObject& o) {
    std::vector<OpenPort> ports;
    for (const auto& p : o.obj_list("open_ports"))
        ports.push_back({p.i64("port"), p.str("service")});
    const Classification c{o.str("type"), o.enumerated("category", parse_device_category),
                           o.boolean("high_bandwidth"), o.str_list("reasons")};
    return {o.str("device_id"),
            o.str("name"),
            o.str("ip"),
            o.str("mac"),
            o.str("hostname"),
            o.str("vendor"),
            o.str("declared_type"),
            o.str("icon"),
            std::move(ports),
            o.opt_time("discovered_at"),
            c,
            o.str("server_id"),
            o.str("server_reason"),
            o.str("source"),
            o.time("added_at")};
}

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

json::object forward_json(const PortForward& f) {
    return {{"forward_id", f.forward_id},
            {"device_id", f.device_id},
            {"server_id", f.server_id},
            {"local_ip", f.local_ip},
            {"local_port", f.local_port},
            {"external_port", f.external_port},
            {"protocol", to_string(f.protocol)},
            {"description", f.description},
            {"status", f.status}};
}

PortForward get_forward(const JsonObject& o) {
    return {o.i64("forward_id"),
            o.str("device_id"),
            o.str("server_id"),
            o.str("local_ip"),
            o.i64("local_port"),
            o.i64("external_port"),
            o.enumerated("protocol", parse_forward_protocol),
            o.str("description"),
            o.str("status")};
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
    static json::object put(const PlanRemoved& e) { return {{"plan_id", e.plan_id}}; }
    static PlanRemoved get(const JsonObject& o, As<PlanRemoved>) { return {o.str("plan_id")}; }
    static json::object put(const ServerDefined& e) { return server_json(e.server, true); }
    static ServerDefined get(const JsonObject& o, As<ServerDefined>) { return {get_server(o)}; }
    static json::object put(const ServerRemoved& e) { return {{"server_id", e.server_id}}; }
    static ServerRemoved get(const JsonObject& o, As<ServerRemoved>) {
        return {o.str("server_id")};
    }

    // ---- a customer (`vpn_customer-<user id>`) ----
    static json::object put(const PlanSubscribed& e) {
        return {{"plan_id", e.plan_id}, {"owner_path", e.owner_path}};
    }
    static PlanSubscribed get(const JsonObject& o, As<PlanSubscribed>) {
        return {o.str("plan_id"), o.str("owner_path")};
    }
    static json::object put(const DeviceAdded& e) { return device_json(e.device); }
    static DeviceAdded get(const JsonObject& o, As<DeviceAdded>) { return {get_device(o)}; }
    static json::object put(const DeviceServerAssigned& e) {
        return {{"device_id", e.device_id}, {"server_id", e.server_id}, {"reason", e.reason}};
    }
    static DeviceServerAssigned get(const JsonObject& o, As<DeviceServerAssigned>) {
        return {o.str("device_id"), o.str("server_id"), o.str("reason")};
    }
    static json::object put(const PeerCreated& e) { return peer_json(e.device_id, e.peer, true); }
    static PeerCreated get(const JsonObject& o, As<PeerCreated>) {
        return {o.str("device_id"), get_peer(o)};
    }
    static json::object put(const PeerLimitsChanged& e) {
        return {{"device_id", e.device_id},
                {"expires_at", opt_time(e.limits.expires_at)},
                {"quota_bytes", opt(e.limits.quota_bytes)}};
    }
    static PeerLimitsChanged get(const JsonObject& o, As<PeerLimitsChanged>) {
        return {o.str("device_id"), {o.opt_time("expires_at"), o.opt_i64("quota_bytes")}};
    }
    static json::object put(const PeerDisabled& e) {
        return {{"device_id", e.device_id}, {"reason", to_string(e.reason)}};
    }
    static PeerDisabled get(const JsonObject& o, As<PeerDisabled>) {
        return {o.str("device_id"), o.enumerated("reason", parse_disable_reason)};
    }
    static json::object put(const PeerKeysResealed& e) {
        return {{"device_id", e.device_id},
                {"private_key_sealed", e.private_key_sealed},
                {"preshared_key_sealed", e.preshared_key_sealed}};
    }
    static PeerKeysResealed get(const JsonObject& o, As<PeerKeysResealed>) {
        return {o.str("device_id"), o.str("private_key_sealed"), o.str("preshared_key_sealed")};
    }
    /// The events that name just a device: `{"device_id"}`.
    template <OneOf<DeviceRemoved, PeerEnabled, PeerRemoved> E>
    static json::object put(const E& e) {
        return {{"device_id", e.device_id}};
    }
    template <OneOf<DeviceRemoved, PeerEnabled, PeerRemoved> E>
    static E get(const JsonObject& o, As<E>) {
        return {o.str("device_id")};
    }
    /// A forward's events carry all its fields.
    template <OneOf<PortForwardCreated, PortForwardUpdated> E>
    static json::object put(const E& e) {
        return forward_json(e.forward);
    }
    template <OneOf<PortForwardCreated, PortForwardUpdated> E>
    static E get(const JsonObject& o, As<E>) {
        return {get_forward(o)};
    }
    static json::object put(const PortForwardRemoved& e) { return {{"forward_id", e.forward_id}}; }
    static PortForwardRemoved get(const JsonObject& o, As<PortForwardRemoved>) {
        return {o.i64("forward_id")};
    }

    // ---- a server's allocations (`vpn_server-<server id>`) ----
    static json::object put(const AddressesAssigned& e) {
        return {{"ipv4", e.ipv4},
                {"ipv6", e.ipv6},
                {"customer_id", e.customer_id},
                {"device_id", e.device_id}};
    }
    static AddressesAssigned get(const JsonObject& o, As<AddressesAssigned>) {
        return {o.str("ipv4"), o.str("ipv6"), o.str("customer_id"), o.str("device_id")};
    }
    static json::object put(const AddressesReleased& e) {
        return {{"ipv4", e.ipv4}, {"ipv6", e.ipv6}};
    }
    static AddressesReleased get(const JsonObject& o, As<AddressesReleased>) {
        return {o.str("ipv4"), o.str("ipv6")};
    }
    static json::object put(const PortReserved& e) {
        return {{"external_port", e.external_port},
                {"protocol", to_string(e.protocol)},
                {"customer_id", e.customer_id},
                {"forward_id", e.forward_id}};
    }
    static PortReserved get(const JsonObject& o, As<PortReserved>) {
        return {o.i64("external_port"), o.enumerated("protocol", parse_forward_protocol),
                o.str("customer_id"), o.i64("forward_id")};
    }
    static json::object put(const PortReleased& e) {
        return {{"external_port", e.external_port}, {"protocol", to_string(e.protocol)}};
    }
    static PortReleased get(const JsonObject& o, As<PortReleased>) {
        return {o.i64("external_port"), o.enumerated("protocol", parse_forward_protocol)};
    }

    // ---- observations (`vpn_usage-<server id>`, `vpn_diagnostics-<tenant>`) ----
    static json::object put(const PeerUsageRecorded& e) {
        return {{"server_id", e.server_id},
                {"customer_id", e.customer_id},
                {"device_id", e.device_id},
                {"public_key", e.public_key},
                {"rx_bytes", e.rx_bytes},
                {"tx_bytes", e.tx_bytes},
                {"rx_counter", e.rx_counter},
                {"tx_counter", e.tx_counter},
                {"last_handshake", opt_time(e.last_handshake)},
                {"at", core::format_rfc3339(e.at)}};
    }
    static PeerUsageRecorded get(const JsonObject& o, As<PeerUsageRecorded>) {
        return {o.str("server_id"),  o.str("customer_id"), o.str("device_id"),
                o.str("public_key"), o.i64("rx_bytes"),    o.i64("tx_bytes"),
                o.i64("rx_counter"), o.i64("tx_counter"),  o.opt_time("last_handshake"),
                o.time("at")};
    }
    static json::object put(const InterfaceReconciled& e) {
        return {{"server_id", e.server_id},
                {"interface", e.interface_name},
                {"peers_added", e.peers_added},
                {"peers_removed", e.peers_removed},
                {"peers_updated", e.peers_updated},
                {"ok", e.ok},
                {"error", e.error},
                {"attempt", e.attempt}};
    }
    static InterfaceReconciled get(const JsonObject& o, As<InterfaceReconciled>) {
        return {o.str("server_id"),     o.str("interface"),     o.i64("peers_added"),
                o.i64("peers_removed"), o.i64("peers_updated"), o.boolean("ok"),
                o.str("error"),         o.i64("attempt")};
    }
    static json::object put(const DiagnosticRan& e) {
        return {{"customer_id", e.customer_id},
                {"tool", e.tool},
                {"target", e.target},
                {"exit_code", e.exit_code},
                {"duration_ms", e.duration_ms},
                {"timed_out", e.timed_out},
                {"output_bytes", e.output_bytes}};
    }
    static DiagnosticRan get(const JsonObject& o, As<DiagnosticRan>) {
        return {o.str("customer_id"), o.str("tool"),        o.str("target"),
                o.i64("exit_code"),   o.i64("duration_ms"), o.boolean("timed_out"),
                o.i64("output_bytes")};
    }
};

}  // namespace

EncodedEvent encode(const NetworkEvent& event) { return encode_as<Codec>(event); }
EncodedEvent encode(const CustomerEvent& event) { return encode_as<Codec>(event); }
EncodedEvent encode(const ServerAllocationEvent& event) { return encode_as<Codec>(event); }
EncodedEvent encode(const UsageEvent& event) { return encode_as<Codec>(event); }

core::Result<NetworkEvent> decode_network_event(const RecordedEvent& e) {
    return decode_as<Codec, NetworkEvent>(e);
}
core::Result<CustomerEvent> decode_customer_event(const RecordedEvent& e) {
    return decode_as<Codec, CustomerEvent>(e);
}
core::Result<ServerAllocationEvent> decode_allocation_event(const RecordedEvent& e) {
    return decode_as<Codec, ServerAllocationEvent>(e);
}
core::Result<UsageEvent> decode_usage_event(const RecordedEvent& e) {
    return decode_as<Codec, UsageEvent>(e);
}

std::string customer_of_stream(std::string_view stream) {
    constexpr std::string_view prefix = "vpn_customer-";
    if (stream.substr(0, prefix.size()) != prefix) return {};
    return std::string(stream.substr(prefix.size()));
}

}  // namespace switchyard::events::vpn
