// The VPN line over HTTP: plans and servers (operator), and per customer: subscription, scans
// (TrueVault 1.4 request and response shapes), devices, WireGuard peers with their client
// configuration and QR code, port forwards (TrueVault 2.5 shapes), usage and diagnostics.
// A customer acts on their own account; staff name it with `?customer_id=`.
#include <chrono>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/json_body.hpp"
#include "api/qr_png.hpp"
#include "api/route_support.hpp"
#include "api/routes/vpn/vpn_api.hpp"
#include "core/vpn/diagnostics.hpp"
#include "core/vpn/wireguard_config.hpp"
#include "events/vpn/vpn_json.hpp"
#include "events/vpn/vpn_service.hpp"
#include "projections/identity/users.hpp"
#include "projections/vpn/vpn_usage.hpp"

namespace switchyard::api {

namespace json = boost::json;
using core::Errc;
using core::Timestamp;
using core::identity::Role;
using namespace core::vpn;

namespace {

core::Result<events::vpn::VpnService*> vpn_of(VpnApi& api) { return &api.vpn; }

/// The customer a request acts for and where it lives in the reseller tree.
struct CustomerRef {
    std::string customer_id, owner_path;
};

/// A customer acts on their own account; staff (admin, reseller, support) name a customer
/// with `?customer_id=` inside their scope; others get 404 for it.
core::Result<CustomerRef> customer_of(ApiContext& ctx, const HttpRequest& r) {
    const auto& p = r.caller->principal;
    const auto* users = ctx.runner.view(projections::identity::kUsers);
    if (!users) return core::fail(Errc::Unavailable, "users", "the users read model is not open");
    std::string id = r.query_param("customer_id");
    if (p.role == Role::Customer) {
        if (!id.empty() && id != p.user_id)
            return core::fail(Errc::NotFound, "customer_id",
                              fmt::format("customer '{}' does not exist", id));
        id = p.user_id;
    } else if (id.empty()) {
        return core::fail(Errc::Invalid, "customer_id",
                          "is required: name the customer this request acts for");
    }
    auto user = projections::identity::find_user(*users, id);
    // A customer's scope is below its own row; staff reach the customers in their subtree.
    const bool own = p.role == Role::Customer && id == p.user_id;
    if (!user || (!own && !core::identity::in_scope(p.scope, user->owner_path)))
        return core::fail(Errc::NotFound, "customer_id",
                          fmt::format("customer '{}' does not exist", id));
    if (user->role != "customer")
        return core::fail(Errc::Rejected, "customer_id",
                          fmt::format("user '{}' is a {}, not a customer", id, user->role));
    return CustomerRef{id, user->owner_path};
}

std::optional<Timestamp> parse_time_lenient(const std::string& s) {
    if (auto t = core::parse_rfc3339(s)) return t;
    // Scanners send local times without an offset (`2026-01-14T12:00:00`): read them as UTC.
    if (s.size() == 19 && s[10] == 'T') return core::parse_rfc3339(s + "Z");
    return std::nullopt;
}

json::object limit_json(std::int64_t current, std::optional<std::int64_t> max) {
    return {{"current", current},
            {"max", max ? json::value(*max) : json::value(nullptr)},
            {"remaining",
             max ? json::value(std::max<std::int64_t>(0, *max - current)) : json::value(nullptr)}};
}

/// The specification's `limits` object, plus per-type limits of the plan.
json::object limits_json(const Plan& plan, const CustomerState& s) {
    auto counts = count_devices(s);
    auto cat = [&](DeviceCategory c) {
        return counts.categories.count(c) ? counts.categories.at(c) : 0;
    };
    json::object o{
        {"home_network_devices",
         limit_json(cat(DeviceCategory::HomeNetwork), plan.home_network_max)},
        {"personal_devices", limit_json(cat(DeviceCategory::Personal), plan.personal_max)}};
    for (const auto& [type, max] : plan.type_max)
        o[type] = limit_json(counts.types.count(type) ? counts.types.at(type) : 0, max);
    return o;
}

std::string access_url(const NetworkState& n, const PortForward& f) {
    auto it = n.servers.find(f.server_id);
    const auto host = it == n.servers.end() ? f.server_id : it->second.endpoint_host;
    return host.find(':') != std::string::npos ? fmt::format("[{}]:{}", host, f.external_port)
                                               : fmt::format("{}:{}", host, f.external_port);
}

json::object forward_json(const NetworkState& n, const CustomerState& s, const PortForward& f) {
    auto d = s.devices.find(f.device_id);
    return {{"id", f.forward_id},
            {"device_id", f.device_id},
            {"device_name", d == s.devices.end() ? f.device_id : d->second.name},
            {"device_type", d == s.devices.end() ? std::string() : d->second.classification.type},
            {"server_id", f.server_id},
            {"local_ip", f.local_ip},
            {"local_port", f.local_port},
            {"external_port", f.external_port},
            {"protocol", to_string(f.protocol)},
            {"description", f.description},
            {"access_url", access_url(n, f)},
            {"status", f.status}};
}

json::object device_json(const CustomerState& s, const Device& d) {
    auto o = events::vpn::device_json(d);
    o["id"] = d.device_id;  // the scan's name for it
    auto peer = s.peers.find(d.device_id);
    o["peer"] = peer == s.peers.end()
                    ? json::value(nullptr)
                    : json::value(events::vpn::peer_json(d.device_id, peer->second, false));
    return o;
}

/// Reads one device of a scan or an add request.
core::Result<DeviceInput> device_input(const JsonBody& b, bool scan) {
    if (scan) {
        SY_TRY(b.only({"id", "ip", "mac", "hostname", "vendor", "type", "type_name", "icon",
                       "open_ports", "discovered_at"}));
    } else {
        SY_TRY(b.only({"id", "ip", "mac", "hostname", "vendor", "type", "type_name", "icon",
                       "open_ports", "discovered_at", "server_id"}));
    }
    DeviceInput d;
    d.device_id = SY_TRY(b.string("id"));
    d.ip = SY_TRY(b.opt_string("ip")).value_or("");
    d.mac = SY_TRY(b.opt_string("mac")).value_or("");
    d.hostname = SY_TRY(b.opt_string("hostname")).value_or("");
    d.vendor = SY_TRY(b.opt_string("vendor")).value_or("");
    d.type = SY_TRY(b.opt_string("type")).value_or("");
    d.type_name = SY_TRY(b.opt_string("type_name")).value_or("");
    d.icon = SY_TRY(b.opt_string("icon")).value_or("");
    if (!scan) d.server_id = SY_TRY(b.opt_string("server_id")).value_or("");
    if (auto ports = SY_TRY(b.opt_object_list("open_ports"))) {
        for (const auto& p : *ports) {
            SY_TRY(p.only({"port", "service"}));
            auto port = SY_TRY(p.opt_int("port"));
            if (!port) return core::fail(Errc::Invalid, p.prefix() + "port", "is required");
            d.open_ports.push_back({*port, SY_TRY(p.opt_string("service")).value_or("")});
        }
    }
    if (auto at = SY_TRY(b.opt_string("discovered_at"))) {
        d.discovered_at = parse_time_lenient(*at);
        if (!d.discovered_at)
            return core::fail(Errc::Invalid, b.prefix() + "discovered_at",
                              "must be a date-time such as 2026-01-14T12:00:00 (UTC) or RFC 3339");
    }
    return d;
}

core::Result<Plan> plan_of_body(const JsonBody& b, const std::string& plan_id) {
    SY_TRY(b.only({"name", "home_network_max", "personal_max", "type_max", "vip_access",
                   "dedicated_server_only"}));
    Plan p;
    p.plan_id = plan_id;
    p.name = SY_TRY(b.string("name"));
    p.home_network_max = SY_TRY(b.opt_nullable_int("home_network_max")).value_or(std::nullopt);
    p.personal_max = SY_TRY(b.opt_nullable_int("personal_max")).value_or(std::nullopt);
    if (auto types = SY_TRY(b.opt_object("type_max"))) {
        for (const auto& key : types->keys()) {
            auto v = SY_TRY(types->opt_int(key.c_str()));
            if (!v) return core::fail(Errc::Invalid, "type_max." + key, "must be an integer");
            p.type_max[key] = *v;
        }
    }
    p.vip_access = SY_TRY(b.opt_bool("vip_access")).value_or(false);
    p.dedicated_server_only = SY_TRY(b.opt_bool("dedicated_server_only")).value_or(false);
    return p;
}

core::Result<Server> server_of_body(const JsonBody& b, const std::string& server_id) {
    SY_TRY(b.only({"name", "location", "endpoint_host", "listen_port", "ipv4_pool", "ipv6_pool",
                   "dns", "client_allowed_ips", "persistent_keepalive", "policy"}));
    Server s;
    s.server_id = server_id;
    s.name = SY_TRY(b.string("name"));
    s.location = SY_TRY(b.opt_string("location")).value_or("");
    s.endpoint_host = SY_TRY(b.string("endpoint_host"));
    s.listen_port = SY_TRY(b.opt_int("listen_port")).value_or(51820);
    s.ipv4_pool = SY_TRY(b.string("ipv4_pool"));
    s.ipv6_pool = SY_TRY(b.opt_string("ipv6_pool")).value_or("");
    s.dns = SY_TRY(b.opt_string_list("dns")).value_or(std::vector<std::string>{});
    s.client_allowed_ips =
        SY_TRY(b.opt_string("client_allowed_ips")).value_or(s.client_allowed_ips);
    s.persistent_keepalive = SY_TRY(b.opt_int("persistent_keepalive")).value_or(25);
    if (auto p = SY_TRY(b.opt_object("policy"))) {
        SY_TRY(p->only({"allowed_categories", "allowed_types", "bandwidth", "streaming_optimized",
                        "vip_only", "allowlist", "dedicated_owner", "capacity"}));
        if (auto cats = SY_TRY(p->opt_string_list("allowed_categories"))) {
            s.policy.allowed_categories.clear();
            for (const auto& c : *cats) {
                DeviceCategory cat{};
                if (!parse_device_category(c, cat))
                    return core::fail(Errc::Invalid, "policy.allowed_categories",
                                      fmt::format("'{}' is not home_network or personal", c));
                s.policy.allowed_categories.push_back(cat);
            }
        }
        s.policy.allowed_types =
            SY_TRY(p->opt_string_list("allowed_types")).value_or(std::vector<std::string>{});
        if (auto bw = SY_TRY(p->opt_string("bandwidth"));
            bw && !parse_bandwidth_class(*bw, s.policy.bandwidth))
            return core::fail(Errc::Invalid, "policy.bandwidth", "must be unlimited or limited");
        s.policy.streaming_optimized = SY_TRY(p->opt_bool("streaming_optimized")).value_or(false);
        s.policy.vip_only = SY_TRY(p->opt_bool("vip_only")).value_or(false);
        s.policy.allowlist =
            SY_TRY(p->opt_string_list("allowlist")).value_or(std::vector<std::string>{});
        if (!p->is_null("dedicated_owner"))
            if (auto o = SY_TRY(p->opt_string("dedicated_owner"))) s.policy.dedicated_owner = *o;
        s.policy.capacity = SY_TRY(p->opt_nullable_int("capacity")).value_or(std::nullopt);
    }
    return s;
}

/// `expires_at` (RFC 3339 or null) and `quota_bytes` (integer or null) over `base`.
core::Result<PeerLimits> peer_limits(const JsonBody& b, PeerLimits base) {
    if (b.is_null("expires_at")) {
        base.expires_at.reset();
    } else if (auto t = SY_TRY(b.opt_string("expires_at"))) {
        base.expires_at = core::parse_rfc3339(*t);
        if (!base.expires_at)
            return core::fail(Errc::Invalid, "expires_at", "must be an RFC 3339 date-time or null");
    }
    if (auto q = SY_TRY(b.opt_nullable_int("quota_bytes"))) base.quota_bytes = *q;
    return base;
}

core::Result<const Device*> device_in(const CustomerState& s, const std::string& id) {
    auto it = s.devices.find(id);
    if (it == s.devices.end())
        return core::fail(Errc::NotFound, "id", fmt::format("device '{}' does not exist", id));
    return &it->second;
}

core::Result<ForwardSpec> forward_spec(const JsonBody& b) {
    ForwardSpec f;
    f.local_ip = SY_TRY(b.opt_string("local_ip")).value_or("");
    auto local = SY_TRY(b.opt_int("local_port"));
    if (!local) return core::fail(Errc::Invalid, "local_port", "is required");
    f.local_port = *local;
    f.external_port = SY_TRY(b.opt_nullable_int("external_port")).value_or(std::nullopt);
    if (auto p = SY_TRY(b.opt_string("protocol")); p && !parse_forward_protocol(*p, f.protocol))
        return core::fail(Errc::Invalid, "protocol", "must be tcp, udp or both");
    f.description = SY_TRY(b.opt_string("description")).value_or("");
    return f;
}

json::object spec_ok(json::object data) { return {{"success", true}, {"data", std::move(data)}}; }

}  // namespace

void add_vpn_routes(Router& router, VpnApi& api) {
    auto& ctx = api.ctx;
    // ---- the offer: plans and servers ----
    router.add({"GET", "/v1/vpn/plans",
                guarded(ctx, [&](HttpRequest& r, const core::Actor&) -> core::Result<HttpResponse> {
                    SY_TRY(wait_for_position(ctx, r));
                    auto n = SY_TRY(SY_TRY(vpn_of(api))->network());
                    json::array plans;
                    for (const auto& [id, p] : n.plans) plans.push_back(events::vpn::plan_json(p));
                    return json_response(200, json::serialize(json::object{{"plans", plans}}));
                })});
    router.add(
        {"PUT", "/v1/vpn/plans/{id}",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto b = SY_TRY(JsonBody::parse(r.body));
             auto plan = SY_TRY(plan_of_body(b, r.params["id"]));
             auto o = SY_TRY(
                 SY_TRY(vpn_of(api))->execute(DefinePlan{plan}, decision_context(ctx, r, a)));
             return command_response(200, with_position(events::vpn::plan_json(plan), o.positions),
                                     o.positions);
         })});
    router.add(
        {"DELETE", "/v1/vpn/plans/{id}",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto o =
                 SY_TRY(SY_TRY(vpn_of(api))
                            ->execute(RemovePlan{r.params["id"]}, decision_context(ctx, r, a)));
             return command_response(
                 200, with_position({{"plan_id", r.params["id"]}, {"deleted", true}}, o.positions),
                 o.positions);
         })});
    router.add({"GET", "/v1/vpn/servers",
                guarded(ctx, [&](HttpRequest& r, const core::Actor&) -> core::Result<HttpResponse> {
                    SY_TRY(wait_for_position(ctx, r));
                    auto* vpn = SY_TRY(vpn_of(api));
                    auto n = SY_TRY(vpn->network());
                    json::array servers;
                    for (const auto& [id, s] : n.servers) {
                        auto o = events::vpn::server_json(s, false);
                        o["peers"] = SY_TRY(vpn->allocations(id)).peers;
                        servers.push_back(std::move(o));
                    }
                    return json_response(200, json::serialize(json::object{{"servers", servers}}));
                })});
    router.add(
        {"PUT", "/v1/vpn/servers/{id}",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto b = SY_TRY(JsonBody::parse(r.body));
             auto server = SY_TRY(server_of_body(b, r.params["id"]));
             auto* vpn = SY_TRY(vpn_of(api));
             auto o = SY_TRY(vpn->execute(DefineServer{server}, decision_context(ctx, r, a)));
             auto n = SY_TRY(vpn->network());
             return command_response(
                 200,
                 with_position(events::vpn::server_json(n.servers.at(server.server_id), false),
                               o.positions),
                 o.positions);
         })});
    router.add(
        {"DELETE", "/v1/vpn/servers/{id}",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto o =
                 SY_TRY(SY_TRY(vpn_of(api))
                            ->execute(RemoveServer{r.params["id"]}, decision_context(ctx, r, a)));
             return command_response(
                 200,
                 with_position({{"server_id", r.params["id"]}, {"deleted", true}}, o.positions),
                 o.positions);
         })});

    // ---- a customer's subscription ----
    router.add({"GET", "/v1/vpn/subscription",
                guarded(ctx, [&](HttpRequest& r, const core::Actor&) -> core::Result<HttpResponse> {
                    auto c = SY_TRY(customer_of(ctx, r));
                    auto* vpn = SY_TRY(vpn_of(api));
                    auto s = SY_TRY(vpn->customer(c.customer_id));
                    auto n = SY_TRY(vpn->network());
                    auto plan = n.plans.find(s.plan_id);
                    if (plan == n.plans.end())
                        return core::fail(Errc::NotFound, "plan_id",
                                          fmt::format("customer '{}' has no plan", c.customer_id));
                    return json_response(200, json::serialize(json::object{
                                                  {"customer_id", c.customer_id},
                                                  {"plan", events::vpn::plan_json(plan->second)},
                                                  {"limits", limits_json(plan->second, s)}}));
                })});
    router.add(
        {"PUT", "/v1/vpn/subscription",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto c = SY_TRY(customer_of(ctx, r));
             auto b = SY_TRY(JsonBody::parse(r.body));
             SY_TRY(b.only({"plan_id"}));
             // No SY_TRY inside a braced initializer: GCC does not destroy the members built
             // before an early return from a statement expression (they leak).
             auto plan_id = SY_TRY(b.string("plan_id"));
             Subscribe cmd{c.customer_id, std::move(plan_id), c.owner_path};
             auto o = SY_TRY(SY_TRY(vpn_of(api))->execute(cmd, decision_context(ctx, r, a)));
             return command_response(
                 200,
                 with_position({{"customer_id", c.customer_id}, {"plan_id", cmd.plan_id}},
                               o.positions),
                 o.positions);
         })});

    // ---- scans (TrueVault 1.4) ----
    router.add(
        {"POST", "/v1/vpn/scans",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto c = SY_TRY(customer_of(ctx, r));
             auto b = SY_TRY(JsonBody::parse(r.body));
             SY_TRY(b.only({"devices"}));
             auto list = SY_TRY(b.opt_object_list("devices"));
             if (!list) return core::fail(Errc::Invalid, "devices", "is required");
             AddDevices cmd;
             cmd.customer_id = c.customer_id;
             cmd.source = "scan";
             for (const auto& d : *list) cmd.devices.push_back(SY_TRY(device_input(d, true)));
             auto* vpn = SY_TRY(vpn_of(api));
             auto o = SY_TRY(vpn->execute(cmd, decision_context(ctx, r, a)));
             auto s = SY_TRY(vpn->customer(c.customer_id));
             auto n = SY_TRY(vpn->network());
             json::array recommendations, skipped;
             std::int64_t added = 0;
             for (const auto& d : o.devices) {
                 if (d.added) {
                     ++added;
                     recommendations.push_back(json::object{{"device_id", d.device_id},
                                                            {"device_name", d.name},
                                                            {"recommended_server", d.server_name},
                                                            {"server_id", d.server_id},
                                                            {"reason", d.reason}});
                 } else {
                     skipped.push_back(json::object{{"device_id", d.device_id},
                                                    {"device_name", d.name},
                                                    {"reason", d.reason}});
                 }
             }
             json::object data{
                 {"devices_received", static_cast<std::int64_t>(cmd.devices.size())},
                 {"devices_added", added},
                 {"devices_skipped", static_cast<std::int64_t>(cmd.devices.size()) - added},
                 {"recommendations", std::move(recommendations)},
                 {"skipped", std::move(skipped)}};
             if (auto plan = n.plans.find(s.plan_id); plan != n.plans.end())
                 data["limits"] = limits_json(plan->second, s);
             return command_response(200, with_position(spec_ok(std::move(data)), o.positions),
                                     o.positions);
         })});

    // ---- devices ----
    router.add({"GET", "/v1/vpn/devices",
                guarded(ctx, [&](HttpRequest& r, const core::Actor&) -> core::Result<HttpResponse> {
                    auto c = SY_TRY(customer_of(ctx, r));
                    auto s = SY_TRY(SY_TRY(vpn_of(api))->customer(c.customer_id));
                    json::array devices;
                    for (const auto& [id, d] : s.devices) devices.push_back(device_json(s, d));
                    return json_response(200, json::serialize(json::object{{"devices", devices}}));
                })});
    router.add(
        {"POST", "/v1/vpn/devices",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto c = SY_TRY(customer_of(ctx, r));
             auto b = SY_TRY(JsonBody::parse(r.body));
             auto device = SY_TRY(device_input(b, false));
             AddDevices cmd{c.customer_id, {std::move(device)}, "api", {}};
             auto* vpn = SY_TRY(vpn_of(api));
             auto executed = vpn->execute(cmd, decision_context(ctx, r, a));
             if (!executed) {
                 // The decider checks a scan's list; this request is the one device itself.
                 auto e = executed.error();
                 if (e.field.starts_with("devices[0].")) e.field.erase(0, 11);
                 return tl::unexpected(std::move(e));
             }
             auto o = std::move(*executed);
             const auto& out = o.devices.at(0);
             if (!out.added) {
                 const bool exists = out.reason.rfind("already on the account", 0) == 0;
                 return core::fail(exists ? Errc::Conflict : Errc::Rejected,
                                   exists ? "id" : "server_id", out.reason);
             }
             auto s = SY_TRY(vpn->customer(c.customer_id));
             return command_response(
                 201, with_position(device_json(s, s.devices.at(out.device_id)), o.positions),
                 o.positions);
         })});
    router.add({"GET", "/v1/vpn/devices/{id}",
                guarded(ctx, [&](HttpRequest& r, const core::Actor&) -> core::Result<HttpResponse> {
                    auto c = SY_TRY(customer_of(ctx, r));
                    auto s = SY_TRY(SY_TRY(vpn_of(api))->customer(c.customer_id));
                    const auto* d = SY_TRY(device_in(s, r.params["id"]));
                    return json_response(200, json::serialize(device_json(s, *d)));
                })});
    router.add(
        {"PATCH", "/v1/vpn/devices/{id}",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto c = SY_TRY(customer_of(ctx, r));
             auto b = SY_TRY(JsonBody::parse(r.body));
             SY_TRY(b.only({"server_id"}));
             auto server_id = SY_TRY(b.string("server_id"));
             AssignServer cmd{c.customer_id, r.params["id"], std::move(server_id)};
             auto* vpn = SY_TRY(vpn_of(api));
             auto o = SY_TRY(vpn->execute(cmd, decision_context(ctx, r, a)));
             auto s = SY_TRY(vpn->customer(c.customer_id));
             return command_response(
                 200, with_position(device_json(s, s.devices.at(cmd.device_id)), o.positions),
                 o.positions);
         })});
    router.add(
        {"DELETE", "/v1/vpn/devices/{id}",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto c = SY_TRY(customer_of(ctx, r));
             auto o = SY_TRY(SY_TRY(vpn_of(api))
                                 ->execute(RemoveDevice{c.customer_id, r.params["id"]},
                                           decision_context(ctx, r, a)));
             return command_response(
                 200, with_position({{"id", r.params["id"]}, {"deleted", true}}, o.positions),
                 o.positions);
         })});

    // ---- WireGuard peers ----
    router.add(
        {"POST", "/v1/vpn/devices/{id}/peer",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto c = SY_TRY(customer_of(ctx, r));
             auto b = SY_TRY(JsonBody::parse(r.body));
             SY_TRY(b.only(
                 {"public_key", "dns", "persistent_keepalive", "expires_at", "quota_bytes"}));
             CreatePeer cmd;
             cmd.customer_id = c.customer_id;
             cmd.device_id = r.params["id"];
             cmd.public_key = SY_TRY(b.opt_string("public_key")).value_or("");
             if (b.has("public_key") && cmd.public_key.empty())
                 return core::fail(Errc::Invalid, "public_key",
                                   "must be a WireGuard key: base64 of 32 bytes");
             cmd.dns = SY_TRY(b.opt_string_list("dns"));
             cmd.persistent_keepalive = SY_TRY(b.opt_int("persistent_keepalive"));
             cmd.limits = SY_TRY(peer_limits(b, {}));
             auto* vpn = SY_TRY(vpn_of(api));
             auto o = SY_TRY(vpn->execute(cmd, decision_context(ctx, r, a)));
             auto s = SY_TRY(vpn->customer(c.customer_id));
             return command_response(
                 201,
                 with_position(
                     events::vpn::peer_json(cmd.device_id, s.peers.at(cmd.device_id), false),
                     o.positions),
                 o.positions);
         })});
    router.add(
        {"PATCH", "/v1/vpn/devices/{id}/peer",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto c = SY_TRY(customer_of(ctx, r));
             auto b = SY_TRY(JsonBody::parse(r.body));
             SY_TRY(b.only({"enabled", "expires_at", "quota_bytes"}));
             auto* vpn = SY_TRY(vpn_of(api));
             auto s = SY_TRY(vpn->customer(c.customer_id));
             auto peer = s.peers.find(r.params["id"]);
             if (peer == s.peers.end())
                 return core::fail(Errc::NotFound, "id",
                                   fmt::format("device '{}' has no peer", r.params["id"]));
             const auto enabled = SY_TRY(b.opt_bool("enabled"));
             UpdatePeer cmd{c.customer_id, r.params["id"], enabled, std::nullopt};
             if (b.has("expires_at") || b.has("quota_bytes"))
                 cmd.limits = SY_TRY(peer_limits(b, peer->second.limits));
             auto o = SY_TRY(vpn->execute(cmd, decision_context(ctx, r, a)));
             s = SY_TRY(vpn->customer(c.customer_id));
             return command_response(
                 200,
                 with_position(
                     events::vpn::peer_json(cmd.device_id, s.peers.at(cmd.device_id), false),
                     o.positions),
                 o.positions);
         })});
    router.add(
        {"DELETE", "/v1/vpn/devices/{id}/peer",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto c = SY_TRY(customer_of(ctx, r));
             auto o = SY_TRY(SY_TRY(vpn_of(api))
                                 ->execute(RemovePeer{c.customer_id, r.params["id"]},
                                           decision_context(ctx, r, a)));
             return command_response(
                 200, with_position({{"id", r.params["id"]}, {"peer_deleted", true}}, o.positions),
                 o.positions);
         })});
    // The client configuration in clear text: rendered on request, never stored in clear.
    auto render = [&ctx, &api](HttpRequest& r) -> core::Result<std::string> {
        auto c = SY_TRY(customer_of(ctx, r));
        auto* vpn = SY_TRY(vpn_of(api));
        auto s = SY_TRY(vpn->customer(c.customer_id));
        SY_TRY(device_in(s, r.params["id"]));
        auto peer = s.peers.find(r.params["id"]);
        if (peer == s.peers.end())
            return core::fail(
                Errc::NotFound, "id",
                fmt::format("device '{}' has no peer yet; POST its peer first", r.params["id"]));
        auto n = SY_TRY(vpn->network());
        auto server = n.servers.find(peer->second.server_id);
        if (server == n.servers.end())
            return core::fail(Errc::NotFound, "server_id", "the peer's server no longer exists");
        auto secrets = SY_TRY(vpn->peer_secrets(c.customer_id, r.params["id"]));
        return render_client_config(server->second, peer->second, secrets.private_key,
                                    secrets.preshared_key);
    };
    router.add(
        {"GET", "/v1/vpn/devices/{id}/wireguard.conf",
         guarded(ctx, [render](HttpRequest& r, const core::Actor&) -> core::Result<HttpResponse> {
             HttpResponse out;
             out.content_type = "text/plain; charset=utf-8";
             out.body = SY_TRY(render(r));
             out.headers.push_back({"Cache-Control", "no-store"});
             out.headers.push_back(
                 {"Content-Disposition",
                  fmt::format("attachment; filename=\"{}.conf\"", r.params["id"])});
             return out;
         })});
    router.add(
        {"GET", "/v1/vpn/devices/{id}/wireguard.png",
         guarded(ctx, [render](HttpRequest& r, const core::Actor&) -> core::Result<HttpResponse> {
             HttpResponse out;
             out.content_type = "image/png";
             out.body = SY_TRY(qr_png(SY_TRY(render(r)), 4));
             out.headers.push_back({"Cache-Control", "no-store"});
             return out;
         })});

    // ---- port forwarding (TrueVault 2.4, 2.5) ----
    router.add({"GET", "/v1/vpn/port-forward-templates",
                guarded(ctx, [&](HttpRequest&, const core::Actor&) -> core::Result<HttpResponse> {
                    const auto& cfg = SY_TRY(vpn_of(api))->config();
                    json::array templates, refused;
                    for (const auto& t : cfg.templates) {
                        json::array ports;
                        for (const auto& p : t.ports)
                            ports.push_back(json::object{
                                {"local", p.local_port},
                                {"external", p.external_port ? json::value(*p.external_port)
                                                             : json::value(nullptr)},
                                {"protocol", to_string(p.protocol)},
                                {"description", p.description}});
                        templates.push_back(json::object{
                            {"template_id", t.template_id}, {"name", t.name}, {"ports", ports}});
                    }
                    for (const auto& t : cfg.refused_templates)
                        refused.push_back(json::object{{"template_id", t.template_id},
                                                       {"name", t.name},
                                                       {"field", t.error.field},
                                                       {"reason", t.error.message}});
                    return json_response(200, json::serialize(json::object{{"templates", templates},
                                                                           {"refused", refused}}));
                })});
    router.add({"GET", "/v1/vpn/port-forwards",
                guarded(ctx, [&](HttpRequest& r, const core::Actor&) -> core::Result<HttpResponse> {
                    auto c = SY_TRY(customer_of(ctx, r));
                    auto* vpn = SY_TRY(vpn_of(api));
                    auto s = SY_TRY(vpn->customer(c.customer_id));
                    auto n = SY_TRY(vpn->network());
                    json::array forwards;
                    for (const auto& [id, f] : s.forwards)
                        forwards.push_back(forward_json(n, s, f));
                    return json_response(200, json::serialize(spec_ok({{"forwards", forwards}})));
                })});
    router.add(
        {"POST", "/v1/vpn/port-forwards",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto c = SY_TRY(customer_of(ctx, r));
             auto b = SY_TRY(JsonBody::parse(r.body));
             // The specification's request also names the device's name and type; they are
             // the device's own and are accepted and ignored.
             SY_TRY(b.only({"device_id", "device_name", "device_type", "local_ip", "local_port",
                            "external_port", "protocol", "description", "template"}));
             CreatePortForwards cmd;
             cmd.customer_id = c.customer_id;
             cmd.device_id = SY_TRY(b.string("device_id"));
             auto* vpn = SY_TRY(vpn_of(api));
             if (auto name = SY_TRY(b.opt_string("template"))) {
                 const auto& cfg = vpn->config();
                 for (const auto& t : cfg.refused_templates)
                     if (t.template_id == *name)
                         return core::fail(Errc::Rejected, "template",
                                           fmt::format("template '{}' is refused: {} {}", *name,
                                                       t.error.field, t.error.message));
                 auto t = std::find_if(cfg.templates.begin(), cfg.templates.end(),
                                       [&](const auto& t) { return t.template_id == *name; });
                 if (t == cfg.templates.end())
                     return core::fail(Errc::NotFound, "template",
                                       fmt::format("template '{}' does not exist", *name));
                 cmd.ports = t->ports;
                 auto ip = SY_TRY(b.opt_string("local_ip"));
                 for (auto& p : cmd.ports) p.local_ip = ip.value_or("");
             } else {
                 cmd.ports.push_back(SY_TRY(forward_spec(b)));
             }
             auto o = SY_TRY(vpn->execute(cmd, decision_context(ctx, r, a)));
             auto s = SY_TRY(vpn->customer(c.customer_id));
             auto n = SY_TRY(vpn->network());
             json::array forwards;
             for (auto id : o.forward_ids)
                 forwards.push_back(forward_json(n, s, s.forwards.at(id)));
             json::object data;
             if (forwards.size() == 1) {
                 const auto& f = s.forwards.at(o.forward_ids[0]);
                 data = {{"forward_id", f.forward_id},
                         {"access_url", access_url(n, f)},
                         {"status", f.status}};
             }
             data["forwards"] = std::move(forwards);
             return command_response(201, with_position(spec_ok(std::move(data)), o.positions),
                                     o.positions);
         })});
    router.add({"GET", "/v1/vpn/port-forwards/{id}",
                guarded(ctx, [&](HttpRequest& r, const core::Actor&) -> core::Result<HttpResponse> {
                    auto c = SY_TRY(customer_of(ctx, r));
                    auto id = SY_TRY(id_param(r, "id"));
                    auto* vpn = SY_TRY(vpn_of(api));
                    auto s = SY_TRY(vpn->customer(c.customer_id));
                    auto f = s.forwards.find(id);
                    if (f == s.forwards.end())
                        return core::fail(Errc::NotFound, "id",
                                          fmt::format("port forward {} does not exist", id));
                    return json_response(
                        200, json::serialize(forward_json(SY_TRY(vpn->network()), s, f->second)));
                })});
    router.add(
        {"PATCH", "/v1/vpn/port-forwards/{id}",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto c = SY_TRY(customer_of(ctx, r));
             auto b = SY_TRY(JsonBody::parse(r.body));
             SY_TRY(b.only(
                 {"local_ip", "local_port", "external_port", "protocol", "description", "status"}));
             UpdatePortForward cmd;
             cmd.customer_id = c.customer_id;
             cmd.forward_id = SY_TRY(id_param(r, "id"));
             cmd.local_ip = SY_TRY(b.opt_string("local_ip"));
             cmd.local_port = SY_TRY(b.opt_int("local_port"));
             cmd.external_port = SY_TRY(b.opt_int("external_port"));
             if (auto p = SY_TRY(b.opt_string("protocol"))) {
                 ForwardProtocol proto{};
                 if (!parse_forward_protocol(*p, proto))
                     return core::fail(Errc::Invalid, "protocol", "must be tcp, udp or both");
                 cmd.protocol = proto;
             }
             cmd.description = SY_TRY(b.opt_string("description"));
             cmd.status = SY_TRY(b.opt_string("status"));
             auto* vpn = SY_TRY(vpn_of(api));
             auto o = SY_TRY(vpn->execute(cmd, decision_context(ctx, r, a)));
             auto s = SY_TRY(vpn->customer(c.customer_id));
             return command_response(200,
                                     with_position(forward_json(SY_TRY(vpn->network()), s,
                                                                s.forwards.at(cmd.forward_id)),
                                                   o.positions),
                                     o.positions);
         })});
    router.add(
        {"DELETE", "/v1/vpn/port-forwards/{id}",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto c = SY_TRY(customer_of(ctx, r));
             const auto forward_id = SY_TRY(id_param(r, "id"));
             RemovePortForward cmd{c.customer_id, forward_id};
             auto o = SY_TRY(SY_TRY(vpn_of(api))->execute(cmd, decision_context(ctx, r, a)));
             return command_response(
                 200,
                 with_position({{"success", true}, {"message", "Port forwarding rule deleted"}},
                               o.positions),
                 o.positions);
         })});

    // ---- usage ----
    router.add(
        {"GET", "/v1/vpn/usage",
         guarded(ctx, [&](HttpRequest& r, const core::Actor&) -> core::Result<HttpResponse> {
             auto c = SY_TRY(customer_of(ctx, r));
             SY_TRY(wait_for_position(ctx, r));
             auto month = r.query_param("month");
             if (month.empty()) month = usage_month(ctx.clock.now());
             if (month.size() != 7 || month[4] != '-' ||
                 !core::parse_rfc3339(month + "-01T00:00:00Z"))
                 return core::fail(Errc::Invalid, "month", "must be YYYY-MM");
             const auto* view = ctx.runner.view(projections::vpn::kVpnUsage);
             if (!view)
                 return core::fail(Errc::Unavailable, "usage", "the usage read model is not open");
             auto u = projections::vpn::customer_usage(*view, c.customer_id, month);
             auto totals = [](const projections::vpn::UsageTotals& t) {
                 json::object o{{"rx_bytes", t.rx_bytes},
                                {"tx_bytes", t.tx_bytes},
                                {"total_bytes", t.total()}};
                 o["last_handshake"] = t.last_handshake
                                           ? json::value(core::format_rfc3339(
                                                 core::from_unix_seconds(*t.last_handshake)))
                                           : json::value(nullptr);
                 return o;
             };
             json::array devices;
             for (const auto& [id, t] : u.devices) {
                 auto o = totals(t);
                 o["device_id"] = id;
                 devices.push_back(std::move(o));
             }
             return json_response(200, json::serialize(json::object{{"customer_id", c.customer_id},
                                                                    {"month", month},
                                                                    {"total", totals(u.total)},
                                                                    {"devices", devices}}));
         })});

    // ---- diagnostics (the sandboxed user terminal, TrueVault 3.1) ----
    router.add(
        {"POST", "/v1/vpn/diagnostics",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto c = SY_TRY(customer_of(ctx, r));
             auto b = SY_TRY(JsonBody::parse(r.body));
             SY_TRY(b.only({"tool", "target"}));
             auto cmd =
                 SY_TRY(diagnostic_command(SY_TRY(b.string("tool")), SY_TRY(b.string("target"))));
             if (!api.run_diagnostic)
                 return core::fail(Errc::Unavailable, "tool",
                                   "diagnostics are not enabled on this server");
             const auto now = ctx.clock.now();
             if (ctx.security.diagnostics_per_minute > 0) {
                 if (auto wait = ctx.limiter.take("vpn.diagnostics:" + c.customer_id,
                                                  ctx.security.diagnostics_per_minute, now))
                     return core::fail(Errc::TooMany, "tool",
                                       fmt::format("at most {} diagnostics a minute; retry in {} s",
                                                   ctx.security.diagnostics_per_minute, *wait));
             }
             auto result = api.run_diagnostic(cmd);
             DiagnosticRan ran{c.customer_id,
                               cmd.tool,
                               cmd.target,
                               result.exit_code,
                               result.duration_ms,
                               result.timed_out,
                               static_cast<std::int64_t>(result.output.size())};
             auto o = SY_TRY(SY_TRY(vpn_of(api))->record({ran}, decision_context(ctx, r, a)));
             return command_response(200,
                                     with_position({{"tool", cmd.tool},
                                                    {"target", cmd.target},
                                                    {"exit_code", result.exit_code},
                                                    {"timed_out", result.timed_out},
                                                    {"duration_ms", result.duration_ms},
                                                    {"truncated", result.truncated},
                                                    {"output", result.output}},
                                                   o.positions),
                                     o.positions);
         })});
}

}  // namespace switchyard::api
