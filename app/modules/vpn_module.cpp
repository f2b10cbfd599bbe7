#include "app/modules/vpn_module.hpp"

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "adapters/process/process.hpp"
#include "app/modules/service_switches.hpp"
#include "projections/vpn/vpn_peers.hpp"
#include "projections/vpn/vpn_usage.hpp"

namespace switchyard::app {

void VpnModule::add_projectors(std::vector<std::unique_ptr<projections::Projector>>& out) const {
    out.push_back(projections::vpn::make_vpn_peers_projector());
    out.push_back(projections::vpn::make_vpn_usage_projector());
}

void VpnModule::add_serve_options(CLI::App& serve) {
    serve
        .add_option("--vpn-config", options.config_dir,
                    "Directory of device_types.json, plans.json, port_forward_templates.json")
        ->capture_default_str();
    serve.add_option("--ieee-data", options.ieee_data, "Directory of the IEEE MAC registries")
        ->capture_default_str();
    serve.add_option("--wireguard", options.wireguard,
                     "SERVER_ID=INTERFACE[@NETNS]: keep this WireGuard interface in step with "
                     "the server's peers (repeat)");
    serve
        .add_option("--wireguard-interval-ms", options.wireguard_interval_ms,
                    "Between WireGuard reconciliation passes (usage, quotas, peers)")
        ->capture_default_str();
    serve.add_flag("!--no-diagnostics", options.diagnostics,
                   "Refuse POST /v1/vpn/diagnostics (ping, traceroute, dns)");
}

core::Result<void> VpnModule::start(ModuleHost& host) {
    auto loaded = SY_TRY(events::vpn::load_vpn_config(options.config_dir, options.ieee_data));
    for (const auto& t : loaded.refused_templates)
        spdlog::warn("port forwarding template '{}' refused: {}: {}", t.template_id, t.error.field,
                     t.error.message);
    if (loaded.oui.size() == 0)
        spdlog::warn("no IEEE MAC registry in {}: devices are classified without vendors",
                     options.ieee_data);
    config_ = std::make_unique<events::vpn::VpnConfig>(std::move(loaded));
    vpn_ =
        std::make_unique<events::vpn::VpnService>(host.store, host.tenant, host.keyring, *config_);
    if (options.seed_default_plans) {
        core::DecisionContext seed;
        seed.now = host.clock.now();
        seed.actor = core::Actor{core::ActorKind::System, "bootstrap", ""};
        seed.correlation_id = "vpn-default-plans";
        SY_TRY(vpn_->seed_default_plans(seed));
    }
    api_ = std::make_unique<api::VpnApi>(api::VpnApi{host.api, *vpn_, nullptr});
    if (options.diagnostics) {
        api_->run_diagnostic = [](const core::vpn::DiagnosticCommand& c) {
            auto r =
                adapters::run_process(c.argv, "", c.timeout_ms, core::vpn::kMaxDiagnosticOutput);
            return core::vpn::DiagnosticResult{r.exit_code, r.timed_out, r.duration_ms,
                                               std::move(r.output), r.truncated};
        };
    }
    host.service_switches["vpn"] = vpn_service_switch(*vpn_);
    host.service_owners["vpn"] = vpn_service_owner(*vpn_);
    return {};
}

void VpnModule::add_routes(api::Router& router) { api::add_vpn_routes(router, *api_); }

core::Result<void> VpnModule::start_workers(ModuleHost& host) {
    for (const auto& text : options.wireguard) {
        auto binding = SY_TRY(adapters::wireguard::InterfaceBinding::parse(text));
        reconcilers_.push_back(std::make_unique<adapters::wireguard::WireguardReconciler>(
            binding, *vpn_, host.runner, host.clock));
        reconcilers_.back()->start(std::chrono::milliseconds(options.wireguard_interval_ms));
        spdlog::info("wireguard: server {} on {}{}", binding.server_id, binding.interface,
                     binding.netns.empty() ? "" : " in netns " + binding.netns);
    }
    return {};
}

void VpnModule::stop() {
    for (auto& r : reconcilers_) r->stop();
}

}  // namespace switchyard::app
