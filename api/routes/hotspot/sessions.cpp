#include "api/routes/hotspot/sessions.hpp"

#include <boost/json.hpp>

#include "api/json_body.hpp"
#include "api/query.hpp"
#include "api/report_table.hpp"
#include "api/route_support.hpp"
#include "api/route_table.hpp"
#include "core/text.hpp"
#include "events/hotspot/session_codec.hpp"
#include "projections/hotspot/hotspot_sessions.hpp"

namespace switchyard::api {

namespace {

namespace json = boost::json;
using projections::hotspot::SessionRow;

core::Result<const projections::ReadModelView*> sessions_model(RadiusApi& api) {
    const auto* v = api.ctx.runner.view(projections::hotspot::kHotspotSessions);
    if (v == nullptr)
        return core::fail(core::Errc::Unavailable, "model", "the hotspot_sessions model is off");
    return v;
}

/// The NAS a reseller may see; nullopt = every NAS (operator staff).
core::Result<std::optional<std::vector<std::string>>> own_nas(RadiusApi& api,
                                                              const HttpRequest& r) {
    const auto& p = caller_of(r).principal;
    if (p.role != core::identity::Role::Reseller && p.scope == "/")
        return std::optional<std::vector<std::string>>();
    std::vector<std::string> ids;
    for (const auto& [id, nas] : SY_TRY(api.hotspot.catalog()).nas)
        if (nas.owner_path.starts_with(p.scope)) ids.push_back(id);
    if (ids.empty()) ids.push_back("");  // none: matches no session
    return std::optional(std::move(ids));
}

json::object session_object(const SessionRow& row) {
    auto o = events::hotspot::session_json(row.session);
    o["id"] = row.session.unique_id;
    o["plan_id"] = row.plan_id;
    return o;
}

constexpr const char* kCsvColumns[] = {"id",
                                       "nas_id",
                                       "username",
                                       "plan_id",
                                       "active",
                                       "started_at",
                                       "updated_at",
                                       "input_bytes",
                                       "output_bytes",
                                       "session_seconds",
                                       "framed_ip",
                                       "calling_station_id",
                                       "terminate_cause"};

std::string csv_line(const json::object& o) {
    std::string out;
    bool first = true;
    for (const char* c : kCsvColumns) {
        if (!first) out += ',';
        first = false;
        const auto* v = o.if_contains(c);
        if (v == nullptr || v->is_null()) continue;
        if (v->is_string())
            out += core::csv_field(v->as_string());
        else
            out += json::serialize(*v);
    }
    return out + "\r\n";
}

core::Result<HttpResponse> list_as(RadiusApi& api, HttpRequest& r, bool csv) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto page = SY_TRY(page_query(r, csv ? 10'000 : 100, csv ? 10'000 : 1000));
    const auto active = SY_TRY(enum_query(r, "active", {"true", "false", "any"}, "any"));
    projections::hotspot::SessionFilter filter;
    filter.nas_id = r.query_param("nas");
    filter.username = r.query_param("user");
    if (active != "any") filter.active = active == "true";
    if (auto own = SY_TRY(own_nas(api, r))) filter.nas_ids = std::move(*own);
    const auto* view = SY_TRY(sessions_model(api));
    const auto got = projections::hotspot::list_sessions(*view, filter, page.cursor, page.limit);
    if (csv) {
        std::string body;
        for (const char* c : kCsvColumns) body += std::string(body.empty() ? "" : ",") + c;
        body += "\r\n";
        for (const auto& row : got.sessions) body += csv_line(session_object(row));
        HttpResponse out;
        out.content_type = "text/csv; charset=utf-8";
        out.body = std::move(body);
        if (!got.next.empty()) out.headers.emplace_back("X-Switchyard-Next-Cursor", got.next);
        return out;
    }
    json::array items;
    for (const auto& row : got.sessions) items.push_back(session_object(row));
    json::object body;
    body["items"] = std::move(items);
    body["next_cursor"] = got.next.empty() ? json::value(nullptr) : json::value(got.next);
    return json_response(200, json::serialize(body));
}

core::Result<HttpResponse> list_sessions(RadiusApi& api, HttpRequest& r) {
    return list_as(api, r, false);
}
core::Result<HttpResponse> list_sessions_csv(RadiusApi& api, HttpRequest& r) {
    return list_as(api, r, true);
}

core::Result<HttpResponse> get_session(RadiusApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto& id = r.params.at("id");
    const auto* view = SY_TRY(sessions_model(api));
    auto row = projections::hotspot::find_session(*view, id);
    if (row) {
        if (auto own = SY_TRY(own_nas(api, r));
            own && std::find(own->begin(), own->end(), row->session.nas_id) == own->end())
            row.reset();
    }
    if (!row) return core::fail(core::Errc::NotFound, "id", "no session with id '" + id + "'");
    return json_response(200, json::serialize(session_object(*row)));
}

/// DELETE /v1/hotspot/sessions/{id} {"note"?}: ends an open session through the enforcement
/// path. 202 when the request was recorded (the Disconnect-Request follows), 200 for a retry.
core::Result<HttpResponse> end_session(RadiusApi& api, HttpRequest& r) {
    const auto& id = r.params.at("id");
    std::string note;
    if (!r.body.empty()) {
        auto b = SY_TRY(JsonBody::parse(r.body));
        SY_TRY(b.only({"note"}));
        if (auto v = SY_TRY(b.opt_string("note"))) note = *v;
    }
    const auto* view = SY_TRY(sessions_model(api));
    auto row = projections::hotspot::find_session(*view, id);
    if (row) {
        if (auto own = SY_TRY(own_nas(api, r));
            own && std::find(own->begin(), own->end(), row->session.nas_id) == own->end())
            row.reset();
    }
    if (!row) return core::fail(core::Errc::NotFound, "id", "no session with id '" + id + "'");
    if (!api.end_session)
        return core::fail(core::Errc::Unavailable, "enforcer",
                          "no enforcer runs (the RADIUS dictionary is not installed)");
    const auto ctx = decision_context(api.ctx, r, caller_of(r).actor);
    const bool appended = SY_TRY(api.end_session(id, note, ctx));
    json::object body{{"session_id", id}, {"status", "end_requested"}};
    return json_response(appended ? 202 : 200, json::serialize(body));
}

core::Result<HttpResponse> get_usage(RadiusApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto& username = r.params.at("username");
    for (const char* name : {"from", "to"}) {
        const auto& d = r.query_param(name);
        if (!d.empty() && (d.size() != 10 || !core::parse_rfc3339(d + "T00:00:00Z")))
            return core::fail(core::Errc::Invalid, name,
                              std::string(name) + " must be a day YYYY-MM-DD, not '" + d + "'");
    }
    const auto& p = caller_of(r).principal;
    if (p.role == core::identity::Role::Reseller || p.scope != "/") {
        auto account = api.hotspot.account(username);
        if (!account || !account->owner_path.starts_with(p.scope))
            return core::fail(core::Errc::NotFound, "username",
                              "account '" + username + "' does not exist");
    }
    const auto* view = SY_TRY(sessions_model(api));
    json::array days;
    for (const auto& d : projections::hotspot::usage_by_day(*view, username, r.query_param("from"),
                                                            r.query_param("to"))) {
        days.push_back({{"day", d.day},
                        {"input_bytes", d.usage.input_bytes},
                        {"output_bytes", d.usage.output_bytes},
                        {"online_seconds", d.usage.online_seconds}});
    }
    json::object body{{"username", username}, {"days", std::move(days)}};
    return json_response(200, json::serialize(body));
}

}  // namespace

void add_session_routes(Router& router, RadiusApi& api) {
    add_routes<RadiusApi>(router, api, "hotspot",
                          {
                              {"GET", "/v1/hotspot/sessions", roles::staff_read, list_sessions,
                               "List hotspot sessions by NAS, user and state, cursor-paginated"},
                              {"GET", "/v1/hotspot/sessions.csv", roles::staff_read,
                               list_sessions_csv, "Export hotspot sessions as CSV"},
                              {"GET", "/v1/hotspot/sessions/{id}", roles::staff_read, get_session,
                               "Show one hotspot session by Acct-Unique-Session-Id"},
                              {"DELETE",
                               "/v1/hotspot/sessions/{id}",
                               {core::identity::Role::Admin, core::identity::Role::Support,
                                core::identity::Role::Reseller},
                               end_session,
                               "End an open session: the enforcer sends the NAS a "
                               "Disconnect-Request and records each attempt"},
                              {"GET", "/v1/hotspot/usage/{username}", roles::staff_read, get_usage,
                               "Show an account's usage per day"},
                          });
}

}  // namespace switchyard::api
