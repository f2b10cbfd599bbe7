// Identity routes: sign-in and sessions (/v1/auth/...), users (/v1/users).
#include <sodium.h>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/api_context.hpp"
#include "api/json_body.hpp"
#include "api/problem.hpp"
#include "api/qr_png.hpp"
#include "api/route_support.hpp"
#include "projections/identity/api_keys.hpp"
#include "projections/identity/users.hpp"

namespace switchyard::api {

namespace json = boost::json;
using core::Errc;
using core::identity::Role;

namespace {

core::Result<events::identity::IdentityService*> identity_of(ApiContext& ctx) {
    if (!ctx.identity)
        return core::fail(Errc::Unavailable, "identity", "users are not configured here");
    return ctx.identity;
}

core::Result<const projections::ReadModelView*> users_view(ApiContext& ctx) {
    const auto* v = ctx.runner.view(projections::identity::kUsers);
    if (!v) return core::fail(Errc::Unavailable, "users", "the users read model is not open");
    return v;
}

/// Waits until the read models hold `positions` (a logout must end the token at once).
core::Result<void> settle(ApiContext& ctx, const std::vector<events::Position>& positions) {
    if (!positions.empty() && !ctx.runner.wait_for(positions, ctx.max_wait))
        return core::fail(Errc::Timeout, "position", "the read models did not catch up in time");
    return {};
}

std::string base64(std::string_view bytes) {
    std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

}  // namespace

void add_identity_routes(Router& router, ApiContext& ctx) {
    // ---- sign-in and sessions ----
    router.add(
        {"POST", "/v1/auth/login", [&ctx](HttpRequest& r) -> HttpResponse {
             auto run = [&]() -> core::Result<HttpResponse> {
                 auto* identity = SY_TRY(identity_of(ctx));
                 auto b = SY_TRY(JsonBody::parse(r.body));
                 SY_TRY(b.only({"username", "password", "totp"}));
                 const auto username = SY_TRY(b.string("username"));
                 const auto password = SY_TRY(b.string("password"));
                 core::Actor anonymous{core::ActorKind::User, username.substr(0, 64), r.remote_ip};
                 auto dctx = decision_context(ctx, r, anonymous);
                 auto totp = SY_TRY(b.opt_string("totp"));
                 // A user with an allowlist signs in only from there.
                 if (auto user = projections::identity::find_user_by_username(
                         *SY_TRY(users_view(ctx)), username);
                     user && !user->allowlist.empty()) {
                     if (!any_contains(parse_cidrs(user->allowlist), r.remote_ip))
                         return core::fail(
                             Errc::Forbidden, "ip",
                             fmt::format("this account may not sign in from {}", r.remote_ip));
                 }
                 auto login = identity->login(username, password, totp, dctx);
                 if (!login && login.error().code == Errc::Unauthorized)
                     note_failed_sign_in(ctx, r.remote_ip, "api");
                 auto s = SY_TRY(std::move(login));
                 SY_TRY(settle(ctx, s.positions));
                 json::object body{{"token", s.token},
                                   {"session_id", s.session_id},
                                   {"user_id", s.user_id},
                                   {"expires_at", core::format_rfc3339(s.expires_at)},
                                   {"password_expired", s.password_expired}};
                 if (!s.restriction.empty()) body["restriction"] = s.restriction;
                 return command_response(200, with_position(body, s.positions), s.positions);
             };
             auto out = run();
             return out ? std::move(*out) : problem(out.error());
         }});
    router.add(
        {"GET", "/v1/auth/me",
         guarded(ctx, [&ctx](HttpRequest& r, const core::Actor&) -> core::Result<HttpResponse> {
             const auto& c = *r.caller;
             json::object o{{"id", c.principal.id},
                            {"kind", core::to_string(c.actor.kind)},
                            {"role", core::identity::to_string(c.principal.role)},
                            {"scope", c.principal.scope}};
             if (!c.principal.user_id.empty()) {
                 auto user = projections::identity::find_user(*SY_TRY(users_view(ctx)),
                                                              c.principal.user_id);
                 if (user) o["username"] = user->username;
             }
             if (!c.session_id.empty()) o["session_id"] = c.session_id;
             return json_response(200, json::serialize(o));
         })});
    router.add(
        {"POST", "/v1/auth/logout",
         guarded(ctx, [&ctx](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto* identity = SY_TRY(identity_of(ctx));
             const auto& c = *r.caller;
             if (c.session_id.empty())
                 return core::fail(Errc::Invalid, "authorization",
                                   "sign out ends a session; this request used an API key");
             auto positions = SY_TRY(identity->end_sessions(c.principal.user_id, c.session_id,
                                                            decision_context(ctx, r, a)))
                                  .positions;
             SY_TRY(settle(ctx, positions));
             ctx.activity.forget(c.session_id);
             return command_response(200, with_position({{"logged_out", true}}, positions),
                                     positions);
         })});
    router.add(
        {"POST", "/v1/auth/sessions/revoke",
         guarded(ctx, [&ctx](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto* identity = SY_TRY(identity_of(ctx));
             const auto& c = *r.caller;
             // Admins may end another user's sessions with ?user_id=; everyone their own.
             std::string user_id = c.principal.user_id;
             if (r.has_query("user_id")) {
                 if (c.principal.role != Role::Admin)
                     return core::fail(Errc::Forbidden, "user_id",
                                       "only an admin ends another user's sessions");
                 user_id = r.query_param("user_id");
             }
             if (user_id.empty())
                 return core::fail(Errc::Invalid, "user_id",
                                   "an API key has no sessions; name ?user_id=");
             auto positions =
                 SY_TRY(identity->end_sessions(user_id, std::nullopt, decision_context(ctx, r, a)))
                     .positions;
             SY_TRY(settle(ctx, positions));
             return command_response(200, with_position({{"revoked", true}}, positions), positions);
         })});
    router.add(
        {"POST", "/v1/auth/password",
         guarded(ctx, [&ctx](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto* identity = SY_TRY(identity_of(ctx));
             const auto& c = *r.caller;
             if (c.principal.user_id.empty())
                 return core::fail(Errc::Invalid, "authorization",
                                   "an API key has no password; sign in as the user");
             auto b = SY_TRY(JsonBody::parse(r.body));
             SY_TRY(b.only({"current_password", "password"}));
             // A session that may only change an expired password signed in with the second
             // factor if the user has one on; the change is its way out.
             if (c.restriction != "password_expired")
                 SY_TRY(core::identity::require_fresh_second_factor(c.principal, ctx.clock.now()));
             auto positions = SY_TRY(identity->change_password(
                                         c.principal.user_id, SY_TRY(b.string("current_password")),
                                         SY_TRY(b.string("password")), decision_context(ctx, r, a)))
                                  .positions;
             return command_response(200, with_position({{"changed", true}}, positions), positions);
         })});

    // ---- two-factor authentication (RFC 6238) ----
    auto user_of = [](const HttpRequest& r) -> core::Result<std::string> {
        if (r.caller->principal.user_id.empty())
            return core::fail(Errc::Invalid, "authorization",
                              "two-factor authentication belongs to users, not API keys");
        return r.caller->principal.user_id;
    };
    router.add({"POST", "/v1/auth/2fa/setup",
                guarded(ctx,
                        [&ctx, user_of](HttpRequest& r,
                                        const core::Actor& a) -> core::Result<HttpResponse> {
                            auto* identity = SY_TRY(identity_of(ctx));
                            auto setup = SY_TRY(identity->totp_setup(SY_TRY(user_of(r)),
                                                                     decision_context(ctx, r, a)));
                            const auto png = SY_TRY(qr_png(setup.otpauth_uri));
                            json::object body{{"secret", setup.secret},
                                              {"otpauth_uri", setup.otpauth_uri},
                                              {"qr_png", "data:image/png;base64," + base64(png)}};
                            return command_response(200, with_position(body, setup.positions),
                                                    setup.positions);
                        })});
    router.add(
        {"POST", "/v1/auth/2fa/enable",
         guarded(
             ctx,
             [&ctx, user_of](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
                 auto* identity = SY_TRY(identity_of(ctx));
                 auto b = SY_TRY(JsonBody::parse(r.body));
                 SY_TRY(b.only({"code"}));
                 auto enabled = SY_TRY(identity->totp_enable(
                     SY_TRY(user_of(r)), SY_TRY(b.string("code")), decision_context(ctx, r, a)));
                 const auto& codes = enabled.codes;
                 const auto& positions = enabled.positions;
                 json::array shown(codes.begin(), codes.end());
                 json::object body{{"enabled", true}, {"backup_codes", shown}};
                 return command_response(200, with_position(body, positions), positions);
             })});
    router.add(
        {"POST", "/v1/auth/2fa/disable",
         guarded(
             ctx,
             [&ctx, user_of](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
                 auto* identity = SY_TRY(identity_of(ctx));
                 auto b = SY_TRY(JsonBody::parse(r.body));
                 SY_TRY(b.only({"code"}));
                 auto positions =
                     SY_TRY(identity->totp_disable(SY_TRY(user_of(r)), SY_TRY(b.string("code")),
                                                   decision_context(ctx, r, a)))
                         .positions;
                 return command_response(200, with_position({{"enabled", false}}, positions),
                                         positions);
             })});

    // ---- API keys ----
    auto keys_of = [&ctx]() -> core::Result<events::identity::ApiKeyService*> {
        if (!ctx.api_keys)
            return core::fail(Errc::Unavailable, "api_keys", "keys are not managed here");
        return ctx.api_keys;
    };
    router.add(
        {"POST", "/v1/api-keys",
         guarded(
             ctx,
             [&ctx, keys_of](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
                 auto* keys = SY_TRY(keys_of());
                 auto b = SY_TRY(JsonBody::parse(r.body));
                 SY_TRY(b.only({"name", "role", "route_prefixes", "expires_at"}));
                 core::identity::CreateApiKey c;
                 c.name = SY_TRY(b.string("name"));
                 if (auto role = SY_TRY(b.opt_string("role"))) {
                     Role parsed{};
                     if (!core::identity::parse_role(*role, parsed))
                         return core::fail(Errc::Invalid, "role",
                                           "must be admin, reseller, support, customer or carrier");
                     c.role = parsed;
                 }
                 c.route_prefixes = SY_TRY(b.opt_string_list("route_prefixes"))
                                        .value_or(std::vector<std::string>{});
                 if (auto t = SY_TRY(b.opt_string("expires_at"))) {
                     c.expires_at = core::parse_rfc3339(*t);
                     if (!c.expires_at)
                         return core::fail(Errc::Invalid, "expires_at", "must be an RFC 3339 time");
                 }
                 auto created =
                     SY_TRY(keys->create(r.caller->principal, c, decision_context(ctx, r, a)));
                 SY_TRY(settle(ctx, created.positions));
                 auto row = projections::identity::find_api_key_by_id(
                     *ctx.runner.view(projections::identity::kApiKeys), created.key_id);
                 if (!row)
                     return core::fail(Errc::Internal, "key_id", "the new key is not visible");
                 auto body = json::parse(row->json).as_object();
                 body["key"] = created.key;  // shown once
                 return command_response(201, with_position(body, created.positions),
                                         created.positions);
             })});
    router.add(
        {"GET", "/v1/api-keys",
         guarded(ctx, [&ctx](HttpRequest& r, const core::Actor&) -> core::Result<HttpResponse> {
             SY_TRY(wait_for_position(ctx, r));
             const auto* view = ctx.runner.view(projections::identity::kApiKeys);
             if (!view) return core::fail(Errc::Unavailable, "api_keys", "not open");
             json::array items;
             const auto& p = r.caller->principal;
             projections::identity::scan_api_keys(*view, p.scope,
                                                  [&](const projections::identity::ApiKeyRow& k) {
                                                      core::identity::ApiKeyCreated key;
                                                      key.role = k.role;
                                                      key.owner_path = k.owner_path;
                                                      key.user_id = k.user_id;
                                                      key.route_prefixes = k.route_prefixes;
                                                      key.expires_at = k.expires_at;
                                                      if (core::identity::may_manage_key(p, key))
                                                          items.push_back(json::parse(k.json));
                                                      return items.size() < 1000;
                                                  });
             return json_response(200, json::serialize(json::object{{"items", std::move(items)}}));
         })});
    router.add({"POST", "/v1/api-keys/{id}/rotate",
                guarded(ctx,
                        [&ctx, keys_of](HttpRequest& r,
                                        const core::Actor& a) -> core::Result<HttpResponse> {
                            auto* keys = SY_TRY(keys_of());
                            auto rotated =
                                SY_TRY(keys->rotate(r.caller->principal, r.params.at("id"),
                                                    decision_context(ctx, r, a)));
                            SY_TRY(settle(ctx, rotated.positions));
                            json::object body{{"key_id", rotated.key_id},
                                              {"key", rotated.key},
                                              {"prefix", rotated.key.substr(0, 10)}};
                            return command_response(200, with_position(body, rotated.positions),
                                                    rotated.positions);
                        })});
    router.add(
        {"DELETE", "/v1/api-keys/{id}",
         guarded(
             ctx,
             [&ctx, keys_of](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
                 auto* keys = SY_TRY(keys_of());
                 auto positions = SY_TRY(keys->revoke(r.caller->principal, r.params.at("id"),
                                                      decision_context(ctx, r, a)))
                                      .positions;
                 SY_TRY(settle(ctx, positions));
                 return command_response(
                     200,
                     with_position({{"key_id", r.params.at("id")}, {"revoked", true}}, positions),
                     positions);
             })});

    // ---- users ----
    router.add(
        {"POST", "/v1/users",
         guarded(ctx, [&ctx](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto* identity = SY_TRY(identity_of(ctx));
             auto b = SY_TRY(JsonBody::parse(r.body));
             SY_TRY(b.only({"username", "password", "role", "parent"}));
             events::identity::NewUser u;
             u.username = SY_TRY(b.string("username"));
             u.password = SY_TRY(b.string("password"));
             if (!core::identity::parse_role(SY_TRY(b.string("role")), u.role))
                 return core::fail(Errc::Invalid, "role",
                                   "must be admin, reseller, support, customer or carrier");
             u.parent_id = SY_TRY(b.opt_string("parent"));
             auto created =
                 identity->create_user(r.caller->principal, u, decision_context(ctx, r, a));
             if (!created) {
                 // The decider names the stored field; this request calls it `parent`.
                 auto e = created.error();
                 if (e.field == "parent_id") e.field = "parent";
                 return tl::unexpected(std::move(e));
             }
             const auto& user_id = created->user_id;
             const auto& positions = created->positions;
             SY_TRY(settle(ctx, positions));
             auto row = projections::identity::find_user(*SY_TRY(users_view(ctx)), user_id);
             if (!row) return core::fail(Errc::Internal, "user_id", "the new user is not visible");
             auto body = json::parse(row->json).as_object();
             return command_response(201, with_position(body, positions), positions);
         })});
    router.add(
        {"GET", "/v1/users",
         guarded(ctx, [&ctx](HttpRequest& r, const core::Actor&) -> core::Result<HttpResponse> {
             SY_TRY(wait_for_position(ctx, r));
             const auto* view = SY_TRY(users_view(ctx));
             const auto limit =
                 static_cast<std::size_t>(SY_TRY(int_query(r, "limit", 100, 1, 1000)));
             json::array items;
             std::string next;
             bool more = false;
             projections::identity::scan_users(
                 *view, r.caller->principal.scope, r.query_param("cursor"),
                 [&](const projections::identity::UserRow& u, const std::string& key) {
                     if (items.size() == limit) {
                         more = true;
                         return false;
                     }
                     items.push_back(json::parse(u.json));
                     next = key;
                     return true;
                 });
             json::object o{{"items", std::move(items)},
                            {"next_cursor", more ? json::value(next) : json::value(nullptr)}};
             return json_response(200, json::serialize(o));
         })});
    router.add(
        {"PUT", "/v1/users/{id}/allowlist",
         guarded(ctx, [&ctx](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto* identity = SY_TRY(identity_of(ctx));
             auto b = SY_TRY(JsonBody::parse(r.body));
             SY_TRY(b.only({"cidrs"}));
             auto cidrs = SY_TRY(b.opt_string_list("cidrs"));
             if (!cidrs) return core::fail(Errc::Invalid, "cidrs", "is required (an array)");
             if (cidrs->size() > 100)
                 return core::fail(Errc::Invalid, "cidrs", "holds at most 100 networks");
             for (const auto& c : *cidrs) SY_TRY(Cidr::parse(c, "cidrs"));
             auto positions = SY_TRY(identity->set_allowlist(r.caller->principal, r.params.at("id"),
                                                             *cidrs, decision_context(ctx, r, a)))
                                  .positions;
             SY_TRY(settle(ctx, positions));
             json::object body{{"user_id", r.params.at("id")},
                               {"cidrs", json::array(cidrs->begin(), cidrs->end())}};
             return command_response(200, with_position(body, positions), positions);
         })});
    router.add(
        {"GET", "/v1/users/{id}",
         guarded(ctx, [&ctx](HttpRequest& r, const core::Actor&) -> core::Result<HttpResponse> {
             SY_TRY(wait_for_position(ctx, r));
             const auto& id = r.params.at("id");
             auto user = projections::identity::find_user(*SY_TRY(users_view(ctx)), id);
             // Outside the caller's subtree a user does not exist, as far as the caller knows.
             if (!user || !core::identity::in_scope(r.caller->principal.scope, user->owner_path))
                 return core::fail(Errc::NotFound, "id", fmt::format("user {} does not exist", id));
             return json_response(200, user->json);
         })});
}

}  // namespace switchyard::api
