#pragma once
/// What the IPTV routes (`/v1/iptv/...`) and the Xtream Codes surface (`player_api.php`,
/// `get.php`, `/live/...`) work with: the shared ApiContext, the IPTV command side and the
/// catalogue snapshot cache. Built by the IPTV module's registration (app/modules).

#include <memory>

#include "api/api_context.hpp"
#include "api/router.hpp"
#include "core/iptv/epg_mapping.hpp"
#include "core/iptv/server_choice.hpp"
#include "events/iptv/epg_service.hpp"
#include "events/iptv/iptv_service.hpp"
#include "events/iptv/server_service.hpp"
#include "events/iptv/vod_service.hpp"
#include "projections/iptv/xtream_catalogue.hpp"
#include "projections/iptv/xtream_vod.hpp"

namespace switchyard::api {

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
    /// Streaming servers, groups and assignments (commands); null: their routes answer 500.
    events::iptv::ServerService* servers = nullptr;
    /// The load of each streaming server now (connections, bandwidth), shown in the server list;
    /// null: every server shows zero.
    const core::iptv::ServerLoads* server_loads = nullptr;
};

/// Adds every IPTV route, each with its roles: the Xtream Codes surface (`player_api.php`,
/// `get.php`, `/live/`, `/movie/` and `/series/{username}/{password}/{file}`, public, with
/// their own line authentication) and `/v1/iptv/...` (categories, streams, bouquets, lines,
/// M3U and Xtream provider imports). `api` must outlive the router.
void add_iptv_routes(Router& router, IptvApi& api);

}  // namespace switchyard::api
