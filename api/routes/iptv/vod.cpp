// Movies and series on the Xtream Codes surface: the VOD and series actions of
// /player_api.php and the /movie/ and /series/ file URLs. A line sees the movie and series
// categories its bouquets list (every category when it has no bouquets), as with live streams.
// Answers come pre-rendered from the xtream_vod read model (projections/iptv/xtream_vod.hpp,
// which notes the sources of each shape). Lookups only: they run on the I/O thread.
#include <charconv>

#include <fmt/format.h>
#include <string_view>

#include "api/routes/iptv/answer_cache.hpp"
#include "api/routes/iptv/iptv_support.hpp"
#include "api/routes/iptv/vod_sources.hpp"

namespace switchyard::api::iptv {

using projections::iptv::LineRow;
using projections::iptv::VodVisibility;

namespace {

constexpr const char* kLineRefused = "invalid username or password, or the line is not active\n";
constexpr const char* kNoFile = "no such movie or episode for this line\n";

/// The categories a line sees: those its bouquets list; every one when it has none.
VodVisibility visibility(IptvApi& api, const LineRow& line) {
    VodVisibility v;
    if (line.settings.bouquets.empty()) return v;
    v.all = false;
    const auto snap = api.catalogue.get();
    for (auto id : line.settings.bouquets)
        if (const auto* b = snap->bouquet(id))
            v.categories.insert(b->category_ids.begin(), b->category_ids.end());
    return v;
}

/// `get_vod_categories` / `get_series_categories`: the categories of `kind` the line sees, as
/// the catalogue renders them (`{"category_id":"1","category_name":"...","parent_id":0}`).
std::string categories_json(IptvApi& api, const VodVisibility& v, std::string_view kind) {
    const auto snap = api.catalogue.get();
    std::string out = "[";
    for (const auto& c : snap->categories()) {
        if (c.kind != kind || !v.sees(c.id)) continue;
        if (out.size() > 1) out += ',';
        out += c.xtream_json;
    }
    out += ']';
    return out;
}

/// An id query parameter as panels read it: a leading integer (`1e9` is 1). None when absent
/// or empty; false when it does not start with a number.
bool id_param_of(const HttpRequest& r, const char* name, std::optional<std::int64_t>& out) {
    if (!r.has_query(name) || r.query_param(name).empty()) return true;
    const auto& text = r.query_param(name);
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end == text.data()) return false;
    out = id;
    return true;
}

HttpResponse text_answer(int status, const char* body) {
    HttpResponse resp;
    resp.status = status;
    resp.content_type = "text/plain";
    resp.body = body;
    return resp;
}

/// The id of a file name `<id>.<ext>`: all digits before the last dot.
std::optional<std::int64_t> file_id(std::string_view file) {
    const auto dot = file.rfind('.');
    const auto digits = file.substr(0, dot);
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
    if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() ||
        digits.front() == '-')
        return std::nullopt;
    return id;
}

/// GET /movie/{username}/{password}/{id}.{ext}: the movie restreamed under a connection lease
/// (vod_sources.hpp), or a redirect to its source when the server is set to redirect (no
/// `vod_sources`). 401 text for bad credentials, 404 text for a movie the line does not see.
core::Result<HttpResponse> movie_file(IptvApi& api, HttpRequest& r) {
    auto line = authorize_line(api, r, r.params["username"], r.params["password"]);
    if (!line) return text_answer(401, kLineRefused);
    const auto id = file_id(r.params["file"]);
    const auto* movie = id ? api.vod_catalogue.get()->movie(*id) : nullptr;
    if (!movie || !visibility(api, *line).sees(movie->category_id))
        return text_answer(404, kNoFile);
    if (api.vod_sources)
        return restream_vod(api, r, *line, core::iptv::ConnectionKind::Movie, *id,
                            movie->source_url);
    auto resp = text_answer(302, "");
    resp.headers.emplace_back("Location", movie->source_url);
    return resp;
}

/// GET /series/{username}/{password}/{episode id}.{ext}: the episode restreamed as /movie/
/// does, or a redirect to its source. 401 text for bad credentials, 404 text for an episode
/// the line does not see.
core::Result<HttpResponse> episode_file(IptvApi& api, HttpRequest& r) {
    auto line = authorize_line(api, r, r.params["username"], r.params["password"]);
    if (!line) return text_answer(401, kLineRefused);
    const auto id = file_id(r.params["file"]);
    const auto snap = api.vod_catalogue.get();
    const auto* episode = id ? snap->episode(*id) : nullptr;
    const auto* series = episode ? snap->series_by_id(episode->series_id) : nullptr;
    if (!series || !visibility(api, *line).sees(series->category_id))
        return text_answer(404, kNoFile);
    if (api.vod_sources)
        return restream_vod(api, r, *line, core::iptv::ConnectionKind::Series, *id,
                            episode->source_url);
    auto resp = text_answer(302, "");
    resp.headers.emplace_back("Location", episode->source_url);
    return resp;
}

}  // namespace

