#pragma once
/// The operator's VPN offer: plans (device limits) and servers (endpoints, address pools and
/// routing policy). One aggregate per tenant, `vpn_network-<tenant>`; every plan and server
/// is data appended as events and editable through the API. The TrueVault table
/// (truevault-vpn-expansion.md 1.2) is the default plan set; its servers are an example in
/// docs/vpn.md.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/time.hpp"
#include "core/vpn/device.hpp"

namespace switchyard::core::vpn {

/// A plan: what a subscribed customer may add. An absent maximum means unlimited.
struct Plan {
    std::string plan_id;                           ///< `[a-z0-9_-]{1,32}`, e.g. `family`.
    std::string name;                              ///< e.g. `Family`.
    std::optional<std::int64_t> home_network_max;  ///< Home-network devices; none = unlimited.
    std::optional<std::int64_t> personal_max;      ///< Personal devices; none = unlimited.
    std::map<std::string, std::int64_t> type_max;  ///< Per device type, e.g. `ip_camera` → 1.
    bool vip_access = false;                       ///< May use servers marked `vip_only`.
    /// Devices may only use the customer's own dedicated server (TrueVault `Dedicated`).
    bool dedicated_server_only = false;
    friend bool operator==(const Plan&, const Plan&) = default;

    /// The maximum for a category; none = unlimited.
    std::optional<std::int64_t> max_for(DeviceCategory c) const {
        return c == DeviceCategory::HomeNetwork ? home_network_max : personal_max;
    }
};

/// Whether a server's uplink is metered for heavy use. Wire names `unlimited`, `limited`.
enum class BandwidthClass { Unlimited, Limited };
const char* to_string(BandwidthClass b) noexcept;
bool parse_bandwidth_class(std::string_view text, BandwidthClass& out) noexcept;

/// Which devices and customers a server accepts.
struct ServerPolicy {
    std::vector<DeviceCategory> allowed_categories{DeviceCategory::HomeNetwork,
                                                   DeviceCategory::Personal};
    std::vector<std::string> allowed_types;  ///< Empty = every type of an allowed category.
    BandwidthClass bandwidth = BandwidthClass::Unlimited;
    bool streaming_optimized = false;    ///< Not flagged by streaming services (Dallas, Toronto).
    bool vip_only = false;               ///< Only plans with `vip_access`, or the allowlist.
    std::vector<std::string> allowlist;  ///< Customer user ids admitted to a `vip_only` server.
    std::optional<std::string> dedicated_owner;  ///< The one customer (user id) it serves.
    std::optional<std::int64_t> capacity;        ///< Most peers it carries; none = unlimited.
    friend bool operator==(const ServerPolicy&, const ServerPolicy&) = default;
};

/// A WireGuard server. The private key is sealed (events/secret_box.hpp) and never shown.
struct Server {
    std::string server_id;  ///< `[a-z0-9_-]{1,32}`, e.g. `nyc`.
    std::string name;       ///< e.g. `New York`.
    std::string location;
    std::string endpoint_host;         ///< Public DNS name or IP address clients dial.
    std::int64_t listen_port = 51820;  ///< UDP, 1 to 65535.
    std::string public_key;            ///< Base64 of the 32-byte X25519 public key.
    std::string private_key_sealed;
    std::string ipv4_pool;         ///< CIDR, e.g. `10.8.0.0/24`; the first host is the server's.
    std::string ipv6_pool;         ///< CIDR, e.g. `fd42:8::/64`, or empty.
    std::vector<std::string> dns;  ///< DNS servers written into client configurations.
    std::string client_allowed_ips = "0.0.0.0/0, ::/0";  ///< Client-side `AllowedIPs`.
    std::int64_t persistent_keepalive = 25;              ///< Seconds; 0 = off.
    ServerPolicy policy;
    friend bool operator==(const Server&, const Server&) = default;
};

// ---- events ----

/// A plan was created or replaced (all fields).
struct PlanDefined {
    static constexpr std::string_view kType = "vpn.plan.defined";
    Plan plan;
};
struct PlanRemoved {
    static constexpr std::string_view kType = "vpn.plan.removed";
    std::string plan_id;
};
/// A server was created or replaced (all fields).
struct ServerDefined {
    static constexpr std::string_view kType = "vpn.server.defined";
    Server server;
};
struct ServerRemoved {
    static constexpr std::string_view kType = "vpn.server.removed";
    std::string server_id;
};

using NetworkEvent = std::variant<PlanDefined, PlanRemoved, ServerDefined, ServerRemoved>;

struct NetworkState {
    bool plans_ever_defined = false;  ///< Default plans are seeded only into an empty offer.
    std::map<std::string, Plan> plans;
    std::map<std::string, Server> servers;
};

inline std::string network_stream(const std::string& tenant) { return "vpn_network-" + tenant; }

}  // namespace switchyard::core::vpn
