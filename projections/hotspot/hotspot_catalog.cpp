#include "projections/hotspot/hotspot_catalog.hpp"

#include "core/hotspot/catalog.hpp"
#include "core/identity/user.hpp"
#include "core/overloaded.hpp"
#include "events/hotspot/hotspot_codec.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::hotspot {

using namespace core::hotspot;

namespace {

std::string nas_key(const std::string& id) { return key_of("n", id); }
std::string plan_key(const std::string& id) { return key_of("p", id); }

std::optional<Nas> decode_nas(std::string_view text) {
    auto n = events::hotspot::parse_nas(text);
    return n ? std::optional<Nas>(std::move(*n)) : std::nullopt;
}
std::optional<Plan> decode_plan(std::string_view text) {
    auto p = events::hotspot::parse_plan(text);
    return p ? std::optional<Plan>(std::move(*p)) : std::nullopt;
}

void put_nas(ProjectionWrites& w, Nas n) {
    n.secret_sealed.clear();
    w.put(nas_key(n.nas_id), events::json::serialize(events::hotspot::nas_json(n)));
}
void put_plan(ProjectionWrites& w, const Plan& p) {
    w.put(plan_key(p.plan_id), events::json::serialize(events::hotspot::plan_json(p)));
}

/// Applies `change` to the stored NAS `id` (nothing when absent or malformed).
template <class Change>
void update_nas(ProjectionWrites& w, const std::string& id, Change&& change) {
    auto text = w.get(nas_key(id));
    if (!text) return;
    auto n = decode_nas(*text);
    if (!n) return;
    change(*n);
    put_nas(w, *n);
}

core::Result<void> apply_nas(const CatalogEvent& event, const events::RecordedEvent&,
                             ProjectionWrites& w) {
    std::visit(core::Overloaded{
                   [&](const NasDefined& e) { put_nas(w, e.nas); },
                   [&](const NasDisabled& e) {
                       update_nas(w, e.nas_id, [](Nas& n) { n.disabled = true; });
                   },
                   [&](const NasEnabled& e) {
                       update_nas(w, e.nas_id, [](Nas& n) { n.disabled = false; });
                   },
                   [](const auto&) {},
               },
               event);
    return {};
}

core::Result<void> apply_plan(const CatalogEvent& event, const events::RecordedEvent&,
                              ProjectionWrites& w) {
    std::visit(core::Overloaded{
                   [&](const PlanDefined& e) { put_plan(w, e.plan); },
                   [&](const PlanRetired& e) {
                       auto text = w.get(plan_key(e.plan_id));
                       if (!text) return;
                       if (auto p = decode_plan(*text)) {
                           p->retired = true;
                           put_plan(w, *p);
                       }
                   },
                   [](const auto&) {},
               },
               event);
    return {};
}

/// Rows of `prefix` after the key `prefix/after`, decoded by `decode`, kept by `keep`.
template <class Row, class Decode, class Keep>
std::vector<Row> list_rows(const ReadModelView& view, const std::string& kind,
                           const std::string& after, std::size_t limit, Decode decode, Keep keep) {
    std::vector<Row> out;
    if (limit == 0) return out;
    const auto prefix = kind + "/";
    // The first key after `after`: `after` followed by the smallest byte.
    const auto start = after.empty() ? std::string() : prefix + after + std::string(1, '\0');
    view.scan(prefix, start, [&](std::string_view, std::string_view value) {
        auto row = decode(value);
        if (row && keep(*row)) out.push_back(std::move(*row));
        return out.size() < limit;
    });
    return out;
}

}  // namespace

std::unique_ptr<Projector> make_hotspot_nas_projector() {
    return make_projector<CatalogEvent>(kHotspotNas, events::hotspot::decode_catalog_event,
                                        apply_nas,
                                        events::is_one_of<NasDefined, NasDisabled, NasEnabled>);
}

std::unique_ptr<Projector> make_hotspot_plans_projector() {
    return make_projector<CatalogEvent>(kHotspotPlans, events::hotspot::decode_catalog_event,
                                        apply_plan, events::is_one_of<PlanDefined, PlanRetired>);
}

std::optional<Nas> find_nas(const ReadModelView& view, const std::string& nas_id) {
    auto text = view.get(nas_key(nas_id));
    return text ? decode_nas(*text) : std::nullopt;
}

std::vector<Nas> list_nas(const ReadModelView& view, const std::string& after, std::size_t limit,
                          const std::string& scope) {
    return list_rows<Nas>(view, "n", after, limit, decode_nas, [&](const Nas& n) {
        return core::identity::in_scope(scope, n.owner_path);
    });
}

std::optional<Plan> find_plan(const ReadModelView& view, const std::string& plan_id) {
    auto text = view.get(plan_key(plan_id));
    return text ? decode_plan(*text) : std::nullopt;
}

std::vector<Plan> list_plans(const ReadModelView& view, const std::string& after, std::size_t limit,
                             const std::string& scope, bool include_retired) {
    return list_rows<Plan>(view, "p", after, limit, decode_plan, [&](const Plan& p) {
        return (include_retired || !p.retired) && core::identity::in_scope(scope, p.owner_path);
    });
}

bool plan_visible(const std::string& scope, const std::string& owner_path) {
    return core::identity::in_scope(scope, owner_path) ||
           core::identity::in_scope(owner_path, scope);
}

std::vector<Plan> list_visible_plans(const ReadModelView& view, const std::string& after,
                                     std::size_t limit, const std::string& scope,
                                     bool include_retired) {
    return list_rows<Plan>(view, "p", after, limit, decode_plan, [&](const Plan& p) {
        return (include_retired || !p.retired) && plan_visible(scope, p.owner_path);
    });
}

}  // namespace switchyard::projections::hotspot
