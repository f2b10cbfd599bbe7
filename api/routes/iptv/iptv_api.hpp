#pragma once
/// What the IPTV routes (`/v1/iptv/...`) and the Xtream Codes surface (`player_api.php`,
/// `get.php`, `/live/...`) work with: the shared ApiContext, the IPTV command side and the
/// catalogue snapshot cache. Built by the IPTV module's registration (app/modules).

#include "api/api_context.hpp"
#include "events/iptv/iptv_service.hpp"
#include "projections/iptv/xtream_catalogue.hpp"

namespace switchyard::api {

/// The IPTV module's API state.
struct IptvApi {
    ApiContext& ctx;
    events::iptv::IptvService& iptv;
    projections::iptv::CatalogueCache& catalogue;
};

/// Adds `/v1/iptv/...`: categories, streams, bouquets, lines, M3U imports.
void add_iptv_routes(Router& router, IptvApi& api);
/// Adds the Xtream Codes surface: `player_api.php`, `get.php`, `/live/{user}/{pass}/{id}`.
void add_xtream_routes(Router& router, IptvApi& api);

}  // namespace switchyard::api
