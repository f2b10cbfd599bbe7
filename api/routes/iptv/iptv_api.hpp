#pragma once
/// What the IPTV routes (`/v1/iptv/...`) and the Xtream Codes surface (`player_api.php`,
/// `get.php`, `/live/...`) work with: the shared ApiContext, the IPTV command side and the
/// catalogue snapshot cache. Built by the IPTV module's registration (app/modules).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "api/api_context.hpp"
#include "api/router.hpp"
#include "api/routes/iptv/answer_cache.hpp"
#include "api/routes/iptv/stream_archive.hpp"
#include "core/iptv/catalogue.hpp"
#include "core/iptv/epg_mapping.hpp"
#include "core/iptv/server_choice.hpp"
#include "events/iptv/connection_service.hpp"
#include "events/iptv/epg_service.hpp"
#include "events/iptv/iptv_service.hpp"
#include "events/iptv/recording_service.hpp"
#include "events/iptv/server_service.hpp"
#include "events/iptv/vod_service.hpp"
#include "projections/iptv/line_directory.hpp"
#include "projections/iptv/xtream_catalogue.hpp"
#include "projections/iptv/xtream_vod.hpp"

namespace switchyard::projections::iptv {
class ServerRedirector;
}

namespace switchyard::api {

/// What a live stream's worker pulls: the catalogue's fields of the stream.
struct LiveSource {
    std::int64_t stream_id = 0;
    std::string source_url;
    std::string user_agent;             ///< Sent to the source; may be empty.
    std::string http_referrer;          ///< Sent to the source; may be empty.
    core::iptv::StreamProfile profile;  ///< How the worker transcodes it (default: copy).
    bool always_on = false;             ///< The worker runs without viewers.
};

/// Movie and episode sources fetched for the viewer (api/routes/iptv/vod_sources.hpp).
class VodSources;

/// The live outputs of the FFmpeg workers as the delivery routes see them: one worker per
/// stream writes HLS (`index.m3u8`, `seg_NNNNN.ts`) into the stream's directory. Implemented in
/// app/ over adapters::ffmpeg::StreamWorkers (the API layer may not include adapters/).
/// @thread safe.
class LiveOutputs {
  public:
    virtual ~LiveOutputs() = default;
    /// A viewer joins: configures the stream from `source` when it is new or changed, and
    /// starts its worker if none runs. @returns the output directory. @errors Invalid naming
    /// `url` for an empty source; Unavailable with the reason when the stream is down.
    virtual core::Result<std::filesystem::path> acquire(const LiveSource& source) = 0;
    /// A viewer leaves; the worker stops after its idle timeout once the last one left.
    virtual void release(std::int64_t stream_id) = 0;
    /// True when the stream's playlist is there to read.
    virtual bool ready(std::int64_t stream_id) const = 0;
    /// The stream's output directory (whether or not its worker runs).
    virtual std::filesystem::path directory(std::int64_t stream_id) const = 0;
};

/// The main server as a streaming server process (an edge, `serve --iptv-main`) sees it: the
/// edge holds no catalogue, lines or leases of its own, so it asks the main server to admit each
/// viewer of a signed `/play/` URL and keeps the lease through it (routes
/// `/v1/iptv/edge/{id}/admissions` and `/v1/iptv/edge/{id}/leases/{lease}/renew|close`).
/// Implemented in app/ over HTTP. @thread safe.
class MainServer {
  public:
    /// A viewer the main server admitted: its lease (counted on this edge's server id) and the
    /// source the edge's worker pulls.
    struct Admission {
        std::string lease_id;
        std::int64_t line_id = 0;
        std::int64_t stream_id = 0;
        std::string output;  ///< `ts` or `m3u8`.
        LiveSource source;
        core::Timestamp expires_at;  ///< Of the lease.
    };
    /// A viewer the main server refused: the response the edge answers, as the main server
    /// would have answered it (e.g. 403 with an empty body when the line is full).
    struct Refusal {
        int status = 403;
        std::string content_type = "text/plain";
        std::string body;
        std::string location;  ///< The `Location` of a redirect (a direct-source stream).
    };

