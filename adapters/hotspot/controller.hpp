#pragma once
/// The interface every hotspot controller implements (MikroTik RouterOS, TP-Link Omada, Cisco
/// Meraki), with the operations of WiFight's controller tests (wifight-isp-plan-part2.md 10.1
/// and 10.2): create a hotspot user with time and data limits, remove it, authorize a client by
/// MAC, list and end active sessions, and sync the controller's users to a desired list.
///
/// Errors carry the controller's own words: a RouterOS `!trap`'s `=message=`, an HTTP status
/// and body, an Omada `errorCode` and `msg`. Codes: Unavailable (cannot connect, connection
/// lost, 5xx), Timeout (no answer in time), Unauthorized (login refused, 401/403), Conflict
/// (the user exists), NotFound (no such user or session), Rejected (the controller refused the
/// operation or cannot express a requested limit), Invalid (a malformed answer or argument).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace switchyard::adapters::hotspot {

/// A hotspot user as a controller holds it. An absent limit is unlimited.
struct HotspotUser {
    std::string name;  ///< Login name (RADIUS User-Name; RouterOS `name`, Omada `userName`).
    /// The password. When read from a controller that never shows passwords (Meraki), none:
    /// sync then does not compare it.
    std::optional<std::string> password;
    std::string profile;  ///< RouterOS user profile; empty = `default`. Ignored elsewhere.
    /// Online time allowed (RouterOS `limit-uptime`); Omada and Meraki have no online-time
    /// counter and count it from creation as a wall-clock expiry (docs/hotspot-controllers.md).
    std::optional<std::int64_t> limit_uptime_seconds;
    /// Bytes up plus down allowed (RouterOS `limit-bytes-total`; Omada `trafficLimit` in MB).
    std::optional<std::int64_t> limit_bytes_total;
    std::optional<std::int64_t> download_kbps;  ///< To the user, kbit/s.
    std::optional<std::int64_t> upload_kbps;    ///< From the user, kbit/s.
    std::string mac;      ///< Bound MAC `aa:bb:cc:dd:ee:ff`; empty = any device.
    std::string comment;  ///< Free text (RouterOS `comment`); not compared by sync.
    friend bool operator==(const HotspotUser&, const HotspotUser&) = default;
};

/// Authorizing one client device by MAC, without a login, for a while (RouterOS ip-binding
/// `type=bypassed`, Omada external portal authorization, Meraki splash authorization).
struct MacAuthorization {
    std::string mac;                    ///< Client MAC `aa:bb:cc:dd:ee:ff`.
    std::int64_t duration_seconds = 0;  ///< How long; 0 = until removed (not on Omada).
    std::string ap_mac;                 ///< Omada: the EAP the client is on (`apMac`).
    std::string ssid;                   ///< Omada: `ssidName`.
    int radio_id = 0;                   ///< Omada: `radioId`, 0 = 2.4 GHz, 1 = 5 GHz.
    std::string site;                   ///< Omada: `site` name from the portal redirect.
    std::string comment;                ///< RouterOS: comment of the ip-binding.
};

/// One active session (a logged-in client) as the controller reports it.
struct ActiveSession {
    std::string id;       ///< The controller's handle: RouterOS `.id`, Meraki client id, a MAC.
    std::string user;     ///< Login name; may be empty (a MAC-authorized client).
    std::string mac;      ///< Lower-case `aa:bb:cc:dd:ee:ff`.
    std::string address;  ///< IPv4 address; may be empty.
    std::int64_t uptime_seconds = 0;
    std::int64_t bytes_in = 0;   ///< From the user.
    std::int64_t bytes_out = 0;  ///< To the user.
};

/// What sync did. `failed` holds the users an operation failed for, with the error.
struct SyncReport {
    std::vector<std::string> added;
    std::vector<std::string> removed;
    std::vector<std::string> changed;
    std::vector<std::pair<std::string, core::Error>> failed;
    std::int64_t unchanged = 0;
    /// Users added, removed or changed (WiFight's `records_synced`).
    std::int64_t records_synced() const {
        return static_cast<std::int64_t>(added.size() + removed.size() + changed.size());
    }
};

/// True when `actual` (read from a controller) matches `desired` in what sync compares: the
/// password when both have one, profile (empty = `default`), limits, rates and MAC.
bool same_settings(const HotspotUser& desired, const HotspotUser& actual);

/// A hotspot controller. Every call is blocking and bounded by the controller's timeout.
/// @thread one caller at a time per instance; distinct instances are independent.
class Controller {
  public:
    virtual ~Controller() = default;

    /// The configured name of this controller (e.g. `lobby-mikrotik`), for reports.
    virtual const std::string& name() const = 0;
    /// The vendor's wire name: `mikrotik`, `omada`, `meraki`.
    virtual std::string_view vendor() const = 0;

    /// Checks that the controller answers and accepts the credentials.
    virtual core::Result<void> test_connection() = 0;

    /// Creates a hotspot user with its limits.
    /// @errors Conflict when a user of that name exists; Rejected when the controller cannot
    ///         express a limit (field names the limit); see the top of this file.
    virtual core::Result<void> create_user(const HotspotUser& user) = 0;

    /// Replaces the password, profile, limits and MAC of an existing user.
    /// @errors NotFound when no user has that name.
    virtual core::Result<void> update_user(const HotspotUser& user) = 0;

    /// Removes a user by name. @errors NotFound when no user has that name.
    virtual core::Result<void> remove_user(std::string_view name) = 0;

    /// Every hotspot user, or those named `name` when not empty, in the controller's order.
    virtual core::Result<std::vector<HotspotUser>> list_users(std::string_view name = {}) = 0;

    /// Lets a device by MAC through the captive portal without a login.
    virtual core::Result<void> authorize_mac(const MacAuthorization& authorization) = 0;

    /// The logged-in clients.
    virtual core::Result<std::vector<ActiveSession>> list_active() = 0;

    /// Ends an active session by its `id` from list_active (logs the client out).
    /// @errors NotFound when no such session is active.
    virtual core::Result<void> end_session(std::string_view id) = 0;

    /// Makes the controller's users those of `desired`: lists them, adds the missing, removes
    /// the extra, updates those that differ (by password when both sides show it, profile,
    /// limits, rates, MAC). A failed operation on one user is reported and does not stop the
    /// others. @errors only when the list itself fails.
    virtual core::Result<SyncReport> sync(const std::vector<HotspotUser>& desired);

  protected:
    /// Whether sync leaves `actual` as it is for `desired`. Default: same_settings. A controller
    /// that cannot read a setting back (an expiry computed from a time limit, a hidden
    /// password) leaves it out, so that sync does not rewrite the user every time.
    virtual bool in_step(const HotspotUser& desired, const HotspotUser& actual) const {
        return same_settings(desired, actual);
    }
};

/// A MAC in the project's form `aa:bb:cc:dd:ee:ff` from `AA-BB-CC-DD-EE-FF`,
/// `AA:BB:CC:DD:EE:FF` or `aabbccddeeff`; none for anything else.
std::optional<std::string> normalize_mac(std::string_view text);

}  // namespace switchyard::adapters::hotspot
