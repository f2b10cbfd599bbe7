#include "projections/iptv/connection_monitor.hpp"

#include <algorithm>
#include <map>

#include "core/iptv/connection.hpp"
#include "core/iptv/server.hpp"
#include "events/iptv/connection_codec.hpp"
#include "events/iptv/server_codec.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::iptv {

using namespace core::iptv;

namespace {

using L = MonitoredLease;
constexpr auto kLease = fields(field("lease_id", &L::lease_id), field("line_id", &L::line_id),
                               field("stream_id", &L::stream_id), field("kind", &L::kind),
                               field("output", &L::output), field("remote_ip", &L::remote_ip),
                               field("country", &L::country), field("user_agent", &L::user_agent),
                               field("server_id", &L::server_id), field("opened_at", &L::opened_at),
                               field("expires_at", &L::expires_at), field("last_at", &L::last_at),
                               field("bytes_sent", &L::bytes_sent), field("kbps", &L::kbps));
constexpr auto kLeases = json_rows<MonitoredLease>(kLease);

using U = MonitoredUsage;
constexpr auto kUsage = fields(
    field("scope", &U::scope), field("id", &U::id), field("connections", &U::connections),
    field("kbps", &U::kbps), field("bytes_sent", &U::bytes_sent), field("viewers", &U::viewers),
    field("watch_seconds", &U::watch_seconds), field("peak_connections", &U::peak_connections));
constexpr auto kUsages = json_rows<MonitoredUsage>(kUsage);

using A = ServerAlert;
constexpr auto kAlert =
    fields(field("server_id", &A::server_id), field("reason", &A::reason),
           field("opened_at", &A::opened_at), field("resolved_at", &A::resolved_at),
           field("resolution", &A::resolution));
constexpr auto kAlerts = json_rows<ServerAlert>(kAlert);

std::string id_part(std::int64_t id) { return be64(static_cast<std::uint64_t>(id)); }
std::string lease_key(const std::string& lease_id) { return "l/" + lease_id; }
std::string country_id(const std::string& country) { return country.empty() ? "--" : country; }

/// The key part of a usage id: 8-byte big-endian for numeric scopes, the code for countries.
std::string usage_part(const std::string& scope, const std::string& id) {
    if (scope == "country") return id;
    try {
        return id_part(std::stoll(id));
    } catch (const std::exception&) {
        return id;
    }
}
std::string usage_key(const std::string& scope, const std::string& id) {
    return "u/" + scope + "/" + usage_part(scope, id);
}
std::string day_of(core::Timestamp t) { return core::format_rfc3339(t).substr(0, 10); }
std::string day_key(const std::string& day, const std::string& kind, std::int64_t id) {
    return "d/" + day + "/" + kind + "/" + id_part(id);
}
std::string alert_key(std::int64_t server_id, core::Timestamp opened) {
    return "a/" + id_part(server_id) + "/" +
           be64(static_cast<std::uint64_t>(opened.time_since_epoch().count()));
}
std::string open_alert_key(std::int64_t server_id) { return "o/" + id_part(server_id); }

/// What one lease event changes in the usage rows it counts in.
struct UsageDelta {
    std::int64_t connections = 0;
    std::int64_t kbps = 0;
    std::int64_t bytes = 0;
    std::int64_t viewers = 0;
    std::int64_t watch_seconds = 0;
};

void add(MonitoredUsage& u, const UsageDelta& d) {
    u.connections = std::max<std::int64_t>(0, u.connections + d.connections);
    u.kbps = std::max<std::int64_t>(0, u.kbps + d.kbps);
    u.bytes_sent += d.bytes;
    u.viewers += d.viewers;
    u.watch_seconds += d.watch_seconds;
    u.peak_connections = std::max(u.peak_connections, u.connections);
}

void change_usage(ProjectionWrites& w, const std::string& scope, const std::string& id,
                  const UsageDelta& d) {
    const auto key = usage_key(scope, id);
    auto row = kUsages.find(w, key).value_or(MonitoredUsage{.scope = scope, .id = id});
    add(row, d);
    kUsages.put(w, key, row);
}

/// Applies `d` to every usage row of `lease`, and to its stream's row of the event's day (whose
/// peak is the stream's connections now).
void change_all(ProjectionWrites& w, const MonitoredLease& lease, const UsageDelta& d,
                core::Timestamp at) {
    change_usage(w, lease.kind, std::to_string(lease.stream_id), d);
    change_usage(w, "server", std::to_string(lease.server_id), d);
    change_usage(w, "line", std::to_string(lease.line_id), d);
    change_usage(w, "country", country_id(lease.country), d);
    const auto stream_now = kUsages.find(w, usage_key(lease.kind, std::to_string(lease.stream_id)));
    const auto key = day_key(day_of(at), lease.kind, lease.stream_id);
    auto day = kUsages.find(w, key).value_or(
        MonitoredUsage{.scope = lease.kind, .id = std::to_string(lease.stream_id)});
    day.bytes_sent += d.bytes;
    day.viewers += d.viewers;
    day.watch_seconds += d.watch_seconds;
    if (stream_now) day.peak_connections = std::max(day.peak_connections, stream_now->connections);
    kUsages.put(w, key, day);
}

/// Whole seconds watched from the lease's last event to `at`, stopping at its expiry.
std::int64_t watched(const MonitoredLease& lease, core::Timestamp at) {
    const auto end = std::min(at, lease.expires_at);
    if (end <= lease.last_at) return 0;
    return std::chrono::duration_cast<std::chrono::seconds>(end - lease.last_at).count();
}

/// kbit/s of `bytes` sent between the lease's last event and `at` (0 for no time).
std::int64_t rate_kbps(const MonitoredLease& lease, std::int64_t bytes, core::Timestamp at) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(at - lease.last_at);
    if (us.count() <= 0) return 0;
    return bytes * 8 * 1000 / us.count();  // bits per µs * 1e6 / 1e3 = kbit/s
}

