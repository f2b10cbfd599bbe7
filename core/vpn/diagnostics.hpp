#pragma once
/// The customer's network diagnostics (the TrueVault user terminal, 3.1, reduced to what is
/// safe): ping, traceroute and a DNS lookup of one host, as a fixed argument vector that is
/// run without a shell, bounded in time and output.

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/vpn/usage.hpp"

namespace switchyard::core::vpn {

/// A validated diagnostic: the program and its arguments.
struct DiagnosticCommand {
    std::string tool;               ///< `ping`, `traceroute` or `dns`.
    std::string target;             ///< The host as given.
    std::vector<std::string> argv;  ///< argv[0] is the program name, looked up on PATH.
    int timeout_ms = 0;             ///< Kill after this long.
};

/// What a diagnostic run gave.
struct DiagnosticResult {
    std::int64_t exit_code = 0;  ///< The program's exit status; -1 when it could not start.
    bool timed_out = false;      ///< Killed after `timeout_ms`.
    std::int64_t duration_ms = 0;
    std::string output;      ///< stdout and stderr, at most kMaxDiagnosticOutput bytes.
    bool truncated = false;  ///< More output was dropped.
};

/// Most bytes of output kept from a diagnostic.
inline constexpr std::size_t kMaxDiagnosticOutput = 16 * 1024;

/// Builds the command for `tool` on `target`.
/// @param tool `ping` (4 echo requests, 1 s apart, 2 s wait), `traceroute` (at most 20 hops,
///        1 probe each, 2 s wait) or `dns` (A and AAAA of a name, or PTR of an address, via
///        `dig +short`, 2 s timeout).
/// @param target an IPv4/IPv6 address or a DNS host name (RFC 1123); nothing that starts with
///        `-`, so it can never be read as an option.
/// @errors Invalid naming `tool` or `target` and why.
Result<DiagnosticCommand> diagnostic_command(const std::string& tool, const std::string& target);

/// What a diagnostic run records for the audit trail (`vpn.diagnostic.ran`): the customer, the
/// tool and target, how it ended, and how many bytes of output it gave (kept output only).
DiagnosticRan diagnostic_ran(const std::string& customer_id, const DiagnosticCommand& command,
                             const DiagnosticResult& result);

}  // namespace switchyard::core::vpn
