#pragma once
/// Who may call what: authentication of `/v1` requests (API keys and session tokens) and the
/// guard that enforces each route's own access (`Route::reach` and `Route::roles`, declared in
/// the module's route tables, api/route_table.hpp) and is tested route by route, independently
/// of those tables, by tests/api/rbac_matrix_test.cpp. Ownership within a role (a reseller and
/// its subtree) is checked by the handlers against the caller's scope.

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "api/http_types.hpp"
#include "api/router.hpp"
#include "core/identity/user.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace switchyard::api {

struct ApiContext;

/// Last activity of sessions, for the idle timeout. Activity is kept in memory: after a
/// restart a session counts as idle since it started, which ends long-idle ones early but
/// never keeps one alive.
/// @thread safe.
class SessionActivity {
  public:
    /// Records activity at `now` unless the session has been idle longer than `idle` (since
    /// its last activity, or since `started_at` when none was seen).
    /// @returns false when the session is idle-expired (and forgets it).
    bool touch(const std::string& session_id, core::Timestamp started_at, core::Timestamp now,
               std::chrono::seconds idle);
    void forget(const std::string& session_id);

  private:
    std::mutex mu_;
    std::unordered_map<std::string, core::Timestamp> last_;
};

/// Says when something happening often is due to be recorded again (e.g. an API key's use).
/// @thread safe.
class UseRecorder {
  public:
    /// True on the first call for `id` and then once `every` has passed since the last true.
    bool due(const std::string& id, core::Timestamp now, std::chrono::seconds every);

  private:
    std::mutex mu_;
    std::unordered_map<std::string, core::Timestamp> last_;
};

/// Authenticates `Authorization: Bearer <API key | session token>`.
/// @errors Unauthorized naming `authorization` when missing, unknown, ended, expired or idle.
core::Result<Caller> authenticate(ApiContext& ctx, const HttpRequest& request);

/// The router's guard. For every route: the client address (X-Forwarded-For from trusted
/// proxies only). For `/v1`: a locked-out source gets 429 on sign-in; public routes and failed
/// authentications spend the per-address bucket (429 with Retry-After); others are
/// authenticated (401), spend the per-principal bucket, are checked against the admin and
/// per-user allowlists (403 naming `ip`), an API key's route prefixes and the session-only
/// routes (403 naming `authorization`), the route's roles (403 naming `role`) and a session's
/// restriction (403 naming `password` or `totp`); the caller is stored in the request.
std::optional<HttpResponse> guard(ApiContext& ctx, HttpRequest& request, const Route& route);

/// Counts a failed sign-in of `ip` (`surface`: `api` or `xtream`); when it starts a lockout,
/// appends `identity.source.locked`.
void note_failed_sign_in(ApiContext& ctx, const std::string& ip, const char* surface);

}  // namespace switchyard::api
