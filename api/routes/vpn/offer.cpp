// The operator's VPN offer (core/vpn/network.hpp): plans, which say what a subscribed customer
// may add (device limits per category and type, VIP access, dedicated servers), and WireGuard
// servers, with their endpoints, address pools and the policy of which devices and customers
// each takes. Everyone with a VPN role reads the offer; admins edit it. A new server gets its
// key pair from the command side.
#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/routes/vpn/vpn_support.hpp"
#include "events/vpn/vpn_json.hpp"

namespace switchyard::api::vpn {

namespace json = boost::json;
using core::Errc;
using namespace core::vpn;

namespace {

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

/// GET /v1/vpn/plans -> {"plans":[plan]}
core::Result<HttpResponse> list_plans(VpnApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    auto n = SY_TRY(api.vpn.network());
    json::array plans;
    for (const auto& [id, p] : n.plans) plans.push_back(events::vpn::plan_json(p));
    return json_ok({{"plans", plans}});
}

/// PUT /v1/vpn/plans/{id} -> the plan as defined.
core::Result<HttpResponse> define_plan(VpnApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    auto plan = SY_TRY(plan_of_body(b, r.params["id"]));
    auto o = SY_TRY(execute(api, r, DefinePlan{plan}));
    return answer(200, events::vpn::plan_json(plan), o.positions);
}

/// DELETE /v1/vpn/plans/{id}
core::Result<HttpResponse> remove_plan(VpnApi& api, HttpRequest& r) {
    return removed(api, r, RemovePlan{r.params["id"]}, r.params["id"], "plan_id");
}

core::Result<std::vector<DeviceCategory>> categories_of(const std::vector<std::string>& names) {
    std::vector<DeviceCategory> out;
    for (const auto& name : names) {
        DeviceCategory c{};
        if (!parse_device_category(name, c))
            return core::fail(Errc::Invalid, "policy.allowed_categories",
                              fmt::format("'{}' is not home_network or personal", name));
        out.push_back(c);
    }
    return out;
}

/// The body's `policy` over the defaults of ServerPolicy.
core::Result<ServerPolicy> policy_of_body(const JsonBody& p) {
    SY_TRY(p.only({"allowed_categories", "allowed_types", "bandwidth", "streaming_optimized",
                   "vip_only", "allowlist", "dedicated_owner", "capacity"}));
    ServerPolicy policy;
    if (auto cats = SY_TRY(p.opt_string_list("allowed_categories")))
        policy.allowed_categories = SY_TRY(categories_of(*cats));
    policy.allowed_types =
        SY_TRY(p.opt_string_list("allowed_types")).value_or(std::vector<std::string>{});
    if (auto bw = SY_TRY(p.opt_string("bandwidth"));
        bw && !parse_bandwidth_class(*bw, policy.bandwidth))
        return core::fail(Errc::Invalid, "policy.bandwidth", "must be unlimited or limited");
    policy.streaming_optimized = SY_TRY(p.opt_bool("streaming_optimized")).value_or(false);
    policy.vip_only = SY_TRY(p.opt_bool("vip_only")).value_or(false);
    policy.allowlist = SY_TRY(p.opt_string_list("allowlist")).value_or(std::vector<std::string>{});
    if (!p.is_null("dedicated_owner"))
        if (auto o = SY_TRY(p.opt_string("dedicated_owner"))) policy.dedicated_owner = *o;
    policy.capacity = SY_TRY(p.opt_nullable_int("capacity")).value_or(std::nullopt);
    return policy;
}

/// The body of PUT /v1/vpn/servers/{id}; absent fields take Server's defaults.
core::Result<Server> server_of_body(const JsonBody& b, const std::string& server_id) {
    SY_TRY(b.only({"name", "location", "endpoint_host", "listen_port", "ipv4_pool", "ipv6_pool",
                   "dns", "client_allowed_ips", "persistent_keepalive", "policy"}));
    Server s;
    s.server_id = server_id;
    s.name = SY_TRY(b.string("name"));
    s.location = SY_TRY(b.opt_string("location")).value_or("");
    s.endpoint_host = SY_TRY(b.string("endpoint_host"));
    s.listen_port = SY_TRY(b.opt_int("listen_port")).value_or(s.listen_port);
    s.ipv4_pool = SY_TRY(b.string("ipv4_pool"));
    s.ipv6_pool = SY_TRY(b.opt_string("ipv6_pool")).value_or("");
    s.dns = SY_TRY(b.opt_string_list("dns")).value_or(std::vector<std::string>{});
    s.client_allowed_ips =
        SY_TRY(b.opt_string("client_allowed_ips")).value_or(s.client_allowed_ips);
    s.persistent_keepalive =
        SY_TRY(b.opt_int("persistent_keepalive")).value_or(s.persistent_keepalive);
    if (auto p = SY_TRY(b.opt_object("policy"))) s.policy = SY_TRY(policy_of_body(*p));
    return s;
}

/// GET /v1/vpn/servers -> {"servers":[server with its "peers"]}
core::Result<HttpResponse> list_servers(VpnApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    auto n = SY_TRY(api.vpn.network());
    json::array servers;
    for (const auto& [id, s] : n.servers) {
        auto o = events::vpn::server_json(s, false);
        o["peers"] = SY_TRY(api.vpn.allocations(id)).peers;
        servers.push_back(std::move(o));
    }
    return json_ok({{"servers", servers}});
}

/// PUT /v1/vpn/servers/{id} -> the server as defined (without its private key).
core::Result<HttpResponse> define_server(VpnApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    auto server = SY_TRY(server_of_body(b, r.params["id"]));
    auto o = SY_TRY(execute(api, r, DefineServer{server}));
    auto n = SY_TRY(api.vpn.network());
    return answer(200, events::vpn::server_json(n.servers.at(server.server_id), false),
                  o.positions);
}

/// DELETE /v1/vpn/servers/{id}
core::Result<HttpResponse> remove_server(VpnApi& api, HttpRequest& r) {
    return removed(api, r, RemoveServer{r.params["id"]}, r.params["id"], "server_id");
}

}  // namespace

VpnRoutes offer_routes() {
    return {
        {
            "GET",
            "/v1/vpn/plans",
            vpn_roles::read,
            list_plans,
            "The VPN plans on offer.",
        },
        {
            "PUT",
            "/v1/vpn/plans/{id}",
            roles::admin,
            define_plan,
            "Creates or replaces a plan: device limits per category and type, VIP access, "
            "dedicated servers.",
        },
        {
            "DELETE",
            "/v1/vpn/plans/{id}",
            roles::admin,
            remove_plan,
            "Removes a plan.",
        },
        {
            "GET",
            "/v1/vpn/servers",
            vpn_roles::read,
            list_servers,
            "The WireGuard servers on offer, with how many peers each carries.",
        },
        {
            "PUT",
            "/v1/vpn/servers/{id}",
            roles::admin,
            define_server,
            "Creates or replaces a server: endpoint, address pools, DNS and its policy.",
        },
        {
            "DELETE",
            "/v1/vpn/servers/{id}",
            roles::admin,
            remove_server,
            "Removes a server.",
        },
    };
}

}  // namespace switchyard::api::vpn