    virtual ~MainServer() = default;
    /// Admits the viewer at `remote_ip` with `user_agent` of `/play/{token}/{file}`.
    /// @errors Unavailable when the main server cannot be reached or answers otherwise.
    virtual core::Result<std::variant<Admission, Refusal>> admit(const std::string& token,
                                                                 const std::string& file,
                                                                 const std::string& remote_ip,
                                                                 const std::string& user_agent) = 0;
    /// Renews a lease this edge admitted, with the bytes counted since its previous event.
    /// @errors NotFound naming `lease_id` when the main server says it is gone; Unavailable.
    virtual core::Result<void> renew(std::int64_t line_id, const std::string& lease_id) = 0;
    /// Closes a lease this edge admitted (reason `disconnect`, `unavailable`, ...), with the
    /// bytes counted since its previous event. @errors Unavailable.
    virtual core::Result<void> close(std::int64_t line_id, const std::string& lease_id,
                                     const std::string& reason) = 0;
    /// Counts `n` bytes sent to the player of `lease_id`.
    virtual void count_bytes(const std::string& lease_id, std::int64_t n) = 0;
    /// When a lease this edge admitted expires, as the main server last said; none when it is
    /// unknown here or closed.
    virtual std::optional<core::Timestamp> expires_at(const std::string& lease_id) const = 0;
    /// How long a lease lasts without renewal (the main server's, from its last answer).
    virtual std::chrono::seconds timeout() const = 0;
};

/// The IPTV module's API state.
/// Rendered `/xmltv.php` bodies (api/routes/iptv/epg.cpp).
struct XmltvCache;
/// An empty XmltvCache.
std::shared_ptr<XmltvCache> make_xmltv_cache();

struct IptvApi {
    ApiContext& ctx;
    events::iptv::IptvService& iptv;
    projections::iptv::CatalogueCache& catalogue;
    events::iptv::VodService& vod;               ///< Movies and series (commands).
    projections::iptv::VodCache& vod_catalogue;  ///< Movies and series (xtream_vod.v1).
    /// The EPG command side; null when the module runs without it (EPG routes answer 500).
    events::iptv::EpgService* epg = nullptr;
    /// The iptv-org channel table for mapping streams to guide channels by name; null when the
    /// operator loaded none.
    const core::iptv::ChannelDirectory* channel_directory = nullptr;
    /// The iptv-org logo table: an imported stream without `tvg-logo` gets its channel's logo;
    /// null when the operator loaded none.
    const core::iptv::LogoDirectory* logo_directory = nullptr;
    /// Programmes that ended more than this many days ago are not served. Default: 7.
    int epg_retention_days = 7;
    /// Rendered `/xmltv.php` bodies, shared by the requests of every line.
    std::shared_ptr<XmltvCache> xmltv_cache = make_xmltv_cache();
    /// Decoded line rows for the lines' own authentication (authorize_line).
    std::shared_ptr<projections::iptv::LineLookup> lines =
        std::make_shared<projections::iptv::LineLookup>();
    /// Rendered `get.php` playlists and `player_api.php` stream lists (get_live_streams,
    /// get_vod_streams, get_series) with their gzip, shared by the requests of every line.
    std::shared_ptr<iptv::AnswerCache> answers = std::make_shared<iptv::AnswerCache>();
    /// Streaming servers, groups and assignments (commands); null: their routes answer 500.
    events::iptv::ServerService* servers = nullptr;
    /// The load of each streaming server now (connections, bandwidth), shown in the server list;
    /// null: every server shows zero.
    const core::iptv::ServerLoads* server_loads = nullptr;
    /// The FFmpeg workers' outputs; null when live delivery is not set up (`/live/` answers 503
    /// except for direct-source streams).
    LiveOutputs* live = nullptr;
    /// Fetches movie and episode sources for `/movie/` and `/series/` (api/routes/iptv/
    /// vod_sources.hpp); null: those routes redirect to the source.
    VodSources* vod_sources = nullptr;
    /// Connection leases holding `max_connections`; null when live delivery is not set up.
    events::iptv::ConnectionService* connections = nullptr;
    /// Picks the streaming server for each viewer of `/live/` (the main server); null on a
    /// streaming server (`--iptv-server-id`), which delivers itself. With servers registered,
    /// the main server answers 302 to a signed URL bound to the chosen one (server_media_token).
    projections::iptv::ServerRedirector* redirector = nullptr;
    /// How long `/live/` waits for a starting worker's first playlist. Default: 20 s.
    std::chrono::milliseconds ready_wait{20'000};
    /// Checks a stream's transcoding profile before it is stored (the module sets it to
    /// adapters::ffmpeg::check_profile; the API may not include adapters). Unset: any profile
    /// the catalogue's own rules accept. @errors Invalid naming the profile's field.
    std::function<core::Result<void>(const core::iptv::StreamProfile&)> check_profile;
    /// The streams' archives for timeshift; null when the server keeps none (timeshift
    /// answers 404).
    const StreamArchive* archive = nullptr;
    /// Recordings (commands); null when the module runs without them (their routes answer 503).
    events::iptv::RecordingService* recordings = nullptr;
    /// Set on a streaming server process started with `--iptv-main` (an edge): `/play/` asks
    /// the main server to admit each viewer and the leases are kept through it; null on the
    /// main server and on a server process that holds its own log.
    MainServer* main_server = nullptr;
};

/// The token of a signed media URL (`/play/{token}/{id}.{ext}`) bound to streaming server
/// `server_id`, for line `line_id` watching `stream_id` until `expires_at`: the server that
/// receives it delivers the stream itself (no second redirect) and counts the connection as
/// that server's. `play-<server id>.<line id>.<stream id>.<expires, Unix s>.<hex HMAC-SHA-256>`
/// under the key of the other media tokens (api/routes/iptv/delivery.cpp).
std::string server_media_token(const ApiContext& ctx, std::int64_t line_id, std::int64_t stream_id,
                               std::int64_t server_id, core::Timestamp expires_at);

/// Adds every IPTV route, each with its roles: the Xtream Codes surface (`player_api.php`,
/// `get.php`, `/live/`, `/movie/` and `/series/{username}/{password}/{file}`, public, with
/// their own line authentication) and `/v1/iptv/...` (categories, streams, bouquets, lines,
/// M3U and Xtream provider imports). `api` must outlive the router.
void add_iptv_routes(Router& router, IptvApi& api);

}  // namespace switchyard::api
