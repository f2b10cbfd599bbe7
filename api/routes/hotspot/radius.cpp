#include "api/routes/hotspot/radius.hpp"
#include "api/service_key.hpp"

#include <algorithm>
#include <array>

#include "api/access.hpp"
#include "api/route_support.hpp"

namespace switchyard::api {

namespace {

using events::hotspot::RestAction;

std::string base64_decode(std::string_view in) {
    static const std::array<int, 256> table = [] {
        std::array<int, 256> t{};
        t.fill(-1);
        const std::string_view a =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (std::size_t i = 0; i < a.size(); ++i) t[static_cast<unsigned char>(a[i])] = int(i);
        return t;
    }();
    std::string out;
    int value = 0;
    int bits = -8;
    for (char c : in) {
        if (c == '=') break;
        const int d = table[static_cast<unsigned char>(c)];
        if (d < 0) return {};
        value = (value << 6) + d;
        bits += 6;
        if (bits >= 0) {
            out.push_back(static_cast<char>((value >> bits) & 0xff));
            bits -= 8;
        }
    }
    return out;
}

HttpResponse rest_response(const events::hotspot::RestAnswer& a) {
    HttpResponse r;
    r.status = a.status;
    r.body = a.body;
    r.content_type = a.body.empty() ? "" : "application/json";
    return r;
}

HttpResponse unauthorized(const std::string& why) {
    auto r = rest_response(
        {401,
         events::hotspot::write_rlm_rest_reply(
             {{"Reply-Message", std::string("The RADIUS server may not ask Switchyard.")}}, {})});
    r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"switchyard-radius\"");
    r.headers.emplace_back("X-Switchyard-Refusal", why);
    return r;
}

/// The User-Name segment of `/radius/user/<name>/...` (empty for `/radius/user//...`).
std::string path_user(std::string_view path) {
    constexpr std::string_view kPrefix = "/radius/user/";
    if (!path.starts_with(kPrefix)) return {};
    path.remove_prefix(kPrefix.size());
    return std::string(path.substr(0, path.find('/')));
}

HttpResponse handle(RadiusApi& api, HttpRequest& request) {
    const auto key = radius_key_of(request.header("authorization"));
    if (key.empty()) return unauthorized("send the API key as HTTP Basic password or Bearer");
    HttpRequest probe;
    probe.headers["authorization"] = "Bearer " + key;
    probe.remote_ip = request.remote_ip;
    auto caller = authenticate(api.ctx, probe);
    if (!caller) return unauthorized(caller.error().message);
    if (!may_call_radius(caller->principal))
        return unauthorized("the API key is neither an unrestricted admin key nor scoped to " +
                            std::string(kRadiusScope));
    RestAction action{};
    const auto& text = request.query_param("action");
    if (text.empty()) {
        action = request.path.find("/sessions/") != std::string::npos ? RestAction::Accounting
                                                                      : RestAction::Authorize;
    } else if (!events::hotspot::parse_rest_action(text, action)) {
        return rest_response(events::hotspot::bad_request_answer(
            {core::Errc::Invalid, "action",
             "action must be authorize, authenticate, post-auth or accounting, not '" + text +
                 "'"}));
    }
    if (request.method == "GET" && action != RestAction::Authorize)
        return rest_response(events::hotspot::bad_request_answer(
            {core::Errc::Invalid, "action",
             "only authorize may be a GET (rlm_rest sends no body)"}));
    const auto ctx = decision_context(api.ctx, request, caller->actor);
    return rest_response(api.aaa
                             .handle(action, request.method == "GET" ? "" : request.body,
                                     path_user(request.path), ctx)
                             .answer);
}

}  // namespace

bool may_call_radius(const core::identity::Principal& principal) {
    return service_key_may_call(principal, kRadiusScope);
}

std::string radius_key_of(std::string_view authorization) {
    constexpr std::string_view kBearer = "Bearer ";
    constexpr std::string_view kBasic = "Basic ";
    if (authorization.starts_with(kBearer))
        return std::string(authorization.substr(kBearer.size()));
    if (!authorization.starts_with(kBasic)) return {};
    const auto pair = base64_decode(authorization.substr(kBasic.size()));
    const auto colon = pair.find(':');
    if (colon == std::string::npos) return {};
    return pair.substr(colon + 1);
}

void add_radius_routes(Router& router, RadiusApi& api) {
    for (const char* method : {"GET", "POST"}) {
        Route r;
        r.method = method;
        r.pattern = "/radius/{rest...}";
        r.handler = [&api](HttpRequest& req) { return handle(api, req); };
        r.reach = Reach::Public;
        r.summary = std::string(method) == "GET"
                        ? "rlm_rest authorize from a stock FreeRADIUS configuration (no body)"
                        : "rlm_rest authorize, authenticate, post-auth and accounting";
        r.module = "hotspot";
        router.add(std::move(r));
    }
}

}  // namespace switchyard::api
