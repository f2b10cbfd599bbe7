#pragma once
/// Decide and evolve for VPN customers and server allocations (pure; see core/vpn/customer.hpp).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "core/vpn/customer.hpp"
#include "core/vpn/network.hpp"

namespace switchyard::core::vpn {

/// Most devices one scan may carry.
inline constexpr std::size_t kMaxScanDevices = 256;
/// External ports handed out when a forward names none: the first free one from here up.
inline constexpr std::int64_t kFirstAllocatedPort = 20000;

/// Subscribes a customer to a plan (or changes plan).
struct Subscribe {
    std::string customer_id;
    std::string plan_id;
    std::string owner_path = "/";  ///< The customer's own owner path (core/identity/user.hpp).
};

/// One device as a client describes it (a scan entry of TrueVault 1.4, or a single add).
struct DeviceInput {
    std::string device_id, ip, mac, hostname, vendor, type, type_name, icon;
    std::vector<OpenPort> open_ports;
    std::optional<Timestamp> discovered_at;
    std::optional<std::string> oui_vendor;  ///< Looked up by the command side from `mac`.
    std::string server_id;                  ///< Requested server; empty = choose one.
};

/// A scan's `discovered_at`: RFC 3339, or a date-time without an offset as scanners send it
/// (`2026-01-14T12:00:00`), read as UTC. @returns none when it is neither.
std::optional<Timestamp> parse_discovered_at(const std::string& text);

/// Adds devices, each within the plan's limits and on a server that takes it.
struct AddDevices {
    std::string customer_id;
    std::vector<DeviceInput> devices;
    std::string source = "api";                ///< `scan` or `api`.
    std::map<std::string, std::int64_t> load;  ///< Peers per server now, for selection.
    /// One device added by itself (POST /v1/vpn/devices), not a scan: field names carry no
    /// `devices[i].` prefix, and a device a scan would skip is refused instead.
    bool single = false;
};

/// What became of one device of an AddDevices.
struct DeviceOutcome {
    std::string device_id, name, type;
    DeviceCategory category = DeviceCategory::Personal;
    bool added = false;
    std::string server_id, server_name;
    std::string reason;                       ///< Why this server, or why the device was skipped.
    std::vector<std::string> classification;  ///< Why this type.
};

struct AssignServer {
    std::string customer_id, device_id, server_id;
    std::int64_t load = 0;  ///< Peers the server carries now.
};
struct RemoveDevice {
    std::string customer_id, device_id;
};

/// Creates the device's WireGuard peer on its server. Keys are made by the command side.
struct CreatePeer {
    std::string customer_id, device_id;
    std::string public_key;          ///< Base64 of 32 bytes (client's, or generated).
    std::string private_key_sealed;  ///< Empty when the client supplied the public key.
    std::string preshared_key_sealed;
    std::optional<std::vector<std::string>> dns;       ///< Default: the server's.
    std::optional<std::int64_t> persistent_keepalive;  ///< Default: the server's.
    PeerLimits limits;
};
/// Changes a peer; unset fields keep their value.
struct UpdatePeer {
    std::string customer_id, device_id;
    std::optional<bool> enabled;
    std::optional<PeerLimits> limits;
};
/// Disables a peer for a reason found by the adapter (expiry, quota); no-op if already off.
struct DisablePeer {
    std::string customer_id, device_id;
    DisableReason reason = DisableReason::Manual;
};
struct RemovePeer {
    std::string customer_id, device_id;
};

/// One port of a forward request or template.
struct ForwardSpec {
    std::string local_ip;                       ///< Default: the device's `ip`.
    std::int64_t local_port = 0;                ///< 1 to 65535.
    std::optional<std::int64_t> external_port;  ///< 1 to 65535; none = allocate.
    ForwardProtocol protocol = ForwardProtocol::Tcp;
    std::string description;
};
/// Creates forwards for a device, all or none (one request, or a template's ports).
struct CreatePortForwards {
    std::string customer_id, device_id;
    std::vector<ForwardSpec> ports;
    std::string field_prefix;  ///< Prefix of field names in errors, e.g. `ports[1].`.
};
struct UpdatePortForward {
    std::string customer_id;
    std::int64_t forward_id = 0;
    std::optional<std::string> local_ip;
    std::optional<std::int64_t> local_port;
    std::optional<std::int64_t> external_port;
    std::optional<ForwardProtocol> protocol;
    std::optional<std::string> description;
    std::optional<std::string> status;
};
struct RemovePortForward {
    std::string customer_id;
    std::int64_t forward_id = 0;
};

/// What a customer command decided: events for the customer, events per server allocation
/// stream, and per-command details.
struct CustomerDecision {
    std::vector<CustomerEvent> events;
    std::map<std::string, std::vector<ServerAllocationEvent>> allocations;  ///< By server id.
    std::vector<DeviceOutcome> devices;     ///< AddDevices: one per input, in order.
    std::vector<std::int64_t> forward_ids;  ///< CreatePortForwards: the new forwards.
};

void evolve(CustomerState& state, const CustomerEvent& event);
void evolve(ServerAllocationState& state, const ServerAllocationEvent& event);

/// Devices counted against the plan: per category and per type.
struct DeviceCounts {
    std::map<DeviceCategory, std::int64_t> categories;
    std::map<std::string, std::int64_t> types;
};
DeviceCounts count_devices(const CustomerState& s);

/// @errors NotFound for an unknown plan; Rejected when the customer has more devices than the
///         new plan allows (the message names the category).
Result<CustomerDecision> decide(const CustomerState& s, const NetworkState& network,
                                const Subscribe& c, const DecisionContext& ctx);
/// Classifies each device, skips known ones (same id or MAC), holds the plan's limits and
/// chooses (or checks) its server; a skipped device says why in its outcome.
/// @errors Invalid naming the malformed field (`devices[2].mac`; `mac` when `c.single`);
///         Rejected when the customer has no plan. When `c.single`, a device that would be
///         skipped: Conflict naming `id` when it is already on the account (same id or MAC),
///         else Rejected naming `server_id` with the reason (a plan limit, no server takes it).
Result<CustomerDecision> decide(const CustomerState& s, const NetworkState& network,
                                const ClassificationRules& rules, const AddDevices& c,
                                const DecisionContext& ctx);
/// @errors NotFound for an unknown device or server; Rejected when the policy refuses it or
///         the device has a peer on another server.
Result<CustomerDecision> decide(const CustomerState& s, const NetworkState& network,
                                const ClassificationRules& rules, const AssignServer& c,
                                const DecisionContext& ctx);
/// Removes a device with its peer and forwards, releasing addresses and ports.
/// @errors NotFound for an unknown device.
Result<CustomerDecision> decide(const CustomerState& s, const RemoveDevice& c,
                                const DecisionContext& ctx);
/// @param allocations the state of the device's server.
/// @errors NotFound for an unknown device; Conflict when it has a peer; Rejected when it has
///         no server, or the server is full or out of addresses, or naming `expires_at` when
///         it is not after `ctx.now`; Invalid for a malformed key, DNS server, keepalive or quota.
Result<CustomerDecision> decide(const CustomerState& s, const NetworkState& network,
                                const ServerAllocationState& allocations, const CreatePeer& c,
                                const DecisionContext& ctx);
/// @errors NotFound when the device has no peer; Invalid for a negative quota; Rejected naming
///         `expires_at` when a changed expiry is not after `ctx.now`.
Result<CustomerDecision> decide(const CustomerState& s, const UpdatePeer& c,
                                const DecisionContext& ctx);
/// @errors NotFound when the device has no peer.
Result<CustomerDecision> decide(const CustomerState& s, const DisablePeer& c,
                                const DecisionContext& ctx);
/// @errors NotFound when the device has no peer.
Result<CustomerDecision> decide(const CustomerState& s, const RemovePeer& c,
                                const DecisionContext& ctx);
/// @param allocations the state of the device's server.
/// @errors NotFound for an unknown device; Invalid naming the field for a port outside
///         1-65535 or a malformed local IP; Rejected when the device has no server; Conflict
///         when the external port is taken for that protocol.
Result<CustomerDecision> decide(const CustomerState& s, const NetworkState& network,
                                const ServerAllocationState& allocations,
                                const CreatePortForwards& c, const DecisionContext& ctx);
/// @errors as CreatePortForwards; NotFound for an unknown forward.
Result<CustomerDecision> decide(const CustomerState& s, const NetworkState& network,
                                const ServerAllocationState& allocations,
                                const UpdatePortForward& c, const DecisionContext& ctx);
/// @errors NotFound for an unknown forward.
Result<CustomerDecision> decide(const CustomerState& s, const RemovePortForward& c,
                                const DecisionContext& ctx);

/// Checks one forward port: ports 1-65535, local IP an address, protocol given.
/// @returns the field (after `prefix`) and reason of the first problem, or none.
std::optional<Error> check_forward_spec(const ForwardSpec& spec, const std::string& prefix);

}  // namespace switchyard::core::vpn
