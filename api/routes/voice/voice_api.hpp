#pragma once
/// What the voice routes (`/v1/voice/...`) work with: the shared ApiContext and the voice
/// services. Built by the voice module's registration (app/modules/voice_module.cpp). Other
/// parts of the voice module (rate decks, CDRs, balances, costs) add their services here and
/// their resource files' routes to add_voice_routes.

#include "api/api_context.hpp"
#include "api/router.hpp"
#include "core/voice/numbering.hpp"
#include "events/voice/account_service.hpp"
#include "events/voice/cdr_service.hpp"
#include "events/voice/deck_service.hpp"
#include "events/voice/did_service.hpp"
#include "events/voice/routing_service.hpp"
#include "events/voice/tariff_registry.hpp"
#include "events/voice/voice_service.hpp"

namespace switchyard::events::voice {
class TrunkService;
class ExtensionService;
class AdmissionService;
}  // namespace switchyard::events::voice

namespace switchyard::api {

/// The voice module's API state.
struct VoiceApi {
    ApiContext& ctx;
    /// Customers, categories, groups, assignments and reference data (events/voice).
    events::voice::VoiceService& voice;
    /// Rate decks and tariff plans by version, compiled for rating, followed from the log.
    events::voice::TariffRegistry& tariffs;
    /// Rate deck imports, versions, differences and derived sell cards.
    events::voice::DeckService& decks;
    /// Prepaid and postpaid balances.
    events::voice::AccountService& accounts;
    /// CDR ingestion, rating again and re-rating.
    events::voice::CdrService& cdrs;
    /// Destination names and countries by prefix (config/voice/destinations.csv, countries.csv).
    const core::voice::NumberingPlan& numbering;
    /// DIDs, KYC documents, fees and inbound routing (app/modules/voice_dids.cpp); may be null.
    events::voice::DidService* dids = nullptr;
    /// Gateways, routes, route groups and the routing answer (issue 14); null until started.
    events::voice::RoutingService* routing = nullptr;
    /// Customer SIP trunks and the call path's trunk directory; null when not wired.
    events::voice::TrunkService* trunks = nullptr;
    /// Extensions, ring groups and media servers (issue 14 item 7); null when not wired.
    events::voice::ExtensionService* extensions = nullptr;
    /// Live call admission (channels, CPS, prepaid reservations); null when not wired.
    events::voice::AdmissionService* admission = nullptr;
};

/// Adds `/v1/voice/...`: categories, groups, customers with their effective configuration,
/// assignments, POPs, voice tiers, codecs, codec sets, channel plans, carriers. `api` must
/// outlive the router.
void add_voice_routes(Router& router, VoiceApi& api);

}  // namespace switchyard::api
