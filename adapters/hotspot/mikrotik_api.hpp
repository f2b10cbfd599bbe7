#pragma once
/// MikroTik RouterOS as a hotspot controller, through the RouterOS API (TCP 8728, or TLS on
/// 8729): login,
/// `/ip/hotspot/user` add/print/set/remove, `/ip/hotspot/active` print/remove,
/// `/ip/hotspot/ip-binding/add type=bypassed` to authorize a MAC.
/// @source help.mikrotik.com "API" (login since RouterOS 6.43 and the older challenge login),
///         "Hotspot customisation" / "IP > Hotspot" (user, user profile, active, ip-binding
///         properties).

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/hotspot/controller.hpp"
#include "core/hotspot/routeros_api.hpp"

struct ssl_st;
struct ssl_ctx_st;

namespace switchyard::adapters::hotspot {

/// Where and how to reach one RouterOS router.
struct MikrotikOptions {
    std::string name;            ///< The controller's name in reports.
    std::string host;            ///< Address or host name of the router.
    std::uint16_t port = 8728;   ///< API port. Default: 8728 (`api` service).
    std::string username;        ///< API user (needs the `api`, `read`, `write` policies).
    std::string password;        ///< Its password.
    int timeout_ms = 5000;       ///< Bound on connecting and on every read. Default: 5 s.
    std::string hotspot_server;  ///< `server` of users and bindings; empty = all servers.
    /// Speak TLS (the `api-ssl` service, port 8729). Default: off (plain `api` on 8728).
    bool tls = false;
    /// Check the router's certificate and that it names `host`. Default: on. RouterOS's
    /// api-ssl without a certificate offers anonymous DH only; that needs verify_tls off and
    /// tls_ciphers `ADH-AES128-SHA256:@SECLEVEL=0` (no protection against a man in the middle).
    bool verify_tls = true;
    std::string ca_file;      ///< PEM file of trusted certificates; empty = the system's.
    std::string tls_ciphers;  ///< OpenSSL cipher list for TLS 1.2; empty = OpenSSL's default.
};

/// How RouterOsConnection::open speaks TLS; `enabled` false = plain TCP.
struct RouterOsTls {
    bool enabled = false;
    bool verify = true;
    std::string ca_file;
    std::string ciphers;
};

/// One RouterOS API connection: sends commands and reads their replies up to `!done`.
/// @thread one caller at a time.
class RouterOsConnection {
  public:
    /// Opens a TCP connection to host:port within timeout_ms.
    /// @errors Unavailable when the address does not resolve or the connection is refused;
    ///         Timeout when it does not complete in time.
    /// With `tls.enabled`, completes a TLS handshake too (checking the certificate and host
    /// name when `tls.verify`).
    /// @errors also Unavailable when the TLS handshake or certificate check fails.
    static core::Result<std::unique_ptr<RouterOsConnection>> open(const std::string& host,
                                                                  std::uint16_t port,
                                                                  int timeout_ms,
                                                                  const RouterOsTls& tls = {});
    ~RouterOsConnection();
    RouterOsConnection(const RouterOsConnection&) = delete;
    RouterOsConnection& operator=(const RouterOsConnection&) = delete;

    /// Logs in with `/login =name= =password=` (RouterOS 6.43+). When the router answers with a
    /// challenge `=ret=` instead (older RouterOS), answers it with `/login =name= =response=`
    /// where the response is `00` + MD5(0x00 + password + challenge) in hex.
    /// @errors Unauthorized with the router's message when it refuses the credentials.
    core::Result<void> login(const std::string& username, const std::string& password);

    /// Sends `command` and reads every reply sentence up to its `!done`.
    /// @returns the `!re` replies in order (none for `!empty`), followed by the `!done` reply.
    /// @errors the first `!trap`'s `=message=` (Conflict for "already have ...", NotFound for
    ///         "no such item", Rejected otherwise) once its `!done` arrived; Unavailable for
    ///         `!fatal` (the router closes the connection) or a lost connection; Timeout when a
    ///         reply does not arrive within timeout_ms; Invalid for malformed framing.
    core::Result<std::vector<core::hotspot::routeros::Reply>> call(
        const core::hotspot::routeros::Command& command);

    /// False after an I/O error, a framing error or `!fatal`; the connection is then unusable.
    bool usable() const { return fd_ >= 0; }

  private:
    RouterOsConnection(int fd, int timeout_ms) : fd_(fd), timeout_ms_(timeout_ms) {}
    core::Result<core::hotspot::routeros::Sentence> read_sentence();
    core::Result<void> write_all(std::string_view bytes);
    void close_now();
    core::Result<void> start_tls(const std::string& host, const RouterOsTls& tls);
    /// Waits until the socket is readable (`read`) or writable; false on timeout.
    bool wait(bool read, std::chrono::steady_clock::time_point deadline) const;

    int fd_ = -1;
    ssl_ctx_st* ctx_ = nullptr;
    ssl_st* ssl_ = nullptr;
    int timeout_ms_ = 5000;
    core::hotspot::routeros::SentenceDecoder decoder_;
};

/// A RouterOS router as a Controller. Connects and logs in on first use and again after a
/// connection was lost.
///
/// Rates: RouterOS keeps rate limits on the user profile, not the user. A user with
/// download/upload rates and no profile gets the profile `sy-d<down>k-u<up>k`, created with
/// `rate-limit=<up>k/<down>k` (rx/tx as the router sees them) when missing; reading users back
/// turns that profile into rates again. Rates together with a named profile are Rejected.
///
/// MAC authorization adds an ip-binding `type=bypassed` whose comment records its expiry
/// (`switchyard until <RFC 3339>`); remove_expired_bindings removes the bindings past it.
class MikrotikController final : public Controller {
  public:
    explicit MikrotikController(MikrotikOptions options, const core::Clock& clock);

    const std::string& name() const override { return options_.name; }
    std::string_view vendor() const override { return "mikrotik"; }
    core::Result<void> test_connection() override;
    core::Result<void> create_user(const HotspotUser& user) override;
    core::Result<void> update_user(const HotspotUser& user) override;
    core::Result<void> remove_user(std::string_view name) override;
    core::Result<std::vector<HotspotUser>> list_users(std::string_view name = {}) override;
    core::Result<void> authorize_mac(const MacAuthorization& authorization) override;
    core::Result<std::vector<ActiveSession>> list_active() override;
    core::Result<void> end_session(std::string_view id) override;

    /// Removes the ip-bindings this adapter made whose expiry has passed.
    /// @returns how many were removed.
    core::Result<int> remove_expired_bindings();

  private:
    core::Result<std::vector<core::hotspot::routeros::Reply>> call(
        const core::hotspot::routeros::Command& command);
    core::Result<std::string> profile_for(const HotspotUser& user);
    core::Result<std::string> user_id(std::string_view name);

    MikrotikOptions options_;
    const core::Clock& clock_;
    std::unique_ptr<RouterOsConnection> connection_;
};

/// The `=response=` of the challenge login: `00` + hex MD5(0x00 + password + challenge).
/// @errors Invalid (field `ret`) for a challenge that is not hex.
core::Result<std::string> routeros_challenge_response(std::string_view password,
                                                      std::string_view challenge_hex);

}  // namespace switchyard::adapters::hotspot
