// /v1/iptv/monitoring/...: who watches what now (the iptv_monitor.v1 read model of the
// connection leases), usage per stream, server, line and country, the most-watched streams, the
// server-down alert history; and the IPTV gauges of /metrics.
#include <algorithm>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/routes/iptv/iptv_support.hpp"
#include "projections/iptv/connection_monitor.hpp"
#include "projections/iptv/stream_servers.hpp"

namespace switchyard::api::iptv {

namespace json = boost::json;
using projections::iptv::MonitoredLease;
using projections::iptv::MonitoredUsage;

namespace {

/// The monitoring read model, after the position the request names.
core::Result<const projections::ReadModelView*> monitor(IptvApi& api, const HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto* v = api.ctx.runner.view(projections::iptv::kIptvMonitor);
    if (!v)
        return core::fail(core::Errc::Unavailable, "monitoring",
                          "the iptv_monitor read model is not open");
    return v;
}

/// `{"lease_id", "line_id", "stream_id", "kind", "output", "remote_ip", "country"|null,
/// "user_agent", "server_id", "opened_at", "expires_at", "bytes_sent", "kbps"}`.
json::object lease_json(const MonitoredLease& l) {
    return {{"lease_id", l.lease_id},
            {"line_id", l.line_id},
            {"stream_id", l.stream_id},
            {"kind", l.kind},
            {"output", l.output},
            {"remote_ip", l.remote_ip},
            {"country", l.country.empty() ? json::value(nullptr) : json::value(l.country)},
            {"user_agent", l.user_agent},
            {"server_id", l.server_id},
            {"opened_at", core::format_rfc3339(l.opened_at)},
            {"expires_at", core::format_rfc3339(l.expires_at)},
            {"bytes_sent", l.bytes_sent},
            {"kbps", l.kbps}};
}

/// `{"scope", "id", "name"?, "connections", "kbps", "bytes_sent", "viewers", "watch_seconds",
/// "peak_connections"}`; `name` for live streams and servers the catalogue knows.
json::object usage_json(const MonitoredUsage& u, const std::string& name) {
    json::object o{{"scope", u.scope}};
    if (u.scope == "country") {
        o["id"] = u.id == "--" ? json::value(nullptr) : json::value(u.id);
    } else {
        o["id"] = std::stoll(u.id);
    }
    if (!name.empty()) o["name"] = name;
    o["connections"] = u.connections;
    o["kbps"] = u.kbps;
    o["bytes_sent"] = u.bytes_sent;
    o["viewers"] = u.viewers;
    o["watch_seconds"] = u.watch_seconds;
    o["peak_connections"] = u.peak_connections;
    return o;
}

/// The name of a live stream or server for `usage_json`; empty when unknown.
std::string name_of(IptvApi& api, const std::string& scope, const std::string& id) {
    try {
        if (scope == "live") {
            const auto* s = api.catalogue.get()->stream(std::stoll(id));
            return s ? s->name : std::string();
        }
        if (scope == "server") {
            if (id == "0") return "main";
            const auto* view = api.ctx.runner.view(projections::iptv::kStreamServers);
            auto s = view ? projections::iptv::find_server(*view, std::stoll(id)) : std::nullopt;
            return s ? s->fields.name : std::string();
        }
    } catch (const std::exception&) {
    }
    return {};
}

/// A lease filter's text parameter: `kind` one of live, movie, series; `country` two capital
/// letters. @errors Invalid naming it otherwise.
core::Result<projections::iptv::LeaseFilter> lease_filter(const HttpRequest& r) {
    projections::iptv::LeaseFilter f;
    f.line_id = SY_TRY(id_query(r, "line_id")).value_or(0);
    f.stream_id = SY_TRY(id_query(r, "stream_id")).value_or(0);
    f.server_id = SY_TRY(opt_int_query(r, "server_id", 0, INT64_MAX)).value_or(-1);
    f.kind = SY_TRY(enum_query(r, "kind", {"", "live", "movie", "series"}, ""));
    f.country = r.query_param("country");
    if (!f.country.empty() &&
        (f.country.size() != 2 || !std::all_of(f.country.begin(), f.country.end(),
                                               [](char c) { return c >= 'A' && c <= 'Z'; })))
        return core::fail(core::Errc::Invalid, "country",
                          "country: must be an ISO 3166-1 alpha-2 code such as GB");
    return f;
}

/// GET /v1/iptv/monitoring/connections?line_id=&stream_id=&kind=&server_id=&country=
core::Result<HttpResponse> list_connections(IptvApi& api, HttpRequest& r) {
    const auto filter = SY_TRY(lease_filter(r));
    const auto* view = SY_TRY(monitor(api, r));
    auto leases = projections::iptv::list_monitored_leases(*view, filter, api.ctx.clock.now());
    std::sort(leases.begin(), leases.end(), [](const MonitoredLease& a, const MonitoredLease& b) {
        return a.opened_at != b.opened_at ? a.opened_at < b.opened_at : a.lease_id < b.lease_id;
    });
    json::array items;
    std::int64_t kbps = 0;
    for (const auto& l : leases) {
        items.push_back(lease_json(l));
        kbps += l.kbps;
    }
    json::object body{{"count", static_cast<std::int64_t>(leases.size())},
                      {"kbps", kbps},
                      {"items", std::move(items)}};
    return json_response(200, json::serialize(body));
}

/// GET /v1/iptv/monitoring/usage?scope=live|movie|series|server|line|country: every row of the
/// scope seen so far, busiest first (connections, then bandwidth, then bytes sent).
core::Result<HttpResponse> list_usage(IptvApi& api, HttpRequest& r) {
    const auto scope = SY_TRY(
        enum_query(r, "scope", {"live", "movie", "series", "server", "line", "country"}, "live"));
    const auto* view = SY_TRY(monitor(api, r));
    auto rows = projections::iptv::list_usage(*view, scope);
    std::stable_sort(rows.begin(), rows.end(),
                     [](const MonitoredUsage& a, const MonitoredUsage& b) {
                         if (a.connections != b.connections) return a.connections > b.connections;
                         if (a.kbps != b.kbps) return a.kbps > b.kbps;
                         return a.bytes_sent > b.bytes_sent;
                     });
    json::array items;
    std::int64_t connections = 0, kbps = 0;
    for (const auto& u : rows) {
        items.push_back(usage_json(u, name_of(api, scope, u.id)));
        connections += u.connections;
        kbps += u.kbps;
    }
    json::object body{{"scope", scope},
                      {"connections", connections},
                      {"kbps", kbps},
                      {"items", std::move(items)}};
    return json_response(200, json::serialize(body));
}

/// GET /v1/iptv/monitoring/most-watched?kind=live&days=7&limit=10: the streams with the most
/// watch time over the last `days` UTC days (today included).
core::Result<HttpResponse> most_watched(IptvApi& api, HttpRequest& r) {
    const auto kind = SY_TRY(enum_query(r, "kind", {"live", "movie", "series"}, "live"));
    const auto days = SY_TRY(int_query(r, "days", 7, 1, 366));
    const auto limit = SY_TRY(int_query(r, "limit", 10, 1, 1000));
    const auto* view = SY_TRY(monitor(api, r));
    const auto now = api.ctx.clock.now();
    const auto last = core::format_rfc3339(now).substr(0, 10);
    const auto first =
        core::format_rfc3339(now - std::chrono::hours(24) * (days - 1)).substr(0, 10);
    json::array items;
    for (const auto& u : projections::iptv::most_watched(*view, kind, first, last,
                                                         static_cast<std::size_t>(limit))) {
        auto o = usage_json(u, name_of(api, kind, u.id));
        o.erase("connections");
        o.erase("kbps");
        items.push_back(std::move(o));
    }
    json::object body{{"kind", kind}, {"from", first}, {"to", last}, {"items", std::move(items)}};
    return json_response(200, json::serialize(body));
}

/// GET /v1/iptv/monitoring/alerts?open=true: the server-down alerts, newest first.
core::Result<HttpResponse> list_alerts(IptvApi& api, HttpRequest& r) {
    const auto open = SY_TRY(enum_query(r, "open", {"true", "false"}, "false")) == "true";
    const auto* view = SY_TRY(monitor(api, r));
    json::array items;
    for (const auto& a : projections::iptv::list_server_alerts(*view, open)) {
        items.push_back(
            {{"server_id", a.server_id},
             {"name", name_of(api, "server", std::to_string(a.server_id))},
             {"state", a.resolved_at ? "resolved" : "open"},
             {"reason", a.reason},
             {"opened_at", core::format_rfc3339(a.opened_at)},
             {"resolved_at", a.resolved_at ? json::value(core::format_rfc3339(*a.resolved_at))
                                           : json::value(nullptr)},
             {"resolution", a.resolution}});
    }
    return json_response(200, json::serialize(json::object{{"items", std::move(items)}}));
}

}  // namespace

std::map<std::string, double> iptv_gauges(IptvApi& api) {
    // Label values are ids in decimal and ISO country codes (`--` unknown): nothing to escape.
    std::map<std::string, double> out;
    const auto* view = api.ctx.runner.view(projections::iptv::kIptvMonitor);
    if (!view) return out;
    for (const auto& u : projections::iptv::list_usage(*view, "server")) {
        const auto l = fmt::format("{{server=\"{}\"}}", u.id);
        out["switchyard_iptv_connections" + l] = static_cast<double>(u.connections);
        out["switchyard_iptv_bandwidth_kbps" + l] = static_cast<double>(u.kbps);
        out["switchyard_iptv_sent_bytes_total" + l] = static_cast<double>(u.bytes_sent);
        out["switchyard_iptv_viewers_total" + l] = static_cast<double>(u.viewers);
    }
    for (const char* kind : {"live", "movie", "series"}) {
        for (const auto& u : projections::iptv::list_usage(*view, kind)) {
            if (u.connections == 0) continue;
            const auto l = fmt::format("{{kind=\"{}\",stream=\"{}\"}}", kind, u.id);
            out["switchyard_iptv_stream_connections" + l] = static_cast<double>(u.connections);
            out["switchyard_iptv_stream_bandwidth_kbps" + l] = static_cast<double>(u.kbps);
        }
    }
    for (const auto& u : projections::iptv::list_usage(*view, "country")) {
        if (u.connections == 0) continue;
        out[fmt::format("switchyard_iptv_country_connections{{country=\"{}\"}}", u.id)] =
            static_cast<double>(u.connections);
    }
    if (const auto* servers = api.ctx.runner.view(projections::iptv::kStreamServers)) {
        for (const auto& s : projections::iptv::list_servers(*servers))
            out[fmt::format("switchyard_iptv_server_up{{server=\"{}\"}}", s.server_id)] =
                s.up ? 1 : 0;
    }
    return out;
}

IptvRoutes monitoring_routes() {
    return {
        {"GET", "/v1/iptv/monitoring/connections", roles::staff_read, list_connections,
         "The connections open now (leases not closed or expired) with their line, stream, "
         "server, country, bytes sent and bandwidth; filtered by line_id, stream_id, kind, "
         "server_id, country."},
        {"GET", "/v1/iptv/monitoring/usage", roles::staff_read, list_usage,
         "Usage per live stream, movie, episode, server, line or country (scope): open "
         "connections, bandwidth, bytes sent, viewers, watch time, peak; busiest first."},
        {"GET", "/v1/iptv/monitoring/most-watched", roles::staff_read, most_watched,
         "The streams with the most watch time over the last days (UTC), with viewers, bytes "
         "sent and the peak of concurrent connections."},
        {"GET", "/v1/iptv/monitoring/alerts", roles::staff_read, list_alerts,
         "Server-down alerts, open and resolved, newest first; open=true for the open ones."},
    };
}

}  // namespace switchyard::api::iptv
