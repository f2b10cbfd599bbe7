#pragma once
/// A VPN customer's account: plan subscription, devices, their WireGuard peers and their port
/// forwards. One aggregate per customer (`vpn_customer-<user id>`), so that device limits are
/// checked against one revision: two scans sent at the same moment conflict, and the second is
/// decided again on top of the first.
///
/// What is shared between customers lives in one aggregate per server (`vpn_server-<id>`):
/// tunnel addresses and external ports, so that no two peers get one address and no two
/// forwards one port.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/time.hpp"
#include "core/vpn/device.hpp"

namespace switchyard::core::vpn {

/// A device on the customer's account. Field names follow the TrueVault scan request (1.4).
struct Device {
    std::string device_id;  ///< Client's id, e.g. `auto_192_168_1_100`: `[A-Za-z0-9_.:-]{1,64}`.
    std::string name;       ///< `type_name`, else the hostname, else the id.
    std::string ip, mac, hostname, vendor, declared_type, icon;
    std::vector<OpenPort> open_ports;
    std::optional<Timestamp> discovered_at;
    Classification classification;
    std::string server_id;      ///< Assigned server; empty when none could be chosen.
    std::string server_reason;  ///< Why this server.
    std::string source;         ///< `scan` or `api`.
    Timestamp added_at;
    friend bool operator==(const Device&, const Device&) = default;
};

/// Why a peer is off. Wire names `manual`, `expired`, `quota_exceeded`, `unpaid` (its billing
/// subscription is suspended, expired or canceled; payment enables it again).
enum class DisableReason { Manual, Expired, QuotaExceeded, Unpaid };
const char* to_string(DisableReason r) noexcept;
bool parse_disable_reason(std::string_view text, DisableReason& out) noexcept;

/// The customer-side settings of a WireGuard peer that can change after it is created.
struct PeerLimits {
    std::optional<Timestamp> expires_at;      ///< After it, the peer is disabled; none = never.
    std::optional<std::int64_t> quota_bytes;  ///< rx + tx per calendar month (UTC); none = none.
    friend bool operator==(const PeerLimits&, const PeerLimits&) = default;
};

/// A device's WireGuard peer on its server.
struct Peer {
    std::string server_id;
    std::string public_key;          ///< Base64, 32 bytes.
    std::string private_key_sealed;  ///< Empty when the client supplied its public key.
    std::string preshared_key_sealed;
    std::string ipv4;  ///< Tunnel address without prefix, e.g. `10.8.0.2`.
    std::string ipv6;  ///< Or empty when the server has no IPv6 pool.
    std::vector<std::string> dns;
    std::int64_t persistent_keepalive = 25;
    PeerLimits limits;
    bool enabled = true;
    std::optional<DisableReason> disabled_reason;
    friend bool operator==(const Peer&, const Peer&) = default;
};

/// Port forwarding protocols. Wire names `tcp`, `udp`, `both`.
enum class ForwardProtocol { Tcp, Udp, Both };
const char* to_string(ForwardProtocol p) noexcept;
bool parse_forward_protocol(std::string_view text, ForwardProtocol& out) noexcept;

/// A port forward: `<server endpoint>:<external_port>` reaches `local_ip:local_port` through the
/// device's tunnel (TrueVault 2.2).
struct PortForward {
    std::int64_t forward_id = 0;
    std::string device_id;
    std::string server_id;
    std::string local_ip;
    std::int64_t local_port = 0;
    std::int64_t external_port = 0;
    ForwardProtocol protocol = ForwardProtocol::Tcp;
    std::string description;
    std::string status = "active";  ///< `active` or `disabled`.
    friend bool operator==(const PortForward&, const PortForward&) = default;
};

// ---- customer events ----

struct PlanSubscribed {
    static constexpr std::string_view kType = "vpn.plan.subscribed";
    std::string plan_id;
    std::string owner_path;  ///< The customer's place in the reseller tree, for scoping reads.
};
struct DeviceAdded {
    static constexpr std::string_view kType = "vpn.device.added";
    Device device;
};
/// A device was moved to another server (manual assignment).
struct DeviceServerAssigned {
    static constexpr std::string_view kType = "vpn.device.server_assigned";
    std::string device_id, server_id, reason;
};
struct DeviceRemoved {
    static constexpr std::string_view kType = "vpn.device.removed";
    std::string device_id;
};
struct PeerCreated {
    static constexpr std::string_view kType = "vpn.peer.created";
    std::string device_id;
    Peer peer;
};
struct PeerLimitsChanged {
    static constexpr std::string_view kType = "vpn.peer.limits_changed";
    std::string device_id;
    PeerLimits limits;
};
struct PeerDisabled {
    static constexpr std::string_view kType = "vpn.peer.disabled";
    std::string device_id;
    DisableReason reason = DisableReason::Manual;
};
struct PeerEnabled {
    static constexpr std::string_view kType = "vpn.peer.enabled";
    std::string device_id;
};
struct PeerRemoved {
    static constexpr std::string_view kType = "vpn.peer.removed";
    std::string device_id;
};
/// The peer's secrets sealed again under the current master key (key rotation).
struct PeerKeysResealed {
    static constexpr std::string_view kType = "vpn.peer.keys_resealed";
    std::string device_id, private_key_sealed, preshared_key_sealed;
};
struct PortForwardCreated {
    static constexpr std::string_view kType = "vpn.port_forward.created";
    PortForward forward;
};
/// All fields after a change.
struct PortForwardUpdated {
    static constexpr std::string_view kType = "vpn.port_forward.updated";
    PortForward forward;
};
struct PortForwardRemoved {
    static constexpr std::string_view kType = "vpn.port_forward.removed";
    std::int64_t forward_id = 0;
};

using CustomerEvent =
    std::variant<PlanSubscribed, DeviceAdded, DeviceServerAssigned, DeviceRemoved, PeerCreated,
                 PeerLimitsChanged, PeerDisabled, PeerEnabled, PeerRemoved, PeerKeysResealed,
                 PortForwardCreated, PortForwardUpdated, PortForwardRemoved>;

struct CustomerState {
    std::string plan_id;  ///< Empty until subscribed.
    std::string owner_path = "/";
    std::map<std::string, Device> devices;  ///< By device id.
    std::map<std::string, Peer> peers;      ///< By device id.
    std::map<std::int64_t, PortForward> forwards;
    std::int64_t next_forward_id = 1;
};

// ---- server allocation events (stream `vpn_server-<id>`) ----

/// Tunnel addresses given to a peer.
struct AddressesAssigned {
    static constexpr std::string_view kType = "vpn.addresses.assigned";
    std::string ipv4, ipv6, customer_id, device_id;
};
struct AddressesReleased {
    static constexpr std::string_view kType = "vpn.addresses.released";
    std::string ipv4, ipv6;
};
/// An external port reserved for a forward; `both` reserves tcp and udp.
struct PortReserved {
    static constexpr std::string_view kType = "vpn.port.reserved";
    std::int64_t external_port = 0;
    ForwardProtocol protocol = ForwardProtocol::Tcp;
    std::string customer_id;
    std::int64_t forward_id = 0;
};
struct PortReleased {
    static constexpr std::string_view kType = "vpn.port.released";
    std::int64_t external_port = 0;
    ForwardProtocol protocol = ForwardProtocol::Tcp;
};

using ServerAllocationEvent =
    std::variant<AddressesAssigned, AddressesReleased, PortReserved, PortReleased>;

struct ServerAllocationState {
    std::set<std::string> addresses;              ///< IPv4 and IPv6 addresses in use.
    std::int64_t peers = 0;                       ///< Peers holding addresses.
    std::set<std::int64_t> tcp_ports, udp_ports;  ///< External ports in use.
};

inline std::string customer_stream(const std::string& customer_id) {
    return "vpn_customer-" + customer_id;
}
inline std::string server_allocation_stream(const std::string& server_id) {
    return "vpn_server-" + server_id;
}

}  // namespace switchyard::core::vpn
