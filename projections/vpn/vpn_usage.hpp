#pragma once
/// The `vpn_usage` read model: WireGuard traffic per device and per customer per calendar month
/// (UTC), summed from `vpn.peer.usage_recorded` deltas, so totals survive interface restarts
/// and counter resets; and the last interface counters per peer, for the next delta.
///
/// Keys: `m/<customer_id>/<YYYY-MM>/<device_id>` -> a device's UsageTotals JSON
/// (`{"rx_bytes", "tx_bytes", "last_handshake"}`); `c/<customer_id>/<YYYY-MM>` -> the customer's
/// UsageTotals JSON; `k/<server_id>/<public_key>` -> PeerCounters JSON
/// (`{"rx_counter", "tx_counter"}`).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "projections/projector.hpp"

namespace switchyard::projections::vpn {

inline constexpr const char* kVpnUsage = "vpn_usage.v1";

std::unique_ptr<Projector> make_vpn_usage_projector();

/// Bytes in one month. rx = received by the server from the peer (the device's upload).
struct UsageTotals {
    std::int64_t rx_bytes = 0, tx_bytes = 0;
    std::optional<std::int64_t> last_handshake;  ///< Unix seconds.
    std::int64_t total() const { return rx_bytes + tx_bytes; }
};

/// A device's usage in `month` (`YYYY-MM`); zeros when none.
UsageTotals device_usage(const ReadModelView& view, const std::string& customer_id,
                         const std::string& device_id, const std::string& month);
/// A customer's usage in `month`, in all and per device (device id order).
struct CustomerUsage {
    UsageTotals total;
    std::vector<std::pair<std::string, UsageTotals>> devices;
};
CustomerUsage customer_usage(const ReadModelView& view, const std::string& customer_id,
                             const std::string& month);

/// The interface counters at the last record of a peer on a server; none before the first.
struct PeerCounters {
    std::int64_t rx_counter = 0, tx_counter = 0;
};
std::optional<PeerCounters> last_counters(const ReadModelView& view, const std::string& server_id,
                                          const std::string& public_key);

}  // namespace switchyard::projections::vpn
