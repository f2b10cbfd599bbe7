#pragma once
/// The HTTP surface Kamailio calls (issue 14; the shipped adapters/kamailio/kamailio.cfg), and
/// the calls it leaves:
///
/// - `POST /v1/voice/kamailio/route`: one initial INVITE (events/voice/kamailio_json.hpp
///   parse_route_request) -> 200 with the rtjson document (`action` route|reject|challenge);
///   400 naming the field for bad JSON (nothing appended); 503 when Switchyard cannot decide
///   (the configuration then answers the caller `503 Routing Unavailable`).
/// - `POST /v1/voice/kamailio/credentials`: `{username, realm}` -> `{ha1, ttl}` (RFC 2617
///   §3.2.2.2 HA1, cached by Kamailio for `ttl` seconds) or 404.
/// - `POST /v1/voice/kamailio/events`: one call event (answered, attempt_failed, ended,
///   failed) -> 200 `{status: recorded|duplicate|ignored}`; Kamailio re-sends on 5xx and drops
///   a 4xx (a malformed event never heals).
/// - `GET /v1/voice/calls/{id}` (id = the Call-ID, URL-encoded) (staff): a call's state and its
/// `voice.call.*` events.
///
/// Who may call the Kamailio routes: one of the project's API keys, sent as HTTP Basic (the
/// password of `user:key@` in the httpcon URL; the user is ignored) or as Bearer: an operator
/// admin key without route restrictions, or a key whose route prefixes include
/// `/v1/voice/kamailio` (any role). Session tokens are refused. They take no anonymous or
/// per-key rate limit (Kamailio asks once per call setup). Failure: 401 with
/// `WWW-Authenticate: Basic realm="switchyard-kamailio"`.

#include <cstdint>
#include <string_view>

#include "api/api_context.hpp"
#include "api/router.hpp"
#include "core/identity/user.hpp"
#include "events/voice/call_service.hpp"

namespace switchyard::api {

/// The route prefix an API key for Kamailio carries (POST /v1/api-keys with
/// `"route_prefixes":["/v1/voice/kamailio"]`).
inline constexpr std::string_view kKamailioScope = "/v1/voice/kamailio";

/// What the Kamailio routes work with. All references must outlive the router.
struct KamailioApi {
    ApiContext& ctx;
    events::voice::CallService& calls;
    /// How long Kamailio may cache an HA1 (`ttl` of /credentials), seconds. Default 60.
    std::int64_t ha1_ttl_s = 60;
};

/// Whether `principal` may call the Kamailio routes (see the file comment).
bool may_call_kamailio(const core::identity::Principal& principal);

/// Adds the routes of the file comment (module `voice`).
void add_kamailio_routes(Router& router, KamailioApi& api);

}  // namespace switchyard::api
