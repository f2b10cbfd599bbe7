// The VPN offer's plans: what a subscribed customer may add (device limits per category and
// type, VIP access, dedicated servers). Everyone with a VPN role reads them; admins edit them.
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
    return answer(200, events::vpn::plan_json(plan), o);
}

/// DELETE /v1/vpn/plans/{id}
core::Result<HttpResponse> remove_plan(VpnApi& api, HttpRequest& r) {
    return removed(api, r, RemovePlan{r.params["id"]}, r.params["id"], "plan_id");
}

}  // namespace

VpnRoutes plan_routes() {
    return {
        {"GET", "/v1/vpn/plans", vpn_roles::read, list_plans, "The VPN plans on offer."},
        {"PUT", "/v1/vpn/plans/{id}", roles::admin, define_plan,
         "Creates or replaces a plan: device limits per category and type, VIP access, "
         "dedicated servers."},
        {"DELETE", "/v1/vpn/plans/{id}", roles::admin, remove_plan, "Removes a plan."},
    };
}

}  // namespace switchyard::api::vpn
