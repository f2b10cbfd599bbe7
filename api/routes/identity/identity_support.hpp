#pragma once
/// What the identity resource files (sessions, two_factor, users, api_keys) share: their read
/// models, the answer of a command, the caller's own user, a role named in a body, and each
/// file's part of the route table.

#include <initializer_list>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "api/json_body.hpp"
#include "api/route_table.hpp"
#include "api/routes/identity/identity_api.hpp"
#include "core/decision_context.hpp"
#include "core/identity/user.hpp"
#include "core/result.hpp"
#include "events/envelope.hpp"
#include "projections/projector.hpp"

namespace switchyard::api::identity {

namespace json = boost::json;
using core::Errc;

/// One route of the identity module.
using IdentityRoute = RouteDef<IdentityApi>;
/// A named handler of the identity module.
using IdentityHandler = decltype(IdentityRoute::handler);

/// A route of the caller's own sign-in security: `POST pattern`, any role, and only with the
/// user's own session (Reach::SessionOnly: an API key acting as its owner could otherwise lock
/// the owner out or take the account over).
IdentityRoute own_security_route(const char* pattern, IdentityHandler handler, const char* summary);

/// Sign-in and sessions: login, me, logout, sessions/revoke, password (sessions.cpp).
std::vector<IdentityRoute> session_routes();
/// Two-factor authentication: setup, enable, disable (two_factor.cpp).
std::vector<IdentityRoute> two_factor_routes();
/// Users: list, get, create, allowlist (users.cpp).
std::vector<IdentityRoute> user_routes();
/// API keys: list, create, rotate, revoke (api_keys.cpp).
std::vector<IdentityRoute> api_key_routes();

/// The `users` read model. @errors Unavailable naming `users` when it is not open.
core::Result<const projections::ReadModelView*> users_view(ApiContext& ctx);
/// The `api_keys` read model. @errors Unavailable naming `api_keys` when it is not open.
core::Result<const projections::ReadModelView*> api_keys_view(ApiContext& ctx);

/// The request's JSON body, refusing fields other than `allowed`.
/// @errors Invalid naming `body` when it is not a JSON object, or naming the first unknown field.
core::Result<JsonBody> body_of(const HttpRequest& request,
                               std::initializer_list<const char*> allowed);

/// The decision context of a command of the authenticated caller (decision_context).
core::DecisionContext caller_context(IdentityApi& api, const HttpRequest& request);

/// Waits until the read models hold `positions`: a logout must end the token at once, and a new
/// user or key must be visible to the next request.
/// @errors Timeout naming `position` when they do not within `ctx.max_wait`.
core::Result<void> settle(ApiContext& ctx, const std::vector<events::Position>& positions);

/// A command's answer: `body` with its `position` (null when nothing was appended), and the
/// `X-Switchyard-Position` header when something was.
HttpResponse answer(int status, boost::json::object body,
                    const std::vector<events::Position>& positions);

/// As answer, once the read models hold `positions` (settle).
/// @errors as settle.
core::Result<HttpResponse> settled_answer(ApiContext& ctx, int status, boost::json::object body,
                                          const std::vector<events::Position>& positions);

/// The user the caller signed in as.
/// @errors Invalid naming `authorization` with `message` for a credential that stands for no
///         user (an operator's API key).
core::Result<std::string> own_user_id(const HttpRequest& request, const char* message);

/// A role as a request body names it (`admin`, `reseller`, `support`, `customer`, `carrier`).
/// @errors Invalid naming `role` for any other text.
core::Result<core::identity::Role> role_field(const std::string& text);

}  // namespace switchyard::api::identity
