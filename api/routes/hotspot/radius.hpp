#pragma once
/// The rlm_rest surface of the hotspot module (issue 13 item 4), under `/radius`, as FreeRADIUS
/// 3.2's rlm_rest calls it with the shipped configuration (adapters/radius/raddb, connect_uri
/// `http://HOST:PORT/radius`):
///
/// - `POST /radius/user/{User-Name}/mac/{Called-Station-Id}?action=authorize|authenticate|
///   post-auth` (body = json);
/// - `POST /radius/user/{User-Name}/sessions/{Acct-Unique-Session-Id}?action=accounting`,
///   also with an empty User-Name segment (`/radius/user//sessions/...`, Accounting-On/Off);
/// - `GET /radius/user/{User-Name}/mac/{Called-Station-Id}?action=authorize` without a body,
///   from an unmodified stock configuration (answered with the generic vendor's attributes).
///
/// The answers are AaaService's (events/hotspot/aaa_service.hpp): status codes rlm_rest maps to
/// its module results, JSON bodies `{"reply:...","control:..."}`; a bad body answers 400 naming
/// the attribute, an unknown NAS 401 with its Reply-Message.
///
/// Who may call: FreeRADIUS authenticates with one of the project's API keys, sent as HTTP Basic
/// (rlm_rest 3.2 `auth = 'basic'`, `username`, `password`, or user:key in connect_uri; the user
/// name is ignored) or as `Authorization: Bearer <key>`. The key must be an operator admin key
/// without route restrictions, or a key whose route prefixes include `/v1/hotspot/radius` (the
/// scope of this surface; any role). Session tokens are refused. Failure: 401 with
/// `WWW-Authenticate: Basic realm="switchyard-radius"` and a Reply-Message.

#include <functional>
#include <string>
#include <string_view>

#include "api/api_context.hpp"
#include "api/router.hpp"
#include "core/identity/user.hpp"
#include "events/hotspot/aaa_service.hpp"
#include "events/hotspot/hotspot_service.hpp"
#include "events/hotspot/session_service.hpp"

namespace switchyard::api {

/// The route prefix an API key for FreeRADIUS carries (POST /v1/api-keys with
/// `"route_prefixes":["/v1/hotspot/radius"]`).
inline constexpr std::string_view kRadiusScope = "/v1/hotspot/radius";

/// What the RADIUS, session and report routes share. All references must outlive the router.
struct RadiusApi {
    ApiContext& ctx;
    events::hotspot::AaaService& aaa;
    events::hotspot::HotspotService& hotspot;
    events::hotspot::SessionService& sessions;
    /// Staff end a session through the enforcement path (adapters/radius/enforcer.hpp
    /// request_end: appends `hotspot.session.end_requested`; the enforcer sends the
    /// Disconnect-Request): (Acct-Unique-Session-Id, note, context) -> true when appended,
    /// false for a retry. Empty when no enforcer runs (no RADIUS dictionary): the route
    /// answers 503.
    std::function<core::Result<bool>(const std::string&, const std::string&,
                                     const core::DecisionContext&)>
        end_session;
};

/// Whether `principal` may call `/radius`: an API key that is an admin key without route
/// restrictions, or whose route prefixes include kRadiusScope.
bool may_call_radius(const core::identity::Principal& principal);

/// The API key of an `Authorization` header: `Bearer <key>`, or `Basic base64(user:key)`.
/// @returns empty when the header is neither (or the Base64 is malformed).
std::string radius_key_of(std::string_view authorization);

/// Adds the `/radius` routes (module `hotspot`). They are Reach::Public for the router's guard
/// (which authenticates `/v1` only with Bearer tokens) and authenticate the API key themselves.
void add_radius_routes(Router& router, RadiusApi& api);

}  // namespace switchyard::api
