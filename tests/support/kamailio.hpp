#pragma once
/// A real Kamailio 5.6 for tests: the shipped configuration (adapters/kamailio/kamailio.cfg)
/// run as is, its `#!trydef` defines overridden on the command line (`-A`): the listen socket
/// (a free loopback UDP port), the Switchyard httpcon (with the API key), fewer
/// workers. Started in the foreground (`-DD -E`) with its runtime files in a temporary
/// directory, stopped by PID. Nothing under /etc or /run is used.
///
/// Tools: Debian `kamailio` (tm, dialog, rtjson, async, mqueue, rtimer, htable, auth, uac,
/// jsonrpcs), `kamailio-utils-modules` (http_client), `kamailio-extra-modules` (jansson).
/// missing_kamailio() says what is absent so the test can skip (tests/support/skip.hpp).

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace switchyard::testing {

/// A free UDP port on 127.0.0.1 (bound to port 0, read, closed).
int free_sip_port();

/// The first missing binary or module, or nullopt when Kamailio can run here.
std::optional<std::string> missing_kamailio();

/// A Kamailio process with the shipped configuration.
class Kamailio {
  public:
    /// @param switchyard_base `http://user:key@127.0.0.1:PORT` (no trailing slash).
    Kamailio(const std::filesystem::path& cfg, const std::filesystem::path& work_dir,
             std::string switchyard_base);
    Kamailio(const Kamailio&) = delete;
    Kamailio& operator=(const Kamailio&) = delete;
    ~Kamailio();

    /// Adds `-A <define>` to the command line (`SY_DS_LIST="/tmp/x/dispatcher.list"`).
    void define(std::string define) { defines_.push_back(std::move(define)); }
    /// `kamailio -c`: nullopt when the configuration is OK, else what it printed.
    std::optional<std::string> check() const;
    /// Starts it and waits (up to `wait`) until it answers a SIP OPTIONS on its port.
    /// @returns false when it did not (see log()).
    bool start(std::chrono::milliseconds wait = std::chrono::seconds(15));
    /// Stops it by PID: SIGTERM, SIGKILL after 5 s.
    void stop();

    int port() const { return port_; }
    /// `127.0.0.1:<port>`, what SIPp dials.
    std::string address() const;
    /// What it logged (stderr).
    std::string log() const;

  private:
    std::vector<std::string> args(bool check_only) const;
    std::filesystem::path cfg_, dir_, log_;
    std::string base_;
    std::vector<std::string> defines_;
    int port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace switchyard::testing
