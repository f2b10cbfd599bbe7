#pragma once
/// A streaming server process's link to the main server (`serve --iptv-main URL`): admissions
/// and lease renewals and closes over the main server's HTTP API
/// (`/v1/iptv/edge/{id}/admissions`, `/v1/iptv/edge/{id}/leases/{lease}/renew|close`,
/// api/routes/iptv/delivery.cpp), authenticated with an admin API key. The main server decides
/// every lease on its own log, so `max_connections` holds across all servers; an edge that dies
/// leaves its leases to expire there.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "api/routes/iptv/iptv_api.hpp"
#include "core/time.hpp"

namespace switchyard::app {

/// api::MainServer over HTTP (libcurl, app/http_client.hpp). Bytes counted for a lease travel
/// with its next renewal or close. A renewal that cannot reach the main server keeps the lease
/// while its last known expiry lies ahead (the next renewal tries again), so a short outage of
/// the main server does not cut viewers off. @thread safe.
class MainServerClient final : public api::MainServer {
  public:
    /// `base_url`: the main server (`http://main:8080`); `server_id`: this process's id in the
    /// main server's `/v1/iptv/servers`; `api_key`: an admin API key of the main server;
    /// `timeout`: bound on each call.
    MainServerClient(std::string base_url, std::int64_t server_id, std::string api_key,
                     const core::Clock& clock,
                     std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

    core::Result<std::variant<Admission, Refusal>> admit(const std::string& token,
                                                         const std::string& file,
                                                         const std::string& remote_ip,
                                                         const std::string& user_agent) override;
    core::Result<void> renew(std::int64_t line_id, const std::string& lease_id) override;
    core::Result<void> close(std::int64_t line_id, const std::string& lease_id,
                             const std::string& reason) override;
    void count_bytes(const std::string& lease_id, std::int64_t n) override;
    std::optional<core::Timestamp> expires_at(const std::string& lease_id) const override;
    std::chrono::seconds timeout() const override;

  private:
    struct Held {
        core::Timestamp expires_at;
        std::int64_t bytes = 0;  ///< Counted since the lease's previous event.
    };
    /// Takes the bytes counted for `lease_id` (0 when none).
    std::int64_t take_bytes(const std::string& lease_id);

    std::string base_url_;
    std::int64_t server_id_;
    std::string auth_header_;
    const core::Clock& clock_;
    std::chrono::milliseconds call_timeout_;
    mutable std::mutex mu_;
    std::map<std::string, Held> held_;
    std::chrono::seconds lease_timeout_{30};
};

}  // namespace switchyard::app
