#include "core/vpn/selection.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

namespace switchyard::core::vpn {

namespace {

std::int64_t load_of(const std::map<std::string, std::int64_t>& load, const std::string& id) {
    auto it = load.find(id);
    return it == load.end() ? 0 : it->second;
}

std::string needs_sentence(const DeviceType& type) {
    return type.needs.empty() ? type.label : fmt::format("{} requires {}", type.label, type.needs);
}

bool dedicated_to(const Server& s, const std::string& customer_id) {
    return s.policy.dedicated_owner && *s.policy.dedicated_owner == customer_id;
}

}  // namespace

std::optional<std::string> access_refusal(const Server& s, const Plan& plan,
                                          const std::string& customer_id, std::int64_t load) {
    if (s.policy.dedicated_owner && *s.policy.dedicated_owner != customer_id)
        return fmt::format("{} is dedicated to another customer", s.name);
    if (plan.dedicated_server_only && !dedicated_to(s, customer_id))
        return fmt::format("plan {} uses only the customer's dedicated server", plan.name);
    if (s.policy.vip_only && !plan.vip_access && !dedicated_to(s, customer_id) &&
        std::find(s.policy.allowlist.begin(), s.policy.allowlist.end(), customer_id) ==
            s.policy.allowlist.end())
        return fmt::format("{} is for VIP plans only and plan {} has no VIP access", s.name,
                           plan.name);
    if (s.policy.capacity && load >= *s.policy.capacity)
        return fmt::format("{} is full ({} peers)", s.name, *s.policy.capacity);
    return std::nullopt;
}

std::optional<std::string> policy_refusal(const Server& s, const Classification& device,
                                          const DeviceType& type) {
    const auto& cats = s.policy.allowed_categories;
    if (std::find(cats.begin(), cats.end(), device.category) == cats.end())
        return fmt::format("{} does not accept {} devices ({})", s.name, to_string(device.category),
                           device.type);
    const auto& types = s.policy.allowed_types;
    if (!types.empty() && std::find(types.begin(), types.end(), device.type) == types.end())
        return fmt::format("{} does not accept {}", s.name, device.type);
    if (device.high_bandwidth && s.policy.bandwidth == BandwidthClass::Limited)
        return fmt::format("{}; {} has limited bandwidth", needs_sentence(type), s.name);
    return std::nullopt;
}

Result<ServerChoice> select_server(const NetworkState& network, const Plan& plan,
                                   const std::string& customer_id, const Classification& device,
                                   const DeviceType& type,
                                   const std::map<std::string, std::int64_t>& load) {
    std::vector<const Server*> shared, dedicated;
    for (const auto& [id, s] : network.servers) {
        if (auto why = access_refusal(s, plan, customer_id, load_of(load, id))) continue;
        if (auto why = policy_refusal(s, device, type)) continue;
        (dedicated_to(s, customer_id) ? dedicated : shared).push_back(&s);
    }
    // Least loaded first, then by id; for personal devices streaming-optimized servers first.
    auto order = [&](std::vector<const Server*>& v, bool streaming_first) {
        std::stable_sort(v.begin(), v.end(), [&](const Server* a, const Server* b) {
            if (streaming_first && a->policy.streaming_optimized != b->policy.streaming_optimized)
                return a->policy.streaming_optimized;
            return load_of(load, a->server_id) < load_of(load, b->server_id);
        });
    };
    if (device.high_bandwidth) {
        std::erase_if(shared, [](const Server* s) {
            return s->policy.bandwidth != BandwidthClass::Unlimited;
        });
        order(shared, false);
        if (!shared.empty()) {
            return ServerChoice{shared[0]->server_id, shared[0]->name,
                                fmt::format("{}: {} has unlimited bandwidth", needs_sentence(type),
                                            shared[0]->name)};
        }
        if (!dedicated.empty()) {
            return ServerChoice{dedicated[0]->server_id, dedicated[0]->name,
                                fmt::format("{}: assigned to your dedicated server {}",
                                            needs_sentence(type), dedicated[0]->name)};
        }
    } else {
        // A customer's own server first: it is theirs to fill.
        if (!dedicated.empty()) {
            return ServerChoice{dedicated[0]->server_id, dedicated[0]->name,
                                fmt::format("{} device: assigned to your dedicated server {}",
                                            type.label, dedicated[0]->name)};
        }
        order(shared, true);
        if (!shared.empty()) {
            const auto* s = shared[0];
            return ServerChoice{
                s->server_id, s->name,
                s->policy.streaming_optimized
                    ? fmt::format("{} device: {} is streaming-optimized", type.label, s->name)
                    : fmt::format("{} device: {} is the least loaded server that allows it",
                                  type.label, s->name)};
        }
    }
    // Refused: which plans would allow it?
    std::vector<std::string> upgrades;
    for (const auto& [id, other] : network.plans) {
        if (id == plan.plan_id) continue;
        if (other.dedicated_server_only) {
            upgrades.push_back(other.name + " (a dedicated server)");
            continue;
        }
        for (const auto& [sid, s] : network.servers) {
            if (!access_refusal(s, other, customer_id, load_of(load, sid)) &&
                !policy_refusal(s, device, type) &&
                (!device.high_bandwidth || s.policy.bandwidth == BandwidthClass::Unlimited)) {
                upgrades.push_back(other.name);
                break;
            }
        }
    }
    std::string why = fmt::format("no server on plan {} takes {} ({})", plan.name, device.type,
                                  needs_sentence(type));
    if (!upgrades.empty()) {
        why += "; upgrade to ";
        for (std::size_t i = 0; i < upgrades.size(); ++i) why += (i ? " or " : "") + upgrades[i];
    }
    return fail(Errc::Rejected, "server_id", why);
}

Result<ServerChoice> check_assignment(const NetworkState& network, const Plan& plan,
                                      const std::string& customer_id, const Classification& device,
                                      const DeviceType& type, const std::string& server_id,
                                      std::int64_t load) {
    auto it = network.servers.find(server_id);
    if (it == network.servers.end())
        return fail(Errc::NotFound, "server_id",
                    fmt::format("server '{}' does not exist", server_id));
    const auto& s = it->second;
    if (auto why = access_refusal(s, plan, customer_id, load))
        return fail(Errc::Rejected, "server_id", *why);
    if (auto why = policy_refusal(s, device, type)) return fail(Errc::Rejected, "server_id", *why);
    return ServerChoice{s.server_id, s.name, fmt::format("assigned by request to {}", s.name)};
}

}  // namespace switchyard::core::vpn
