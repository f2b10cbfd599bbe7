// /v1/iptv/lines: the subscriber lines Xtream players sign in with. Each caller sees and
// changes only the lines in its scope (a reseller its subtree's); another owner's line does
// not exist, as far as the caller knows.
#include <boost/json.hpp>

#include "api/json_body.hpp"
#include "api/routes/iptv/iptv_support.hpp"
#include "projections/iptv/line_directory.hpp"

namespace switchyard::api::iptv {

namespace json = boost::json;
using core::Errc;
using core::iptv::LineSettings;
using core::iptv::UpdateLine;

namespace {

/// `{"status", "exp_date", "max_connections", "is_trial", "allowed_output_formats",
/// "bouquets", "signed_url_ttl_s"}` as the line events carry them.
json::object line_settings_json(const LineSettings& s) {
    json::array formats;
    for (const auto& f : s.allowed_output_formats) formats.emplace_back(f);
    return {{"status", to_string(s.status)},
            {"exp_date", s.exp_date ? json::value(*s.exp_date) : json::value(nullptr)},
            {"max_connections", s.max_connections},
            {"is_trial", s.is_trial},
            {"allowed_output_formats", std::move(formats)},
            {"bouquets", json::array(s.bouquets.begin(), s.bouquets.end())},
            {"signed_url_ttl_s", s.signed_url_ttl_s}};
}

/// The line resource: `{"line_id", "username", <settings>, "created_at"}` (RFC 3339); the one
/// shape of a line every /v1/iptv/lines answer carries.
json::object line_json(std::int64_t id, const std::string& username, const LineSettings& s,
                       std::int64_t created_at) {
    json::object o{{"line_id", id}, {"username", username}};
    for (auto& member : line_settings_json(s)) o.emplace(member.key(), std::move(member.value()));
    o["created_at"] = core::format_rfc3339(core::from_unix_seconds(created_at));
    return o;
}

json::object line_json(const projections::iptv::LineRow& row) {
    return line_json(row.line_id, row.username, row.settings, row.created_at);
}

/// The line directory read model. @errors Unavailable when it is not open.
core::Result<const projections::ReadModelView*> line_directory(ApiContext& ctx) {
    const auto* v = ctx.runner.view(projections::iptv::kLineDirectory);
    if (!v)
        return core::fail(Errc::Unavailable, "line_directory", "the line directory is not open");
    return v;
}

/// The caller may change the line: it exists and lies in the caller's scope (else NotFound, so
/// that another reseller's line ids reveal nothing).
core::Result<void> owned_line(IptvApi& api, const HttpRequest& r, std::int64_t line_id) {
    auto line = api.iptv.line(line_id);
    if (!line && line.error().code != Errc::NotFound) return tl::unexpected(line.error());
    if (!line || line->deleted ||
        !core::identity::in_scope(caller_of(r).principal.scope, line->owner_path))
        return not_found("line", line_id, "line_id");
    return {};
}

/// The changes a body names, checked in this order: status, exp_date, max_connections,
/// is_trial, allowed_output_formats, bouquets, signed_url_ttl_s, password.
core::Result<UpdateLine> line_changes(const JsonBody& b, std::int64_t line_id) {
    UpdateLine c;
    c.line_id = line_id;
    if (auto v = SY_TRY(b.opt_string("status"))) {
        core::iptv::LineStatus status;
        if (!parse_line_status(*v, status))
            return core::fail(Errc::Invalid, "status", "must be active, disabled or banned");
        c.status = status;
    }
    c.exp_date = SY_TRY(b.opt_nullable_int("exp_date"));
    c.max_connections = SY_TRY(b.opt_int("max_connections"));
    c.is_trial = SY_TRY(b.opt_bool("is_trial"));
    c.allowed_output_formats = SY_TRY(b.opt_string_list("allowed_output_formats"));
    c.bouquets = SY_TRY(b.opt_int_list("bouquets"));
    c.signed_url_ttl_s = SY_TRY(b.opt_int("signed_url_ttl_s"));
    c.password = SY_TRY(b.opt_string("password"));
    return c;
}

/// GET /v1/iptv/lines?cursor=&limit=: the caller's lines in id order.
core::Result<HttpResponse> list_lines(IptvApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto page = SY_TRY(page_query(r));
    const auto after = SY_TRY(id_cursor(page));
    const auto* view = SY_TRY(line_directory(api.ctx));
    PageWriter out(page);
    const auto& scope = caller_of(r).principal.scope;
    for (const auto& row : projections::iptv::list_lines(*view, after, page.limit + 1, scope)) {
        if (!out.add(json::serialize(line_json(row)), std::to_string(row.line_id))) break;
    }
    return json_response(200, out.body());
}

/// GET /v1/iptv/lines/{id}
core::Result<HttpResponse> get_line(IptvApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto id = SY_TRY(id_param(r, "id"));
    auto row = projections::iptv::find_line_by_id(*SY_TRY(line_directory(api.ctx)), id);
    if (!row || !core::identity::in_scope(caller_of(r).principal.scope, row->owner_path))
        return not_found("line", id);
    return json_response(200, json::serialize(line_json(*row)));
}

/// POST /v1/iptv/lines {"username", "password"?, <settings>?}: the answer shows the password
/// once (generated when the body has none).
core::Result<HttpResponse> create_line(IptvApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"username", "password", "max_connections", "exp_date", "bouquets", "is_trial",
                   "allowed_output_formats", "status", "signed_url_ttl_s"}));
    const auto& caller = caller_of(r);
    auto dctx = decision_context(api.ctx, r, caller.actor);
    core::iptv::CreateLine c;
    c.username = SY_TRY(b.string("username"));
    c.password = SY_TRY(b.opt_string("password"));
    // No SY_TRY among a call's arguments: GCC does not destroy the temporaries built before an
    // early return from a statement expression (they leak).
    const auto settings = SY_TRY(line_changes(b, 0));
    c.settings = with_changes(LineSettings{}, settings);
    const auto& key = r.header("idempotency-key");
    c.command_id = key.empty() ? dctx.correlation_id : "idem:" + key;
    // A reseller's lines live in its subtree; the operator's staff create the operator's.
    if (caller.principal.role == core::identity::Role::Reseller)
        c.owner_path = caller.principal.scope;
    auto o = SY_TRY(api.iptv.execute(c, dctx));
    auto body = line_json(o.id, c.username, c.settings, core::unix_seconds(dctx.now));
    body["password"] = o.password ? json::value(*o.password) : json::value(nullptr);
    return answer_created(std::move(body), o);
}

