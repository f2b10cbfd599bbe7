#pragma once
/// What the IPTV routes (`/v1/iptv/...`) and the Xtream Codes surface (`player_api.php`,
/// `get.php`, `/live/...`) work with: the shared ApiContext, the IPTV command side and the
/// catalogue snapshot cache. Built by the IPTV module's registration (app/modules).

#include <functional>

#include "api/api_context.hpp"
#include "api/router.hpp"
#include "api/routes/iptv/stream_archive.hpp"
#include "core/iptv/epg_mapping.hpp"
#include "events/iptv/epg_service.hpp"
#include "events/iptv/iptv_service.hpp"
#include "events/iptv/recording_service.hpp"
#include "events/iptv/vod_service.hpp"
#include "projections/iptv/xtream_catalogue.hpp"
#include "projections/iptv/xtream_vod.hpp"

namespace switchyard::api {

/// The IPTV module's API state.
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
    /// Checks a stream's transcoding profile before it is stored (the module sets it to
    /// adapters::ffmpeg::check_profile; the API may not include adapters). Unset: any profile
    /// the catalogue's own rules accept. @errors Invalid naming the profile's field.
    std::function<core::Result<void>(const core::iptv::StreamProfile&)> check_profile;
    /// The streams' archives for timeshift; null when the server keeps none (timeshift
    /// answers 404).
    const StreamArchive* archive = nullptr;
    /// Recordings (commands); null when the module runs without them (their routes answer 503).
    events::iptv::RecordingService* recordings = nullptr;
};

/// Adds every IPTV route, each with its roles: the Xtream Codes surface (`player_api.php`,
/// `get.php`, `/live/`, `/movie/` and `/series/{username}/{password}/{file}`, public, with
/// their own line authentication) and `/v1/iptv/...` (categories, streams, bouquets, lines,
/// M3U and Xtream provider imports). `api` must outlive the router.
void add_iptv_routes(Router& router, IptvApi& api);

}  // namespace switchyard::api
