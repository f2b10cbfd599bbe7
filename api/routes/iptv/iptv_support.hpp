#pragma once
/// What the IPTV resource files (api/routes/iptv/*.cpp) share: their route tables, running a
/// command and answering with its position, the catalogue snapshot of a read, and list pages
/// of catalogue rows. Internal to api/routes/iptv.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "api/query.hpp"
#include "api/route_support.hpp"
#include "api/route_table.hpp"
#include "api/routes/iptv/iptv_api.hpp"
#include "core/iptv/m3u.hpp"
#include "projections/iptv/line_directory.hpp"

namespace switchyard::api::iptv {

/// A route table of the IPTV module.
using IptvRoutes = std::vector<RouteDef<IptvApi>>;

/// `/v1/iptv/categories...` (categories.cpp).
IptvRoutes category_routes();
/// `/v1/iptv/streams...` (streams.cpp).
IptvRoutes stream_routes();
/// `/v1/iptv/streams/status`, `/v1/iptv/streams/{id}/status` (stream_status.cpp); added before
/// stream_routes() so that `status` is not taken for an `{id}`.
IptvRoutes stream_status_routes();
/// `/v1/iptv/bouquets...` (bouquets.cpp).
IptvRoutes bouquet_routes();
/// `/v1/iptv/lines...` (lines.cpp).
IptvRoutes line_routes();
/// `/v1/iptv/imports/m3u` (imports.cpp).
IptvRoutes import_routes();
/// `player_api.php`, `get.php`, `/live/...` (xtream.cpp).
IptvRoutes xtream_routes();
/// `/v1/iptv/imports/xtream`, `/v1/iptv/imports/m3u-vod` (xtream_import.cpp).
IptvRoutes xtream_import_routes();
/// `/live/{username}/{password}/{id}.{ts|m3u8}` and `/hls/{token}/{segment}` (delivery.cpp).
IptvRoutes delivery_routes();
/// The key scope of a streaming server process's API key (`route_prefixes`).
inline constexpr std::string_view kEdgeScope = "/v1/iptv/edge";
/// What streaming server processes ask of the main server (`/v1/iptv/edge/{id}/admissions`,
/// `/v1/iptv/edge/{id}/leases/{lease_id}/renew|close`): public routes that authenticate the
/// API key themselves (an unrestricted admin key or one scoped to kEdgeScope) and carry no
/// per-key rate limit.
void add_edge_routes(Router& router, IptvApi& api);
/// The token of a signed media URL `/play/<token>/<stream id>.<ext>` (delivery.cpp):
/// `play.<line id>.<stream id>.<expires, Unix s>.<hex HMAC-SHA-256 of the rest>` under a key
/// derived from the server's line secret (kept in the data directory like the other secrets).
std::string media_url_token(const ApiContext& ctx, std::int64_t line_id, std::int64_t stream_id,
                            std::int64_t expires);
/// `/movie/...`, `/series/...` (vod.cpp).
IptvRoutes vod_routes();
/// `/v1/iptv/movies/{id}/subtitles...`, `/v1/iptv/episodes/{id}/subtitles...` (subtitles.cpp).
IptvRoutes subtitle_routes();

/// The line if the credentials are right and the line may use the service now (xtream.cpp),
/// else null. A source locked out after too many failed sign-ins gets nothing; wrong
/// credentials count towards the lockout (api/access.hpp), as on /v1/auth/login.
std::shared_ptr<const projections::iptv::LineRow> authorize_line(IptvApi& api, const HttpRequest& r,
                                                                 const std::string& username,
                                                                 const std::string& password);

/// What `get.php` adds to the live streams of a playlist (`include=`).
struct VodInclude {
    bool movies = false;
    bool series = false;
};
/// Reads `include` of `get.php`: `movies`, `series` or both, comma-separated; none when absent.
/// @errors Invalid naming `include` for another value.
core::Result<VodInclude> parse_vod_include(const HttpRequest& r);

/// Appends the movies and episodes a line sees to its playlist `out` as `include` asks, with
/// URLs at `<base>/movie/...` and `<base>/series/...` and their category as `group-title`;
/// episodes are named `<series> SxxEyy <title>`.
void append_vod_playlist(IptvApi& api, const projections::iptv::LineRow& line,
                         const std::string& password, const std::string& base,
                         core::iptv::M3uLayout layout, VodInclude include, std::string& out);

/// The VOD and series actions of `player_api.php` (vod.cpp): get_vod_categories,
/// get_vod_streams, get_vod_info, get_series_categories, get_series, get_series_info for an
/// authorized line. @returns the answer, or none when `action` is not one of them.
std::optional<HttpResponse> vod_action(IptvApi& api, const HttpRequest& r,
                                       const projections::iptv::LineRow& line,
                                       const std::string& action);
/// `/v1/iptv/servers...`, `/v1/iptv/server-groups...`, `/v1/iptv/streams/{id}/servers`
/// (servers.cpp).
IptvRoutes server_routes();
/// `/v1/iptv/monitoring/...` (monitoring.cpp).
IptvRoutes monitoring_routes();
/// The IPTV gauges of `/metrics` from the monitoring read model (monitoring.cpp): connections,
/// bandwidth, bytes sent and viewers per server, connections and bandwidth per stream being
/// watched, connections per country, and whether each streaming server is up.
std::map<std::string, double> iptv_gauges(IptvApi& api);
/// `/timeshift/...`, `/streaming/timeshift.php` (timeshift.cpp).
IptvRoutes timeshift_routes();
/// `/v1/iptv/recordings...` (recordings.cpp).
IptvRoutes recording_routes();
/// `/v1/iptv/epg/imports`, `/xmltv.php` (epg.cpp).
IptvRoutes epg_routes();

/// The `player_api.php` EPG actions (`get_short_epg`, `get_simple_data_table`) for an
/// authorized line; nullopt for any other action (epg.cpp).
std::optional<core::Result<HttpResponse>> epg_action(IptvApi& api, const HttpRequest& r,
                                                     const projections::iptv::LineRow& line,
                                                     const std::string& action);

/// Runs an IPTV command for the request's caller (decision context from the request: time,
/// actor, correlation id). `more` goes to the service after the context (a category
/// deletion's members). @returns the service's outcome; errors as the service's.
template <class Command, class... More>
auto execute(IptvApi& api, const HttpRequest& r, const Command& command, const More&... more) {
    return api.iptv.execute(command, decision_context(api.ctx, r, caller_of(r).actor), more...);
}

/// A command's answer: `body` with its `position`, and `X-Switchyard-Position` when the command
/// appended events.
HttpResponse answer(int status, boost::json::object body,
                    const std::vector<events::Position>& positions);

/// The answer of a command that creates: 201 when it did, 200 when it was a retry.
template <class Outcome>
HttpResponse answer_created(boost::json::object body, const Outcome& outcome) {
    return answer(outcome.changed ? 201 : 200, std::move(body), outcome.positions);
}

/// The body of a deletion's answer: `{"<id_key>": id, "deleted": true}`.
boost::json::object deleted_json(const char* id_key, std::int64_t id);

/// NotFound naming `field`: "<what> <id> does not exist".
tl::unexpected<core::Error> not_found(const char* what, std::int64_t id, const char* field = "id");

/// An optional positive integer query parameter (an id: `?category_id=`, `?move_streams_to=`).
/// @errors Invalid naming it ("must be a positive integer") when present and not one.
core::Result<std::optional<std::int64_t>> id_query(const HttpRequest& r, const char* name);

/// The catalogue for a read: waits for the position the request names (read-your-writes),
/// then takes the latest snapshot. @errors as wait_for_position.
core::Result<std::shared_ptr<const projections::iptv::CatalogueSnapshot>> catalogue(
    IptvApi& api, const HttpRequest& r);

/// A page of catalogue rows (ordered by `id`) that `keep` accepts, as `render` draws them:
/// `{"items":[...],"next_cursor":"<id>"|null}` (api/query.hpp).
/// @errors Invalid naming `limit` or `cursor` when malformed.
template <class Row, class Render, class Keep>
core::Result<HttpResponse> catalogue_page(const HttpRequest& r, const std::vector<Row>& rows,
                                          Render render, Keep keep) {
    const auto page = SY_TRY(page_query(r));
    const auto after = SY_TRY(id_cursor(page));
    PageWriter out(page);
    for (const auto& row : rows) {
        if (row.id <= after || !keep(row)) continue;
        if (!out.add(boost::json::serialize(render(row)), std::to_string(row.id))) break;
    }
    return json_response(200, out.body());
}

/// GET of a catalogue list: the rows `rows` gives of the snapshot (after read-your-writes)
/// that `keep` accepts, one page of them. @errors as catalogue() and catalogue_page.
template <class Rows, class Render, class Keep>
core::Result<HttpResponse> catalogue_list(IptvApi& api, const HttpRequest& r, Rows rows,
                                          Render render, Keep keep) {
    const auto snap = SY_TRY(catalogue(api, r));
    return catalogue_page(r, ((*snap).*rows)(), render, keep);
}

/// catalogue_list of every row.
template <class Rows, class Render>
core::Result<HttpResponse> catalogue_list(IptvApi& api, const HttpRequest& r, Rows rows,
                                          Render render) {
    return catalogue_list(api, r, rows, render, [](const auto&) { return true; });
}

/// GET of one catalogue row by the `{id}` of the path, as `find` looks it up in the snapshot.
/// @errors NotFound naming `id` ("<what> <id> does not exist"); as catalogue() and id_param.
template <class Find, class Render>
core::Result<HttpResponse> catalogue_item(IptvApi& api, const HttpRequest& r, const char* what,
                                          Find find, Render render) {
    const auto snap = SY_TRY(catalogue(api, r));
    const auto id = SY_TRY(id_param(r, "id"));
    const auto* row = ((*snap).*find)(id);
    if (!row) return not_found(what, id);
    return json_response(200, boost::json::serialize(render(*row)));
}

/// DELETE by the `{id}` of the path: runs `Command{id}` and answers
/// `{"<id_key>": id, "deleted": true}` with the position. @errors as id_param and the service.
template <class Command>
core::Result<HttpResponse> delete_by_id(IptvApi& api, const HttpRequest& r, const char* id_key) {
    const auto id = SY_TRY(id_param(r, "id"));
    auto o = SY_TRY(execute(api, r, Command{id}));
    return answer(200, deleted_json(id_key, id), o.positions);
}

}  // namespace switchyard::api::iptv
