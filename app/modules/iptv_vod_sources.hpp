#pragma once
/// api::VodSources over libcurl: each open() runs one transfer on a thread of its own, whose
/// bytes reach the viewer's response through a bounded queue (the transfer waits while the
/// viewer is slow, so a slow player never buffers a whole movie in memory).

#include <chrono>
#include <cstddef>
#include <string>

#include "api/routes/iptv/vod_sources.hpp"

namespace switchyard::app {

/// Limits of the source transfers.
struct VodFetchOptions {
    /// Waiting for the source's head (connect, redirects, status line and headers).
    std::chrono::milliseconds head_timeout{15'000};
    /// A transfer that moves no byte this long is abandoned (the viewer's body ends).
    std::chrono::seconds stall_timeout{30};
    /// Bytes held for the viewer before the transfer waits. Default: 4 MiB.
    std::size_t max_buffered = std::size_t{4} << 20;
    /// Sent as User-Agent to the source.
    std::string user_agent = "switchyard";
};

/// Fetches over HTTP and HTTPS only (other URL schemes are refused). @thread safe.
class CurlVodSources final : public api::VodSources {
  public:
    explicit CurlVodSources(VodFetchOptions options = {});
    core::Result<api::VodFetch> open(const std::string& url, const std::string& range) override;

  private:
    VodFetchOptions options_;
};

}  // namespace switchyard::app
