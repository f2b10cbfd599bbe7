#pragma once
/// Cisco Meraki as a hotspot controller, through the Dashboard API v1 (base
/// `https://api.meraki.com/api/v1`, header `X-Cisco-Meraki-API-Key`):
///
/// - users are Meraki authentication users of a network: `GET/POST
///   /networks/{networkId}/merakiAuthUsers`, `PUT/DELETE .../merakiAuthUsers/{merakiAuthUserId}`,
///   with `{"email","name","password","accountType":"Guest","emailPasswordToUser":false,
///   "isAdmin":false,"authorizations":[{"ssidNumber":N,"expiresAt":...}]}`;
/// - a client is authorized by `PUT /networks/{networkId}/clients/{clientId}/
///   splashAuthorizationStatus` `{"ssids":{"N":{"isAuthorized":true}}}` (clientId: the client
///   key or MAC), and its session ended by the same call with `false`;
/// - active sessions come from `GET /networks/{networkId}/clients` (status `Online`; usage
///   `sent`/`recv` in kilobytes).
/// @source developer.cisco.com/meraki/api-v1: "Create Network Meraki Auth User", "List Network
///         Meraki Auth Users", "Update/Delete Network Meraki Auth User", "Update Network Client
///         Splash Authorization Status", "Get Network Clients"; "Authorization" (API key header).

#include <string>
#include <string_view>
#include <vector>

#include "adapters/hotspot/controller.hpp"
#include "adapters/hotspot/rest_client.hpp"

namespace switchyard::adapters::hotspot {

/// How to reach one Meraki network.
struct MerakiOptions {
    std::string name;                                        ///< The controller's name in reports.
    std::string base_url = "https://api.meraki.com/api/v1";  ///< Default: the Dashboard API.
    std::string api_key;                                     ///< Dashboard API key.
    std::string network_id;                                  ///< e.g. `N_24329156`.
    int ssid_number = 0;  ///< The splash SSID (0 to 14) users and clients are authorized on.
    /// Meraki identifies auth users by e-mail: a user name without `@` becomes
    /// `<name>@<email_domain>`. Default: `hotspot.invalid` (RFC 2606, never delivered).
    std::string email_domain = "hotspot.invalid";
    int timeout_ms = 10000;  ///< Bound on each HTTP exchange. Default: 10 s.
    bool verify_tls = true;
};

/// A Meraki network as a Controller.
///
/// Mapping: a time limit becomes the authorization's `expiresAt` (now + limit, RFC 3339);
/// without one, `Never`. Meraki auth users carry no data limit, rate limit or MAC binding: a
/// user asking for one is Rejected naming the field (those are enforced through RADIUS
/// accounting and group policies instead). The splash authorization's duration is the SSID's
/// splash frequency setting; the API takes none, so MacAuthorization.duration_seconds is not
/// sent. sync adds and removes users; it cannot see passwords or compare expiries, so it
/// changes none.
class MerakiController final : public Controller {
  public:
    MerakiController(MerakiOptions options, const core::Clock& clock);

    const std::string& name() const override { return options_.name; }
    std::string_view vendor() const override { return "meraki"; }
    core::Result<void> test_connection() override;
    core::Result<void> create_user(const HotspotUser& user) override;
    core::Result<void> update_user(const HotspotUser& user) override;
    core::Result<void> remove_user(std::string_view name) override;
    core::Result<std::vector<HotspotUser>> list_users(std::string_view name = {}) override;
    core::Result<void> authorize_mac(const MacAuthorization& authorization) override;
    core::Result<std::vector<ActiveSession>> list_active() override;
    /// Ends a session by client id or MAC: splash authorization set to false on the SSID.
    core::Result<void> end_session(std::string_view id) override;

  protected:
    bool in_step(const HotspotUser&, const HotspotUser&) const override { return true; }

  private:
    struct Listed {
        std::string id;
        HotspotUser user;
    };
    core::Result<RestResponse> call(const std::string& method, const std::string& path,
                                    const std::string& body);
    core::Result<std::vector<Listed>> list();
    core::Result<std::string> user_body(const HotspotUser& user, bool create) const;
    core::Result<void> set_splash(std::string_view client, bool authorized);
    std::string network_path() const;

    MerakiOptions options_;
    const core::Clock& clock_;
};

}  // namespace switchyard::adapters::hotspot
