#pragma once
/// The `hotspot_controllers` read model: a tenant's hotspot controllers for the API's lists (a
/// reseller's subtree only), never their secrets, with the last operation and the last sync of
/// each, fed by the controller events (core/hotspot/controller_decider.hpp).
///
/// Keys: `hotspot_controllers.v1`: `c/<controller_id>` -> events/hotspot/controller_codec.hpp
/// controller_json, plus `last_operation` (`{"operation", "target", "ok", "error_code"?,
/// "field"?, "message"?, "duration_ms", "at"}`, null before any) and `last_sync` (`{"ok", ...,
/// "added", "removed", "changed", "failed", "unchanged", "records_synced", "duration_ms",
/// "at"}`, null before any).

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "projections/projector.hpp"

namespace switchyard::projections::hotspot {

inline constexpr const char* kHotspotControllers = "hotspot_controllers.v1";

std::unique_ptr<Projector> make_hotspot_controllers_projector();

/// One stored controller: its id, owner path and the row's JSON text.
struct ControllerRow {
    std::string controller_id;
    std::string owner_path;
    std::string json;
};

/// The controller with this id, or nullopt.
std::optional<ControllerRow> find_controller(const ReadModelView& view, const std::string& id);
/// Up to `limit` controllers with ids after `after` (empty for the first page), in id order,
/// whose owner path lies in `scope` (`/` = all).
std::vector<ControllerRow> list_controllers(const ReadModelView& view, const std::string& after,
                                            std::size_t limit, const std::string& scope = "/");

}  // namespace switchyard::projections::hotspot
