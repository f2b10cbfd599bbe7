// /v1/iptv/servers, /v1/iptv/server-groups, /v1/iptv/streams/{id}/servers: streaming servers
// with their health and load now, server groups, and where a stream's viewers go.
#include <boost/json.hpp>

#include "api/json_body.hpp"
#include "api/routes/iptv/iptv_support.hpp"
#include "core/iptv/server_choice.hpp"
#include "events/iptv/server_service.hpp"
#include "projections/iptv/stream_servers.hpp"

namespace switchyard::api::iptv {

namespace json = boost::json;
using core::iptv::ServerFields;
using projections::iptv::ServerRow;

namespace {

core::Result<events::iptv::ServerService*> servers_of(IptvApi& api) {
    if (!api.servers)
        return core::fail(core::Errc::Internal, "servers", "the server service is not running");
    return api.servers;
}

/// The `stream_servers.v1` model, after the position the request names.
core::Result<const projections::ReadModelView*> model(IptvApi& api, const HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto* view = api.ctx.runner.view(projections::iptv::kStreamServers);
    if (!view)
        return core::fail(core::Errc::Internal, "servers", "the stream_servers model is missing");
    return view;
}

core::iptv::ServerLoad load_of(const IptvApi& api, std::int64_t server_id) {
    return api.server_loads ? api.server_loads->load(server_id) : core::iptv::ServerLoad{};
}

json::object server_json(const IptvApi& api, const ServerRow& s) {
    const auto& f = s.fields;
    const auto load = load_of(api, s.server_id);
    core::iptv::ServerCandidate c{s.server_id, f, {s.up, s.health_reason, {}}, load};
    const auto unavailable = core::iptv::why_unavailable(c);
    return {
        {"server_id", s.server_id},
        {"name", f.name},
        {"scheme", f.scheme},
        {"host", f.host},
        {"port", f.port},
        {"base_url", core::iptv::base_url(f)},
        {"max_connections", f.max_connections},
        {"max_mbps", f.max_mbps},
        {"weight", f.weight},
        {"enabled", f.enabled},
        {"health_path", f.health_path},
        {"health",
         {{"status", s.up ? "up" : "down"},
          {"reason", s.health_reason},
          {"since", s.health_since
                        ? json::value(core::format_rfc3339(core::from_unix_seconds(s.health_since)))
                        : json::value(nullptr)}}},
        {"load",
         {{"connections", load.connections},
          {"bandwidth_kbps", load.bandwidth_kbps},
          {"available", !unavailable.has_value()},
          {"unavailable_reason", unavailable ? json::value(*unavailable) : json::value(nullptr)}}}};
}

json::object group_json(const projections::iptv::GroupRow& g) {
    return {{"group_id", g.group_id},
            {"name", g.name},
            {"strategy", g.strategy},
            {"server_ids", json::array(g.server_ids.begin(), g.server_ids.end())}};
}

/// A server's fields from a body; absent ones keep those of `base` (defaults on create).
core::Result<ServerFields> server_fields(const JsonBody& b, ServerFields base, bool create) {
    SY_TRY(b.only({"name", "scheme", "host", "port", "max_connections", "max_mbps", "weight",
                   "enabled", "health_path"}));
    if (create) {
        base.name = SY_TRY(b.string("name"));
        base.host = SY_TRY(b.string("host"));
    }
    for (auto [key, slot] :
         {std::pair{"name", &base.name}, std::pair{"scheme", &base.scheme},
          std::pair{"host", &base.host}, std::pair{"health_path", &base.health_path}})
        if (auto v = SY_TRY(b.opt_string(key))) *slot = std::move(*v);
    for (auto [key, slot] :
         {std::pair{"port", &base.port}, std::pair{"max_connections", &base.max_connections},
          std::pair{"max_mbps", &base.max_mbps}, std::pair{"weight", &base.weight}})
        if (auto v = SY_TRY(b.opt_int(key))) *slot = *v;
    if (auto v = SY_TRY(b.opt_bool("enabled"))) base.enabled = *v;
    SY_TRY(core::iptv::validate_server_fields(base));
    return base;
}

template <class Command>
auto run(IptvApi& api, const HttpRequest& r, const Command& c)
    -> core::Result<events::CommandOutcome<events::iptv::ServerDetail>> {
    auto* servers = SY_TRY(servers_of(api));
    return servers->execute(c, decision_context(api.ctx, r, caller_of(r).actor));
}

/// GET /v1/iptv/servers: every server with its health and load now, and the down alerts.
core::Result<HttpResponse> list_servers(IptvApi& api, HttpRequest& r) {
    const auto* view = SY_TRY(model(api, r));
    json::array items, alerts;
    for (const auto& s : projections::iptv::list_servers(*view))
        items.push_back(server_json(api, s));
    for (const auto& a : projections::iptv::server_down_alerts(*view))
        alerts.push_back({{"server_id", a.server_id},
                          {"name", a.name},
                          {"reason", a.reason},
                          {"since", core::format_rfc3339(core::from_unix_seconds(a.since))}});
    json::object body{
        {"items", std::move(items)}, {"alerts", std::move(alerts)}, {"next_cursor", nullptr}};
    return json_response(200, json::serialize(body));
}

/// GET /v1/iptv/servers/{id}
core::Result<HttpResponse> get_server(IptvApi& api, HttpRequest& r) {
    const auto id = SY_TRY(id_param(r, "id"));
    const auto* view = SY_TRY(model(api, r));
    auto row = projections::iptv::find_server(*view, id);
    if (!row) return not_found("server", id);
    return json_response(200, json::serialize(server_json(api, *row)));
}

/// POST /v1/iptv/servers {"name", "host", "scheme"?, "port"?, ...}
core::Result<HttpResponse> register_server(IptvApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    core::iptv::RegisterServer c{SY_TRY(server_fields(b, {}, true))};
    auto o = SY_TRY(run(api, r, c));
    return answer_created({{"server_id", o.id}, {"base_url", core::iptv::base_url(c.fields)}}, o);
}

/// PATCH /v1/iptv/servers/{id}: the fields the body names change.
core::Result<HttpResponse> change_server(IptvApi& api, HttpRequest& r) {
    const auto id = SY_TRY(id_param(r, "id"));
    auto b = SY_TRY(JsonBody::parse(r.body));
    auto* servers = SY_TRY(servers_of(api));
    auto state = SY_TRY(servers->state());
    auto it = state->servers.find(id);
    if (it == state->servers.end()) return not_found("server", id);
    core::iptv::ChangeServer c{id, SY_TRY(server_fields(b, it->second.fields, false))};
    auto o = SY_TRY(run(api, r, c));
    return answer(200, {{"server_id", id}, {"base_url", core::iptv::base_url(c.fields)}},
                  o.positions);
}

/// DELETE /v1/iptv/servers/{id}
core::Result<HttpResponse> remove_server(IptvApi& api, HttpRequest& r) {
    const auto id = SY_TRY(id_param(r, "id"));
    auto o = run(api, r, core::iptv::RemoveServer{id});
    if (!o && o.error().field == "server_id") return not_found("server", id);
    if (!o) return tl::unexpected(o.error());
    return answer(200, deleted_json("server_id", id), o->positions);
}

/// A group's name, strategy and servers from a body; absent ones keep those of `base`.
core::Result<core::iptv::CreateServerGroup> group_fields(const JsonBody& b,
                                                         core::iptv::CreateServerGroup base,
                                                         bool create) {
    SY_TRY(b.only({"name", "strategy", "server_ids"}));
    if (create) base.name = SY_TRY(b.string("name"));
    if (auto v = SY_TRY(b.opt_string("name"))) base.name = std::move(*v);
    if (auto v = SY_TRY(b.opt_string("strategy"))) {
        if (!core::iptv::parse_server_strategy(*v, base.strategy))
            return core::fail(core::Errc::Invalid, "strategy",
                              "must be round_robin, least_connections, weighted or "
                              "spare_capacity");
    }
    if (create && !b.has("server_ids"))
        return core::fail(core::Errc::Invalid, "server_ids", "is required");
    if (auto v = SY_TRY(b.opt_int_list("server_ids"))) base.server_ids = std::move(*v);
    return base;
}

/// GET /v1/iptv/server-groups
core::Result<HttpResponse> list_groups(IptvApi& api, HttpRequest& r) {
    const auto* view = SY_TRY(model(api, r));
    json::array items;
    for (const auto& g : projections::iptv::list_groups(*view)) items.push_back(group_json(g));
    json::object body{{"items", std::move(items)}, {"next_cursor", nullptr}};
    return json_response(200, json::serialize(body));
}

/// GET /v1/iptv/server-groups/{id}
core::Result<HttpResponse> get_group(IptvApi& api, HttpRequest& r) {
    const auto id = SY_TRY(id_param(r, "id"));
    const auto* view = SY_TRY(model(api, r));
    auto row = projections::iptv::find_group(*view, id);
    if (!row) return not_found("server group", id);
    return json_response(200, json::serialize(group_json(*row)));
}

/// POST /v1/iptv/server-groups {"name", "strategy"?, "server_ids"}
core::Result<HttpResponse> create_group(IptvApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    auto c = SY_TRY(group_fields(b, {}, true));
    auto o = SY_TRY(run(api, r, c));
    projections::iptv::GroupRow row{o.id, c.name, core::iptv::to_string(c.strategy), c.server_ids};
    return answer_created(group_json(row), o);
}

/// PATCH /v1/iptv/server-groups/{id}
core::Result<HttpResponse> change_group(IptvApi& api, HttpRequest& r) {
    const auto id = SY_TRY(id_param(r, "id"));
    auto b = SY_TRY(JsonBody::parse(r.body));
    auto* servers = SY_TRY(servers_of(api));
    auto state = SY_TRY(servers->state());
    auto it = state->groups.find(id);
    if (it == state->groups.end()) return not_found("server group", id);
    const auto& g = it->second;
    auto f = SY_TRY(group_fields(b, {g.name, g.strategy, g.server_ids}, false));
    core::iptv::ChangeServerGroup c{id, f.name, f.strategy, f.server_ids};
    auto o = SY_TRY(run(api, r, c));
    projections::iptv::GroupRow row{id, c.name, core::iptv::to_string(c.strategy), c.server_ids};
    return answer(200, group_json(row), o.positions);
}

/// DELETE /v1/iptv/server-groups/{id}
core::Result<HttpResponse> remove_group(IptvApi& api, HttpRequest& r) {
    const auto id = SY_TRY(id_param(r, "id"));
    auto o = run(api, r, core::iptv::RemoveServerGroup{id});
    if (!o && o.error().field == "group_id") return not_found("server group", id);
    if (!o) return tl::unexpected(o.error());
    return answer(200, deleted_json("group_id", id), o->positions);
}

json::object assignment_json(const projections::ReadModelView& view, std::int64_t stream_id) {
    const auto a = projections::iptv::find_assignment(view, stream_id);
    const auto servers = projections::iptv::servers_for_stream(view, stream_id);
    json::array ids;
    for (const auto& s : servers.servers) ids.push_back(s.server_id);
    return {
        {"stream_id", stream_id},
        {"group_id", a && a->group_id ? json::value(*a->group_id) : json::value(nullptr)},
        {"server_ids", a ? json::array(a->server_ids.begin(), a->server_ids.end()) : json::array()},
        {"strategy", core::iptv::to_string(servers.strategy)},
        {"candidates", std::move(ids)}};
}

/// GET /v1/iptv/streams/{id}/servers: the assignment, its strategy and the servers it uses.
core::Result<HttpResponse> get_assignment(IptvApi& api, HttpRequest& r) {
    const auto id = SY_TRY(id_param(r, "id"));
    const auto* view = SY_TRY(model(api, r));
    return json_response(200, json::serialize(assignment_json(*view, id)));
}

/// PUT /v1/iptv/streams/{id}/servers {"group_id"?: n|null, "server_ids"?: [...]}
core::Result<HttpResponse> assign_stream(IptvApi& api, HttpRequest& r) {
    const auto id = SY_TRY(id_param(r, "id"));
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"group_id", "server_ids"}));
    core::iptv::AssignStreamServers c{id, {}, {}};
    if (auto g = SY_TRY(b.opt_nullable_int("group_id"))) c.group_id = *g;
    if (auto ids = SY_TRY(b.opt_int_list("server_ids"))) c.server_ids = std::move(*ids);
    const auto snap = SY_TRY(catalogue(api, r));
    if (!snap->stream(id)) return not_found("stream", id);
    auto o = SY_TRY(run(api, r, c));
    return answer(200,
                  {{"stream_id", id},
                   {"group_id", c.group_id ? json::value(*c.group_id) : json::value(nullptr)},
                   {"server_ids", json::array(c.server_ids.begin(), c.server_ids.end())}},
                  o.positions);
}

}  // namespace

