// HTTP handlers of /v1/iptv: parse, validate, call the IPTV service, map errors.
#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/json_body.hpp"
#include "api/problem.hpp"
#include "api/route_support.hpp"
#include "api/routes/iptv/iptv_api.hpp"
#include "core/iptv/m3u.hpp"
#include "projections/iptv/line_directory.hpp"

namespace switchyard::api {

namespace json = boost::json;
using namespace core::iptv;
using core::Errc;
using projections::iptv::CatalogueSnapshot;

namespace {

json::value nullable(const std::optional<std::int64_t>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

json::object category_json(const projections::iptv::CategoryRow& c) {
    return {{"category_id", c.id}, {"name", c.name}, {"kind", c.kind}, {"parent_id", c.parent_id}};
}

json::object stream_json(const projections::iptv::StreamRow& s) {
    return {{"stream_id", s.id},
            {"name", s.name},
            {"source_url", s.source_url},
            {"tvg_id", s.tvg_id},
            {"logo", s.logo},
            {"category_id", nullable(s.category_id)},
            {"epg_channel_id", s.epg_channel_id},
            {"http_referrer", s.http_referrer},
            {"user_agent", s.user_agent},
            {"source", s.source},
            {"added", core::format_rfc3339(core::from_unix_seconds(s.added))}};
}

json::object bouquet_json(std::int64_t id, const std::string& name,
                          const std::vector<std::int64_t>& cats,
                          const std::vector<std::int64_t>& streams) {
    return {{"bouquet_id", id},
            {"name", name},
            {"category_ids", json::array(cats.begin(), cats.end())},
            {"stream_ids", json::array(streams.begin(), streams.end())}};
}

json::object line_json(std::int64_t id, const std::string& username, const LineSettings& s,
                       std::int64_t created_at) {
    json::array formats;
    for (const auto& f : s.allowed_output_formats) formats.emplace_back(f);
    return {{"line_id", id},
            {"username", username},
            {"status", to_string(s.status)},
            {"exp_date", nullable(s.exp_date)},
            {"max_connections", s.max_connections},
            {"is_trial", s.is_trial},
            {"allowed_output_formats", formats},
            {"bouquets", json::array(s.bouquets.begin(), s.bouquets.end())},
            {"created_at", core::format_rfc3339(core::from_unix_seconds(created_at))}};
}

/// `?cursor=<id>&limit=<n>` of list routes.
struct Page {
    std::int64_t after = 0;
    std::size_t limit = 100;
};

core::Result<Page> page_of(const HttpRequest& r) {
    Page p;
    if (r.has_query("cursor")) {
        try {
            std::size_t used = 0;
            p.after = std::stoll(r.query_param("cursor"), &used);
            if (used != r.query_param("cursor").size() || p.after < 0)
                throw std::invalid_argument("cursor");
        } catch (const std::exception&) {
            return core::fail(Errc::Invalid, "cursor", "must be a cursor from a previous page");
        }
    }
    if (r.has_query("limit")) {
        try {
            std::size_t used = 0;
            auto l = std::stoll(r.query_param("limit"), &used);
            if (used != r.query_param("limit").size() || l < 1 || l > 1000)
                throw std::invalid_argument("limit");
            p.limit = static_cast<std::size_t>(l);
        } catch (const std::exception&) {
            return core::fail(Errc::Invalid, "limit", "must be an integer from 1 to 1000");
        }
    }
    return p;
}

template <class Rows, class Id, class Render>
std::string page_json(const Rows& rows, const Page& page, Id id_of, Render render) {
    json::array items;
    std::int64_t last = 0;
    bool more = false;
    for (const auto& row : rows) {
        if (id_of(row) <= page.after) continue;
        if (items.size() == page.limit) {
            more = true;
            break;
        }
        items.push_back(render(row));
        last = id_of(row);
    }
    json::object o{
        {"items", std::move(items)},
        {"next_cursor", more ? json::value(std::to_string(last)) : json::value(nullptr)}};
    return json::serialize(o);
}

core::Result<std::optional<std::int64_t>> query_int(const HttpRequest& r, const char* name) {
    if (!r.has_query(name)) return std::optional<std::int64_t>();
    try {
        std::size_t used = 0;
        auto v = std::stoll(r.query_param(name), &used);
        if (used == r.query_param(name).size() && v > 0) return std::optional<std::int64_t>(v);
    } catch (const std::exception&) {
    }
    return core::fail(Errc::Invalid, name, "must be a positive integer");
}

/// Reads stream fields from a body; with `base` set, absent fields keep its values (PATCH).
core::Result<StreamFields> stream_fields(const JsonBody& b, const StreamFields* base) {
    SY_TRY(b.only({"name", "source_url", "tvg_id", "logo", "category_id", "epg_channel_id",
                   "http_referrer", "user_agent"}));
    StreamFields f = base ? *base : StreamFields{};
    auto text = [&](const char* key, std::string& out) -> core::Result<void> {
        auto v = SY_TRY(b.opt_string(key));
        if (v) out = *v;
        return {};
    };
    if (!base) {
        f.name = SY_TRY(b.string("name"));
        f.source_url = SY_TRY(b.string("source_url"));
    } else {
        SY_TRY(text("name", f.name));
        SY_TRY(text("source_url", f.source_url));
    }
    SY_TRY(text("tvg_id", f.tvg_id));
    SY_TRY(text("logo", f.logo));
    SY_TRY(text("epg_channel_id", f.epg_channel_id));
    SY_TRY(text("http_referrer", f.http_referrer));
    SY_TRY(text("user_agent", f.user_agent));
    if (auto c = SY_TRY(b.opt_nullable_int("category_id"))) f.category_id = *c;
    if (!base && !b.has("epg_channel_id")) f.epg_channel_id = epg_channel_of(f.tvg_id);
    return f;
}

core::Result<LineSettings> line_settings(const JsonBody& b, LineSettings s) {
    if (auto v = SY_TRY(b.opt_string("status"))) {
        if (!parse_line_status(*v, s.status))
            return core::fail(Errc::Invalid, "status", "must be active, disabled or banned");
    }
    if (auto v = SY_TRY(b.opt_nullable_int("exp_date"))) s.exp_date = *v;
    if (auto v = SY_TRY(b.opt_int("max_connections"))) s.max_connections = *v;
    if (auto v = SY_TRY(b.opt_bool("is_trial"))) s.is_trial = *v;
    if (auto v = SY_TRY(b.opt_string_list("allowed_output_formats"))) s.allowed_output_formats = *v;
    if (auto v = SY_TRY(b.opt_int_list("bouquets"))) s.bouquets = *v;
    return s;
}

template <class Fn>
Handler query(IptvApi& api, Fn fn) {
    auto& ctx = api.ctx;
    return guarded(
        ctx, [&ctx, &api, fn](HttpRequest& r, const core::Actor&) -> core::Result<HttpResponse> {
            SY_TRY(wait_for_position(ctx, r));
            return fn(r, *api.catalogue.get());
        });
}

/// The caller may change the line: it exists and lies in the caller's scope (else NotFound, so
/// that another reseller's line ids reveal nothing).
core::Result<void> owned_line(events::iptv::IptvService& svc, const HttpRequest& r,
                              std::int64_t line_id) {
    auto line = svc.line(line_id);
    if (!line && line.error().code != Errc::NotFound) return tl::unexpected(line.error());
    if (!line || line->deleted ||
        !core::identity::in_scope(r.caller->principal.scope, line->owner_path))
        return core::fail(Errc::NotFound, "line_id",
                          fmt::format("line {} does not exist", line_id));
    return {};
}

}  // namespace

void add_iptv_routes(Router& router, IptvApi& api) {
    auto& ctx = api.ctx;
    auto& svc = api.iptv;

    // ---- categories ----
    router.add(
        {"GET", "/v1/iptv/categories",
         query(
             api, [](HttpRequest& r, const CatalogueSnapshot& snap) -> core::Result<HttpResponse> {
                 auto page = SY_TRY(page_of(r));
                 return json_response(200, page_json(
                                               snap.categories(), page,
                                               [](const auto& c) { return c.id; }, category_json));
             })});
    router.add(
        {"GET", "/v1/iptv/categories/{id}",
         query(api,
               [](HttpRequest& r, const CatalogueSnapshot& snap) -> core::Result<HttpResponse> {
                   auto id = SY_TRY(id_param(r, "id"));
                   const auto* c = snap.category(id);
                   if (!c)
                       return core::fail(Errc::NotFound, "id",
                                         fmt::format("category {} does not exist", id));
                   return json_response(200, json::serialize(category_json(*c)));
               })});
    router.add(
        {"POST", "/v1/iptv/categories",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto b = SY_TRY(JsonBody::parse(r.body));
             SY_TRY(b.only({"name", "kind", "parent_id"}));
             // No SY_TRY inside a braced initializer: GCC does not destroy the members built
             // before an early return from a statement expression (they leak).
             auto name = SY_TRY(b.string("name"));
             const auto parent_id = SY_TRY(b.opt_int("parent_id")).value_or(0);
             CreateCategory c{std::move(name), CategoryKind::Live, parent_id};
             if (auto k = SY_TRY(b.opt_string("kind")); k && !parse_category_kind(*k, c.kind)) {
                 return core::fail(Errc::Invalid, "kind", "must be live, movie or series");
             }
             auto o = SY_TRY(svc.execute(c, decision_context(ctx, r, a)));
             json::object body{{"category_id", o.id},
                               {"name", c.name},
                               {"kind", to_string(c.kind)},
                               {"parent_id", c.parent_id}};
             return command_response(o.changed ? 201 : 200, with_position(body, o.positions),
                                     o.positions);
         })});
    router.add(
        {"PATCH", "/v1/iptv/categories/{id}",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto id = SY_TRY(id_param(r, "id"));
             auto b = SY_TRY(JsonBody::parse(r.body));
             SY_TRY(b.only({"name"}));
             RenameCategory c{id, SY_TRY(b.string("name"))};
             auto o = SY_TRY(svc.execute(c, decision_context(ctx, r, a)));
             return command_response(
                 200, with_position({{"category_id", id}, {"name", c.name}}, o.positions),
                 o.positions);
         })});
    router.add(
        {"DELETE", "/v1/iptv/categories/{id}",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             DeleteCategory c{SY_TRY(id_param(r, "id")), SY_TRY(query_int(r, "move_streams_to"))};
             // The category's streams as the catalogue read model holds them once it has
             // caught up with the log (the service holds stream changes off meanwhile).
             auto members = [&ctx,
                             &api](std::int64_t id) -> core::Result<std::vector<std::int64_t>> {
                 std::vector<events::Position> head;
                 const auto checkpoint = ctx.store.head();
                 for (const auto& [key, next] : checkpoint.entries()) {
                     if (next > 0) head.push_back({key.second, next - 1, key.first});
                 }
                 if (!ctx.runner.wait_for(head, ctx.max_wait))
                     return core::fail(Errc::Timeout, "category_id",
                                       "the catalogue did not catch up with the log in time");
                 std::vector<std::int64_t> ids;
                 for (const auto& s : api.catalogue.get()->streams()) {
                     if (s.category_id == id) ids.push_back(s.id);
                 }
                 return ids;
             };
             auto o = SY_TRY(svc.execute(c, decision_context(ctx, r, a), members));
             return command_response(
                 200,
                 with_position({{"category_id", c.category_id}, {"deleted", true}}, o.positions),
                 o.positions);
         })});

    // ---- streams ----
    router.add(
        {"GET", "/v1/iptv/streams",
         query(api,
               [](HttpRequest& r, const CatalogueSnapshot& snap) -> core::Result<HttpResponse> {
                   auto page = SY_TRY(page_of(r));
                   auto category = SY_TRY(query_int(r, "category_id"));
                   std::vector<const projections::iptv::StreamRow*> rows;
                   for (const auto& s : snap.streams()) {
                       if (!category || s.category_id == category) rows.push_back(&s);
                   }
                   return json_response(200, page_json(
                                                 rows, page, [](const auto* s) { return s->id; },
                                                 [](const auto* s) { return stream_json(*s); }));
               })});
    router.add(
        {"GET", "/v1/iptv/streams/{id}",
         query(api,
               [](HttpRequest& r, const CatalogueSnapshot& snap) -> core::Result<HttpResponse> {
                   auto id = SY_TRY(id_param(r, "id"));
                   const auto* s = snap.stream(id);
                   if (!s)
                       return core::fail(Errc::NotFound, "id",
                                         fmt::format("stream {} does not exist", id));
                   return json_response(200, json::serialize(stream_json(*s)));
               })});
    router.add(
        {"POST", "/v1/iptv/streams",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto b = SY_TRY(JsonBody::parse(r.body));
             AddStream c{SY_TRY(stream_fields(b, nullptr)), ""};
             auto o = SY_TRY(svc.execute(c, decision_context(ctx, r, a)));
             json::object body{{"stream_id", o.id}};
             return command_response(o.changed ? 201 : 200, with_position(body, o.positions),
                                     o.positions);
         })});
    router.add(
        {"PATCH", "/v1/iptv/streams/{id}",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto id = SY_TRY(id_param(r, "id"));
             auto b = SY_TRY(JsonBody::parse(r.body));
             auto current = svc.stream(id);
             if (!current)
                 return core::fail(Errc::NotFound, "id",
                                   fmt::format("stream {} does not exist", id));
             UpdateStream c{id, SY_TRY(stream_fields(b, &current->fields))};
             auto o = SY_TRY(svc.execute(c, decision_context(ctx, r, a)));
             return command_response(200, with_position({{"stream_id", id}}, o.positions),
                                     o.positions);
         })});
    router.add(
        {"DELETE", "/v1/iptv/streams/{id}",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             RemoveStream c{SY_TRY(id_param(r, "id"))};
             auto o = SY_TRY(svc.execute(c, decision_context(ctx, r, a)));
             return command_response(
                 200, with_position({{"stream_id", c.stream_id}, {"deleted", true}}, o.positions),
                 o.positions);
         })});

    // ---- bouquets ----
    router.add(
        {"GET", "/v1/iptv/bouquets",
         query(api,
               [](HttpRequest& r, const CatalogueSnapshot& snap) -> core::Result<HttpResponse> {
                   auto page = SY_TRY(page_of(r));
                   return json_response(
                       200, page_json(
                                snap.bouquets(), page, [](const auto& b) { return b.id; },
                                [](const auto& b) {
                                    return bouquet_json(b.id, b.name, b.category_ids, b.stream_ids);
                                }));
               })});
    router.add(
        {"GET", "/v1/iptv/bouquets/{id}",
         query(api,
               [](HttpRequest& r, const CatalogueSnapshot& snap) -> core::Result<HttpResponse> {
                   auto id = SY_TRY(id_param(r, "id"));
                   const auto* b = snap.bouquet(id);
                   if (!b)
                       return core::fail(Errc::NotFound, "id",
                                         fmt::format("bouquet {} does not exist", id));
                   return json_response(200, json::serialize(bouquet_json(
                                                 b->id, b->name, b->category_ids, b->stream_ids)));
               })});
    router.add(
        {"POST", "/v1/iptv/bouquets",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto b = SY_TRY(JsonBody::parse(r.body));
             SY_TRY(b.only({"name", "category_ids", "stream_ids"}));
             auto name = SY_TRY(b.string("name"));
             auto categories =
                 SY_TRY(b.opt_int_list("category_ids")).value_or(std::vector<std::int64_t>{});
             auto streams =
                 SY_TRY(b.opt_int_list("stream_ids")).value_or(std::vector<std::int64_t>{});
             CreateBouquet c{std::move(name), std::move(categories), std::move(streams)};
             auto o = SY_TRY(svc.execute(c, decision_context(ctx, r, a)));
             return command_response(
                 o.changed ? 201 : 200,
                 with_position(bouquet_json(o.id, c.name, c.category_ids, c.stream_ids),
                               o.positions),
                 o.positions);
         })});
    router.add(
        {"PATCH", "/v1/iptv/bouquets/{id}",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto id = SY_TRY(id_param(r, "id"));
             auto b = SY_TRY(JsonBody::parse(r.body));
             SY_TRY(b.only({"name", "category_ids", "stream_ids"}));
             auto current = svc.bouquet(id);
             if (!current)
                 return core::fail(Errc::NotFound, "id",
                                   fmt::format("bouquet {} does not exist", id));
             auto name = SY_TRY(b.opt_string("name")).value_or(current->name);
             auto categories =
                 SY_TRY(b.opt_int_list("category_ids")).value_or(current->category_ids);
             auto streams = SY_TRY(b.opt_int_list("stream_ids")).value_or(current->stream_ids);
             UpdateBouquet c{id, std::move(name), std::move(categories), std::move(streams)};
             auto o = SY_TRY(svc.execute(c, decision_context(ctx, r, a)));
             return command_response(
                 200,
                 with_position(bouquet_json(id, c.name, c.category_ids, c.stream_ids), o.positions),
                 o.positions);
         })});
    router.add(
        {"DELETE", "/v1/iptv/bouquets/{id}",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             DeleteBouquet c{SY_TRY(id_param(r, "id"))};
             auto o = SY_TRY(svc.execute(c, decision_context(ctx, r, a)));
             return command_response(
                 200, with_position({{"bouquet_id", c.bouquet_id}, {"deleted", true}}, o.positions),
                 o.positions);
         })});

    // ---- lines ----
    auto lines_view = [&ctx, &api]() -> core::Result<const projections::ReadModelView*> {
        const auto* v = ctx.runner.view(projections::iptv::kLineDirectory);
        if (!v)
            return core::fail(Errc::Unavailable, "line_directory",
                              "the line directory is not open");
        return v;
    };
    router.add({"GET", "/v1/iptv/lines",
                guarded(ctx,
                        [&ctx, &api, lines_view](HttpRequest& r,
                                                 const core::Actor&) -> core::Result<HttpResponse> {
                            SY_TRY(wait_for_position(ctx, r));
                            auto page = SY_TRY(page_of(r));
                            auto rows = projections::iptv::list_lines(*SY_TRY(lines_view()),
                                                                      page.after, page.limit + 1,
                                                                      r.caller->principal.scope);
                            json::array items;
                            for (std::size_t i = 0; i < rows.size() && i < page.limit; ++i) {
                                items.push_back(line_json(rows[i].line_id, rows[i].username,
                                                          rows[i].settings, rows[i].created_at));
                            }
                            json::object o{
                                {"items", std::move(items)},
                                {"next_cursor",
                                 rows.size() > page.limit
                                     ? json::value(std::to_string(rows[page.limit - 1].line_id))
                                     : json::value(nullptr)}};
                            return json_response(200, json::serialize(o));
                        })});
    router.add({"GET", "/v1/iptv/lines/{id}",
                guarded(ctx,
                        [&ctx, &api, lines_view](HttpRequest& r,
                                                 const core::Actor&) -> core::Result<HttpResponse> {
                            SY_TRY(wait_for_position(ctx, r));
                            auto id = SY_TRY(id_param(r, "id"));
                            auto row =
                                projections::iptv::find_line_by_id(*SY_TRY(lines_view()), id);
                            // Another owner's line does not exist, as far as the caller knows.
                            if (row && !core::identity::in_scope(r.caller->principal.scope,
                                                                 row->owner_path))
                                row.reset();
                            if (!row)
                                return core::fail(Errc::NotFound, "id",
                                                  fmt::format("line {} does not exist", id));
                            return json_response(
                                200, json::serialize(line_json(row->line_id, row->username,
                                                               row->settings, row->created_at)));
                        })});
    router.add(
        {"POST", "/v1/iptv/lines",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto b = SY_TRY(JsonBody::parse(r.body));
             SY_TRY(b.only({"username", "password", "max_connections", "exp_date", "bouquets",
                            "is_trial", "allowed_output_formats", "status"}));
             auto dctx = decision_context(ctx, r, a);
             CreateLine c;
             c.username = SY_TRY(b.string("username"));
             c.password = SY_TRY(b.opt_string("password"));
             c.settings = SY_TRY(line_settings(b, LineSettings{}));
             const auto& key = r.header("idempotency-key");
             c.command_id = key.empty() ? dctx.correlation_id : "idem:" + key;
             // A reseller's lines live in its subtree; the operator's staff create the operator's.
             if (r.caller->principal.role == core::identity::Role::Reseller)
                 c.owner_path = r.caller->principal.scope;
             auto o = SY_TRY(svc.execute(c, dctx));
             auto body = line_json(o.id, c.username, c.settings, core::unix_seconds(dctx.now));
             body["password"] = o.password ? json::value(*o.password) : json::value(nullptr);
             return command_response(o.changed ? 201 : 200, with_position(body, o.positions),
                                     o.positions);
         })});
    router.add(
        {"PATCH", "/v1/iptv/lines/{id}",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             auto id = SY_TRY(id_param(r, "id"));
             SY_TRY(owned_line(svc, r, id));
             auto b = SY_TRY(JsonBody::parse(r.body));
             SY_TRY(b.only({"password", "max_connections", "exp_date", "bouquets", "is_trial",
                            "allowed_output_formats", "status"}));
             UpdateLine c;
             c.line_id = id;
             if (auto v = SY_TRY(b.opt_string("status"))) {
                 LineStatus st;
                 if (!parse_line_status(*v, st))
                     return core::fail(Errc::Invalid, "status",
                                       "must be active, disabled or banned");
                 c.status = st;
             }
             c.exp_date = SY_TRY(b.opt_nullable_int("exp_date"));
             c.max_connections = SY_TRY(b.opt_int("max_connections"));
             c.is_trial = SY_TRY(b.opt_bool("is_trial"));
             c.allowed_output_formats = SY_TRY(b.opt_string_list("allowed_output_formats"));
             c.bouquets = SY_TRY(b.opt_int_list("bouquets"));
             c.password = SY_TRY(b.opt_string("password"));
             auto o = SY_TRY(svc.execute(c, decision_context(ctx, r, a)));
             auto line = SY_TRY(svc.line(id));
             auto body =
                 line_json(id, line.username, line.settings, core::unix_seconds(line.created_at));
             if (o.password) body["password"] = *o.password;
             return command_response(200, with_position(body, o.positions), o.positions);
         })});
    router.add(
        {"DELETE", "/v1/iptv/lines/{id}",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             DeleteLine c{SY_TRY(id_param(r, "id"))};
             SY_TRY(owned_line(svc, r, c.line_id));
             auto o = SY_TRY(svc.execute(c, decision_context(ctx, r, a)));
             return command_response(
                 200, with_position({{"line_id", c.line_id}, {"deleted", true}}, o.positions),
                 o.positions);
         })});

    // ---- M3U import ----
    router.add(
        {"POST", "/v1/iptv/imports/m3u",
         guarded(ctx, [&](HttpRequest& r, const core::Actor& a) -> core::Result<HttpResponse> {
             const auto& source = r.query_param("source");
             if (source.empty())
                 return core::fail(Errc::Invalid, "source",
                                   "name the playlist source, e.g. ?source=us");
             CategoryFrom from = CategoryFrom::GroupTitle;
             if (r.has_query("category_from") &&
                 !parse_category_from(r.query_param("category_from"), from)) {
                 return core::fail(Errc::Invalid, "category_from",
                                   "must be group-title, country or none");
             }
             auto playlist = parse_m3u(r.body);
             std::vector<M3uProblem> invalid;
             auto cmd = make_import(playlist, source, from, invalid);
             json::array problems;
             for (const auto& p : invalid)
                 problems.push_back({{"line", p.line}, {"reason", p.reason}});
             const auto entries = static_cast<std::int64_t>(cmd.entries.size() + invalid.size());
             if (cmd.entries.empty()) {
                 json::object body{{"type", "https://switchyard.dev/problems/rejected"},
                                   {"title", "Rejected by a business rule"},
                                   {"status", 422},
                                   {"detail", "body: the playlist has no usable #EXTINF entry"},
                                   {"field", "body"},
                                   {"entries", entries},
                                   {"created", 0},
                                   {"unchanged", 0},
                                   {"invalid", std::move(problems)}};
                 HttpResponse resp = json_response(422, json::serialize(body));
                 resp.content_type = "application/problem+json";
                 return resp;
             }
             auto o = SY_TRY(svc.execute(cmd, decision_context(ctx, r, a)));
             json::object body{{"source", source},
                               {"entries", entries},
                               {"created", o.summary ? o.summary->created : 0},
                               {"unchanged", o.summary ? o.summary->unchanged : 0},
                               {"invalid", std::move(problems)}};
             return command_response(200, with_position(body, o.positions), o.positions);
         })});
}

}  // namespace switchyard::api
