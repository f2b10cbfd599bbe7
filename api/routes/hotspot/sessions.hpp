#pragma once
/// The hotspot session routes (issue 13 items 5 and 10), from the `hotspot_sessions` read model
/// (projections/hotspot/hotspot_sessions.hpp):
///
/// - `GET /v1/hotspot/sessions?nas=&user=&active=true|false&cursor=&limit=` (also `.csv`):
///   `{"items":[session...],"next_cursor":...}`, a user's sessions in the order they started,
///   else by NAS and Acct-Unique-Session-Id; a session is `session_json` (events/hotspot/
///   session_codec.hpp) with `id` (= unique_id) and `plan_id`.
/// - `GET /v1/hotspot/sessions/{id}`: one session; 404 naming `id`.
/// - `GET /v1/hotspot/usage/{username}?from=&to=`: `{"username","days":[{"day","input_bytes",
///   "output_bytes","online_seconds"}]}`, UTC days `YYYY-MM-DD`.
///
/// Roles: admin, support, reseller; a reseller sees the sessions of its own NAS only (NAS whose
/// owner path is inside its scope); another NAS's session answers 404. Ending a session
/// (DELETE) goes through the enforcement path and is not here.

#include "api/router.hpp"
#include "api/routes/hotspot/radius.hpp"

namespace switchyard::api {

/// Adds the session routes (module `hotspot`).
void add_session_routes(Router& router, RadiusApi& api);

}  // namespace switchyard::api