core::Result<void> apply_lease(const ConnectionEvent& event, const events::RecordedEvent& e,
                               ProjectionWrites& w) {
    if (const auto* o = std::get_if<ConnectionOpened>(&event)) {
        const auto key = lease_key(o->lease_id);
        if (w.get(key)) return {};  // opened twice: once is enough
        MonitoredLease lease{o->lease_id,
                             o->line_id,
                             o->stream_id,
                             to_string(o->kind),
                             o->output,
                             o->remote_ip,
                             o->country,
                             o->user_agent,
                             o->server_id,
                             o->opened_at,
                             o->expires_at,
                             o->opened_at,
                             0,
                             0};
        kLeases.put(w, key, lease);
        change_all(w, lease, {.connections = 1, .viewers = 1}, e.time);
        return {};
    }
    if (const auto* r = std::get_if<ConnectionRenewed>(&event)) {
        const auto key = lease_key(r->lease_id);
        auto lease = kLeases.find(w, key);
        if (!lease) return {};
        const auto kbps = rate_kbps(*lease, r->bytes, e.time);
        change_all(w, *lease,
                   {.kbps = kbps - lease->kbps,
                    .bytes = r->bytes,
                    .watch_seconds = watched(*lease, e.time)},
                   e.time);
        lease->kbps = kbps;
        lease->bytes_sent += r->bytes;
        lease->last_at = e.time;
        lease->expires_at = r->expires_at;
        kLeases.put(w, key, *lease);
        return {};
    }
    const auto& c = std::get<ConnectionClosed>(event);
    const auto key = lease_key(c.lease_id);
    auto lease = kLeases.find(w, key);
    if (!lease) return {};
    change_all(w, *lease,
               {.connections = -1,
                .kbps = -lease->kbps,
                .bytes = c.bytes,
                .watch_seconds = watched(*lease, e.time)},
               e.time);
    w.erase(key);
    return {};
}

core::Result<void> apply_server(const ServerEvent& event, const events::RecordedEvent& e,
                                ProjectionWrites& w) {
    const auto resolve = [&](std::int64_t server_id, const std::string& resolution) {
        const auto pointer = open_alert_key(server_id);
        auto key = w.get(pointer);
        if (!key) return;
        kAlerts.update(w, *key, [&](ServerAlert& a) {
            a.resolved_at = e.time;
            a.resolution = resolution;
        });
        w.erase(pointer);
    };
    if (const auto* h = std::get_if<ServerHealthChanged>(&event)) {
        if (h->up) {
            resolve(h->server_id, h->reason);
        } else if (!w.get(open_alert_key(h->server_id))) {
            const auto key = alert_key(h->server_id, h->since);
            kAlerts.put(w, key, ServerAlert{h->server_id, h->reason, h->since, std::nullopt, ""});
            w.put(open_alert_key(h->server_id), key);
        }
    } else if (const auto* r = std::get_if<ServerRemoved>(&event)) {
        resolve(r->server_id, "removed");
    }
    return {};
}

