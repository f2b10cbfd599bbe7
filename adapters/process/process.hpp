#pragma once
/// Runs a program without a shell: a fixed argument vector, optional stdin, stdout and stderr
/// captured together up to a size bound, killed (SIGKILL) past a time bound.

#include <cstdint>
#include <string>
#include <vector>

namespace switchyard::adapters {

/// What a program run gave.
struct ProcessResult {
    int exit_code = -1;      ///< Exit status; 128 + signal when killed; -1 when it did not start.
    bool timed_out = false;  ///< Killed after the time bound.
    bool truncated = false;  ///< Output past the size bound was dropped.
    std::int64_t duration_ms = 0;
    std::string output;  ///< stdout and stderr, interleaved as written.
};

/// Runs `argv` (argv[0] looked up on PATH) with an empty environment but PATH and LC_ALL=C.
/// @param input written to the program's stdin, which is then closed.
/// @param timeout_ms kill after this long.
/// @param max_output keep at most this many bytes of output (the rest is read and dropped).
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input,
                          int timeout_ms, std::size_t max_output);

}  // namespace switchyard::adapters
