#pragma once
/// What the VPN resource files (api/routes/vpn/*.cpp) share: who may call what, the customer a
/// request acts for, running a command and answering it, the JSON views the API shows of
/// devices, port forwards and plan limits, and each resource's part of the route table.
/// Internal to api/routes/vpn.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "api/json_body.hpp"
#include "api/route_support.hpp"
#include "api/route_table.hpp"
#include "api/routes/vpn/vpn_api.hpp"
#include "core/vpn/customer.hpp"
#include "core/vpn/network.hpp"

namespace switchyard::api::vpn {

using VpnRoutes = std::vector<RouteDef<VpnApi>>;

/// Who may call the VPN routes: the offer is the operator's; a customer's account is theirs
/// and their staff's (support reads it).
namespace vpn_roles {
using core::identity::Role;
inline const std::vector<Role> account{Role::Admin, Role::Reseller, Role::Customer};
inline const std::vector<Role> read{Role::Admin, Role::Reseller, Role::Support, Role::Customer};
}  // namespace vpn_roles

/// The customer a request acts for and where it lives in the reseller tree.
struct CustomerRef {
    std::string customer_id, owner_path;
};

/// The customer a request acts for: a customer's own account; staff name one with
/// `?customer_id=` inside their scope (rules: core/vpn/account.hpp).
/// @errors Unavailable when the users read model is not open; as account_customer_id and
///         check_account_holder, naming `customer_id`.
core::Result<CustomerRef> customer_of(VpnApi& api, const HttpRequest& request);

/// The decision context of a request's command: its caller is the actor.
inline core::DecisionContext context_of(VpnApi& api, const HttpRequest& request) {
    return decision_context(api.ctx, request, caller_of(request).actor);
}

/// Runs a VPN command with the request's decision context.
/// @errors the command's (core/vpn deciders) and the store's.
template <class Command>
auto execute(VpnApi& api, const HttpRequest& request, Command&& command) {
    return api.vpn.execute(std::forward<Command>(command), context_of(api, request));
}

/// A command's answer: `body` with the `position` it appended at, and the position header.
HttpResponse answer(int status, boost::json::object body,
                    const std::vector<events::Position>& positions);

/// A read's answer: 200 with `body` as JSON.
HttpResponse json_ok(const boost::json::object& body);

/// The answer of a removal: runs `command`, then answers 200
/// `{"<key>": <id>, "<flag>": true, "position": ...}`.
template <class Command>
core::Result<HttpResponse> removed(VpnApi& api, const HttpRequest& request, Command command,
                                   const std::string& id, const char* key,
                                   const char* flag = "deleted") {
    auto outcome = SY_TRY(execute(api, request, std::move(command)));
    return answer(200, {{key, id}, {flag, true}}, outcome.positions);
}

/// The TrueVault envelope: `{"success": true, "data": data}`.
boost::json::object spec_ok(boost::json::object data);

/// A device as the API shows it: the shape of `vpn.device.added`, its scan `id`, and its
/// `peer` (the API's view of it) or null.
boost::json::object device_view(const core::vpn::CustomerState& s, const core::vpn::Device& d);

/// A port forward in the TrueVault 2.5 list shape: `id`, the device's name and type, the
/// ports, `access_url` and `status`.
boost::json::object forward_view(const core::vpn::NetworkState& network,
                                 const core::vpn::CustomerState& s,
                                 const core::vpn::PortForward& f);

/// The TrueVault 1.4 `limits` object, plus each per-type limit of the plan: each
/// `{"current", "max", "remaining"}` (null max and remaining when unlimited).
boost::json::object limits_view(const core::vpn::Plan& plan, const core::vpn::CustomerState& s);

/// A body's optional `protocol`: `tcp`, `udp` or `both`.
/// @errors Invalid naming `protocol` otherwise.
core::Result<std::optional<core::vpn::ForwardProtocol>> protocol_of(const JsonBody& body);

/// Each resource's routes (api/routes/vpn/<resource>.cpp).
VpnRoutes offer_routes();
VpnRoutes subscription_routes();
VpnRoutes device_routes();
VpnRoutes peer_routes();
VpnRoutes port_forward_routes();
VpnRoutes usage_routes();
VpnRoutes diagnostics_routes();

}  // namespace switchyard::api::vpn
