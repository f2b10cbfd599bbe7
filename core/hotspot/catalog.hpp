#pragma once
/// A tenant's hotspot catalog: its NAS devices and controllers and its plans, one aggregate per
/// tenant, stream `hotspot_catalog-<tenant>`, so that a NAS address and a plan id are unique
/// within the tenant. Accounts and voucher batches read the plans from here.

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <variant>

#include "core/hotspot/model.hpp"

namespace switchyard::core::hotspot {

// ---- events ----

/// A NAS was created or replaced (all fields; the RADIUS shared secret sealed).
struct NasDefined {
    static constexpr std::string_view kType = "hotspot.nas.defined";
    Nas nas;
    std::string command_id;  ///< The defining request (a retry with it defines nothing).
};
/// A NAS was disabled: its RADIUS requests are refused as from an unknown NAS.
struct NasDisabled {
    static constexpr std::string_view kType = "hotspot.nas.disabled";
    std::string nas_id;
    std::string reason;
    std::string command_id;
};
/// A disabled NAS was enabled again.
struct NasEnabled {
    static constexpr std::string_view kType = "hotspot.nas.enabled";
    std::string nas_id;
    std::string command_id;
};
/// A plan was created or replaced (all fields).
struct PlanDefined {
    static constexpr std::string_view kType = "hotspot.plan.defined";
    Plan plan;
    std::string command_id;
};
/// A plan is no longer sold; accounts on it keep it.
struct PlanRetired {
    static constexpr std::string_view kType = "hotspot.plan.retired";
    std::string plan_id;
    std::string command_id;
};

using CatalogEvent = std::variant<NasDefined, NasDisabled, NasEnabled, PlanDefined, PlanRetired>;

/// The catalog as its events leave it.
struct CatalogState {
    std::map<std::string, Nas> nas;     ///< By nas_id.
    std::map<std::string, Plan> plans;  ///< By plan_id.
    std::set<std::string> command_ids;  ///< Commands already applied (idempotency).
};

/// The stream of a tenant's catalog.
inline std::string catalog_stream(const std::string& tenant) { return "hotspot_catalog-" + tenant; }

}  // namespace switchyard::core::hotspot
