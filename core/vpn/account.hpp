#pragma once
/// A customer's VPN account as the API reaches it: whose account a request acts on, the plan it
/// is subscribed to with the limits in use, and the lookups of one device, peer or port forward
/// by the id a request names. Pure rules behind `/v1/vpn/...` (api/routes/vpn).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/identity/user.hpp"
#include "core/result.hpp"
#include "core/vpn/customer.hpp"
#include "core/vpn/network.hpp"

namespace switchyard::core::vpn {

/// The customer whose account a request acts on: a customer always acts on their own account;
/// staff (admin, reseller, support) name one.
/// @param requested the `customer_id` the request names; empty when none.
/// @returns the customer's user id.
/// @errors NotFound naming `customer_id` when a customer names another account (as if it did
///         not exist); Invalid naming `customer_id` when staff name none.
Result<std::string> account_customer_id(const identity::Principal& caller,
                                        const std::string& requested);

/// The user an account id names, as the users read model holds it.
struct AccountHolder {
    std::string role;        ///< Wire name: `customer`, `reseller`, `admin`, ...
    std::string owner_path;  ///< Its place in the reseller tree (core/identity/user.hpp).
};

/// Checks that `customer_id` is an account the caller may act on: the caller's own, or a
/// customer inside the caller's scope.
/// @param holder the user `customer_id` names; none when there is no such user.
/// @errors NotFound naming `customer_id` when there is no such user or it lies outside the
///         caller's scope; Rejected naming `customer_id` when the user is not a customer.
Result<void> check_account_holder(const identity::Principal& caller, const std::string& customer_id,
                                  const std::optional<AccountHolder>& holder);

/// The plan a customer is subscribed to.
/// @errors NotFound naming `plan_id` when the customer has no plan, or its plan no longer
///         exists.
Result<const Plan*> subscribed_plan(const CustomerState& s, const NetworkState& network,
                                    const std::string& customer_id);

/// One limit of a plan and how much of it is in use.
struct LimitUse {
    std::string name;                 ///< `home_network_devices`, `personal_devices`, or a type.
    std::int64_t current = 0;         ///< Devices on the account that count against it.
    std::optional<std::int64_t> max;  ///< None: unlimited.
    std::optional<std::int64_t> remaining;  ///< `max - current`, at least 0; none when unlimited.
};

/// The limits of `plan` over the devices of `s`: home-network and personal devices (the
/// `limits` of TrueVault 1.4), then each per-type limit of the plan, by type name.
std::vector<LimitUse> plan_limits(const Plan& plan, const CustomerState& s);

/// The device `device_id` of the account.
/// @param field the name the request gives the id (`device_id` in a body, `id` in a path).
/// @errors NotFound naming `field` when the account has no such device.
Result<const Device*> find_device(const CustomerState& s, const std::string& device_id,
                                  const char* field = "device_id");

/// The WireGuard peer of device `device_id`.
/// @errors NotFound naming `field` when the device has no peer.
Result<const Peer*> find_peer(const CustomerState& s, const std::string& device_id,
                              const char* field = "device_id");

/// The port forward `forward_id` of the account.
/// @errors NotFound naming `field` when the account has no such forward.
Result<const PortForward*> find_forward(const CustomerState& s, std::int64_t forward_id,
                                        const char* field = "forward_id");

/// Where a port forward is reached from outside: `<endpoint host>:<external port>` of its
/// server (brackets around an IPv6 host); the server id stands in for the host of a server
/// that no longer exists.
std::string forward_access_url(const NetworkState& network, const PortForward& f);

}  // namespace switchyard::core::vpn
