#pragma once
/// Which server a device goes to (TrueVault 1.3, generalised to any set of servers and plans):
/// a high-bandwidth device goes to a shared server with unlimited bandwidth that the customer
/// may use, else to the customer's dedicated server, else it is refused with the plans that
/// would allow it. Other devices prefer a streaming-optimized server, then the least loaded.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "core/vpn/network.hpp"

namespace switchyard::core::vpn {

/// A server chosen for a device and why.
struct ServerChoice {
    std::string server_id;
    std::string server_name;
    std::string reason;
};

/// Why `customer_id` on `plan` may not use `server`; none when it may. Covers the dedicated
/// owner, dedicated-only plans, VIP-only servers and their allowlist, and capacity (`load` =
/// peers the server carries now).
std::optional<std::string> access_refusal(const Server& server, const Plan& plan,
                                          const std::string& customer_id, std::int64_t load);

/// Why `server`'s policy does not take a device classified as `device`; none when it does.
/// @param type the device type from the rules (for its label and needs).
std::optional<std::string> policy_refusal(const Server& server, const Classification& device,
                                          const DeviceType& type);

/// Chooses a server for a device.
/// @param load peers per server id now (absent = 0).
/// @errors Rejected with a reason naming the device type, what it needs and the plans (if any)
///         that would allow it.
Result<ServerChoice> select_server(const NetworkState& network, const Plan& plan,
                                   const std::string& customer_id, const Classification& device,
                                   const DeviceType& type,
                                   const std::map<std::string, std::int64_t>& load);

/// Checks a manual assignment. @errors NotFound for an unknown server; Rejected with the reason
/// the customer or the policy refuses it.
Result<ServerChoice> check_assignment(const NetworkState& network, const Plan& plan,
                                      const std::string& customer_id, const Classification& device,
                                      const DeviceType& type, const std::string& server_id,
                                      std::int64_t load);

}  // namespace switchyard::core::vpn
