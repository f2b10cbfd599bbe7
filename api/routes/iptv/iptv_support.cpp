// Helpers of the IPTV resource files, and the module's one registration of its routes.
#include "api/routes/iptv/iptv_support.hpp"

#include <limits>

#include <fmt/format.h>

namespace switchyard::api {

namespace iptv {

HttpResponse answer(int status, boost::json::object body,
                    const std::vector<events::Position>& positions) {
    return command_response(status, with_position(std::move(body), positions), positions);
}

boost::json::object deleted_json(const char* id_key, std::int64_t id) {
    return {{id_key, id}, {"deleted", true}};
}

tl::unexpected<core::Error> not_found(const char* what, std::int64_t id, const char* field) {
    return core::fail(core::Errc::NotFound, field, fmt::format("{} {} does not exist", what, id));
}

core::Result<std::optional<std::int64_t>> id_query(const HttpRequest& r, const char* name) {
    auto v = opt_int_query(r, name, 1, std::numeric_limits<std::int64_t>::max());
    if (!v) return core::fail(core::Errc::Invalid, name, "must be a positive integer");
    if (!*v) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(**v);
}

core::Result<std::shared_ptr<const projections::iptv::CatalogueSnapshot>> catalogue(
    IptvApi& api, const HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    return api.catalogue.get();
}

}  // namespace iptv

void add_iptv_routes(Router& router, IptvApi& api) {
    using namespace iptv;
    for (auto* table :
         {xtream_routes, category_routes, stream_status_routes, stream_routes, bouquet_routes,
          line_routes, import_routes, xtream_import_routes, vod_routes, subtitle_routes, epg_routes,
          server_routes, delivery_routes, timeshift_routes, recording_routes, monitoring_routes})
        add_routes(router, api, "iptv", table());
    add_edge_routes(router, api);
    api.ctx.metrics.set_gauges([&api] { return iptv_gauges(api); });
}

}  // namespace switchyard::api
