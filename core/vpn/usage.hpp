#pragma once
/// What the WireGuard adapter and the diagnostics record: per-peer traffic as deltas (so totals
/// survive interface restarts and counter resets), the outcome of each reconciliation that
/// changed or failed, and each diagnostic run (for the audit trail).
/// Usage and reconciliations go to `vpn_usage-<server id>`; diagnostics to
/// `vpn_diagnostics-<tenant>`. Both are appended without an expected revision: they are
/// observations, not decisions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/result.hpp"
#include "core/time.hpp"

namespace switchyard::core::vpn {

/// Traffic of one peer since the previous record.
struct PeerUsageRecorded {
    static constexpr std::string_view kType = "vpn.peer.usage_recorded";
    std::string server_id, customer_id, device_id, public_key;
    std::int64_t rx_bytes = 0;  ///< Received by the server from the peer since the last record.
    std::int64_t tx_bytes = 0;  ///< Sent by the server to the peer since the last record.
    /// The interface's counters at this record, for computing the next delta.
    std::int64_t rx_counter = 0, tx_counter = 0;
    std::optional<Timestamp> last_handshake;
    Timestamp at;
};

/// A reconciliation that changed the interface or failed.
struct InterfaceReconciled {
    static constexpr std::string_view kType = "vpn.interface.reconciled";
    std::string server_id, interface_name;
    std::int64_t peers_added = 0, peers_removed = 0, peers_updated = 0;
    bool ok = true;
    std::string error;         ///< Why it failed; empty when ok.
    std::int64_t attempt = 1;  ///< 1 for a first try, more for a retry after failures.
};

/// A diagnostic was run for a customer (core/vpn/diagnostics.hpp).
struct DiagnosticRan {
    static constexpr std::string_view kType = "vpn.diagnostic.ran";
    std::string customer_id, tool, target;
    std::int64_t exit_code = 0;
    std::int64_t duration_ms = 0;
    bool timed_out = false;
    std::int64_t output_bytes = 0;
};

using UsageEvent = std::variant<PeerUsageRecorded, InterfaceReconciled, DiagnosticRan>;

/// The bytes a counter moved since `previous`: the difference, or all of `current` when the
/// counter went back (the interface or the peer was recreated and counts from zero again).
inline std::int64_t counter_delta(std::int64_t previous, std::int64_t current) {
    return current >= previous ? current - previous : current;
}

/// `YYYY-MM` of a time in UTC: the month usage and quotas count in.
std::string usage_month(Timestamp t);

/// The month a usage query asks for: `requested` when given, else the month of `now`.
/// @param requested `YYYY-MM` or empty.
/// @returns `YYYY-MM`.
/// @errors Invalid naming `month` when `requested` is not a month such as `2026-01`.
Result<std::string> usage_month_of(const std::string& requested, Timestamp now);

inline std::string usage_stream(const std::string& server_id) { return "vpn_usage-" + server_id; }
inline std::string diagnostics_stream(const std::string& tenant) {
    return "vpn_diagnostics-" + tenant;
}

}  // namespace switchyard::core::vpn
