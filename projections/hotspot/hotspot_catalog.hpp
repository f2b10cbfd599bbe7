#pragma once
/// The `hotspot_nas` and `hotspot_plans` read models: a tenant's NAS devices and plans for the
/// API's lists (a reseller's subtree only), fed by the catalog events (core/hotspot/catalog.hpp).
///
/// Keys: `hotspot_nas.v1`: `n/<nas_id>` -> the NAS as events/hotspot/hotspot_codec.hpp
/// nas_json (never its secret). `hotspot_plans.v1`: `p/<plan_id>` -> plan_json.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/hotspot/model.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::hotspot {

inline constexpr const char* kHotspotNas = "hotspot_nas.v1";
inline constexpr const char* kHotspotPlans = "hotspot_plans.v1";

std::unique_ptr<Projector> make_hotspot_nas_projector();
std::unique_ptr<Projector> make_hotspot_plans_projector();

/// The NAS with this id (secret_sealed empty), or nullopt.
std::optional<core::hotspot::Nas> find_nas(const ReadModelView& view, const std::string& nas_id);
/// Up to `limit` NAS with ids after `after` (the cursor: the last id of the previous page; empty
/// for the first page), in id order, whose owner path lies in `scope` (`/` = all).
std::vector<core::hotspot::Nas> list_nas(const ReadModelView& view, const std::string& after,
                                         std::size_t limit, const std::string& scope = "/");

/// The plan with this id, or nullopt.
std::optional<core::hotspot::Plan> find_plan(const ReadModelView& view, const std::string& plan_id);
/// Up to `limit` plans with ids after `after`, in id order, in `scope`; retired plans only with
/// `include_retired`.
std::vector<core::hotspot::Plan> list_plans(const ReadModelView& view, const std::string& after,
                                            std::size_t limit, const std::string& scope = "/",
                                            bool include_retired = false);
/// As list_plans, for a caller of `scope`: the plans of its subtree and those of the owners
/// above it (the operator's, owner `/`, and a parent reseller's), which it may sell but not
/// change (core/hotspot/account_decider.hpp usable_plan); never a sibling reseller's.
std::vector<core::hotspot::Plan> list_visible_plans(const ReadModelView& view,
                                                    const std::string& after, std::size_t limit,
                                                    const std::string& scope,
                                                    bool include_retired = false);
/// True when a caller of `scope` sees a plan of `owner_path`: in its subtree or above it.
bool plan_visible(const std::string& scope, const std::string& owner_path);

}  // namespace switchyard::projections::hotspot
