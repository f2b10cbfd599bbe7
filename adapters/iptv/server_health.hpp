#pragma once
/// Health checks of the streaming servers: an HTTP GET of each enabled server's health path on
/// its base URL (libcurl, with a timeout). A server is marked down after `failures_before_down`
/// failed checks in a row and up again after `successes_before_up` good ones (as HAProxy's
/// `fall` and `rise`); `iptv.server.health_changed` is appended only when that changes what
/// the log says (core::iptv::SetServerHealth decides nothing otherwise). A check succeeds when
/// the server answers with a status below 400.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "events/iptv/server_service.hpp"

namespace switchyard::adapters::iptv {

/// How the servers are checked.
struct HealthCheckOptions {
    std::chrono::milliseconds timeout{2000};  ///< Per check, connect included. Default: 2 s.
    int failures_before_down = 3;             ///< Failed checks in a row. Default: 3.
    int successes_before_up = 2;              ///< Good checks in a row. Default: 2.
};

/// What one check of one server found.
struct HealthProbe {
    std::int64_t server_id{};
    bool ok = false;
    std::string detail;    ///< `HTTP 200`, `HTTP 503`, `timeout`, `connection refused`, ...
    bool changed = false;  ///< This check appended `iptv.server.health_changed`.
    std::string error;     ///< The command's error, when recording the change failed.
};

/// Checks every enabled server, once or every interval on a thread of its own.
/// @thread run_once and start/stop from one thread at a time.
class ServerHealthChecker {
  public:
    ServerHealthChecker(events::iptv::ServerService& servers, HealthCheckOptions options,
                        const core::Clock& clock);
    ~ServerHealthChecker();

    /// One check of every enabled server, in id order. Failures are reported, never thrown.
    std::vector<HealthProbe> run_once();
    /// Runs a round now and then every `interval` until stop().
    void start(std::chrono::milliseconds interval);
    void stop();

  private:
    struct Streak {
        int failures = 0;
        int successes = 0;
    };
    events::iptv::ServerService& servers_;
    HealthCheckOptions options_;
    const core::Clock& clock_;
    std::map<std::int64_t, Streak> streaks_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::thread thread_;
};

/// One HTTP GET of `url` with a timeout. @returns whether the answer's status is below 400, and
/// `HTTP <status>` or the transport error (`timeout`, `connection refused`, libcurl's text).
std::pair<bool, std::string> probe_url(const std::string& url, std::chrono::milliseconds timeout);

}  // namespace switchyard::adapters::iptv
