#pragma once
/// TP-Link Omada SDN Controller as a hotspot controller, through two documented APIs:
///
/// - the Open API (client credentials): `POST /openapi/authorize/token?grant_type=
///   client_credentials` with `{"omadacId","client_id","client_secret"}` gives an access token
///   sent as `Authorization: AccessToken=<token>`; hotspot local users are
///   `/openapi/v1/{omadacId}/sites/{siteId}/hotspot/localusers` (GET list, POST create,
///   POST `/{id}` modify, DELETE `/{id}`), clients `/openapi/v1/{omadacId}/sites/{siteId}/clients`.
///   Every answer is `{"errorCode":0,"msg":...,"result":...}`; a non-zero errorCode is a failure
///   (-42013 "Local user already exists", -44112 access token expired).
/// - the External Portal Server API (Omada Controller 5.0.15+): a hotspot operator logs in with
///   `POST /{omadacId}/api/v2/hotspot/login` `{"name","password"}`, which answers a CSRF token
///   (`result.token`) and the `TPOMADA_SESSIONID` cookie; a client is authorized with
///   `POST /{omadacId}/api/v2/hotspot/extPortal/auth` carrying `Csrf-Token` and the cookie and
///   `{"clientMac","apMac","ssidName","radioId","site","time","authType":4}` (time in
///   microseconds).
/// @source TP-Link "Omada Open API Access Guide" (sections 1.2, 2.3 and the Hotspot > Local User
///         reference); TP-Link FAQ 3231 "API and Code Sample for External Portal Server (Omada
///         Controller 5.0.15 or above)".

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/hotspot/controller.hpp"
#include "adapters/hotspot/rest_client.hpp"

namespace switchyard::adapters::hotspot {

/// How to reach one Omada controller site.
struct OmadaOptions {
    std::string name;      ///< The controller's name in reports.
    std::string base_url;  ///< Open API interface access address, e.g. `https://10.0.0.2:8043`.
    /// The controller's web address for the external portal API; empty = base_url.
    std::string portal_base_url;
    std::string omadac_id;  ///< Omada ID (the controller ID), hex.
    std::string site_id;    ///< Site ID for the Open API (`siteId`).
    std::string client_id;  ///< Open API application (client credentials mode).
    std::string client_secret;
    std::string operator_name;      ///< Hotspot operator for MAC authorization.
    std::string operator_password;  ///< Its password.
    /// Portals local users are bound to; empty = `applyToAllPortals`.
    std::vector<std::string> portal_ids;
    int timeout_ms = 10000;  ///< Bound on each HTTP exchange. Default: 10 s.
    bool verify_tls = true;  ///< Omada's own certificate is self-signed unless replaced.
};

/// An Omada controller site as a Controller.
///
/// Mapping: a time limit becomes `expirationTime` = now + limit (Omada local users have an
/// expiry, not an online-time counter); a data limit becomes `trafficLimit` in MB (1,048,576
/// bytes; a limit that is not a whole number of MB is Rejected) with frequency 0 (total); rates
/// become `rateLimit.customRateLimit` in kbit/s; a MAC becomes a static binding. sync compares
/// password, data limit, rates and MAC, not the expiry (it runs from creation). A user without
/// a time limit expires 2100-01-01 (expirationTime is required).
class OmadaController final : public Controller {
  public:
    OmadaController(OmadaOptions options, const core::Clock& clock);

    const std::string& name() const override { return options_.name; }
    std::string_view vendor() const override { return "omada"; }
    core::Result<void> test_connection() override;
    core::Result<void> create_user(const HotspotUser& user) override;
    core::Result<void> update_user(const HotspotUser& user) override;
    core::Result<void> remove_user(std::string_view name) override;
    core::Result<std::vector<HotspotUser>> list_users(std::string_view name = {}) override;
    core::Result<void> authorize_mac(const MacAuthorization& authorization) override;
    core::Result<std::vector<ActiveSession>> list_active() override;
    /// Ends a session by client MAC: `POST .../hotspot/clients/{clientMac}/unauth`.
    core::Result<void> end_session(std::string_view id) override;

  protected:
    bool in_step(const HotspotUser& desired, const HotspotUser& actual) const override;

  private:
    struct Listed {
        std::string id;
        HotspotUser user;
    };
    core::Result<std::string> open_api(const std::string& method, const std::string& path,
                                       const std::string& body);
    core::Result<void> fetch_token();
    core::Result<std::vector<Listed>> list(std::string_view name);
    core::Result<std::string> user_body(const HotspotUser& user, bool create) const;
    std::string site_path() const;

    OmadaOptions options_;
    const core::Clock& clock_;
    std::string access_token_;
};

/// Omada's MAC form `AA-BB-CC-DD-EE-FF` from any form normalize_mac reads; none otherwise.
std::optional<std::string> omada_mac(std::string_view mac);

}  // namespace switchyard::adapters::hotspot
