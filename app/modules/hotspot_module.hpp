#pragma once
/// The hotspot module (WiFight: ISP and hotspot billing over RADIUS, issue 13): NAS and plans,
/// accounts, voucher batches, and the captive portal (core/hotspot, events/hotspot,
/// projections/hotspot, adapters/radius, adapters/hotspot, api/routes/hotspot). At start it
/// reads the FreeRADIUS dictionary (Debian `freeradius-common`) and the vendor profiles
/// (config/hotspot/vendors, each attribute checked against the dictionary). The session/AAA
/// service (rlm_rest under `/radius`) and the enforcer (Disconnect/CoA) join here.

#include <memory>
#include <string>
#include <vector>

#include "api/routes/hotspot/controllers.hpp"
#include "api/routes/hotspot/hotspot_api.hpp"
#include "api/routes/hotspot/radius.hpp"
#include "app/modules/module.hpp"
#include "events/hotspot/aaa_service.hpp"
#include "events/hotspot/controller_service.hpp"
#include "events/hotspot/hotspot_service.hpp"
#include "events/hotspot/session_service.hpp"

namespace switchyard::adapters::radius {
class DaeClient;
class Enforcer;
class NasHealth;
}  // namespace switchyard::adapters::radius

namespace switchyard::app {

/// The hotspot module's `serve` options.
struct HotspotOptions {
    /// Directory of `vendors/` (one profile per vendor) and `portal/` (the captive portal page).
    /// Default: the source tree's config/hotspot.
    std::string config_dir = SY_DEFAULT_CONFIG_DIR "/hotspot";
    /// The FreeRADIUS dictionary index. When it is missing the module starts without it (and
    /// logs so): vendor profiles are then not checked against it.
    /// Default: /usr/share/freeradius/dictionary (Debian `freeradius-common`).
    std::string dictionary = "/usr/share/freeradius/dictionary";
    /// The title printed on each voucher card. Default: `Wi-Fi`.
    std::string sheet_title = "Wi-Fi";
};

class HotspotModule final : public Module {
  public:
    HotspotOptions options;

    HotspotModule();
    ~HotspotModule() override;

    std::string name() const override { return "hotspot"; }
    /// hotspot_nas, hotspot_plans, hotspot_accounts, hotspot_vouchers.
    void add_projectors(std::vector<std::unique_ptr<projections::Projector>>& out) const override;
    void add_serve_options(CLI::App& serve) override;
    /// Opens the hotspot command side (secrets sealed under the host's master keyring), reads
    /// the dictionary and the vendor profiles.
    /// @errors a vendor profile that is missing or malformed (naming the file and the field); a
    ///         dictionary that exists but does not parse (file, line, reason).
    core::Result<void> start(ModuleHost& host) override;
    /// `/v1/hotspot/...` (api/routes/hotspot/hotspot_api.hpp) and the captive portal `/portal`
    /// (api/routes/hotspot/portal.hpp) with the plans on sale from the plans read model.
    void add_routes(api::Router& router) override;
    /// The enforcer (adapters/radius/enforcer.hpp): follows the log and sends Disconnect/CoA
    /// requests to the NAS when an account expires, runs out or is ended by staff. Not started
    /// without a RADIUS dictionary (logged).
    core::Result<void> start_workers(ModuleHost& host) override;
    void stop() override;
    /// The rlm_rest surface's state (sessions, AAA), once started.
    api::RadiusApi& radius_state() { return *radius_api_; }
    /// The enforcer, once its worker started; null otherwise.
    adapters::radius::Enforcer* enforcer() { return enforcer_.get(); }

    /// The command side, once started (tests, tools, the AAA service).
    events::hotspot::HotspotService& service() { return *hotspot_; }
    /// The routes' state, once started (the lead adds the AAA service and the enforcer here).
    api::HotspotApi& api_state() { return *api_; }
    /// The dictionary read at start; null when it was not installed.
    std::shared_ptr<const core::radius::Dictionary> dictionary() const { return dictionary_; }
    /// The vendor profiles read at start.
    std::shared_ptr<const events::hotspot::VendorProfiles> vendors() const { return vendors_; }

  private:
    std::unique_ptr<events::hotspot::HotspotService> hotspot_;
    std::shared_ptr<const core::radius::Dictionary> dictionary_;
    std::shared_ptr<const events::hotspot::VendorProfiles> vendors_;
    std::unique_ptr<api::HotspotApi> api_;
    std::unique_ptr<events::hotspot::SessionService> sessions_;
    std::unique_ptr<events::hotspot::AaaService> aaa_;
    std::unique_ptr<api::RadiusApi> radius_api_;
    std::unique_ptr<adapters::radius::NasHealth> health_;
    std::unique_ptr<adapters::radius::DaeClient> dae_;
    std::unique_ptr<adapters::radius::Enforcer> enforcer_;
    // Hotspot controllers (MikroTik, Omada, Meraki): definitions, operations, routes.
    std::unique_ptr<events::hotspot::ControllerService> controllers_;
    std::unique_ptr<api::ControllersApi> controllers_api_;

  public:
    /// The controller command side, once started (tests, tools, master key rotation).
    events::hotspot::ControllerService& controllers() { return *controllers_; }
};

}  // namespace switchyard::app