std::optional<HttpResponse> vod_action(IptvApi& api, const HttpRequest& r, const LineRow& line,
                                       const std::string& action) {
    const bool movies =
        action == "get_vod_categories" || action == "get_vod_streams" || action == "get_vod_info";
    const bool series =
        action == "get_series_categories" || action == "get_series" || action == "get_series_info";
    if (!movies && !series) return std::nullopt;
    const auto v = visibility(api, line);
    if (action == "get_vod_categories") return json_response(200, categories_json(api, v, "movie"));
    if (action == "get_series_categories")
        return json_response(200, categories_json(api, v, "series"));
    const auto snap = api.vod_catalogue.get();
    std::optional<std::int64_t> id;
    if (action == "get_vod_streams" || action == "get_series") {
        // From the answer cache, per bouquet set and category; gzipped when accepted.
        if (!id_param_of(r, "category_id", id)) return json_response(200, "[]");
        std::string key = action;
        add_key_part(key, line.settings.bouquets);
        add_key_part(key, id ? std::to_string(*id) : std::string());
        const auto answer = api.answers->get({api.catalogue.get(), snap}, key, [&] {
            return action == "get_series" ? snap->series_json(v, id)
                                          : snap->vod_streams_json(v, id);
        });
        return answer_response(r, *answer, "application/json");
    }
    // get_vod_info / get_series_info: an unknown or invisible id answers `[]`, as panels do.
    const bool vod = action == "get_vod_info";
    if (!id_param_of(r, vod ? "vod_id" : "series_id", id) || !id) return json_response(200, "[]");
    auto body = vod ? snap->vod_info_json(v, *id) : snap->series_info_json(v, *id);
    return json_response(200, body ? std::move(*body) : std::string("[]"));
}

core::Result<VodInclude> parse_vod_include(const HttpRequest& r) {
    VodInclude include;
    if (!r.has_query("include")) return include;
    std::string_view rest = r.query_param("include");
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const auto item = rest.substr(0, comma);
        if (item == "movies")
            include.movies = true;
        else if (item == "series")
            include.series = true;
        else if (!item.empty())
            return core::fail(core::Errc::Invalid, "include",
                              "must list movies, series or both, comma-separated");
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    return include;
}

void append_vod_playlist(IptvApi& api, const LineRow& line, const std::string& password,
                         const std::string& base, core::iptv::M3uLayout layout, VodInclude include,
                         std::string& out) {
    if (!include.movies && !include.series) return;
    const auto v = visibility(api, line);
    const auto catalogue = api.catalogue.get();
    const auto snap = api.vod_catalogue.get();
    auto group = [&](std::optional<std::int64_t> id) {
        const auto* c = id ? catalogue->category(*id) : nullptr;
        return c ? std::string_view(c->name) : std::string_view();
    };
    std::vector<core::iptv::M3uItem> items;
    std::vector<std::string> names;  // episode titles the items borrow
    if (include.movies) {
        for (const auto& m : snap->movies()) {
            if (!v.sees(m.category_id)) continue;
            items.push_back({m.name, "", m.cover, group(m.category_id),
                             fmt::format("{}/movie/{}/{}/{}.{}", base, line.username, password,
                                         m.id, m.container_extension)});
        }
    }
    if (include.series) {
        for (const auto& s : snap->series()) {
            if (!v.sees(s.category_id)) continue;
            for (const auto* e : snap->episodes_of(s.id))
                names.push_back(
                    fmt::format("{} S{:02}E{:02} {}", s.name, e->season, e->episode_num, e->title));
        }
        std::size_t n = 0;
        for (const auto& s : snap->series()) {
            if (!v.sees(s.category_id)) continue;
            for (const auto* e : snap->episodes_of(s.id))
                items.push_back({names[n++], "", s.cover, group(s.category_id),
                                 fmt::format("{}/series/{}/{}/{}.{}", base, line.username, password,
                                             e->id, e->container_extension)});
        }
    }
    auto text = core::iptv::write_m3u(items, layout);
    const auto header_end = text.find('\n');  // every playlist starts with one #EXTM3U line
    out += std::string_view(text).substr(header_end == std::string::npos ? text.size()
                                                                         : header_end + 1);
}

IptvRoutes vod_routes() {
    constexpr auto open = Reach::Public;
    constexpr bool blocking = false;  // leases append to the log: on the worker pool
    return {
        {"GET",
         "/movie/{username}/{password}/{file}",
         {},
         movie_file,
         "Movie `<id>.<ext>` for a line's player: restreamed under a connection lease (Range "
         "passed through), or a redirect to its source on a server set to redirect.",
         open,
         blocking},
        {"GET",
         "/series/{username}/{password}/{file}",
         {},
         episode_file,
         "Episode `<id>.<ext>` for a line's player, as /movie/.",
         open,
         blocking},
    };
}

}  // namespace switchyard::api::iptv
