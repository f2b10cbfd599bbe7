#include "api/routes/hotspot/hotspot_support.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>

#include "projections/projection_runner.hpp"

namespace switchyard::api::hotspot {

namespace json = boost::json;
using core::Errc;

std::string command_id_of(const HttpRequest& request, const core::DecisionContext& ctx) {
    const auto& key = request.header("idempotency-key");
    return key.empty() ? ctx.correlation_id : "idem:" + key;
}

bool may_reach(const HttpRequest& request, const std::string& owner_path) {
    return core::identity::in_scope(caller_of(request).principal.scope, owner_path);
}

std::string owner_path_of(const HttpRequest& request) {
    const auto& p = caller_of(request).principal;
    return p.role == core::identity::Role::Reseller ? p.scope : std::string("/");
}

const std::string& scope_of(const HttpRequest& request) {
    return caller_of(request).principal.scope;
}

HttpResponse answer(int status, json::object body, const std::vector<events::Position>& positions) {
    return command_response(status, with_position(std::move(body), positions), positions);
}

HttpResponse json_ok(const json::object& body) { return json_response(200, json::serialize(body)); }

core::Result<std::string> text_param(const HttpRequest& request, const char* name) {
    auto it = request.params.find(name);
    if (it == request.params.end() || it->second.empty())
        return core::fail(Errc::Invalid, name, "is required");
    return it->second;
}

tl::unexpected<core::Error> not_found(const char* what, const std::string& id, const char* field) {
    return core::fail(Errc::NotFound, field, fmt::format("{} '{}' does not exist", what, id));
}

core::Result<const projections::ReadModelView*> view_of(HotspotApi& api, const char* name,
                                                        const char* what) {
    const auto* v = api.ctx.runner.view(name);
    if (!v) return core::fail(Errc::Unavailable, what, "the read model is not open");
    return v;
}

std::string id_from_name(std::string_view name) {
    std::string out;
    bool dash = false;
    for (char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        char lower = static_cast<char>((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
        const bool keep =
            (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') || lower == '_';
        if (keep) {
            if (dash && !out.empty()) out += '-';
            dash = false;
            out += lower;
        } else {
            dash = true;
        }
        if (out.size() >= 32) break;
    }
    if (out.size() > 32) out.resize(32);
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out;
}

std::string price_text(core::hotspot::Micros micros) {
    const bool negative = micros < 0;
    const auto m = negative ? static_cast<std::uint64_t>(-(micros + 1)) + 1
                            : static_cast<std::uint64_t>(micros);
    std::string frac = fmt::format("{:06}", m % 1'000'000);
    while (frac.size() > 2 && frac.back() == '0') frac.pop_back();
    return fmt::format("{}{}.{}", negative ? "-" : "", m / 1'000'000, frac);
}

core::Result<std::optional<core::Timestamp>> opt_time(const JsonBody& b, const char* key) {
    if (!b.has(key) || b.is_null(key)) return std::optional<core::Timestamp>();
    const auto text = SY_TRY(b.opt_string(key));
    auto t = core::parse_rfc3339(*text);
    if (!t)
        return core::fail(Errc::Invalid, b.prefix() + key,
                          "must be an RFC 3339 time such as 2026-01-31T12:00:00Z");
    return std::optional<core::Timestamp>(*t);
}

}  // namespace switchyard::api::hotspot

namespace switchyard::api {

void add_hotspot_routes(Router& router, HotspotApi& api) {
    for (auto* part : {hotspot::nas_routes, hotspot::plan_routes, hotspot::account_routes,
                       hotspot::voucher_routes})
        add_routes(router, api, "hotspot", part());
}

}  // namespace switchyard::api
