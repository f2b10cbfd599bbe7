#include "app/modules/hotspot_module.hpp"

#include <filesystem>

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include "adapters/hotspot/voucher_sheet.hpp"
#include "adapters/radius/dae_client.hpp"
#include "adapters/radius/dictionary_loader.hpp"
#include "adapters/radius/enforcer.hpp"
#include "adapters/radius/nas_health.hpp"
#include "api/routes/hotspot/portal.hpp"
#include "api/routes/hotspot/reports.hpp"
#include "api/routes/hotspot/sessions.hpp"
#include "app/modules/hotspot_controllers.hpp"
#include "app/modules/service_switches.hpp"
#include "projections/hotspot/hotspot_accounts.hpp"
#include "projections/hotspot/hotspot_catalog.hpp"
#include "projections/hotspot/hotspot_controllers.hpp"
#include "projections/hotspot/hotspot_reports.hpp"
#include "projections/hotspot/hotspot_sessions.hpp"
#include "projections/hotspot/hotspot_vouchers.hpp"
#include "projections/projection_runner.hpp"

namespace switchyard::app {

namespace {

/// The adapter's sheet from the API's.
adapters::hotspot::VoucherSheet sheet_of(const api::VoucherSheetInput& in) {
    adapters::hotspot::VoucherSheet s;
    s.codes = in.codes;
    s.title = in.title;
    s.plan_name = in.plan_name;
    s.price = in.price;
    s.validity = in.validity;
    s.login_url_template = in.login_url_template;
    return s;
}

/// The NAS part of `/readyz`: every NAS of the catalog with its reachability (NasHealth), as
/// `[{"nas_id","name","vendor","state","last_heard_at","last_heard_from","last_failure_at",
/// "last_failure"}]`; absent times are null.
std::string nas_readiness(const projections::ProjectionRunner& runner,
                          const adapters::radius::NasHealth& health, core::Timestamp now) {
    boost::json::array out;
    const auto* view = runner.view(projections::hotspot::kHotspotNas);
    if (view == nullptr) return "[]";
    std::vector<core::hotspot::Nas> all;
    for (std::string after;;) {
        auto page = projections::hotspot::list_nas(*view, after, 500);
        if (page.empty()) break;
        after = page.back().nas_id;
        for (auto& n : page) all.push_back(std::move(n));
    }
    std::vector<std::string> ids;
    for (const auto& n : all) ids.push_back(n.nas_id);
    const auto reach = health.report(ids, now);
    auto time = [](const std::optional<core::Timestamp>& t) -> boost::json::value {
        if (!t) return nullptr;
        return boost::json::value(core::format_rfc3339(*t));
    };
    for (std::size_t i = 0; i < all.size() && i < reach.size(); ++i) {
        const auto& r = reach[i];
        out.push_back(boost::json::object{
            {"nas_id", r.nas_id},
            {"name", all[i].name},
            {"vendor", core::hotspot::to_string(all[i].vendor)},
            {"state", r.state},
            {"last_heard_at", time(r.last_heard_at)},
            {"last_heard_from", r.last_heard_from},
            {"last_failure_at", time(r.last_failure_at)},
            {"last_failure", r.last_failure},
        });
    }
    return boost::json::serialize(out);
}

}  // namespace

HotspotModule::HotspotModule() = default;
HotspotModule::~HotspotModule() = default;

void HotspotModule::add_projectors(
    std::vector<std::unique_ptr<projections::Projector>>& out) const {
    out.push_back(projections::hotspot::make_hotspot_nas_projector());
    out.push_back(projections::hotspot::make_hotspot_plans_projector());
    out.push_back(projections::hotspot::make_hotspot_accounts_projector());
    out.push_back(projections::hotspot::make_hotspot_vouchers_projector());
    out.push_back(projections::hotspot::make_hotspot_sessions_projector());
    out.push_back(projections::hotspot::make_hotspot_reports_projector());
    out.push_back(projections::hotspot::make_hotspot_controllers_projector());
}

void HotspotModule::add_serve_options(CLI::App& serve) {
    serve
        .add_option("--hotspot-config", options.config_dir,
                    "Directory of the hotspot data files (vendors/, portal/)")
        ->capture_default_str();
    serve
        .add_option("--radius-dictionary", options.dictionary,
                    "The FreeRADIUS dictionary index (Debian freeradius-common)")
        ->capture_default_str();
    serve
        .add_option("--voucher-sheet-title", options.sheet_title,
                    "The title printed on each voucher card")
        ->capture_default_str();
}

core::Result<void> HotspotModule::start(ModuleHost& host) {
    hotspot_ =
        std::make_unique<events::hotspot::HotspotService>(host.store, host.tenant, host.keyring);
    events::hotspot::AttributeKnown known = [](std::string_view) { return true; };
    std::error_code ec;
    if (std::filesystem::exists(options.dictionary, ec)) {
        auto d = adapters::radius::load_dictionary(options.dictionary);
        if (!d) {
            auto e = d.error();
            e.message = options.dictionary + ": " + e.message;
            return tl::unexpected(std::move(e));
        }
        dictionary_ = std::make_shared<const core::radius::Dictionary>(std::move(*d));
        known = [dict = dictionary_](std::string_view name) {
            return dict->attribute(name) != nullptr;
        };
        spdlog::info("hotspot: RADIUS dictionary {}: {} attributes, {} vendors", options.dictionary,
                     dictionary_->attribute_count(), dictionary_->vendor_count());
    } else {
        spdlog::warn(
            "hotspot: no RADIUS dictionary at {} (install freeradius-common): starting without "
            "it, vendor profiles are not checked against it",
            options.dictionary);
    }
    const auto vendor_dir = std::filesystem::path(options.config_dir) / "vendors";
    auto vendors = events::hotspot::load_vendor_profiles(vendor_dir, known);
    if (!vendors) return tl::unexpected(vendors.error());
    vendors_ = std::make_shared<const events::hotspot::VendorProfiles>(std::move(*vendors));
    api_ = std::make_unique<api::HotspotApi>(api::HotspotApi{
        host.api, *hotspot_, dictionary_, vendors_, nullptr, nullptr, options.sheet_title});
    api_->render_sheet_html = [](const api::VoucherSheetInput& in) {
        return adapters::hotspot::render_voucher_sheet_html(sheet_of(in));
    };
    api_->render_sheet_pdf = [](const api::VoucherSheetInput& in) {
        return adapters::hotspot::render_voucher_sheet_pdf(sheet_of(in));
    };
    // The rlm_rest surface answers from memory: the sessions of every NAS are read now.
    sessions_ = std::make_unique<events::hotspot::SessionService>(host.store, host.tenant);
    // A plan change records the usage so far as the base of the new allowance.
    hotspot_->set_usage_source(
        [s = sessions_.get()](const std::string& username) { return s->usage(username).usage; });
    aaa_ = std::make_unique<events::hotspot::AaaService>(*hotspot_, *sessions_, *vendors_);
    SY_TRY(aaa_->start());
    radius_api_ = std::make_unique<api::RadiusApi>(
        api::RadiusApi{host.api, *aaa_, *hotspot_, *sessions_, nullptr});
    // /readyz lists each NAS's reachability, fed by the enforcer (accounting it follows,
    // Disconnect/CoA answers); it never fails readiness.
    health_ = std::make_unique<adapters::radius::NasHealth>();
    host.api.readiness_reports.emplace_back(
        "hotspot_nas", [&runner = host.runner, &health = *health_, &clock = host.clock] {
            return nas_readiness(runner, health, clock.now());
        });
    // Hotspot controllers: a fresh adapter per request from the definition and its secrets.
    controllers_ =
        std::make_unique<events::hotspot::ControllerService>(host.store, *hotspot_, host.keyring);
    controllers_api_ = std::make_unique<api::ControllersApi>(
        api::ControllersApi{*api_, *controllers_, make_controller_factory(host.clock)});
    host.service_switches["hotspot"] = hotspot_service_switch(*hotspot_);
    host.service_owners["hotspot"] = hotspot_service_owner(*hotspot_);
    return {};
}

core::Result<void> HotspotModule::start_workers(ModuleHost& host) {
    if (!dictionary_) {
        spdlog::warn(
            "hotspot: no RADIUS dictionary, so no enforcer: expired or used-up "
            "sessions are refused at their next Access-Request but not disconnected");
        return {};
    }
    dae_ = std::make_unique<adapters::radius::DaeClient>(*dictionary_);
    adapters::radius::EnforcerOptions o;
    o.health = health_.get();
    enforcer_ = std::make_unique<adapters::radius::Enforcer>(host.store, *hotspot_, *vendors_,
                                                             *dae_, host.clock, o);
    enforcer_->start();
    radius_api_->end_session = [e = enforcer_.get()](const std::string& id, const std::string& note,
                                                     const core::DecisionContext& ctx) {
        return e->request_end(id, note, ctx);
    };
    return {};
}

void HotspotModule::stop() {
    if (radius_api_) radius_api_->end_session = nullptr;
    if (enforcer_) enforcer_->stop();
}

void HotspotModule::add_routes(api::Router& router) {
    api::PortalOptions portal;
    portal.root = std::filesystem::path(options.config_dir) / "portal";
    portal.plans = [&runner = api_->ctx.runner]() {
        std::vector<core::hotspot::Plan> out;
        const auto* view = runner.view(projections::hotspot::kHotspotPlans);
        if (!view) return out;
        // The operator's plans on sale (a reseller's portal page comes with its own NAS later).
        for (auto& p : projections::hotspot::list_plans(*view, "", 1000, "/", false))
            if (p.owner_path == "/") out.push_back(std::move(p));
        return out;
    };
    api::add_portal_routes(router, std::move(portal));
    api::add_hotspot_routes(router, *api_);
    api::add_radius_routes(router, *radius_api_);
    api::add_session_routes(router, *radius_api_);
    api::add_report_routes(router, *radius_api_);
    api::add_controller_routes(router, *controllers_api_);
}

}  // namespace switchyard::app
