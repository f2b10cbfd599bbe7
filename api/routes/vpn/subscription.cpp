// A customer's VPN subscription: the plan with the limits in use, and subscribing to a plan
// (or changing it; a plan smaller than what is in use is refused by core/vpn).
#include <boost/json.hpp>

#include "api/routes/vpn/vpn_support.hpp"
#include "core/vpn/account.hpp"
#include "events/vpn/vpn_json.hpp"

namespace switchyard::api::vpn {

namespace json = boost::json;
using namespace core::vpn;

namespace {

/// GET /v1/vpn/subscription -> {"customer_id","plan","limits"}
core::Result<HttpResponse> read_subscription(VpnApi& api, HttpRequest& r) {
    auto c = SY_TRY(customer_of(api, r));
    auto s = SY_TRY(api.vpn.customer(c.customer_id));
    auto n = SY_TRY(api.vpn.network());
    const Plan* plan = SY_TRY(subscribed_plan(s, n, c.customer_id));
    return json_ok({{"customer_id", c.customer_id},
                    {"plan", events::vpn::plan_json(*plan)},
                    {"limits", limits_view(*plan, s)}});
}

/// PUT /v1/vpn/subscription {"plan_id"} -> {"customer_id","plan_id"}
core::Result<HttpResponse> subscribe(VpnApi& api, HttpRequest& r) {
    auto c = SY_TRY(customer_of(api, r));
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"plan_id"}));
    // No SY_TRY inside a braced initializer: GCC does not destroy the members built before an
    // early return from a statement expression (they leak).
    auto plan_id = SY_TRY(b.string("plan_id"));
    Subscribe cmd{c.customer_id, std::move(plan_id), c.owner_path};
    auto o = SY_TRY(execute(api, r, cmd));
    return answer(200, {{"customer_id", c.customer_id}, {"plan_id", cmd.plan_id}}, o.positions);
}

}  // namespace

VpnRoutes subscription_routes() {
    return {
        {
            "GET",
            "/v1/vpn/subscription",
            vpn_roles::read,
            read_subscription,
            "The customer's plan and the device limits in use.",
        },
        {
            "PUT",
            "/v1/vpn/subscription",
            vpn_roles::account,
            subscribe,
            "Subscribes the customer to a plan, or changes the plan.",
        },
    };
}

}  // namespace switchyard::api::vpn
