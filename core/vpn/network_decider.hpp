#pragma once
/// Decide and evolve for the VPN offer: plans and servers (pure; see core/vpn/network.hpp).

#include <vector>

#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "core/vpn/customer.hpp"
#include "core/vpn/network.hpp"

namespace switchyard::core::vpn {

/// Creates or replaces a plan.
struct DefinePlan {
    Plan plan;
};
struct RemovePlan {
    std::string plan_id;
};
/// Appends `plans` only when the offer never had a plan (first start).
struct SeedPlans {
    std::vector<Plan> plans;
};
/// Creates or replaces a server. A new server needs `public_key` and `private_key_sealed`
/// (made by the command side); a replacement with them empty keeps the existing key pair.
struct DefineServer {
    Server server;
};
struct RemoveServer {
    std::string server_id;
};

void evolve(NetworkState& state, const NetworkEvent& event);

/// @errors Invalid naming the malformed field (id, name, a negative maximum, a type name).
Result<std::vector<NetworkEvent>> decide(const NetworkState& s, const DefinePlan& c,
                                         const DecisionContext& ctx);
/// @errors NotFound for an unknown plan.
Result<std::vector<NetworkEvent>> decide(const NetworkState& s, const RemovePlan& c,
                                         const DecisionContext& ctx);
/// @errors Invalid as for DefinePlan.
Result<std::vector<NetworkEvent>> decide(const NetworkState& s, const SeedPlans& c,
                                         const DecisionContext& ctx);
/// @errors Invalid naming the malformed field (endpoint, port, pools, DNS, policy), or naming
///         `ipv4_pool`/`ipv6_pool` when a new server's pool is shorter than /16 (IPv4) or /48
///         (IPv6) or a pool contains the server's endpoint address; Conflict when another server
///         has the same endpoint and port, or naming the pool that overlaps another server's.
Result<std::vector<NetworkEvent>> decide(const NetworkState& s, const DefineServer& c,
                                         const DecisionContext& ctx);
/// @errors NotFound for an unknown server; Rejected while it carries peers or forwards.
Result<std::vector<NetworkEvent>> decide(const NetworkState& s,
                                         const ServerAllocationState& allocations,
                                         const RemoveServer& c, const DecisionContext& ctx);

/// True for a plan or server id: `[a-z0-9_-]{1,32}`.
bool valid_offer_id(std::string_view id) noexcept;

}  // namespace switchyard::core::vpn
