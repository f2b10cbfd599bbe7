#include "api/route_support.hpp"

#include <charconv>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/access.hpp"
#include "api/line_auth.hpp"
#include "api/problem.hpp"
#include "events/uuid.hpp"

namespace switchyard::api {

using core::Errc;

Handler authenticated(ApiContext& ctx,
                      std::function<HttpResponse(HttpRequest&, const core::Actor&)> fn) {
    return [&ctx, fn = std::move(fn)](HttpRequest& request) {
        if (!request.caller) {
            auto caller = authenticate(ctx, request);
            if (!caller) return problem(caller.error());
            request.caller = std::move(*caller);
        }
        return fn(request, request.caller->actor);
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

core::Result<long long> int_query(const HttpRequest& r, const char* name, long long def,
                                  long long lo, long long hi) {
    if (!r.has_query(name)) return def;
    try {
        std::size_t used = 0;
        auto v = std::stoll(r.query_param(name), &used);
        if (used == r.query_param(name).size() && v >= lo && v <= hi) return v;
    } catch (const std::exception&) {
    }
    return core::fail(Errc::Invalid, name, fmt::format("must be an integer from {} to {}", lo, hi));
}

std::string with_position(boost::json::object o, const std::vector<events::Position>& positions) {
    o["position"] = positions.empty() ? boost::json::value(nullptr)
                                      : boost::json::value(events::format_positions(positions));
    return boost::json::serialize(o);
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