/// PATCH /v1/iptv/lines/{id}: the settings the body names change; a new password is shown once.
core::Result<HttpResponse> update_line(IptvApi& api, HttpRequest& r) {
    const auto id = SY_TRY(id_param(r, "id"));
    SY_TRY(owned_line(api, r, id));
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"password", "max_connections", "exp_date", "bouquets", "is_trial",
                   "allowed_output_formats", "status", "signed_url_ttl_s"}));
    const auto changes = SY_TRY(line_changes(b, id));
    auto o = SY_TRY(execute(api, r, changes));
    auto line = SY_TRY(api.iptv.line(id));
    auto body = line_json(id, line.username, line.settings, core::unix_seconds(line.created_at));
    if (o.password) body["password"] = *o.password;
    return answer(200, std::move(body), o.positions);
}

/// DELETE /v1/iptv/lines/{id}
core::Result<HttpResponse> delete_line(IptvApi& api, HttpRequest& r) {
    SY_TRY(owned_line(api, r, SY_TRY(id_param(r, "id"))));
    return delete_by_id<core::iptv::DeleteLine>(api, r, "line_id");
}

}  // namespace

IptvRoutes line_routes() {
    return {
        {"GET", "/v1/iptv/lines", roles::staff_read, list_lines,
         "The caller's lines in id order, cursor-paginated."},
        {"GET", "/v1/iptv/lines/{id}", roles::staff_read, get_line, "One of the caller's lines."},
        {"POST", "/v1/iptv/lines", roles::sellers, create_line,
         "Creates a line; the answer shows its password once."},
        {"PATCH", "/v1/iptv/lines/{id}", roles::sellers, update_line,
         "Changes a line's settings or password."},
        {"DELETE", "/v1/iptv/lines/{id}", roles::sellers, delete_line, "Deletes a line."},
    };
}

}  // namespace switchyard::api::iptv
