#include "app/modules/voice_module.hpp"

#include <fstream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "app/modules/service_switches.hpp"
#include "app/modules/voice_cdr_cli.hpp"
#include "app/modules/voice_deck_cli.hpp"
#include "app/modules/voice_dids.hpp"
#include "app/modules/voice_parties.hpp"
#include "app/modules/voice_quality.hpp"
#include "app/modules/voice_routing.hpp"
#include "events/voice/customer_codec.hpp"
#include "events/voice/reference_codec.hpp"
#include "projections/voice/balances.hpp"
#include "projections/voice/cdrs.hpp"
#include "projections/voice/customers.hpp"
#include "projections/voice/dids.hpp"
#include "projections/voice/reference.hpp"
#include "projections/voice/trunks.hpp"
#include "projections/voice/usage.hpp"

namespace switchyard::app {

namespace {

/// The text of `path`. @errors Invalid naming the file when it cannot be read.
core::Result<std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return core::fail(core::Errc::Invalid, path, "cannot be read");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// A data file's error, naming the file too.
core::Error in_file(core::Error e, const std::string& path) {
    e.message = path + ": " + e.field + " " + e.message;
    e.field = path;
    return e;
}

}  // namespace

void VoiceModule::add_projectors(std::vector<std::unique_ptr<projections::Projector>>& out) const {
    out.push_back(projections::voice::make_voice_customers_projector());
    out.push_back(projections::voice::make_voice_reference_projector());
    out.push_back(projections::voice::make_voice_cdrs_projector());
    out.push_back(projections::voice::make_voice_usage_projector());
    out.push_back(projections::voice::make_voice_balances_projector());
    out.push_back(projections::voice::make_voice_did_fees_projector());
    add_voice_routing_projectors(out);
    out.push_back(projections::voice::make_voice_trunks_projector());
}

void VoiceModule::add_serve_options(CLI::App& serve) {
    serve
        .add_option("--voice-config", options.config_dir,
                    "Directory of the voice data files (categories.json, tiers.json, "
                    "destinations.csv, countries.csv)")
        ->capture_default_str();
    serve.add_flag("--voice-connect-on-attempt", options.connect_on_attempt,
                   "Charge unanswered calls their connect fee (default: free)");
    serve
        .add_option("--voice-quality-webhook", options.quality_webhook,
                    "URL route quality alerts (opened, resolved) are POSTed to as JSON")
        ->capture_default_str();
    serve.add_option("--sip-realm", options.sip_realm, "SIP digest realm of the trunks' HA1s")
        ->capture_default_str();
}

void VoiceModule::add_subcommands(CLI::App& app, std::vector<Subcommand>& out) {
    add_import_deck_command(app, out);
    add_voice_cdr_subcommands(app, out);
}

core::Result<void> VoiceModule::start(ModuleHost& host) {
    voice_ = std::make_unique<events::voice::VoiceService>(host.store, host.tenant);
    // The registry reads the log in the background (follow() below), so that a server on a
    // long Kafka topic starts at once; commands that need it current (deck imports, CDR
    // ingest, re-rating) catch it up themselves before they decide.
    tariffs_ = std::make_unique<events::voice::TariffRegistry>();
    decks_ = std::make_unique<events::voice::DeckService>(host.store, host.tenant, tariffs_.get());
    accounts_ = std::make_unique<events::voice::AccountService>(host.store, host.tenant);
    auto cdr_options = cdr_service_options(host.tenant, *voice_, *tariffs_);
    cdr_options.charge_unanswered = options.connect_on_attempt;
    cdrs_ =
        std::make_unique<events::voice::CdrService>(host.store, *tariffs_, std::move(cdr_options));
    const auto destinations_path = options.config_dir + "/destinations.csv";
    const auto countries_path = options.config_dir + "/countries.csv";
    auto numbering = core::voice::NumberingPlan::parse(SY_TRY(read_file(destinations_path)),
                                                       SY_TRY(read_file(countries_path)));
    if (!numbering) return tl::unexpected(in_file(numbering.error(), options.config_dir));
    numbering_ = std::make_unique<core::voice::NumberingPlan>(std::move(*numbering));
    tariffs_follow_ = tariffs_->follow(host.store);
    dids_ = make_did_service(host, *voice_);
    routing_ = make_voice_routing(host, *tariffs_, *voice_);
    api_ = std::make_unique<api::VoiceApi>(
        api::VoiceApi{host.api, *voice_, *tariffs_, *decks_, *accounts_, *cdrs_, *numbering_});
    api_->dids = dids_.get();
    api_->routing = routing_.get();
    trunk_parts_ = make_voice_trunks(host, *api_, options.sip_realm, options.max_call_duration_s);
    // The call path over the real parts, unless a test gave its own.
    auto* admission = trunk_parts_.admission.get();
    routing_->set_carrier_channels([admission](const std::string& carrier_id) {
        return admission->carrier_channels(carrier_id);
    });
    if (!call_path.trunks) call_path.trunks = trunk_parts_.trunks.get();
    if (!call_path.router) call_path.router = routing_.get();
    if (!call_path.admission) call_path.admission = admission;
    extensions_ = std::make_unique<events::voice::ExtensionService>(
        host.store, host.tenant, host.keyring, options.sip_realm);
    api_->extensions = extensions_.get();
    if (!call_path.extension_route) {
        auto* ext = extensions_.get();
        call_path.extension_route = [ext](const core::voice::CallSetup& s) {
            return ext->route(s);
        };
        call_path.expand_did_plan = [ext](core::voice::RoutePlan p) {
            return ext->expand(std::move(p));
        };
        call_path.extension_ha1 = [ext](const std::string& u, const std::string& r) {
            return ext->ha1(u, r);
        };
    }
    if (!call_path.did_plan)
        call_path.did_plan = [dids = dids_.get()](const std::string& number) {
            return dids->inbound_plan(number);
        };
    call_path_ = SY_TRY(VoiceCallPath::start(host, *cdrs_, call_path));
    quality_ = std::make_unique<VoiceQuality>(host, *routing_, options.quality_webhook);
    if (options.seed) {
        core::DecisionContext ctx;
        ctx.now = host.clock.now();
        ctx.actor = core::Actor{core::ActorKind::System, "bootstrap", ""};
        ctx.correlation_id = "voice-seed";
        SY_TRY(seed(ctx));
    }
    host.service_switches["voice"] = voice_service_switch(*voice_);
    host.service_owners["voice"] = voice_service_owner(*voice_);
    return {};
}

core::Result<void> VoiceModule::seed(const core::DecisionContext& ctx) {
    const auto categories_path = options.config_dir + "/categories.json";
    const auto tiers_path = options.config_dir + "/tiers.json";
    const auto categories_text = SY_TRY(read_file(categories_path));
    const auto tiers_text = SY_TRY(read_file(tiers_path));
    auto categories = events::voice::parse_categories(categories_text);
    if (!categories) return tl::unexpected(in_file(categories.error(), categories_path));
    auto tiers = events::voice::parse_tiers(tiers_text);
    if (!tiers) return tl::unexpected(in_file(tiers.error(), tiers_path));
    const core::voice::SeedCategories seed_categories{std::move(*categories)};
    const core::voice::SeedTiers seed_tiers{std::move(*tiers)};
    auto c = voice_->execute(seed_categories, ctx);
    if (!c) return tl::unexpected(in_file(c.error(), categories_path));
    auto t = voice_->execute(seed_tiers, ctx);
    if (!t) return tl::unexpected(in_file(t.error(), tiers_path));
    return {};
}

void VoiceModule::add_routes(api::Router& router) {
    api::add_voice_routes(router, *api_);
    call_path_->add_routes(router);
    quality_->add_routes(router);
}

core::Result<void> VoiceModule::start_workers(ModuleHost&) {
    quality_->start();
    return {};
}

void VoiceModule::stop() {
    if (tariffs_follow_) tariffs_follow_->stop();
    tariffs_follow_.reset();
    if (quality_) quality_->stop();
}

}  // namespace switchyard::app
