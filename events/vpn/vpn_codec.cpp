#include "events/vpn/vpn_codec.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>

#include "core/overloaded.hpp"
#include "events/json_reader.hpp"
#include "events/vpn/vpn_json.hpp"

namespace switchyard::events::vpn {

using namespace core::vpn;
namespace json = boost::json;

namespace {

json::array strings(const std::vector<std::string>& v) {
    json::array a;
    for (const auto& s : v) a.emplace_back(s);
    return a;
}

json::value opt(const std::optional<std::int64_t>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

json::value opt_time(const std::optional<core::Timestamp>& t) {
    return t ? json::value(core::format_rfc3339(*t)) : json::value(nullptr);
}

std::optional<core::Timestamp> get_opt_time(const JsonObject& o, const char* key) {
    auto s = o.opt_str(key);
    if (s.empty()) return std::nullopt;
    auto t = core::parse_rfc3339(s);
    if (!t) throw FieldError{key};
    return t;
}

EncodedEvent make(const char* type, const json::object& o) { return {type, 1, json::serialize(o)}; }

core::Error unknown(const RecordedEvent& e) {
    return core::Error{core::Errc::Invalid, "type",
                       fmt::format("unknown event type {} v{}", e.type, e.schema)};
}

Device get_device(const JsonObject& o) {
    Device d;
    d.device_id = o.str("device_id");
    d.name = o.str("name");
    d.ip = o.str("ip");
    d.mac = o.str("mac");
    d.hostname = o.str("hostname");
    d.vendor = o.str("vendor");
    d.declared_type = o.str("declared_type");
    d.icon = o.str("icon");
    for (const auto& p : o.obj_list("open_ports"))
        d.open_ports.push_back({p.i64("port"), p.str("service")});
    d.discovered_at = get_opt_time(o, "discovered_at");
    d.classification.type = o.str("type");
    if (!parse_device_category(o.str("category"), d.classification.category))
        throw FieldError{"category"};
    d.classification.high_bandwidth = o.boolean("high_bandwidth");
    d.classification.reasons = o.str_list("reasons");
    d.server_id = o.str("server_id");
    d.server_reason = o.str("server_reason");
    d.source = o.str("source");
    d.added_at = o.time("added_at");
    return d;
}

Peer get_peer(const JsonObject& o) {
    Peer p;
    p.server_id = o.str("server_id");
    p.public_key = o.str("public_key");
    p.private_key_sealed = o.str("private_key_sealed");
    p.preshared_key_sealed = o.str("preshared_key_sealed");
    p.ipv4 = o.str("ipv4");
    p.ipv6 = o.str("ipv6");
    p.dns = o.str_list("dns");
    p.persistent_keepalive = o.i64("persistent_keepalive");
    p.limits.expires_at = get_opt_time(o, "expires_at");
    p.limits.quota_bytes = o.opt_i64("quota_bytes");
    p.enabled = o.boolean("enabled");
    if (auto r = o.opt_str("disabled_reason"); !r.empty()) {
        DisableReason reason{};
        if (!parse_disable_reason(r, reason)) throw FieldError{"disabled_reason"};
        p.disabled_reason = reason;
    }
    return p;
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

ForwardProtocol get_protocol(const JsonObject& o, const char* key) {
    ForwardProtocol p{};
    if (!parse_forward_protocol(o.str(key), p)) throw FieldError{key};
    return p;
}

PortForward get_forward(const JsonObject& o) {
    PortForward f;
    f.forward_id = o.i64("forward_id");
    f.device_id = o.str("device_id");
    f.server_id = o.str("server_id");
    f.local_ip = o.str("local_ip");
    f.local_port = o.i64("local_port");
    f.external_port = o.i64("external_port");
    f.protocol = get_protocol(o, "protocol");
    f.description = o.str("description");
    f.status = o.str("status");
    return f;
}

}  // namespace

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

EncodedEvent encode(const NetworkEvent& event) {
    return std::visit(
        core::Overloaded{
            [](const PlanDefined& e) { return make("vpn.plan.defined", plan_json(e.plan)); },
            [](const PlanRemoved& e) {
                return make("vpn.plan.removed", {{"plan_id", e.plan_id}});
            },
            [](const ServerDefined& e) {
                return make("vpn.server.defined", server_json(e.server, true));
            },
            [](const ServerRemoved& e) {
                return make("vpn.server.removed", {{"server_id", e.server_id}});
            },
        },
        event);
}

EncodedEvent encode(const CustomerEvent& event) {
    return std::visit(
        core::Overloaded{
            [](const PlanSubscribed& e) {
                return make("vpn.plan.subscribed",
                            {{"plan_id", e.plan_id}, {"owner_path", e.owner_path}});
            },
            [](const DeviceAdded& e) { return make("vpn.device.added", device_json(e.device)); },
            [](const DeviceServerAssigned& e) {
                return make(
                    "vpn.device.server_assigned",
                    {{"device_id", e.device_id}, {"server_id", e.server_id}, {"reason", e.reason}});
            },
            [](const DeviceRemoved& e) {
                return make("vpn.device.removed", {{"device_id", e.device_id}});
            },
            [](const PeerCreated& e) {
                return make("vpn.peer.created", peer_json(e.device_id, e.peer, true));
            },
            [](const PeerLimitsChanged& e) {
                return make("vpn.peer.limits_changed",
                            {{"device_id", e.device_id},
                             {"expires_at", opt_time(e.limits.expires_at)},
                             {"quota_bytes", opt(e.limits.quota_bytes)}});
            },
            [](const PeerDisabled& e) {
                return make("vpn.peer.disabled",
                            {{"device_id", e.device_id}, {"reason", to_string(e.reason)}});
            },
            [](const PeerEnabled& e) {
                return make("vpn.peer.enabled", {{"device_id", e.device_id}});
            },
            [](const PeerRemoved& e) {
                return make("vpn.peer.removed", {{"device_id", e.device_id}});
            },
            [](const PeerKeysResealed& e) {
                return make("vpn.peer.keys_resealed",
                            {{"device_id", e.device_id},
                             {"private_key_sealed", e.private_key_sealed},
                             {"preshared_key_sealed", e.preshared_key_sealed}});
            },
            [](const PortForwardCreated& e) {
                return make("vpn.port_forward.created", forward_json(e.forward));
            },
            [](const PortForwardUpdated& e) {
                return make("vpn.port_forward.updated", forward_json(e.forward));
            },
            [](const PortForwardRemoved& e) {
                return make("vpn.port_forward.removed", {{"forward_id", e.forward_id}});
            },
        },
        event);
}

EncodedEvent encode(const ServerAllocationEvent& event) {
    return std::visit(
        core::Overloaded{
            [](const AddressesAssigned& e) {
                return make("vpn.addresses.assigned", {{"ipv4", e.ipv4},
                                                       {"ipv6", e.ipv6},
                                                       {"customer_id", e.customer_id},
                                                       {"device_id", e.device_id}});
            },
            [](const AddressesReleased& e) {
                return make("vpn.addresses.released", {{"ipv4", e.ipv4}, {"ipv6", e.ipv6}});
            },
            [](const PortReserved& e) {
                return make("vpn.port.reserved", {{"external_port", e.external_port},
                                                  {"protocol", to_string(e.protocol)},
                                                  {"customer_id", e.customer_id},
                                                  {"forward_id", e.forward_id}});
            },
            [](const PortReleased& e) {
                return make("vpn.port.released", {{"external_port", e.external_port},
                                                  {"protocol", to_string(e.protocol)}});
            },
        },
        event);
}

EncodedEvent encode(const UsageEvent& event) {
    return std::visit(core::Overloaded{
                          [](const PeerUsageRecorded& e) {
                              return make("vpn.peer.usage_recorded",
                                          {{"server_id", e.server_id},
                                           {"customer_id", e.customer_id},
                                           {"device_id", e.device_id},
                                           {"public_key", e.public_key},
                                           {"rx_bytes", e.rx_bytes},
                                           {"tx_bytes", e.tx_bytes},
                                           {"rx_counter", e.rx_counter},
                                           {"tx_counter", e.tx_counter},
                                           {"last_handshake", opt_time(e.last_handshake)},
                                           {"at", core::format_rfc3339(e.at)}});
                          },
                          [](const InterfaceReconciled& e) {
                              return make("vpn.interface.reconciled",
                                          {{"server_id", e.server_id},
                                           {"interface", e.interface_name},
                                           {"peers_added", e.peers_added},
                                           {"peers_removed", e.peers_removed},
                                           {"peers_updated", e.peers_updated},
                                           {"ok", e.ok},
                                           {"error", e.error},
                                           {"attempt", e.attempt}});
                          },
                          [](const DiagnosticRan& e) {
                              return make("vpn.diagnostic.ran", {{"customer_id", e.customer_id},
                                                                 {"tool", e.tool},
                                                                 {"target", e.target},
                                                                 {"exit_code", e.exit_code},
                                                                 {"duration_ms", e.duration_ms},
                                                                 {"timed_out", e.timed_out},
                                                                 {"output_bytes", e.output_bytes}});
                          },
                      },
                      event);
}

core::Result<NetworkEvent> decode_network_event(const RecordedEvent& e) {
    if (e.schema != 1) return core::fail(unknown(e));
    return with_json_object(e.data,
                            [&](const JsonObject& o) -> core::Result<NetworkEvent> {
                                if (e.type == "vpn.plan.defined") return PlanDefined{get_plan(o)};
                                if (e.type == "vpn.plan.removed")
                                    return PlanRemoved{o.str("plan_id")};
                                if (e.type == "vpn.server.defined")
                                    return ServerDefined{get_server(o)};
                                if (e.type == "vpn.server.removed")
                                    return ServerRemoved{o.str("server_id")};
                                return core::fail(unknown(e));
                            })
        .and_then([](core::Result<NetworkEvent> r) { return r; });
}

core::Result<CustomerEvent> decode_customer_event(const RecordedEvent& e) {
    if (e.schema != 1) return core::fail(unknown(e));
    return with_json_object(
               e.data,
               [&](const JsonObject& o) -> core::Result<CustomerEvent> {
                   const auto& t = e.type;
                   if (t == "vpn.plan.subscribed")
                       return PlanSubscribed{o.str("plan_id"), o.str("owner_path")};
                   if (t == "vpn.device.added") return DeviceAdded{get_device(o)};
                   if (t == "vpn.device.server_assigned")
                       return DeviceServerAssigned{o.str("device_id"), o.str("server_id"),
                                                   o.str("reason")};
                   if (t == "vpn.device.removed") return DeviceRemoved{o.str("device_id")};
                   if (t == "vpn.peer.created") return PeerCreated{o.str("device_id"), get_peer(o)};
                   if (t == "vpn.peer.limits_changed")
                       return PeerLimitsChanged{
                           o.str("device_id"),
                           PeerLimits{get_opt_time(o, "expires_at"), o.opt_i64("quota_bytes")}};
                   if (t == "vpn.peer.disabled") {
                       DisableReason r{};
                       if (!parse_disable_reason(o.str("reason"), r)) throw FieldError{"reason"};
                       return PeerDisabled{o.str("device_id"), r};
                   }
                   if (t == "vpn.peer.enabled") return PeerEnabled{o.str("device_id")};
                   if (t == "vpn.peer.removed") return PeerRemoved{o.str("device_id")};
                   if (t == "vpn.peer.keys_resealed")
                       return PeerKeysResealed{o.str("device_id"), o.str("private_key_sealed"),
                                               o.str("preshared_key_sealed")};
                   if (t == "vpn.port_forward.created") return PortForwardCreated{get_forward(o)};
                   if (t == "vpn.port_forward.updated") return PortForwardUpdated{get_forward(o)};
                   if (t == "vpn.port_forward.removed")
                       return PortForwardRemoved{o.i64("forward_id")};
                   return core::fail(unknown(e));
               })
        .and_then([](core::Result<CustomerEvent> r) { return r; });
}

core::Result<ServerAllocationEvent> decode_allocation_event(const RecordedEvent& e) {
    if (e.schema != 1) return core::fail(unknown(e));
    return with_json_object(
               e.data,
               [&](const JsonObject& o) -> core::Result<ServerAllocationEvent> {
                   if (e.type == "vpn.addresses.assigned")
                       return AddressesAssigned{o.str("ipv4"), o.str("ipv6"), o.str("customer_id"),
                                                o.str("device_id")};
                   if (e.type == "vpn.addresses.released")
                       return AddressesReleased{o.str("ipv4"), o.str("ipv6")};
                   if (e.type == "vpn.port.reserved")
                       return PortReserved{o.i64("external_port"), get_protocol(o, "protocol"),
                                           o.str("customer_id"), o.i64("forward_id")};
                   if (e.type == "vpn.port.released")
                       return PortReleased{o.i64("external_port"), get_protocol(o, "protocol")};
                   return core::fail(unknown(e));
               })
        .and_then([](core::Result<ServerAllocationEvent> r) { return r; });
}

core::Result<UsageEvent> decode_usage_event(const RecordedEvent& e) {
    if (e.schema != 1) return core::fail(unknown(e));
    return with_json_object(
               e.data,
               [&](const JsonObject& o) -> core::Result<UsageEvent> {
                   if (e.type == "vpn.peer.usage_recorded") {
                       PeerUsageRecorded u;
                       u.server_id = o.str("server_id");
                       u.customer_id = o.str("customer_id");
                       u.device_id = o.str("device_id");
                       u.public_key = o.str("public_key");
                       u.rx_bytes = o.i64("rx_bytes");
                       u.tx_bytes = o.i64("tx_bytes");
                       u.rx_counter = o.i64("rx_counter");
                       u.tx_counter = o.i64("tx_counter");
                       u.last_handshake = get_opt_time(o, "last_handshake");
                       u.at = o.time("at");
                       return u;
                   }
                   if (e.type == "vpn.interface.reconciled") {
                       return InterfaceReconciled{o.str("server_id"),     o.str("interface"),
                                                  o.i64("peers_added"),   o.i64("peers_removed"),
                                                  o.i64("peers_updated"), o.boolean("ok"),
                                                  o.str("error"),         o.i64("attempt")};
                   }
                   if (e.type == "vpn.diagnostic.ran") {
                       return DiagnosticRan{o.str("customer_id"), o.str("tool"),
                                            o.str("target"),      o.i64("exit_code"),
                                            o.i64("duration_ms"), o.boolean("timed_out"),
                                            o.i64("output_bytes")};
                   }
                   return core::fail(unknown(e));
               })
        .and_then([](core::Result<UsageEvent> r) { return r; });
}

std::string customer_of_stream(std::string_view stream) {
    constexpr std::string_view prefix = "vpn_customer-";
    if (stream.substr(0, prefix.size()) != prefix) return {};
    return std::string(stream.substr(prefix.size()));
}

}  // namespace switchyard::events::vpn
