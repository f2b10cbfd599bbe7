#pragma once
/// Picking the streaming server a viewer is sent to (pure): the strategies of a server group
/// (round-robin, least connections, weighted, spare capacity), the servers that cannot take a
/// viewer (down, disabled, full) left out with their reason, the failover order of the others,
/// and the redirect URL on the chosen server. Nothing here reads a clock or draws a random
/// number: the caller passes the round-robin turn and the random draw.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/iptv/server.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace switchyard::core::iptv {

/// What a server carries now.
struct ServerLoad {
    std::int64_t connections = 0;     ///< Viewers connected now.
    std::int64_t bandwidth_kbps = 0;  ///< Outgoing bandwidth now, kbit/s.
    friend bool operator==(const ServerLoad&, const ServerLoad&) = default;
};

/// Where the current load of each server comes from (the integrator feeds it from the
/// connection lease read model; tests fill a FixedServerLoads).
/// @thread implementations must be safe to call from any thread.
class ServerLoads {
  public:
    virtual ~ServerLoads() = default;
    /// The load of `server_id` now; zero for a server it knows nothing of.
    virtual ServerLoad load(std::int64_t server_id) const = 0;
};

/// Loads held in a map (tests; the default before the lease read model is connected).
/// @thread not safe against concurrent `set`.
class FixedServerLoads final : public ServerLoads {
  public:
    void set(std::int64_t server_id, ServerLoad load) { loads_[server_id] = load; }
    ServerLoad load(std::int64_t server_id) const override {
        auto it = loads_.find(server_id);
        return it == loads_.end() ? ServerLoad{} : it->second;
    }

  private:
    std::map<std::int64_t, ServerLoad> loads_;
};

/// A server a viewer may be sent to, with its load now.
struct ServerCandidate {
    std::int64_t server_id{};
    ServerFields fields;
    ServerHealth health;
    ServerLoad load;
};

/// A server left out of a choice and why: `down (timeout)`, `disabled`,
/// `full (100/100 connections)`, `full (1000/1000 Mbit/s)`, `excluded`.
struct SkippedServer {
    std::int64_t server_id{};
    std::string name;
    std::string reason;
    friend bool operator==(const SkippedServer&, const SkippedServer&) = default;
};

/// The outcome of a choice.
struct ServerChoice {
    std::int64_t server_id{};
    std::string base_url;                ///< Of the chosen server (core::iptv::base_url).
    std::vector<std::int64_t> failover;  ///< The other servers that can take the viewer, in the
                                         ///< order to try them when the chosen one fails.
    std::vector<SkippedServer> skipped;  ///< In the order of the candidates.
    std::string reason;                  ///< One line: strategy, why this server, what was left
                                         ///< out (like the voice router's route explanations).
};

/// Whether a server can take one more viewer; the reason it cannot otherwise (see
/// SkippedServer). A limit of 0 is no limit.
std::optional<std::string> why_unavailable(const ServerCandidate& c);

/// Picks the server for one viewer among `candidates` (in failover order), leaving out the
/// servers that are down, disabled, full or in `exclude` (servers the caller already tried).
/// - RoundRobin: the `turn % n`-th of the n servers that can take the viewer.
/// - LeastConnections: the fewest connections; ties go to the earlier candidate.
/// - Weighted: at random in proportion to `weight`, by `draw`.
/// - SpareCapacity: at random in proportion to `weight` times the spare share of its capacity
///   (1 minus the larger of connections/max_connections and bandwidth/max_mbps).
/// @param turn The caller's round-robin counter (one per group), any value.
/// @param draw A uniform random number in [0, 1) for the weighted strategies.
/// @errors Unavailable naming `server` when no candidate can take the viewer; its message lists
///         each server and why (or says that there is no server at all).
Result<ServerChoice> choose_server(const std::vector<ServerCandidate>& candidates,
                                   ServerStrategy strategy, std::uint64_t turn, double draw,
                                   const std::set<std::int64_t>& exclude = {});

/// Gives the token of a signed media URL for a line watching a stream on streaming server
/// `server_id` until `expires_at` (implemented by the delivery side; any URL-safe text).
using MediaSigner = std::function<std::string(std::int64_t line_id, std::int64_t stream_id,
                                              std::int64_t server_id, Timestamp expires_at)>;

/// The URL a viewer is redirected to on a server: `{base}/play/{token}/{stream_id}.{ext}` (the
/// delivery side's signed media URL), the token percent-encoded where it holds characters
/// outside RFC 3986 `unreserved`.
/// @param ext `ts` or `m3u8` (not checked here).
std::string live_redirect_url(std::string_view base, std::string_view token, std::int64_t stream_id,
                              std::string_view ext);

}  // namespace switchyard::core::iptv