IptvRoutes server_routes() {
    return {
        {"GET", "/v1/iptv/servers", roles::staff_read, list_servers,
         "Streaming servers with their health and load now, and an alert per server that is "
         "down."},
        {"GET", "/v1/iptv/servers/{id}", roles::staff_read, get_server,
         "One streaming server with its health and load now."},
        {"POST", "/v1/iptv/servers", roles::admin, register_server,
         "Registers a streaming server; repeating the same request answers 200 with its id."},
        {"PATCH", "/v1/iptv/servers/{id}", roles::admin, change_server,
         "Changes the fields of a streaming server that the body names."},
        {"DELETE", "/v1/iptv/servers/{id}", roles::admin, remove_server,
         "Removes a streaming server from its groups and assignments."},
        {"GET", "/v1/iptv/server-groups", roles::staff_read, list_groups, "Server groups."},
        {"GET", "/v1/iptv/server-groups/{id}", roles::staff_read, get_group, "One server group."},
        {"POST", "/v1/iptv/server-groups", roles::admin, create_group,
         "Creates a server group with a strategy (round_robin, least_connections, weighted, "
         "spare_capacity) over servers in failover order."},
        {"PATCH", "/v1/iptv/server-groups/{id}", roles::admin, change_group,
         "Changes the name, strategy or servers of a server group that the body names."},
        {"DELETE", "/v1/iptv/server-groups/{id}", roles::admin, remove_group,
         "Removes a server group; its streams go back to every server."},
        {"GET", "/v1/iptv/streams/{id}/servers", roles::staff_read, get_assignment,
         "Where a stream's viewers go: its group or servers, the strategy and the candidates."},
        {"PUT", "/v1/iptv/streams/{id}/servers", roles::admin, assign_stream,
         "Sends a stream's viewers to a server group or to servers; neither: every server."},
    };
}

}  // namespace switchyard::api::iptv
