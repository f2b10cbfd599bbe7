#pragma once
/// Movies and episodes restreamed to the viewer: `/movie/` and `/series/` fetch the source and
/// pass its bytes on (the viewer never sees the source's URL or credentials), with the player's
/// Range header passed through so that seeking works, under a connection lease of the line.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/http_types.hpp"
#include "core/iptv/connection.hpp"
#include "core/result.hpp"
#include "projections/iptv/line_directory.hpp"

namespace switchyard::api {

struct IptvApi;

/// A source opened for one request: the head of its answer and its body.
struct VodFetch {
    int status = 200;  ///< The source's status: 200, 206 (a range), 416 (a range past the end).
    /// The headers passed on to the viewer: Content-Type, Content-Range, Accept-Ranges,
    /// Last-Modified, ETag (those the source sent), lower-case names.
    std::vector<std::pair<std::string, std::string>> headers;
    std::optional<std::uint64_t> length;  ///< The body's Content-Length, when the source sent it.
    std::shared_ptr<BodySource> body;     ///< The body's bytes as they arrive.
};

/// Fetches movie and episode sources over HTTP(S). Implemented in app/ with libcurl (the API
/// layer may not include adapters/). @thread safe.
class VodSources {
  public:
    virtual ~VodSources() = default;
    /// GETs `url`, sending `range` as the Range header when not empty (RFC 9110 section 14.2),
    /// following redirects; returns once the answer's head has arrived.
    /// @errors Unavailable naming `source` when the source cannot be reached, times out before
    /// its head, or answers an error status (4xx other than 416, 5xx).
    virtual core::Result<VodFetch> open(const std::string& url, const std::string& range) = 0;
};

namespace iptv {

/// Answers `/movie/...` (kind Movie) or `/series/...` (kind Series) for an authorized `line`
/// by restreaming `source_url` through `api.vod_sources` under a connection lease: requests of
/// the same player (address and User-Agent) for the same file share one lease, so a seek
/// while the previous request is still open does not count twice; over `max_connections` the
/// answer is 403 with an empty body, as Xtream panels refuse; 502 text when the source fails.
core::Result<HttpResponse> restream_vod(IptvApi& api, const HttpRequest& r,
                                        const projections::iptv::LineRow& line,
                                        core::iptv::ConnectionKind kind, std::int64_t file_id,
                                        const std::string& source_url);

}  // namespace iptv
}  // namespace switchyard::api
