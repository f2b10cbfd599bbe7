#pragma once
/// The VPN module: plans, servers, subscriptions, devices, WireGuard peers, port forwards,
/// usage and diagnostics (core/vpn, events/vpn, projections/vpn, api/routes/vpn), and the
/// WireGuard reconcilers that keep interfaces in step with the peers (adapters/wireguard).

#include <memory>
#include <string>
#include <vector>

#include "adapters/wireguard/wireguard_reconciler.hpp"
#include "api/routes/vpn/vpn_api.hpp"
#include "app/modules/module.hpp"
#include "events/vpn/vpn_config.hpp"
#include "events/vpn/vpn_service.hpp"

namespace switchyard::app {

/// The VPN module's `serve` options.
struct VpnOptions {
    /// Directory of device_types.json, plans.json, port_forward_templates.json.
    std::string config_dir = SY_DEFAULT_CONFIG_DIR "/vpn";
    std::string ieee_data = "/usr/share/ieee-data";  ///< IEEE MAC registries (Debian ieee-data).
    std::vector<std::string> wireguard;  ///< `SERVER_ID=INTERFACE[@NETNS]` to reconcile.
    int wireguard_interval_ms = 10000;   ///< Between reconciliation passes.
    bool diagnostics = true;             ///< Allow POST /v1/vpn/diagnostics.
    /// Define the default plans (config plans.json) on the first start. Default: true.
    bool seed_default_plans = true;
};

class VpnModule final : public Module {
  public:
    VpnOptions options;

    std::string name() const override { return "vpn"; }
    void add_projectors(std::vector<std::unique_ptr<projections::Projector>>& out) const override;
    void add_serve_options(CLI::App& serve) override;
    /// Loads the data files, opens the VPN command side and seeds the default plans on first
    /// start. @errors a data file that cannot be read or parsed (naming it).
    core::Result<void> start(ModuleHost& host) override;
    void add_routes(api::Router& router) override;
    /// Starts one WireGuard reconciler per `--wireguard` binding.
    /// @errors Invalid naming `--wireguard` for a malformed binding.
    core::Result<void> start_workers(ModuleHost& host) override;
    void stop() override;
    /// The command side, once started (tests and tools).
    events::vpn::VpnService& service() { return *vpn_; }
    /// The routes' state, once started (tests replace the diagnostics runner).
    api::VpnApi& api_state() { return *api_; }

  private:
    std::unique_ptr<events::vpn::VpnConfig> config_;
    std::unique_ptr<events::vpn::VpnService> vpn_;
    std::unique_ptr<api::VpnApi> api_;
    std::vector<std::unique_ptr<adapters::wireguard::WireguardReconciler>> reconcilers_;
};

}  // namespace switchyard::app
