#pragma once
/// The `vpn_peers` read model: the WireGuard peers each server interface should carry, as the
/// WireGuard adapter (adapters/wireguard/) reconciles them.
///
/// Keys: `s/<server_id>/<customer_id>/<device_id>` -> PeerRow JSON (the fields of PeerRow by
/// name); `d/<customer_id>/<device_id>` -> the server id (to find a device's row).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "projections/projector.hpp"

namespace switchyard::projections::vpn {

inline constexpr const char* kVpnPeers = "vpn_peers.v1";

std::unique_ptr<Projector> make_vpn_peers_projector();

/// One peer as a server sees it.
struct PeerRow {
    std::string server_id, customer_id, device_id;
    std::string public_key;
    std::string preshared_key_sealed;  ///< Sealed under the master key (events/secret_box.hpp).
    std::string ipv4, ipv6;            ///< Tunnel addresses, without prefix.
    bool enabled = true;
    std::string disabled_reason;              ///< `manual`, `expired`, `quota_exceeded` or empty.
    std::optional<std::int64_t> expires_at;   ///< Unix seconds.
    std::optional<std::int64_t> quota_bytes;  ///< Per calendar month (UTC).
};

/// The peers of `server_id` in (customer, device) order, enabled or not.
std::vector<PeerRow> list_server_peers(const ReadModelView& view, const std::string& server_id);

}  // namespace switchyard::projections::vpn
