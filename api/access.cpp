#include "api/access.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "api/api_context.hpp"
#include "api/problem.hpp"
#include "events/uuid.hpp"
#include "projections/identity/api_keys.hpp"
#include "projections/identity/users.hpp"

namespace switchyard::api {

using core::Errc;
using core::identity::Role;

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

bool UseRecorder::due(const std::string& id, core::Timestamp now, std::chrono::seconds every) {
    std::lock_guard lock(mu_);
    auto [it, inserted] = last_.try_emplace(id, now);
    if (inserted) return true;
    if (now - it->second < std::chrono::duration_cast<std::chrono::microseconds>(every))
        return false;
    it->second = now;
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
        const auto idle = ctx.identity.session_idle_timeout;
        if (!ctx.activity.touch(session->session_id, session->started_at, now, idle))
            return core::fail(Errc::Unauthorized, "authorization",
                              "the session has been idle too long; sign in again");
        core::identity::Role role{};
        if (!core::identity::parse_role(session->role, role))
            return core::fail(Errc::Unauthorized, "authorization", "the session has no role");
        caller.actor = core::Actor{core::ActorKind::User, session->user_id, request.remote_ip};
        caller.principal = {session->user_id, role, session->scope, session->user_id};
        if (session->second_factor) caller.principal.second_factor_at = session->started_at;
        caller.session_id = session->session_id;
        caller.restriction = session->restriction;
        if (auto user = projections::identity::find_user(*view, session->user_id))
            caller.allowlist = parse_cidrs(user->allowlist);
        return caller;
    }
    const auto* view = ctx.runner.view(projections::identity::kApiKeys);
    auto key = view ? projections::identity::find_api_key(*view, hash) : std::nullopt;
    if (!key) return core::fail(Errc::Unauthorized, "authorization", "the API key is not known");
    core::identity::Role role{};
    if (!core::identity::parse_role(key->role, role))
        return core::fail(Errc::Unauthorized, "authorization", "the API key has no valid role");
    const auto now = ctx.clock.now();
    if (key->expires_at && now >= *key->expires_at)
        return core::fail(Errc::Unauthorized, "authorization", "the API key has expired");
    caller.actor = core::Actor{core::ActorKind::ApiKey, key->key_id, request.remote_ip};
    caller.principal = {key->key_id, role, key->owner_path, key->user_id};
    caller.principal.api_key = true;
    caller.principal.route_prefixes = key->route_prefixes;
    caller.principal.expires_at = key->expires_at;
    // Last use is recorded at most once an hour per key (an event each time would double the
    // log's write rate for busy integrations).
    if (ctx.identity.record_key_use && ctx.key_use.due(key->key_id, now, std::chrono::hours(1))) {
        core::DecisionContext d;
        d.now = now;
        d.actor = caller.actor;
        d.correlation_id = "api_key_use";
        if (auto r = ctx.identity.record_key_use(key->key_id, d); !r)
            spdlog::warn("use of key {} not recorded: {}", key->key_id, r.error().message);
    }
    return caller;
}

namespace {

HttpResponse too_many(const std::string& field, const std::string& message,
                      std::int64_t retry_after) {
    auto r = problem(Errc::TooMany, field, message);
    r.headers.emplace_back("Retry-After", std::to_string(std::max<std::int64_t>(retry_after, 1)));
    return r;
}

}  // namespace

