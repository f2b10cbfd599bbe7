#pragma once
/// What the VPN routes (`/v1/vpn/...`) work with: the shared ApiContext, the VPN command side
/// and the diagnostics runner. Built by the VPN module's registration (app/modules).

#include <functional>

#include "api/api_context.hpp"
#include "core/vpn/diagnostics.hpp"
#include "events/vpn/vpn_service.hpp"

namespace switchyard::api {

/// The VPN module's API state.
struct VpnApi {
    ApiContext& ctx;
    events::vpn::VpnService& vpn;
    /// Runs a validated diagnostic (adapters/process); empty: diagnostics answer 503
    /// (`serve --no-diagnostics`).
    std::function<core::vpn::DiagnosticResult(const core::vpn::DiagnosticCommand&)> run_diagnostic;
};

/// Adds `/v1/vpn/...`: plans, servers, subscription, devices, peers, port forwards, usage,
/// diagnostics.
void add_vpn_routes(Router& router, VpnApi& api);

}  // namespace switchyard::api
