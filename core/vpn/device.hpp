#pragma once
/// Devices on a VPN customer's account and how Switchyard classifies them.
/// Categories follow the TrueVault specification (1.2): home-network devices (high bandwidth:
/// IP cameras, gaming consoles, smart TVs, torrent clients, NAS) and personal devices (laptops,
/// desktops, phones, tablets, e-readers). Device types, their categories and the hints that point
/// to them are data (ClassificationRules, loaded from config/vpn/device_types.json), not code.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::core::vpn {

/// The two device categories that plan limits count. Wire names `home_network`, `personal`.
enum class DeviceCategory { HomeNetwork, Personal };
const char* to_string(DeviceCategory c) noexcept;
/// Parses a wire name; false when unknown.
bool parse_device_category(std::string_view text, DeviceCategory& out) noexcept;

/// One device type, e.g. `ip_camera`.
struct DeviceType {
    std::string type;  ///< Wire name: `[a-z0-9_]{1,32}`.
    DeviceCategory category = DeviceCategory::Personal;
    bool high_bandwidth = false;       ///< Needs a server with unlimited bandwidth (TrueVault 1.3).
    std::string label;                 ///< For people: `Camera`, `Gaming console`.
    std::string needs;                 ///< Why it needs what it needs: `unlimited bandwidth`.
    std::vector<std::string> aliases;  ///< Other declared names: `camera`, `xbox`.
    friend bool operator==(const DeviceType&, const DeviceType&) = default;
};

/// A hint: when `match` is found, it points to `type`.
struct Hint {
    std::string match;  ///< Lower-case substring (vendor, hostname) or decimal port.
    std::string type;
};

/// The classification data. Weights say how much each kind of evidence counts; the type with
/// the highest total wins, ties going to a high-bandwidth type (the stricter routing).
struct ClassificationRules {
    std::vector<DeviceType> types;
    std::vector<Hint> vendor_hints;    ///< Substrings of the IEEE organization name.
    std::vector<Hint> port_hints;      ///< Open TCP/UDP port numbers.
    std::vector<Hint> hostname_hints;  ///< Substrings of the hostname.
    std::string fallback_type;         ///< When nothing points anywhere; must be one of `types`.
    int declared_weight = 3, oui_vendor_weight = 2, port_weight = 2, hostname_weight = 1,
        reported_vendor_weight = 1;

    /// The type named `name` or one of its aliases (case-insensitive); null when unknown.
    const DeviceType* find(std::string_view name) const;
};

/// An open port as a scanner reports it.
struct OpenPort {
    std::int64_t port = 0;  ///< 1 to 65535.
    std::string service;    ///< e.g. `rtsp`; may be empty.
    friend bool operator==(const OpenPort&, const OpenPort&) = default;
};

/// What is known about a device before it is classified.
struct DeviceEvidence {
    std::string declared_type;              ///< The client's `type`; may be empty or unknown.
    std::string reported_vendor;            ///< The client's `vendor`; may be empty.
    std::optional<std::string> oui_vendor;  ///< From the IEEE registry by MAC (core/vpn/oui.hpp).
    std::string hostname;
    std::vector<OpenPort> open_ports;
};

/// A classification and the reasons for it, one sentence per piece of evidence used.
struct Classification {
    std::string type;
    DeviceCategory category = DeviceCategory::Personal;
    bool high_bandwidth = false;
    std::vector<std::string> reasons;
    friend bool operator==(const Classification&, const Classification&) = default;
};

/// Classifies a device by weighing the declared type, the IEEE vendor of its MAC, its open ports,
/// its hostname and the vendor the client reported. A client cannot talk a camera into being a
/// laptop: a declared type loses when the registry vendor and the ports say otherwise.
/// @pre `rules` passed validate_rules.
Classification classify(const ClassificationRules& rules, const DeviceEvidence& evidence);

/// Checks a rule set: type names well formed and unique, aliases unique, every hint and the
/// fallback naming a known type, port hints being ports. @returns the first problem, or empty.
std::string validate_rules(const ClassificationRules& rules);

}  // namespace switchyard::core::vpn
