#include "core/vpn/account.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/vpn/customer_decider.hpp"
#include "core/vpn/wireguard_config.hpp"

namespace switchyard::core::vpn {

namespace {

Error no_such_customer(const std::string& id) {
    return Error{Errc::NotFound, "customer_id", fmt::format("customer '{}' does not exist", id)};
}

}  // namespace

Result<std::string> account_customer_id(const identity::Principal& caller,
                                        const std::string& requested) {
    if (caller.role == identity::Role::Customer) {
        if (!requested.empty() && requested != caller.user_id)
            return fail(no_such_customer(requested));
        return caller.user_id;
    }
    if (requested.empty())
        return fail(Errc::Invalid, "customer_id",
                    "is required: name the customer this request acts for");
    return requested;
}

Result<void> check_account_holder(const identity::Principal& caller, const std::string& customer_id,
                                  const std::optional<AccountHolder>& holder) {
    // A customer's scope is below its own row; staff reach the customers in their subtree.
    const bool own = caller.role == identity::Role::Customer && customer_id == caller.user_id;
    if (!holder || (!own && !identity::in_scope(caller.scope, holder->owner_path)))
        return fail(no_such_customer(customer_id));
    if (holder->role != "customer")
        return fail(Errc::Rejected, "customer_id",
                    fmt::format("user '{}' is a {}, not a customer", customer_id, holder->role));
    return {};
}

Result<const Plan*> subscribed_plan(const CustomerState& s, const NetworkState& network,
                                    const std::string& customer_id) {
    auto plan = network.plans.find(s.plan_id);
    if (plan == network.plans.end())
        return fail(Errc::NotFound, "plan_id",
                    fmt::format("customer '{}' has no plan", customer_id));
    return &plan->second;
}

std::vector<LimitUse> plan_limits(const Plan& plan, const CustomerState& s) {
    const auto counts = count_devices(s);
    auto limit = [](std::string name, std::int64_t current, std::optional<std::int64_t> max) {
        LimitUse u{std::move(name), current, max, std::nullopt};
        if (max) u.remaining = std::max<std::int64_t>(0, *max - current);
        return u;
    };
    auto in = [](const auto& counted, const auto& key) -> std::int64_t {
        auto it = counted.find(key);
        return it == counted.end() ? 0 : it->second;
    };
    std::vector<LimitUse> out{
        limit("home_network_devices", in(counts.categories, DeviceCategory::HomeNetwork),
              plan.home_network_max),
        limit("personal_devices", in(counts.categories, DeviceCategory::Personal),
              plan.personal_max)};
    for (const auto& [type, max] : plan.type_max)
        out.push_back(limit(type, in(counts.types, type), max));
    return out;
}

namespace {

/// The value under `key`, or null.
template <class Map>
const typename Map::mapped_type* lookup(const Map& map, const typename Map::key_type& key) {
    auto it = map.find(key);
    return it == map.end() ? nullptr : &it->second;
}

}  // namespace

Result<const Device*> find_device(const CustomerState& s, const std::string& device_id,
                                  const char* field) {
    if (const auto* d = lookup(s.devices, device_id)) return d;
    return fail(Errc::NotFound, field, fmt::format("device '{}' does not exist", device_id));
}

Result<const Peer*> find_peer(const CustomerState& s, const std::string& device_id,
                              const char* field) {
    if (const auto* p = lookup(s.peers, device_id)) return p;
    return fail(Errc::NotFound, field, fmt::format("device '{}' has no peer", device_id));
}

Result<const PortForward*> find_forward(const CustomerState& s, std::int64_t forward_id,
                                        const char* field) {
    if (const auto* f = lookup(s.forwards, forward_id)) return f;
    return fail(Errc::NotFound, field, fmt::format("port forward {} does not exist", forward_id));
}

std::string forward_access_url(const NetworkState& network, const PortForward& f) {
    auto it = network.servers.find(f.server_id);
    return authority(it == network.servers.end() ? f.server_id : it->second.endpoint_host,
                     f.external_port);
}

}  // namespace switchyard::core::vpn
