#include "projections/iptv/stream_servers.hpp"

#include "events/iptv/server_codec.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::iptv {

using namespace core::iptv;

namespace {

std::string server_key(std::int64_t id) { return "s/" + be64(static_cast<std::uint64_t>(id)); }
std::string group_key(std::int64_t id) { return "g/" + be64(static_cast<std::uint64_t>(id)); }
std::string assignment_key(std::int64_t id) { return "a/" + be64(static_cast<std::uint64_t>(id)); }
std::string alert_key(std::int64_t id) { return "d/" + be64(static_cast<std::uint64_t>(id)); }

constexpr auto kServerFields = fields(
    field("name", &ServerFields::name), field("scheme", &ServerFields::scheme),
    field("host", &ServerFields::host), field("port", &ServerFields::port),
    field("max_connections", &ServerFields::max_connections),
    field("max_mbps", &ServerFields::max_mbps), field("weight", &ServerFields::weight),
    field("enabled", &ServerFields::enabled), field("health_path", &ServerFields::health_path));
constexpr auto kServers = json_rows<ServerRow>(
    fields(field("server_id", &ServerRow::server_id), flat(&ServerRow::fields, kServerFields),
           field("up", &ServerRow::up), field("health_reason", &ServerRow::health_reason),
           field("health_since", &ServerRow::health_since)));
constexpr auto kGroups = json_rows<GroupRow>(
    fields(field("group_id", &GroupRow::group_id), field("name", &GroupRow::name),
           field("strategy", &GroupRow::strategy), field("server_ids", &GroupRow::server_ids)));
constexpr auto kAssignments = json_rows<AssignmentRow>(fields(
    field("stream_id", &AssignmentRow::stream_id), field("group_id", &AssignmentRow::group_id),
    field("server_ids", &AssignmentRow::server_ids)));
constexpr auto kAlerts = json_rows<AlertRow>(
    fields(field("server_id", &AlertRow::server_id), field("name", &AlertRow::name),
           field("reason", &AlertRow::reason), field("since", &AlertRow::since)));

core::Result<void> apply_server_event(const ServerEvent& event, const events::RecordedEvent&,
                                      ProjectionWrites& w) {
    if (auto* e = std::get_if<ServerRegistered>(&event)) {
        kServers.put(w, server_key(e->server_id), ServerRow{e->server_id, e->fields, true, "", 0});
    } else if (auto* e = std::get_if<ServerChanged>(&event)) {
        kServers.update(w, server_key(e->server_id),
                        [&](ServerRow& row) { row.fields = e->fields; });
        kAlerts.update(w, alert_key(e->server_id),
                       [&](AlertRow& row) { row.name = e->fields.name; });
    } else if (auto* e = std::get_if<ServerRemoved>(&event)) {
        w.erase(server_key(e->server_id));
        w.erase(alert_key(e->server_id));
    } else if (auto* e = std::get_if<ServerHealthChanged>(&event)) {
        auto row = kServers.find(w, server_key(e->server_id));
        if (!row) return {};
        row->up = e->up;
        row->health_reason = e->reason;
        row->health_since = core::unix_seconds(e->since);
        kServers.put(w, server_key(e->server_id), *row);
        if (e->up)
            w.erase(alert_key(e->server_id));
        else
            kAlerts.put(w, alert_key(e->server_id),
                        AlertRow{e->server_id, row->fields.name, e->reason, row->health_since});
    } else if (auto* e = std::get_if<ServerGroupCreated>(&event)) {
        kGroups.put(w, group_key(e->group_id),
                    GroupRow{e->group_id, e->name, to_string(e->strategy), e->server_ids});
    } else if (auto* e = std::get_if<ServerGroupChanged>(&event)) {
        kGroups.put(w, group_key(e->group_id),
                    GroupRow{e->group_id, e->name, to_string(e->strategy), e->server_ids});
    } else if (auto* e = std::get_if<ServerGroupRemoved>(&event)) {
        w.erase(group_key(e->group_id));
    } else if (auto* e = std::get_if<StreamServersAssigned>(&event)) {
        if (!e->group_id && e->server_ids.empty())
            w.erase(assignment_key(e->stream_id));
        else
            kAssignments.put(w, assignment_key(e->stream_id),
                             AssignmentRow{e->stream_id, e->group_id, e->server_ids});
    }
    return {};
}

template <class Rows>
auto scan_rows(const ReadModelView& view, std::string_view prefix, const Rows& rows) {
    std::vector<typename decltype(rows.decode(""))::value_type> out;
    view.scan(prefix, "", [&](std::string_view, std::string_view value) {
        if (auto row = rows.decode(value)) out.push_back(std::move(*row));
        return true;
    });
    return out;
}

/// Leaves out the ids of servers removed since.
std::vector<std::int64_t> existing(const ReadModelView& view,
                                   const std::vector<std::int64_t>& ids) {
    std::vector<std::int64_t> out;
    for (auto id : ids)
        if (view.get(server_key(id))) out.push_back(id);
    return out;
}

}  // namespace

std::unique_ptr<Projector> make_stream_servers_projector() {
    return make_projector<ServerEvent>(kStreamServers, events::iptv::decode_server_event,
                                       apply_server_event);
}

std::vector<ServerRow> list_servers(const ReadModelView& view) {
    return scan_rows(view, "s/", kServers);
}

std::optional<ServerRow> find_server(const ReadModelView& view, std::int64_t server_id) {
    return kServers.find(view, server_key(server_id));
}

std::vector<GroupRow> list_groups(const ReadModelView& view) {
    auto out = scan_rows(view, "g/", kGroups);
    for (auto& g : out) g.server_ids = existing(view, g.server_ids);
    return out;
}

std::optional<GroupRow> find_group(const ReadModelView& view, std::int64_t group_id) {
    auto g = kGroups.find(view, group_key(group_id));
    if (g) g->server_ids = existing(view, g->server_ids);
    return g;
}

std::optional<AssignmentRow> find_assignment(const ReadModelView& view, std::int64_t stream_id) {
    auto a = kAssignments.find(view, assignment_key(stream_id));
    if (!a) return a;
    if (a->group_id && !view.get(group_key(*a->group_id))) a->group_id.reset();
    a->server_ids = existing(view, a->server_ids);
    if (!a->group_id && a->server_ids.empty()) return std::nullopt;
    return a;
}

std::vector<AlertRow> server_down_alerts(const ReadModelView& view) {
    return scan_rows(view, "d/", kAlerts);
}

StreamServers servers_for_stream(const ReadModelView& view, std::int64_t stream_id) {
    StreamServers out;
    const auto a = find_assignment(view, stream_id);
    std::vector<std::int64_t> ids;
    if (a && a->group_id) {
        if (auto g = find_group(view, *a->group_id)) {
            parse_server_strategy(g->strategy, out.strategy);
            out.group_id = g->group_id;
            ids = g->server_ids;
        }
    } else if (a) {
        out.strategy = ServerStrategy::RoundRobin;
        ids = a->server_ids;
    } else {
        out.servers = list_servers(view);
        return out;
    }
    for (auto id : ids)
        if (auto row = find_server(view, id)) out.servers.push_back(std::move(*row));
    return out;
}

}  // namespace switchyard::projections::iptv
