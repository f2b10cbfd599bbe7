// The VPN line over HTTP: plans and servers (the operator's offer), and per customer: the
// subscription, scans and devices, WireGuard peers with their client configuration, port
// forwards, usage and diagnostics. A customer acts on their own account; staff name it with
// `?customer_id=`. Each resource's handlers and routes are in its own file here.
#include "api/routes/vpn/vpn_support.hpp"

namespace switchyard::api {

void add_vpn_routes(Router& router, VpnApi& api) {
    for (auto* part :
         {vpn::offer_routes, vpn::subscription_routes, vpn::device_routes, vpn::peer_routes,
          vpn::port_forward_routes, vpn::usage_routes, vpn::diagnostics_routes})
        add_routes(router, api, "vpn", part());
}

}  // namespace switchyard::api
