#include "projections/hotspot/hotspot_controllers.hpp"

#include <boost/json.hpp>

#include "core/hotspot/controller_decider.hpp"
#include "core/identity/user.hpp"
#include "core/overloaded.hpp"
#include "events/hotspot/controller_codec.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::hotspot {

using namespace core::hotspot;
namespace json = boost::json;

namespace {

std::string controller_key(const std::string& id) { return key_of("c", id); }

std::optional<ControllerRow> decode_row(std::string_view text) {
    std::error_code ec;
    auto v = json::parse(text, ec);
    if (ec || !v.is_object()) return std::nullopt;
    const auto& o = v.as_object();
    const auto* id = o.if_contains("controller_id");
    const auto* owner = o.if_contains("owner_path");
    if (!id || !id->is_string() || !owner || !owner->is_string()) return std::nullopt;
    return ControllerRow{std::string(id->as_string()), std::string(owner->as_string()),
                         std::string(text)};
}

json::array names(const std::vector<std::string>& v) {
    json::array a;
    for (const auto& s : v) a.emplace_back(s);
    return a;
}

/// Changes the stored row of `id` (nothing when absent or malformed).
template <class Change>
void update_row(ProjectionWrites& w, const std::string& id, Change&& change) {
    auto text = w.get(controller_key(id));
    if (!text) return;
    std::error_code ec;
    auto v = json::parse(*text, ec);
    if (ec || !v.is_object()) return;
    change(v.as_object());
    w.put(controller_key(id), json::serialize(v));
}

void put_definition(ProjectionWrites& w, const ControllerDefinition& c) {
    auto o = events::hotspot::controller_json(c);
    o["last_operation"] = nullptr;
    o["last_sync"] = nullptr;
    if (auto old = w.get(controller_key(c.controller_id))) {
        std::error_code ec;
        auto v = json::parse(*old, ec);
        if (!ec && v.is_object()) {
            if (auto* l = v.as_object().if_contains("last_operation")) o["last_operation"] = *l;
            if (auto* l = v.as_object().if_contains("last_sync")) o["last_sync"] = *l;
        }
    }
    w.put(controller_key(c.controller_id), json::serialize(o));
}

core::Result<void> apply(const ControllerEvent& event, const events::RecordedEvent& recorded,
                         ProjectionWrites& w) {
    const auto at = core::format_rfc3339(recorded.time);
    std::visit(core::Overloaded{
                   [&](const ControllerDefined& e) { put_definition(w, e.controller); },
                   [&](const ControllerChanged& e) { put_definition(w, e.controller); },
                   [&](const ControllerRemoved& e) { w.erase(controller_key(e.controller_id)); },
                   [&](const ControllerOperationRun& e) {
                       update_row(w, e.controller_id, [&](json::object& row) {
                           auto o = events::hotspot::outcome_json(e.outcome);
                           o["operation"] = e.operation;
                           o["target"] = e.target;
                           o["duration_ms"] = e.duration_ms;
                           o["at"] = at;
                           row["last_operation"] = std::move(o);
                       });
                   },
                   [&](const ControllerSynced& e) {
                       update_row(w, e.controller_id, [&](json::object& row) {
                           auto o = events::hotspot::outcome_json(e.outcome);
                           o["added"] = names(e.added);
                           o["removed"] = names(e.removed);
                           o["changed"] = names(e.changed);
                           json::array failed;
                           for (const auto& f : e.failed) failed.emplace_back(f.user);
                           o["failed"] = std::move(failed);
                           o["unchanged"] = e.unchanged;
                           o["records_synced"] = static_cast<std::int64_t>(
                               e.added.size() + e.removed.size() + e.changed.size());
                           o["duration_ms"] = e.duration_ms;
                           o["at"] = at;
                           row["last_sync"] = std::move(o);
                       });
                   },
               },
               event);
    return {};
}

}  // namespace

std::unique_ptr<Projector> make_hotspot_controllers_projector() {
    return make_projector<ControllerEvent>(
        kHotspotControllers, events::hotspot::decode_controller_event, apply,
        events::is_one_of<ControllerDefined, ControllerChanged, ControllerRemoved,
                          ControllerOperationRun, ControllerSynced>);
}

std::optional<ControllerRow> find_controller(const ReadModelView& view, const std::string& id) {
    auto text = view.get(controller_key(id));
    return text ? decode_row(*text) : std::nullopt;
}

std::vector<ControllerRow> list_controllers(const ReadModelView& view, const std::string& after,
                                            std::size_t limit, const std::string& scope) {
    std::vector<ControllerRow> out;
    if (limit == 0) return out;
    const std::string prefix = "c/";
    const auto start = after.empty() ? std::string() : prefix + after + std::string(1, '\0');
    view.scan(prefix, start, [&](std::string_view, std::string_view value) {
        auto row = decode_row(value);
        if (row && core::identity::in_scope(scope, row->owner_path)) out.push_back(*row);
        return out.size() < limit;
    });
    return out;
}

}  // namespace switchyard::projections::hotspot
