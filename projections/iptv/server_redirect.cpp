#include "projections/iptv/server_redirect.hpp"

#include "projections/iptv/stream_servers.hpp"

namespace switchyard::projections::iptv {

using namespace core::iptv;

ServerRedirector::ServerRedirector(const ReadModelView& view, const ServerLoads& loads,
                                   MediaSigner signer, std::chrono::seconds ttl, std::uint64_t seed)
    : view_(view), loads_(loads), signer_(std::move(signer)), ttl_(ttl), random_(seed) {}

core::Result<ServerChoice> ServerRedirector::choose(std::int64_t stream_id,
                                                    const std::set<std::int64_t>& exclude) {
    const auto servers = servers_for_stream(view_, stream_id);
    std::vector<ServerCandidate> candidates;
    candidates.reserve(servers.servers.size());
    for (const auto& row : servers.servers) {
        candidates.push_back(ServerCandidate{
            row.server_id, row.fields,
            ServerHealth{row.up, row.health_reason, core::from_unix_seconds(row.health_since)},
            loads_.load(row.server_id)});
    }
    const auto counter = servers.group_id ? "g" + std::to_string(*servers.group_id)
                                          : "s" + std::to_string(stream_id);
    std::uint64_t turn = 0;
    double draw = 0;
    {
        std::lock_guard lock(mu_);
        turn = turns_[counter]++;
        draw = std::uniform_real_distribution<double>(0.0, 1.0)(random_);
    }
    return choose_server(candidates, servers.strategy, turn, draw, exclude);
}

core::Result<ViewerRedirect> ServerRedirector::redirect(std::int64_t line_id,
                                                        std::int64_t stream_id,
                                                        std::string_view ext, core::Timestamp now,
                                                        const std::set<std::int64_t>& exclude) {
    if (ext != "ts" && ext != "m3u8")
        return core::fail(core::Errc::Invalid, "ext", "must be ts or m3u8");
    auto choice = SY_TRY(choose(stream_id, exclude));
    const auto expires_at = now + ttl_;
    const auto token = signer_(line_id, stream_id, choice.server_id, expires_at);
    auto url = live_redirect_url(choice.base_url, token, stream_id, ext);
    return ViewerRedirect{std::move(url), std::move(choice), expires_at};
}

}  // namespace switchyard::projections::iptv
