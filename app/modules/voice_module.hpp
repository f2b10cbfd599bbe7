#pragma once
/// The voice module (wholesale voice, DIDTron): customer categories, groups, customers and the
/// assignment system, and the reference data (POPs, voice tiers, codecs, channel/CPS plans,
/// carriers) (core/voice, events/voice, projections/voice, api/routes/voice). Seeds the public
/// customer categories and the voice tiers (config/voice) on the first start. Rate decks,
/// CDRs, rating and balances add their services, read models and routes here.

#include <memory>
#include <string>
#include <vector>

#include "api/routes/voice/voice_api.hpp"
#include "app/modules/module.hpp"
#include "app/modules/voice_kamailio.hpp"
#include "app/modules/voice_quality.hpp"
#include "app/modules/voice_trunks.hpp"
#include "events/voice/extension_service.hpp"
#include "events/voice/routing_service.hpp"
#include "events/voice/voice_service.hpp"

namespace switchyard::app {

/// The voice module's `serve` options.
struct VoiceOptions {
    /// Directory of categories.json, tiers.json, destinations.csv and countries.csv.
    std::string config_dir = SY_DEFAULT_CONFIG_DIR "/voice";
    /// Seed the public customer categories and the voice tiers on the first start (each only
    /// into an empty list). Default: true.
    bool seed = true;
    /// Charge unanswered calls (billsec 0) their connect fee ("connect on attempt"); by default
    /// they are kept for statistics at no cost.
    bool connect_on_attempt = false;
    /// The SIP digest realm of the customer trunks' HA1s (Kamailio's auth realm). Changing it
    /// needs a new password on every digest trunk. Default: `switchyard`.
    std::string sip_realm = "switchyard";
    /// The longest call admission grants, seconds. Default: 10,800 (3 h).
    std::int64_t max_call_duration_s = 3 * 3600;
    /// Where route quality alerts are POSTed (adapters/voice/quality_webhook.hpp); empty: no
    /// notifications. Default: empty.
    std::string quality_webhook;
};

class VoiceModule final : public Module {
  public:
    VoiceOptions options;
    /// The Kamailio call path's trunk directory, router and admission (set before start);
    /// unset parts refuse routing (app/modules/voice_kamailio.hpp).
    CallPathParts call_path;

    std::string name() const override { return "voice"; }
    void add_projectors(std::vector<std::unique_ptr<projections::Projector>>& out) const override;
    void add_serve_options(CLI::App& serve) override;
    /// `import deck` (app/modules/voice_deck_cli.hpp), `import cdrs` and `rerate`
    /// (app/modules/voice_cdr_cli.hpp).
    void add_subcommands(CLI::App& app, std::vector<Subcommand>& out) override;
    /// Opens the voice command side and seeds the categories and tiers of `config_dir`.
    /// @errors a data file that cannot be read or parsed (naming it and the field).
    core::Result<void> start(ModuleHost& host) override;
    void add_routes(api::Router& router) override;
    /// Seeds the public customer categories and the voice tiers of `options.config_dir`, each
    /// only into an empty list (start() does it unless `options.seed` is false).
    /// @pre started. @errors a data file that cannot be read or parsed (naming it and the
    ///      field); the store's.
    core::Result<void> seed(const core::DecisionContext& ctx);
    /// The command side, once started (tests, tools, other voice services).
    events::voice::VoiceService& service() { return *voice_; }
    /// The DIDs' command side, once started (app/modules/voice_dids.cpp).
    events::voice::DidService& did_service() { return *dids_; }
    /// Gateways, routes, route groups and the routing answer (CallRouter), once started.
    events::voice::RoutingService& routing_service() { return *routing_; }
    /// The routes' state, once started.
    api::VoiceApi& api_state() { return *api_; }
    /// Customer SIP trunks and the call path's trunk directory, once started.
    events::voice::TrunkService& trunk_service() { return *trunk_parts_.trunks; }
    /// Call admission (channels, CPS, prepaid reservations), once started.
    events::voice::AdmissionService& admission_service() { return *trunk_parts_.admission; }

    /// Route quality (app/modules/voice_quality.hpp), once started.
    VoiceQuality& quality() { return *quality_; }
    /// Starts route quality following the log.
    core::Result<void> start_workers(ModuleHost& host) override;

    /// Stops following the log (the tariff registry's and route quality's subscriptions).
    void stop() override;

  private:
    std::unique_ptr<core::voice::NumberingPlan> numbering_;
    std::unique_ptr<events::voice::VoiceService> voice_;
    std::unique_ptr<events::voice::TariffRegistry> tariffs_;
    std::unique_ptr<events::voice::DeckService> decks_;
    std::unique_ptr<events::voice::AccountService> accounts_;
    std::unique_ptr<events::voice::CdrService> cdrs_;
    std::unique_ptr<events::voice::DidService> dids_;
    std::unique_ptr<events::voice::RoutingService> routing_;
    std::unique_ptr<events::Subscription> tariffs_follow_;
    std::unique_ptr<api::VoiceApi> api_;
    VoiceTrunkParts trunk_parts_;  ///< After api_: it points into it.
    std::unique_ptr<events::voice::ExtensionService> extensions_;
    std::unique_ptr<VoiceCallPath> call_path_;
    std::unique_ptr<VoiceQuality> quality_;
};

}  // namespace switchyard::app
