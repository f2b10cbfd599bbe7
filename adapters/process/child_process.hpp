#pragma once
/// A long-running child program (an FFmpeg worker): started without a shell, its stdin on
/// /dev/null, stdout and stderr appended to a log file, in a process group of its own, stopped
/// by SIGTERM and, past a grace period, SIGKILL. The short-lived counterpart is run_process
/// (adapters/process/process.hpp).

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace switchyard::adapters {

/// One running (or exited, not yet reaped) child. Move-only; the destructor stops it.
/// @thread not safe; the owner locks.
class ChildProcess {
  public:
    /// Starts `argv` (argv[0] looked up on PATH) with PATH and LC_ALL=C as its environment.
    /// @param log_file where stdout and stderr are appended (created 0600 if missing).
    /// @errors Unavailable naming `argv[0]` when the log cannot be opened or the program
    /// cannot be started (the reason from errno); Invalid for an empty `argv`.
    static core::Result<ChildProcess> start(const std::vector<std::string>& argv,
                                            const std::filesystem::path& log_file);

    ChildProcess() = default;
    ChildProcess(ChildProcess&& other) noexcept;
    ChildProcess& operator=(ChildProcess&& other) noexcept;
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    ~ChildProcess();

    /// The child's process id; -1 when none was started or it was reaped.
    pid_t pid() const noexcept { return pid_; }
    /// Reaps the child if it has exited. @returns its exit status (128 + signal when killed),
    /// or none while it runs (or when there is no child).
    std::optional<int> poll();
    /// Stops the child's process group: SIGTERM, up to `grace` for it to exit, then SIGKILL;
    /// reaps it. @returns its exit status, or none when there was no child.
    std::optional<int> stop(std::chrono::milliseconds grace = std::chrono::milliseconds(2000));

  private:
    pid_t pid_ = -1;
};

/// True when process `pid` runs and its command line contains `needle` (Linux /proc), e.g.
/// an FFmpeg worker of an earlier run whose output directory is `needle`.
bool process_matches(pid_t pid, const std::string& needle);

}  // namespace switchyard::adapters
