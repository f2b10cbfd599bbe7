#pragma once
/// SIPp 3.6 for tests: the scenarios of adapters/kamailio/sipp (a caller that hangs up after
/// `-d`, one that waits for the switch's BYE, carriers that answer 200, 503 or 486), run as
/// child processes in a temporary directory and waited for, or stopped by PID.
///
/// Exit codes (`sipp -h`): 0 every call succeeded, 1 at least one failed, 97 internal command,
/// 99 no call, 255 fatal or `-timeout_error`, 254 bind error. A carrier started with `-m N`
/// exits 0 only once it completed N calls, BYE included.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace switchyard::testing {

/// Nullopt when `sipp` is on the PATH, else what to install.
std::optional<std::string> missing_sipp();

/// One SIPp process.
class Sipp {
  public:
    /// @param scenario a file of adapters/kamailio/sipp (`uas_rr.xml`).
    /// @param args the rest of the command line (`-i 127.0.0.1 -p 15071 -m 1 ...`);
    ///        `-sf`, `-nostdin` and `-trace_stat`/`-stf` are added.
    Sipp(const std::filesystem::path& work_dir, const std::string& scenario,
         std::vector<std::string> args);
    Sipp(const Sipp&) = delete;
    Sipp& operator=(const Sipp&) = delete;
    ~Sipp();

    /// Starts it in the background.
    void start();
    /// Waits up to `limit` for it to exit. @returns its exit code; -1 when it had to be killed.
    int wait(std::chrono::milliseconds limit = std::chrono::seconds(30));
    /// Starts it and waits for it (start + wait).
    int run(std::chrono::milliseconds limit = std::chrono::seconds(30));
    /// Stops it by PID (SIGTERM, then SIGKILL).
    void stop();
    /// What it printed.
    std::string output() const;
    /// A file it wrote in its directory (its working directory: `-message_file messages.log`
    /// lands there).
    std::string file(const std::string& name) const;
    /// What it wrote with `-trace_err` (`<scenario>_<pid>_errors.log`: each unexpected message
    /// with the reason), the first `limit` bytes; empty without that option.
    std::string errors(std::size_t limit = 4000) const;
    /// The last value of a `-trace_stat` CSV column (`SuccessfulCall(C)`), or -1.
    long long stat(const std::string& column) const;
    /// ResponseTime1 of every call in ms (`-trace_rtt`, the `rtd="true"` timer), in order.
    std::vector<double> response_times_ms() const;

  private:
    std::filesystem::path dir_, out_;
    std::string name_;
    std::vector<std::string> argv_;
    pid_t pid_ = -1;
};

/// The scenario directory of the source tree (adapters/kamailio/sipp).
std::filesystem::path sipp_scenarios();

}  // namespace switchyard::testing
