// Sign-in and sessions: POST /v1/auth/login, GET /v1/auth/me, POST /v1/auth/logout,
// POST /v1/auth/sessions/revoke, POST /v1/auth/password.
#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/route_support.hpp"
#include "api/routes/identity/identity_support.hpp"
#include "core/identity/session_rules.hpp"
#include "projections/identity/users.hpp"

namespace switchyard::api::identity {

namespace {

/// A user with an allowlist signs in only from there.
/// @errors Forbidden naming `ip` when `username` names such a user and `ip` is outside it.
core::Result<void> check_sign_in_source(ApiContext& ctx, const std::string& username,
                                        const std::string& ip) {
    auto user = projections::identity::find_user_by_username(*SY_TRY(users_view(ctx)), username);
    if (user && !user->allowlist.empty() && !any_contains(parse_cidrs(user->allowlist), ip))
        return core::fail(Errc::Forbidden, "ip",
                          fmt::format("this account may not sign in from {}", ip));
    return {};
}

/// POST /v1/auth/login {username, password, totp?} -> a session token (shown once).
core::Result<HttpResponse> login(IdentityApi& api, HttpRequest& r) {
    auto& ctx = api.ctx;
    auto b = SY_TRY(body_of(r, {"username", "password", "totp"}));
    const auto username = SY_TRY(b.string("username"));
    const auto password = SY_TRY(b.string("password"));
    core::Actor anonymous{core::ActorKind::User, username.substr(0, 64), r.remote_ip};
    auto dctx = decision_context(ctx, r, anonymous);
    auto totp = SY_TRY(b.opt_string("totp"));
    SY_TRY(check_sign_in_source(ctx, username, r.remote_ip));
    auto signed_in = api.identity.login(username, password, totp, dctx);
    if (!signed_in && signed_in.error().code == Errc::Unauthorized)
        note_failed_sign_in(ctx, r.remote_ip, "api");
    auto s = SY_TRY(std::move(signed_in));
    json::object body{{"token", s.token},
                      {"session_id", s.session_id},
                      {"user_id", s.user_id},
                      {"expires_at", core::format_rfc3339(s.expires_at)},
                      {"password_expired", s.password_expired}};
    if (!s.restriction.empty()) body["restriction"] = s.restriction;
    return settled_answer(ctx, 200, std::move(body), s.positions);
}

/// GET /v1/auth/me -> who the credential is: id, kind, role, scope, username, session.
core::Result<HttpResponse> me(IdentityApi& api, HttpRequest& r) {
    const auto& c = caller_of(r);
    json::object o{{"id", c.principal.id},
                   {"kind", core::to_string(c.actor.kind)},
                   {"role", core::identity::to_string(c.principal.role)},
                   {"scope", c.principal.scope}};
    if (!c.principal.user_id.empty()) {
        auto user =
            projections::identity::find_user(*SY_TRY(users_view(api.ctx)), c.principal.user_id);
        if (user) o["username"] = user->username;
    }
    if (!c.session_id.empty()) o["session_id"] = c.session_id;
    return json_response(200, json::serialize(o));
}

/// POST /v1/auth/logout: ends the caller's session; its token stops working at once.
core::Result<HttpResponse> logout(IdentityApi& api, HttpRequest& r) {
    const auto& c = caller_of(r);
    if (c.session_id.empty())
        return core::fail(Errc::Invalid, "authorization",
                          "sign out ends a session; this request used an API key");
    auto positions =
        SY_TRY(api.identity.end_sessions(c.principal.user_id, c.session_id, caller_context(api, r)))
            .positions;
    SY_TRY(settle(api.ctx, positions));
    api.ctx.activity.forget(c.session_id);
    return answer(200, {{"logged_out", true}}, positions);
}

/// POST /v1/auth/sessions/revoke[?user_id=]: ends every session of the caller, or (an admin)
/// of the named user.
core::Result<HttpResponse> revoke_sessions(IdentityApi& api, HttpRequest& r) {
    std::optional<std::string> named;
    if (r.has_query("user_id")) named = r.query_param("user_id");
    const auto user_id = SY_TRY(core::identity::sessions_to_revoke(caller_of(r).principal, named));
    auto positions =
        SY_TRY(api.identity.end_sessions(user_id, std::nullopt, caller_context(api, r))).positions;
    return settled_answer(api.ctx, 200, {{"revoked", true}}, positions);
}

/// POST /v1/auth/password {current_password, password}: changes the caller's password.
core::Result<HttpResponse> change_password(IdentityApi& api, HttpRequest& r) {
    const auto& c = caller_of(r);
    const auto user_id = SY_TRY(own_user_id(r, "an API key has no password; sign in as the user"));
    auto b = SY_TRY(body_of(r, {"current_password", "password"}));
    SY_TRY(core::identity::check_password_change(c.principal, c.restriction, api.ctx.clock.now()));
    auto positions =
        SY_TRY(api.identity.change_password(user_id, SY_TRY(b.string("current_password")),
                                            SY_TRY(b.string("password")), caller_context(api, r)))
            .positions;
    return answer(200, {{"changed", true}}, positions);
}

}  // namespace

std::vector<IdentityRoute> session_routes() {
    return {
        {"POST",
         "/v1/auth/login",
         {},
         login,
         "Signs in with username, password and (when two-factor is on) a one-time code; answers "
         "a session token, shown once.",
         Reach::Public},
        {"GET", "/v1/auth/me", roles::everyone, me,
         "Who the credential is: id, kind, role, scope, and the username and session of a "
         "signed-in user."},
        own_security_route("/v1/auth/logout", logout,
                           "Ends the caller's session; its token stops working at once."),
        own_security_route(
            "/v1/auth/sessions/revoke", revoke_sessions,
            "Ends every session of the caller, or with `user_id` (admins) of another user."),
        own_security_route("/v1/auth/password", change_password,
                           "Changes the caller's password (an admin's session needs a fresh "
                           "second factor unless the password has expired)."),
    };
}

}  // namespace switchyard::api::identity
