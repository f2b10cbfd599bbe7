#include "api/route_support.hpp"

#include <charconv>

#include <fmt/format.h>

#include "api/line_auth.hpp"
#include "api/problem.hpp"
#include "events/uuid.hpp"
#include "projections/identity/api_keys.hpp"

namespace switchyard::api {

using core::Errc;

core::Result<core::Actor> authenticate(ApiContext& ctx, const HttpRequest& request) {
    const auto& auth = request.header("authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (auth.size() <= kBearer.size() || !std::string_view(auth).starts_with(kBearer)) {
        return core::fail(Errc::Unauthorized, "authorization",
                          "send 'Authorization: Bearer <API key>'");
    }
    const auto* view = ctx.runner.view(projections::identity::kApiKeys);
    auto key = view ? projections::identity::find_api_key(
                          *view, events::sha256_hex(std::string_view(auth).substr(kBearer.size())))
                    : std::nullopt;
    if (!key) return core::fail(Errc::Unauthorized, "authorization", "the API key is not known");
    return core::Actor{core::ActorKind::ApiKey, key->key_id, request.remote_ip};
}

Handler authenticated(ApiContext& ctx,
                      std::function<HttpResponse(HttpRequest&, const core::Actor&)> fn) {
    return [&ctx, fn = std::move(fn)](HttpRequest& request) {
        auto actor = authenticate(ctx, request);
        if (!actor) return problem(actor.error());
        return fn(request, *actor);
    };
}

core::DecisionContext decision_context(ApiContext& ctx, const HttpRequest& request,
                                       const core::Actor& actor) {
    core::DecisionContext d;
    d.now = ctx.clock.now();
    d.actor = actor;
    const auto& rid = request.header("x-request-id");
    d.correlation_id = !rid.empty() && rid.size() <= 100 ? rid : events::new_uuid_v7(d.now);
    d.random_secret = events::random_token(18);
    d.hash_secret = [secret = ctx.line_secret](const std::string& password) {
        return line_password_hash(secret, password);
    };
    return d;
}

core::Result<void> wait_for_position(ApiContext& ctx, const HttpRequest& request) {
    std::string text = request.header("x-switchyard-after");
    if (text.empty()) text = request.query_param("after");
    if (text.empty()) return {};
    auto positions = SY_TRY(events::parse_positions(text));
    if (!ctx.runner.wait_for(positions, ctx.max_wait)) {
        return core::fail(Errc::Timeout, "after",
                          fmt::format("the read models did not reach {} within {} ms", text,
                                      ctx.max_wait.count()));
    }
    return {};
}

HttpResponse command_response(int status, std::string body,
                              const std::vector<events::Position>& positions) {
    auto r = json_response(status, std::move(body));
    if (!positions.empty())
        r.headers.emplace_back("X-Switchyard-Position", events::format_positions(positions));
    return r;
}

core::Result<std::int64_t> id_param(const HttpRequest& request, const char* name) {
    auto it = request.params.find(name);
    std::int64_t v = 0;
    if (it != request.params.end()) {
        const auto& s = it->second;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec == std::errc() && p == s.data() + s.size() && v > 0) return v;
    }
    return core::fail(Errc::Invalid, name, "must be a positive integer");
}

}  // namespace switchyard::api
