#include "api/access.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "api/api_context.hpp"
#include "api/problem.hpp"
#include "events/uuid.hpp"
#include "projections/identity/api_keys.hpp"
#include "projections/identity/users.hpp"

namespace switchyard::api {

using core::Errc;
using core::identity::Role;

namespace {

constexpr Role kAdmin = Role::Admin, kReseller = Role::Reseller, kSupport = Role::Support,
               kCustomer = Role::Customer, kCarrier = Role::Carrier;

std::vector<RouteAccess> make_table() {
    const std::vector<Role> everyone{kAdmin, kReseller, kSupport, kCustomer, kCarrier};
    const std::vector<Role> staff_read{kAdmin, kSupport, kReseller};  // catalogue, lines, users
    const std::vector<Role> admin{kAdmin};
    const std::vector<Role> line_write{kAdmin, kReseller};
    std::vector<RouteAccess> t;
    auto add = [&](const char* method, const char* pattern, const std::vector<Role>& roles) {
        t.push_back({method, pattern, roles});
    };
    for (const char* thing : {"categories", "streams", "bouquets"}) {
        const auto base = fmt::format("/v1/iptv/{}", thing);
        add("GET", base.c_str(), staff_read);
        add("GET", (base + "/{id}").c_str(), staff_read);
        add("POST", base.c_str(), admin);
        add("PATCH", (base + "/{id}").c_str(), admin);
        add("DELETE", (base + "/{id}").c_str(), admin);
    }
    add("GET", "/v1/iptv/lines", staff_read);
    add("GET", "/v1/iptv/lines/{id}", staff_read);
    add("POST", "/v1/iptv/lines", line_write);
    add("PATCH", "/v1/iptv/lines/{id}", line_write);
    add("DELETE", "/v1/iptv/lines/{id}", line_write);
    add("POST", "/v1/iptv/imports/m3u", admin);
    add("GET", "/v1/events", admin);
    add("GET", "/v1/audit", {kAdmin, kSupport});
    add("GET", "/v1/users", staff_read);
    add("GET", "/v1/users/{id}", staff_read);
    add("POST", "/v1/users", {kAdmin, kReseller});
    add("GET", "/v1/auth/me", everyone);
    add("POST", "/v1/auth/logout", everyone);
    add("POST", "/v1/auth/sessions/revoke", everyone);
    add("POST", "/v1/auth/password", everyone);
    add("POST", "/v1/auth/2fa/setup", everyone);
    add("POST", "/v1/auth/2fa/enable", everyone);
    add("POST", "/v1/auth/2fa/disable", everyone);
    return t;
}

}  // namespace

const std::vector<RouteAccess>& route_access() {
    static const std::vector<RouteAccess> table = make_table();
    return table;
}

bool is_public_route(const std::string& method, const std::string& pattern) {
    if (!pattern.starts_with("/v1/")) return true;
    return method == "POST" && pattern == "/v1/auth/login";
}

std::vector<Role> roles_for(const std::string& method, const std::string& pattern) {
    // HEAD is GET without a body.
    const auto& m = method == "HEAD" ? std::string("GET") : method;
    for (const auto& r : route_access()) {
        if (r.method == m && r.pattern == pattern) return r.roles;
    }
    return {Role::Admin};
}

bool SessionActivity::touch(const std::string& session_id, core::Timestamp started_at,
                            core::Timestamp now, std::chrono::seconds idle) {
    std::lock_guard lock(mu_);
    auto [it, inserted] = last_.try_emplace(session_id, started_at);
    if (now - it->second > std::chrono::duration_cast<std::chrono::microseconds>(idle)) {
        last_.erase(it);
        return false;
    }
    it->second = std::max(it->second, now);
    return true;
}

void SessionActivity::forget(const std::string& session_id) {
    std::lock_guard lock(mu_);
    last_.erase(session_id);
}

core::Result<Caller> authenticate(ApiContext& ctx, const HttpRequest& request) {
    const auto& auth = request.header("authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (auth.size() <= kBearer.size() || !std::string_view(auth).starts_with(kBearer)) {
        return core::fail(Errc::Unauthorized, "authorization",
                          "send 'Authorization: Bearer <API key or session token>'");
    }
    const auto token = std::string_view(auth).substr(kBearer.size());
    const auto hash = events::sha256_hex(token);
    Caller caller;
    if (token.starts_with("syt_")) {
        const auto* view = ctx.runner.view(projections::identity::kUsers);
        auto session = view ? projections::identity::find_session(*view, hash) : std::nullopt;
        if (!session)
            return core::fail(Errc::Unauthorized, "authorization",
                              "the session is not known or has ended");
        const auto now = ctx.clock.now();
        if (now >= session->expires_at) {
            ctx.activity.forget(session->session_id);
            return core::fail(Errc::Unauthorized, "authorization", "the session has expired");
        }
        const auto idle = ctx.identity ? ctx.identity->options().session.idle_timeout
                                       : core::identity::SessionPolicy{}.idle_timeout;
        if (!ctx.activity.touch(session->session_id, session->started_at, now, idle))
            return core::fail(Errc::Unauthorized, "authorization",
                              "the session has been idle too long; sign in again");
        core::identity::Role role{};
        if (!core::identity::parse_role(session->role, role))
            return core::fail(Errc::Unauthorized, "authorization", "the session has no role");
        caller.actor = core::Actor{core::ActorKind::User, session->user_id, request.remote_ip};
        caller.principal = {session->user_id, role, session->scope, session->user_id};
        caller.session_id = session->session_id;
        caller.restriction = session->restriction;
        return caller;
    }
    const auto* view = ctx.runner.view(projections::identity::kApiKeys);
    auto key = view ? projections::identity::find_api_key(*view, hash) : std::nullopt;
    if (!key) return core::fail(Errc::Unauthorized, "authorization", "the API key is not known");
    core::identity::Role role{};
    if (!core::identity::parse_role(key->role, role))
        return core::fail(Errc::Unauthorized, "authorization", "the API key has no valid role");
    caller.actor = core::Actor{core::ActorKind::ApiKey, key->key_id, request.remote_ip};
    caller.principal = {key->key_id, role, "/", ""};
    return caller;
}

std::optional<HttpResponse> guard(ApiContext& ctx, HttpRequest& request, const Route& route) {
    if (is_public_route(route.method, route.pattern)) return std::nullopt;
    auto caller = authenticate(ctx, request);
    if (!caller) return problem(caller.error());
    const auto roles = roles_for(route.method, route.pattern);
    if (std::find(roles.begin(), roles.end(), caller->principal.role) == roles.end()) {
        return problem(
            Errc::Forbidden, "role",
            fmt::format("a {} may not {} {}", core::identity::to_string(caller->principal.role),
                        route.method, route.pattern));
    }
    // A user whose role requires two-factor authentication may only turn it on (then sign in
    // again), see who it is, or sign out.
    if (caller->restriction == "totp_enrollment") {
        static const std::set<std::string> allowed{"GET /v1/auth/me", "POST /v1/auth/2fa/setup",
                                                   "POST /v1/auth/2fa/enable",
                                                   "POST /v1/auth/logout"};
        if (!allowed.count(route.method + " " + route.pattern))
            return problem(Errc::Forbidden, "totp",
                           "your role requires two-factor authentication: enable it with POST "
                           "/v1/auth/2fa/setup and /v1/auth/2fa/enable, then sign in again");
    }
    request.caller = std::move(*caller);
    return std::nullopt;
}

}  // namespace switchyard::api
