#pragma once
/// What the HTTP handlers share: the log, the read models, the command services, the clock.
/// Built once by the composition root (app/), passed by reference.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "api/access.hpp"
#include "api/metrics.hpp"
#include "api/public_url.hpp"
#include "api/router.hpp"
#include "api/security.hpp"
#include "core/time.hpp"
#include "core/vpn/diagnostics.hpp"
#include "events/event_store.hpp"
#include "events/identity/api_key_service.hpp"
#include "events/identity/identity_service.hpp"
#include "events/iptv/iptv_service.hpp"
#include "events/vpn/vpn_service.hpp"
#include "projections/iptv/xtream_catalogue.hpp"
#include "projections/projection_runner.hpp"

namespace switchyard::api {

/// Shared state of the handlers.
struct ApiContext {
    events::EventStore& store;
    projections::ProjectionRunner& runner;
    events::iptv::IptvService& iptv;
    const core::Clock& clock;
    Metrics& metrics;
    projections::iptv::CatalogueCache& catalogue;
    /// Key of the keyed hash of line passwords (32 bytes); see api/line_auth.hpp.
    std::string line_secret;
    /// The operator tenant every command acts in; resellers are scopes inside it (`owner_path`).
    std::string tenant = "op";
    /// Base of the media URLs in get.php and player_api (`serve --public-url`). Unless
    /// configured, a valid Host header wins over it. Default: http://127.0.0.1:8080.
    PublicUrl public_url;
    /// Longest wait of a read-your-writes query. Default: 5 s.
    std::chrono::milliseconds max_wait{5000};
    /// Users, passwords and sessions; without it, only API keys authenticate.
    events::identity::IdentityService* identity = nullptr;
    /// API keys beyond the bootstrap one; without it, keys cannot be managed over the API.
    events::identity::ApiKeyService* api_keys = nullptr;
    UseRecorder key_use;
    /// Session activity for the idle timeout.
    SessionActivity activity;
    /// Rate limits, allowlists, trusted proxies, lockout policy.
    SecurityOptions security;
    RateLimiter limiter;
    LoginLockout lockout;
    /// The VPN line; without it, /v1/vpn answers 503.
    events::vpn::VpnService* vpn = nullptr;
    /// Runs a validated diagnostic (adapters/process); without it, diagnostics answer 503.
    std::function<core::vpn::DiagnosticResult(const core::vpn::DiagnosticCommand&)> run_diagnostic;
};

/// Builds the router with every route: `/v1` (API key), Xtream Codes, and operations.
std::unique_ptr<Router> make_router(ApiContext& ctx);

void add_iptv_routes(Router& router, ApiContext& ctx);
void add_xtream_routes(Router& router, ApiContext& ctx);
void add_ops_routes(Router& router, ApiContext& ctx);
void add_log_routes(Router& router, ApiContext& ctx);
void add_identity_routes(Router& router, ApiContext& ctx);
void add_vpn_routes(Router& router, ApiContext& ctx);

}  // namespace switchyard::api
