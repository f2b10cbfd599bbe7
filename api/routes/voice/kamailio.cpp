#include "api/routes/voice/kamailio.hpp"
#include "api/service_key.hpp"

#include <algorithm>

#include <boost/json.hpp>

#include "api/access.hpp"
#include "api/problem.hpp"
#include "api/route_support.hpp"
#include "api/routes/hotspot/radius.hpp"
#include "events/voice/call_codec.hpp"

namespace switchyard::api {

namespace {

namespace json = boost::json;
using core::Errc;

HttpResponse unauthorized(const std::string& why) {
    auto r = problem(Errc::Unauthorized, "authorization", why);
    r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"switchyard-kamailio\"");
    return r;
}

/// The caller as an actor, or the 401 answer.
std::variant<core::Actor, HttpResponse> kamailio_caller(KamailioApi& api,
                                                        const HttpRequest& request) {
    const auto key = radius_key_of(request.header("authorization"));
    if (key.empty()) return unauthorized("send the API key as HTTP Basic password or Bearer");
    HttpRequest probe;
    probe.headers["authorization"] = "Bearer " + key;
    probe.remote_ip = request.remote_ip;
    auto caller = authenticate(api.ctx, probe);
    if (!caller) return unauthorized(caller.error().message);
    if (!may_call_kamailio(caller->principal))
        return unauthorized("the API key is neither an unrestricted admin key nor scoped to " +
                            std::string(kKamailioScope));
    return caller->actor;
}

/// Runs `fn(actor)` for an authenticated Kamailio.
template <class Fn>
HttpResponse as_kamailio(KamailioApi& api, HttpRequest& request, Fn fn) {
    auto caller = kamailio_caller(api, request);
    if (auto* denied = std::get_if<HttpResponse>(&caller)) return std::move(*denied);
    return fn(std::get<core::Actor>(caller));
}

HttpResponse route(KamailioApi& api, HttpRequest& request) {
    return as_kamailio(api, request, [&](const core::Actor& actor) {
        const auto ctx = decision_context(api.ctx, request, actor);
        auto setup = events::voice::parse_route_request(request.body, ctx.now);
        if (!setup) return problem(setup.error());
        auto answer = api.calls.route(*setup, ctx);
        if (!answer)
            return problem(Errc::Unavailable, "route",
                           "cannot route call '" + setup->call_id + "': " + answer.error().message);
        return json_response(200, events::voice::write_routing_answer(*answer));
    });
}

HttpResponse credentials(KamailioApi& api, HttpRequest& request) {
    return as_kamailio(api, request, [&](const core::Actor&) {
        auto asked = events::voice::parse_credentials_request(request.body);
        if (!asked) return problem(asked.error());
        auto ha1 = api.calls.ha1(asked->username, asked->realm);
        if (!ha1) {
            if (ha1.error().code == Errc::NotFound)
                return problem(
                    Errc::NotFound, "username",
                    "no digest user '" + asked->username + "' in realm '" + asked->realm + "'");
            return problem(ha1.error());
        }
        return json_response(200,
                             json::serialize(json::object{{"ha1", *ha1}, {"ttl", api.ha1_ttl_s}}));
    });
}

HttpResponse call_event(KamailioApi& api, HttpRequest& request) {
    return as_kamailio(api, request, [&](const core::Actor& actor) {
        const auto ctx = decision_context(api.ctx, request, actor);
        auto report = events::voice::parse_call_report(request.body, ctx.now);
        if (!report) return problem(report.error());
        auto outcome = api.calls.report(*report, ctx);
        if (!outcome)
            return problem(Errc::Unavailable, "event",
                           "cannot record the event: " + outcome.error().message);
        json::object body{{"status", outcome->status}, {"call_id", report->call_id}};
        if (!outcome->cdr_status.empty()) body["cdr"] = outcome->cdr_status;
        return json_response(200, json::serialize(body));
    });
}

HttpResponse call_detail(KamailioApi& api, HttpRequest& request) {
    const auto it = request.params.find("id");
    const std::string call_id = it == request.params.end() ? std::string{} : it->second;
    if (call_id.empty()) return problem(Errc::Invalid, "call_id", "call_id is required");
    auto loaded = api.calls.load(call_id);
    if (!loaded) return problem(loaded.error());
    const auto& [state, events] = *loaded;
    if (state.status == core::voice::CallStatus::None)
        return problem(Errc::NotFound, "call_id", "call '" + call_id + "' is not known");
    json::array list;
    for (const auto& e : events) {
        json::error_code ec;
        auto data = json::parse(e.data, ec);
        list.push_back(json::object{{"type", e.type},
                                    {"time", core::format_rfc3339(e.time)},
                                    {"data", ec ? json::value(e.data) : std::move(data)}});
    }
    json::object body{{"call_id", call_id},
                      {"status", core::voice::to_string(state.status)},
                      {"events", std::move(list)}};
    if (state.ended) body["billsec"] = state.ended->billsec;
    return json_response(200, json::serialize(body));
}

}  // namespace

bool may_call_kamailio(const core::identity::Principal& principal) {
    return service_key_may_call(principal, kKamailioScope);
}

void add_kamailio_routes(Router& router, KamailioApi& api) {
    auto add = [&](const char* path, const char* summary,
                   HttpResponse (*fn)(KamailioApi&, HttpRequest&)) {
        Route r;
        r.method = "POST";
        r.pattern = path;
        r.handler = [&api, fn](HttpRequest& req) { return fn(api, req); };
        r.reach = Reach::Public;
        r.self_authenticated = true;
        r.summary = summary;
        r.module = "voice";
        router.add(std::move(r));
    };
    add("/v1/voice/kamailio/route",
        "Kamailio asks how to route an initial INVITE; answers the rtjson routing document", route);
    add("/v1/voice/kamailio/credentials",
        "Kamailio asks for the HA1 of a digest username to verify a trunk's credentials",
        credentials);
    add("/v1/voice/kamailio/events",
        "Kamailio reports a call event (answered, attempt_failed, ended, failed)", call_event);
    Route detail;
    detail.method = "GET";
    detail.pattern = "/v1/voice/calls/{id}";
    detail.handler = [&api](HttpRequest& req) { return call_detail(api, req); };
    detail.roles = {core::identity::Role::Admin, core::identity::Role::Support};
    detail.summary = "A call through Kamailio: its state and its voice.call events";
    detail.module = "voice";
    router.add(std::move(detail));
}

}  // namespace switchyard::api