bool is_monitored(std::string_view type) {
    return events::is_type_of<ConnectionEvent>(type) || type == ServerHealthChanged::kType ||
           type == ServerRemoved::kType;
}

}  // namespace

std::unique_ptr<Projector> make_iptv_monitor_projector() {
    return make_projector(
        kIptvMonitor,
        [](const events::RecordedEvent& e, ProjectionWrites& w) -> core::Result<void> {
            if (!is_monitored(e.type)) return {};
            if (events::is_type_of<ConnectionEvent>(e.type))
                return apply_lease(SY_TRY(events::iptv::decode_connection_event(e)), e, w);
            return apply_server(SY_TRY(events::iptv::decode_server_event(e)), e, w);
        },
        &is_monitored);
}

std::vector<MonitoredLease> list_monitored_leases(const ReadModelView& view, const LeaseFilter& f,
                                                  core::Timestamp now) {
    std::vector<MonitoredLease> out;
    view.scan("l/", "", [&](std::string_view, std::string_view text) {
        auto l = kLeases.decode(text);
        if (!l || l->expires_at <= now) return true;
        if ((f.line_id && l->line_id != f.line_id) ||
            (f.stream_id && l->stream_id != f.stream_id) ||
            (!f.kind.empty() && l->kind != f.kind) ||
            (f.server_id >= 0 && l->server_id != f.server_id) ||
            (!f.country.empty() && country_id(l->country) != f.country))
            return true;
        out.push_back(std::move(*l));
        return true;
    });
    return out;
}

MonitoredUsage find_usage(const ReadModelView& view, const std::string& scope,
                          const std::string& id) {
    return kUsages.find(view, usage_key(scope, id))
        .value_or(MonitoredUsage{.scope = scope, .id = id});
}

std::vector<MonitoredUsage> list_usage(const ReadModelView& view, const std::string& scope) {
    std::vector<MonitoredUsage> out;
    view.scan("u/" + scope + "/", "", [&](std::string_view, std::string_view text) {
        if (auto u = kUsages.decode(text)) out.push_back(std::move(*u));
        return true;
    });
    return out;
}

std::vector<MonitoredUsage> most_watched(const ReadModelView& view, const std::string& kind,
                                         const std::string& first, const std::string& last,
                                         std::size_t limit) {
    std::map<std::string, MonitoredUsage> sum;
    view.scan("d/", "d/" + first, [&](std::string_view key, std::string_view text) {
        const auto day = key.substr(2, 10);
        if (day > last) return false;
        if (key.substr(13, kind.size() + 1) != kind + "/") return true;
        auto u = kUsages.decode(text);
        if (!u) return true;
        auto& s = sum.try_emplace(u->id, MonitoredUsage{.scope = kind, .id = u->id}).first->second;
        s.bytes_sent += u->bytes_sent;
        s.viewers += u->viewers;
        s.watch_seconds += u->watch_seconds;
        s.peak_connections = std::max(s.peak_connections, u->peak_connections);
        return true;
    });
    std::vector<MonitoredUsage> out;
    for (auto& [id, u] : sum) out.push_back(std::move(u));
    std::sort(out.begin(), out.end(), [](const MonitoredUsage& a, const MonitoredUsage& b) {
        if (a.watch_seconds != b.watch_seconds) return a.watch_seconds > b.watch_seconds;
        if (a.viewers != b.viewers) return a.viewers > b.viewers;
        return std::stoll(a.id) < std::stoll(b.id);
    });
    if (out.size() > limit) out.resize(limit);
    return out;
}

std::vector<ServerAlert> list_server_alerts(const ReadModelView& view, bool open_only) {
    std::vector<ServerAlert> out;
    view.scan("a/", "", [&](std::string_view, std::string_view text) {
        auto a = kAlerts.decode(text);
        if (a && (!open_only || !a->resolved_at)) out.push_back(std::move(*a));
        return true;
    });
    std::sort(out.begin(), out.end(), [](const ServerAlert& a, const ServerAlert& b) {
        if (a.opened_at != b.opened_at) return a.opened_at > b.opened_at;
        return a.server_id < b.server_id;
    });
    return out;
}

core::iptv::ServerLoad MonitoredServerLoads::load(std::int64_t server_id) const {
    const auto u = find_usage(view_, "server", std::to_string(server_id));
    return {u.connections, u.kbps};
}

}  // namespace switchyard::projections::iptv
