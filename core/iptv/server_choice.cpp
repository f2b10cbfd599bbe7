#include "core/iptv/server_choice.hpp"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

namespace switchyard::core::iptv {

namespace {

/// The share of its capacity a server still has, in (0, 1]; 1 without limits.
double spare_share(const ServerCandidate& c) {
    double used = 0;
    if (c.fields.max_connections > 0)
        used = std::max(used, static_cast<double>(c.load.connections) /
                                  static_cast<double>(c.fields.max_connections));
    if (c.fields.max_mbps > 0)
        used = std::max(used, static_cast<double>(c.load.bandwidth_kbps) /
                                  (static_cast<double>(c.fields.max_mbps) * 1000.0));
    return std::clamp(1.0 - used, 0.0, 1.0);
}

/// Picks an index by `draw` in proportion to `weights` (all > 0).
std::size_t draw_index(const std::vector<double>& weights, double draw) {
    const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
    const double at = std::clamp(draw, 0.0, 1.0) * total;
    double acc = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        acc += weights[i];
        if (at < acc) return i;
    }
    return weights.size() - 1;
}

std::string skipped_text(const std::vector<SkippedServer>& skipped) {
    std::string out;
    for (const auto& s : skipped) {
        if (!out.empty()) out += ", ";
        out += fmt::format("{} {}", s.name, s.reason);
    }
    return out;
}

}  // namespace

std::optional<std::string> why_unavailable(const ServerCandidate& c) {
    if (!c.fields.enabled) return std::string("disabled");
    if (!c.health.up)
        return c.health.reason.empty() ? std::string("down")
                                       : fmt::format("down ({})", c.health.reason);
    if (c.fields.max_connections > 0 && c.load.connections >= c.fields.max_connections)
        return fmt::format("full ({}/{} connections)", c.load.connections,
                           c.fields.max_connections);
    if (c.fields.max_mbps > 0 && c.load.bandwidth_kbps >= c.fields.max_mbps * 1000)
        return fmt::format("full ({}/{} Mbit/s)", c.load.bandwidth_kbps / 1000, c.fields.max_mbps);
    return std::nullopt;
}

Result<ServerChoice> choose_server(const std::vector<ServerCandidate>& candidates,
                                   ServerStrategy strategy, std::uint64_t turn, double draw,
                                   const std::set<std::int64_t>& exclude) {
    if (candidates.empty())
        return fail(Errc::Unavailable, "server", "no streaming server is registered for it");
    ServerChoice out;
    std::vector<const ServerCandidate*> usable;
    for (const auto& c : candidates) {
        auto why = exclude.count(c.server_id) ? std::optional<std::string>("excluded")
                                              : why_unavailable(c);
        if (why)
            out.skipped.push_back({c.server_id, c.fields.name, std::move(*why)});
        else
            usable.push_back(&c);
    }
    if (usable.empty())
        return fail(Errc::Unavailable, "server",
                    "no server can take the viewer: " + skipped_text(out.skipped));

    // `order`: the usable servers in the order this strategy tries them; the first is chosen.
    std::vector<std::size_t> order(usable.size());
    std::iota(order.begin(), order.end(), 0);
    std::string why;
    const auto n = usable.size();
    switch (strategy) {
        case ServerStrategy::RoundRobin: {
            const auto first = static_cast<std::size_t>(turn % n);
            std::rotate(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(first),
                        order.end());
            why = fmt::format("turn {} of {} servers", turn % n + 1, n);
            break;
        }
        case ServerStrategy::LeastConnections: {
            std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
                return usable[a]->load.connections < usable[b]->load.connections;
            });
            why = fmt::format("{} connections, the fewest of {} servers",
                              usable[order.front()]->load.connections, n);
            break;
        }
        case ServerStrategy::Weighted:
        case ServerStrategy::SpareCapacity: {
            const bool spare = strategy == ServerStrategy::SpareCapacity;
            std::vector<double> weights;
            for (const auto* c : usable)
                weights.push_back(static_cast<double>(c->fields.weight) *
                                  (spare ? spare_share(*c) : 1.0));
            const auto total = std::accumulate(weights.begin(), weights.end(), 0.0);
            const auto picked = draw_index(weights, draw);
            // The rest by descending weight, for failover.
            std::stable_sort(order.begin(), order.end(),
                             [&](std::size_t a, std::size_t b) { return weights[a] > weights[b]; });
            std::rotate(order.begin(), std::find(order.begin(), order.end(), picked),
                        std::find(order.begin(), order.end(), picked) + 1);
            why = fmt::format("{} {:.3g} of {:.3g} over {} servers",
                              spare ? "spare weight" : "weight", weights[picked], total, n);
            break;
        }
    }
    const auto& chosen = *usable[order.front()];
    out.server_id = chosen.server_id;
    out.base_url = base_url(chosen.fields);
    for (std::size_t i = 1; i < order.size(); ++i)
        out.failover.push_back(usable[order[i]]->server_id);
    out.reason = fmt::format("{}: {} ({})", to_string(strategy), chosen.fields.name, why);
    if (!out.skipped.empty()) out.reason += "; skipped " + skipped_text(out.skipped);
    return out;
}

std::string live_redirect_url(std::string_view base, std::string_view token, std::int64_t stream_id,
                              std::string_view ext) {
    std::string encoded;
    for (unsigned char ch : token) {
        const bool unreserved = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                                (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' ||
                                ch == '~';
        if (unreserved)
            encoded += static_cast<char>(ch);
        else
            encoded += fmt::format("%{:02X}", ch);
    }
    while (!base.empty() && base.back() == '/') base.remove_suffix(1);
    return fmt::format("{}/play/{}/{}.{}", base, encoded, stream_id, ext);
}

}  // namespace switchyard::core::iptv
