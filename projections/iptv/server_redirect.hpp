#pragma once
/// Sending a viewer of a stream from the main server to a streaming server: the servers the
/// stream may use (stream_servers.v1), their load now (core::iptv::ServerLoads), the pick of
/// its group's strategy (core::iptv::choose_server) and the signed URL on the chosen server
/// (`{base}/live/{token}/{stream}.{ext}`, the token from the delivery side's signer).

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <string_view>

#include "core/iptv/server_choice.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::iptv {

/// Where a viewer is sent.
struct ViewerRedirect {
    std::string url;                  ///< Absolute URL on the chosen server.
    core::iptv::ServerChoice choice;  ///< The server, the failover order and the reason.
    core::Timestamp expires_at;       ///< When the signed URL stops working.
};

/// Picks servers for viewers. Keeps one round-robin counter per group (and per stream for
/// streams assigned to servers) and a random generator for the weighted strategies.
/// @thread safe.
class ServerRedirector {
  public:
    /// @param view The `stream_servers.v1` model; must outlive this.
    /// @param loads Must outlive this.
    /// @param signer The token of a line's URL for a stream until a time.
    /// @param ttl How long a redirect URL works. Default: 60 s.
    /// @param seed Of the random draws of the weighted strategies (fixed in tests).
    ServerRedirector(const ReadModelView& view, const core::iptv::ServerLoads& loads,
                     core::iptv::MediaSigner signer,
                     std::chrono::seconds ttl = std::chrono::seconds(60),
                     std::uint64_t seed = std::random_device{}());

    /// The server for one more viewer of `stream_id`, leaving out `exclude` (servers the caller
    /// already tried: failover). @errors Unavailable naming `server` (core::iptv::choose_server).
    core::Result<core::iptv::ServerChoice> choose(std::int64_t stream_id,
                                                  const std::set<std::int64_t>& exclude = {});

    /// choose(), then the signed URL of the line's viewer on the chosen server.
    /// @param ext `ts` or `m3u8`. @errors Invalid naming `ext` for another; as choose().
    core::Result<ViewerRedirect> redirect(std::int64_t line_id, std::int64_t stream_id,
                                          std::string_view ext, core::Timestamp now,
                                          const std::set<std::int64_t>& exclude = {});

  private:
    const ReadModelView& view_;
    const core::iptv::ServerLoads& loads_;
    core::iptv::MediaSigner signer_;
    std::chrono::seconds ttl_;
    std::mutex mu_;
    std::mt19937_64 random_;
    std::map<std::string, std::uint64_t> turns_;  ///< `g<group id>` or `s<stream id>`.
};

}  // namespace switchyard::projections::iptv