std::optional<HttpResponse> guard(ApiContext& ctx, HttpRequest& request, const Route& route) {
    const auto& sec = ctx.security;
    request.remote_ip =
        client_address(request.remote_ip, request.header("x-forwarded-for"), sec.trusted_proxies);
    const bool open = route.reach == Reach::Public;
    if (open && !route.pattern.starts_with("/v1/")) return std::nullopt;  // operations, Xtream
    if (open && route.self_authenticated) return std::nullopt;            // switch-facing
    const auto now = ctx.clock.now();
    auto anonymous_bucket = [&]() -> std::optional<HttpResponse> {
        if (auto wait = ctx.limiter.take("ip:" + request.remote_ip, sec.anonymous_per_minute, now))
            return too_many("ip",
                            fmt::format("more than {} unauthenticated requests a minute from {}",
                                        sec.anonymous_per_minute, request.remote_ip),
                            *wait);
        return std::nullopt;
    };
    if (open) {
        if (auto until = ctx.lockout.locked_until(request.remote_ip, now)) {
            return too_many(
                "ip", fmt::format("{} is locked after too many failed sign-ins", request.remote_ip),
                std::chrono::duration_cast<std::chrono::seconds>(*until - now).count());
        }
        return anonymous_bucket();
    }
    auto caller = authenticate(ctx, request);
    if (!caller) {
        // Guessing keys costs from the same bucket as anonymous requests.
        if (auto limited = anonymous_bucket()) return limited;
        return problem(caller.error());
    }
    if (auto wait = ctx.limiter.take("principal:" + caller->principal.id,
                                     sec.authenticated_per_minute, now))
        return too_many("authorization",
                        fmt::format("more than {} requests a minute with these credentials",
                                    sec.authenticated_per_minute),
                        *wait);
    const auto& prefixes = caller->principal.route_prefixes;
    if (!prefixes.empty() &&
        std::none_of(prefixes.begin(), prefixes.end(),
                     [&](const std::string& p) { return request.path.starts_with(p); }))
        return problem(Errc::Forbidden, "authorization",
                       fmt::format("this API key may not call {}", request.path));
    if (caller->principal.api_key && route.reach == Reach::SessionOnly)
        return problem(Errc::Forbidden, "authorization",
                       fmt::format("an API key may not {} {}: passwords, second factors and "
                                   "sessions need the user's own session (sign in)",
                                   route.method, route.pattern));
    if (caller->principal.role == Role::Admin && !sec.admin_allowlist.empty() &&
        !any_contains(sec.admin_allowlist, request.remote_ip))
        return problem(Errc::Forbidden, "ip",
                       fmt::format("admin access is not allowed from {}", request.remote_ip));
    if (!caller->allowlist.empty() && !any_contains(caller->allowlist, request.remote_ip))
        return problem(Errc::Forbidden, "ip",
                       fmt::format("this account may not be used from {}", request.remote_ip));
    // A route that names no roles is for admins only.
    static const std::vector<Role> admin_only{Role::Admin};
    const auto& roles = route.roles.empty() ? admin_only : route.roles;
    if (std::find(roles.begin(), roles.end(), caller->principal.role) == roles.end()) {
        return problem(
            Errc::Forbidden, "role",
            fmt::format("a {} may not {} {}", core::identity::to_string(caller->principal.role),
                        route.method, route.pattern));
    }
    // A session with an expired password, or whose role requires a second factor it has not
    // turned on, may only lift that (then sign in again), see who it is, or sign out.
    if (auto lifted =
            core::identity::check_restriction(caller->restriction, route.method, route.pattern);
        !lifted)
        return problem(lifted.error());
    request.caller = std::move(*caller);
    return std::nullopt;
}

void note_failed_sign_in(ApiContext& ctx, const std::string& ip, const char* surface) {
    const auto now = ctx.clock.now();
    auto until = ctx.lockout.record_failure(ip, now, ctx.security.lockout);
    if (!until || !ctx.identity.record_lockout) return;
    core::DecisionContext d;
    d.now = now;
    d.actor = core::Actor{core::ActorKind::System, "lockout", ip};
    d.correlation_id = "lockout";
    events::identity::SourceLocked lock{ip, *until, ctx.security.lockout.max_failures, surface};
    if (auto r = ctx.identity.record_lockout(lock, d); !r)
        spdlog::warn("lockout of {} not recorded: {}", ip, r.error().message);
}

}  // namespace switchyard::api
