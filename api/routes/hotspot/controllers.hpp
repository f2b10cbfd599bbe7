#pragma once
/// The hotspot controller routes (issue 13 item 8; WiFight's controller acceptance list,
/// wifight-isp-plan-part2.md 10.1 and 10.2) under `/v1/hotspot/controllers`: define, change and
/// remove a MikroTik, Omada or Meraki controller; test it; create, list and remove its hotspot
/// users; authorize a client by MAC; list and end its active sessions; sync its users to the
/// tenant's hotspot accounts; broadcast an operation to every controller. Every operation run
/// through these routes is a `hotspot.controller.operation` event (a sync a
/// `hotspot.controller.synced` event) with its outcome, also when the controller failed.
///
/// The api layer may not include adapters, so the controllers reach it through ControllerClient
/// and ControllerFactory, which the hotspot module fills from adapters/hotspot (a new client per
/// request, built from the definition with its secrets opened from the keyring). The structs
/// below mirror adapters/hotspot/controller.hpp field for field.
///
/// Answers: a controller that cannot be reached, times out, refuses Switchyard's credentials or
/// answers something malformed answers 502 `bad_gateway` with the controller's own words in
/// `detail` and its error in `controller_error`; a user that exists 409, an unknown user or
/// session 404, a limit the controller cannot express 422. Roles: admins and resellers (their
/// subtree) define controllers; support staff read them and run operations; a reseller's
/// request for another's controller answers 404. docs/hotspot-controllers.md "In the server".

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/router.hpp"
#include "api/routes/hotspot/hotspot_api.hpp"
#include "core/hotspot/controller_decider.hpp"
#include "core/result.hpp"
#include "events/hotspot/controller_service.hpp"

namespace switchyard::api {

/// A hotspot user as a controller holds it (adapters/hotspot HotspotUser). Absent = unlimited.
struct ControllerUser {
    std::string name;
    std::optional<std::string> password;  ///< None when the controller does not show it.
    std::string profile;                  ///< RouterOS user profile; empty = `default`.
    std::optional<std::int64_t> limit_uptime_seconds;
    std::optional<std::int64_t> limit_bytes_total;
    std::optional<std::int64_t> download_kbps;
    std::optional<std::int64_t> upload_kbps;
    std::string mac;  ///< `aa:bb:cc:dd:ee:ff`; empty = any device.
    std::string comment;
};

/// Letting one client through by MAC (adapters/hotspot MacAuthorization).
struct ControllerMacAuthorization {
    std::string mac;                    ///< `aa:bb:cc:dd:ee:ff`.
    std::int64_t duration_seconds = 0;  ///< 0 = until removed (not on Omada).
    std::string ap_mac;                 ///< Omada `apMac`.
    std::string ssid;                   ///< Omada `ssidName`.
    int radio_id = 0;                   ///< Omada `radioId`.
    std::string site;                   ///< Omada `site`.
    std::string comment;                ///< RouterOS ip-binding comment.
};

/// One logged-in client (adapters/hotspot ActiveSession).
struct ControllerSession {
    std::string id;
    std::string user;
    std::string mac;
    std::string address;
    std::int64_t uptime_seconds = 0;
    std::int64_t bytes_in = 0;   ///< From the user.
    std::int64_t bytes_out = 0;  ///< To the user.
};

/// What a sync did (adapters/hotspot SyncReport).
struct ControllerSyncReport {
    std::vector<std::string> added;
    std::vector<std::string> removed;
    std::vector<std::string> changed;
    std::vector<std::pair<std::string, core::Error>> failed;
    std::int64_t unchanged = 0;
};

/// One controller, as the routes drive it. Errors carry the controller's own words (see
/// adapters/hotspot/controller.hpp for each code). @thread one caller at a time.
class ControllerClient {
  public:
    virtual ~ControllerClient() = default;
    virtual core::Result<void> test_connection() = 0;
    virtual core::Result<void> create_user(const ControllerUser& user) = 0;
    virtual core::Result<void> remove_user(std::string_view name) = 0;
    virtual core::Result<std::vector<ControllerUser>> list_users() = 0;
    virtual core::Result<void> authorize_mac(const ControllerMacAuthorization& authorization) = 0;
    virtual core::Result<std::vector<ControllerSession>> list_active() = 0;
    virtual core::Result<void> end_session(std::string_view id) = 0;
    /// @errors only when listing the users fails; per-user failures are in the report.
    virtual core::Result<ControllerSyncReport> sync(const std::vector<ControllerUser>& desired) = 0;
};

/// Builds the client of a definition with its secrets in clear.
/// @errors Invalid naming the field the adapter cannot use.
using ControllerFactory = std::function<core::Result<std::unique_ptr<ControllerClient>>(
    const core::hotspot::ControllerDefinition&, const core::hotspot::ControllerSecrets&)>;

/// The controller routes' state. Built by the hotspot module; must outlive the router.
struct ControllersApi {
    HotspotApi& hotspot;                              ///< Context, accounts, plans, NAS.
    events::hotspot::ControllerService& controllers;  ///< Definitions and the operation log.
    ControllerFactory make;                           ///< Empty: operations answer 503.
};

/// Adds `/v1/hotspot/controllers...` (module `hotspot`). `api` must outlive the router.
void add_controller_routes(Router& router, ControllersApi& api);

/// The hotspot user a Switchyard account stands for on a controller: its username and password,
/// its bound MAC, and its plan's limits: `limit_uptime_seconds` = the plan's duration plus the
/// account's extra seconds, `limit_bytes_total` = the plan's data limit plus the extra bytes
/// (when the plan counts total bytes; a download- or upload-only limit is not sent, RADIUS
/// accounting enforces it), the plan's download/upload rates.
ControllerUser controller_user_of(const core::hotspot::Account& account,
                                  const std::string& password, const core::hotspot::Plan& plan);

}  // namespace switchyard::api
