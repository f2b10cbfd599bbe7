#pragma once
/// What the HTTP handlers share: the log, the read models, the command services, the clock.
/// Built once by the composition root (app/), passed by reference.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "api/access.hpp"
#include "api/metrics.hpp"
#include "api/public_url.hpp"
#include "api/router.hpp"
#include "api/security.hpp"
#include "core/decision_context.hpp"
#include "core/identity/user.hpp"
#include "core/time.hpp"
#include "events/event_store.hpp"
#include "events/identity/user_codec.hpp"
#include "projections/projection_runner.hpp"

namespace switchyard::api {

/// What authentication needs from the identity module, set by its registration. Without it,
/// sessions use the default idle timeout and key use and lockouts are not recorded.
struct IdentityHooks {
    /// A session idle longer than this has ended (core/identity SessionPolicy).
    std::chrono::seconds session_idle_timeout = core::identity::SessionPolicy{}.idle_timeout;
    /// Records an API key's use (`identity.api_key.used`), at most hourly per key.
    std::function<core::Result<void>(const std::string& key_id, const core::DecisionContext&)>
        record_key_use;
    /// Records a source locked out after failed sign-ins (`identity.source.locked`).
    std::function<core::Result<void>(const events::identity::SourceLocked&,
                                     const core::DecisionContext&)>
        record_lockout;
};

/// State every handler of every module shares: the log, the read models, the clock, metrics,
/// authentication and security settings. A module's own services travel in the module's API
/// state (e.g. api/routes/vpn/vpn_api.hpp), never here. Built once by the composition root
/// (app/), passed by reference.
struct ApiContext {
    events::EventStore& store;
    projections::ProjectionRunner& runner;
    const core::Clock& clock;
    Metrics& metrics;
    /// Key of the keyed hash of line passwords (32 bytes); see api/line_auth.hpp.
    std::string line_secret;
    /// The operator tenant every command acts in; resellers are scopes inside it (`owner_path`).
    std::string tenant = "op";
    /// Base of the media URLs in get.php and player_api (`serve --public-url`). Unless
    /// configured, a valid Host header wins over it. Default: http://127.0.0.1:8080.
    PublicUrl public_url;
    /// Longest wait of a read-your-writes query. Default: 5 s.
    std::chrono::milliseconds max_wait{5000};
    IdentityHooks identity;
    UseRecorder key_use;
    /// Session activity for the idle timeout.
    SessionActivity activity;
    /// Rate limits, allowlists, trusted proxies, lockout policy.
    SecurityOptions security;
    RateLimiter limiter;
    LoginLockout lockout;
    /// What modules add to `/readyz` without deciding readiness (e.g. the hotspot module's
    /// NAS reachability): name -> a function answering a JSON value as text, called on the
    /// I/O thread, so it must answer from memory. Set before the server starts.
    std::vector<std::pair<std::string, std::function<std::string()>>> readiness_reports;
};

/// Builds the router with the platform's routes (operations, `/v1/events`, `/v1/audit`), the
/// guard (authentication, roles, input checks) and the read-your-writes admitter; each module
/// then adds its own (app/modules).
std::unique_ptr<Router> make_router(ApiContext& ctx);

void add_ops_routes(Router& router, ApiContext& ctx);
void add_log_routes(Router& router, ApiContext& ctx);

}  // namespace switchyard::api
