#pragma once
/// Runs one operation on every configured controller and answers per controller, so that one
/// controller's failure (down, refusing, slow) never stops the others (WiFight's
/// `broadcastOperation` and `syncAllControllers`, wifight-isp-plan-part2.md 10.2).

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "adapters/hotspot/controller.hpp"

namespace switchyard::adapters::hotspot {

/// One controller's outcome.
struct BroadcastResult {
    std::string controller;            ///< Controller::name().
    std::string vendor;                ///< Controller::vendor().
    std::optional<core::Error> error;  ///< None = success.
    bool ok() const { return !error.has_value(); }
};

/// One controller's sync outcome: its report, or the error that stopped its listing.
struct SyncResult {
    std::string controller;
    std::string vendor;
    std::optional<SyncReport> report;
    std::optional<core::Error> error;
    bool ok() const { return report.has_value() && report->failed.empty(); }
};

/// Runs `operation` on each controller. With `parallel`, one thread per controller (each
/// controller is still used by one thread only); otherwise in turn.
/// @returns one result per controller, in the order given.
/// @thread the controllers must not be used elsewhere during the call.
std::vector<BroadcastResult> broadcast(
    const std::vector<Controller*>& controllers,
    const std::function<core::Result<void>(Controller&)>& operation, bool parallel = true);

/// Creates `user` on every controller (broadcast of create_user).
std::vector<BroadcastResult> broadcast_create_user(const std::vector<Controller*>& controllers,
                                                   const HotspotUser& user, bool parallel = true);

/// Syncs every controller to `desired` (Controller::sync on each).
/// @returns one result per controller, in the order given.
std::vector<SyncResult> sync_all(const std::vector<Controller*>& controllers,
                                 const std::vector<HotspotUser>& desired, bool parallel = true);

}  // namespace switchyard::adapters::hotspot
