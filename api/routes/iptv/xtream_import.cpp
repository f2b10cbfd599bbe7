// POST /v1/iptv/imports/xtream: an Xtream Codes provider's player_api.php answers (live, VOD
// and series with their categories) into the catalogue, idempotently.
//
// The body is an object keyed by the provider's file names, each holding that answer as the
// provider sent it (../shared/data/iptv/xtream/<provider>/*.json):
//   {"get_live_categories.json": [...], "get_live_streams.json": [...],
//    "get_vod_categories.json": [...], "get_vod_streams.json": [...],
//    "get_series_categories.json": [...], "get_series.json": [...],
//    "auth.json": {...},                          optional: where the provider is reached
//    "provider": {"url", "username", "password"},  optional: overrides auth.json
//    "get_series_info.json": {"<series_id>": <get_series_info answer>, ...}}  optional
// The six answers are required (an empty list is fine). Values are read tolerantly, as the
// captures send them: ids as numbers or strings, texts as strings, numbers or null,
// `backdrop_path` as a list, a string or null.
// Sources: live streams `<provider>/live/<user>/<pass>/<stream_id>.ts`, movies
// `<provider>/movie/<user>/<pass>/<stream_id>.<container_extension>`, episodes
// `<provider>/series/<user>/<pass>/<id>.<container_extension>` (the Xtream URL layout).
#include <cctype>
#include <charconv>
#include <map>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/routes/iptv/iptv_support.hpp"
#include "core/iptv/catalogue_decider.hpp"
#include "core/iptv/m3u.hpp"
#include "core/iptv/vod_decider.hpp"
#include "core/text.hpp"

namespace switchyard::api::iptv {

namespace json = boost::json;
using core::Errc;
using namespace core::iptv;

namespace {

constexpr const char* kLiveCategories = "get_live_categories.json";
constexpr const char* kLiveStreams = "get_live_streams.json";
constexpr const char* kVodCategories = "get_vod_categories.json";
constexpr const char* kVodStreams = "get_vod_streams.json";
constexpr const char* kSeriesCategories = "get_series_categories.json";
constexpr const char* kSeries = "get_series.json";
constexpr const char* kSeriesInfo = "get_series_info.json";
constexpr std::size_t kMaxProblems = 100;

// ---- tolerant readers ----

const json::value* member(const json::object& o, std::string_view key) {
    auto it = o.find(key);
    return it == o.end() ? nullptr : &it->value();
}
/// Text of a string, number or bool; empty for null, absent, arrays and objects.
std::string text(const json::object& o, std::string_view key) {
    const auto* v = member(o, key);
    if (!v) return {};
    if (v->is_string()) return std::string(v->as_string());
    if (v->is_int64()) return std::to_string(v->as_int64());
    if (v->is_uint64()) return std::to_string(v->as_uint64());
    if (v->is_double()) return fmt::format("{}", v->as_double());
    return {};
}
/// An integer given as a number or a string of digits (leading sign allowed); none otherwise.
std::optional<std::int64_t> integer(const json::object& o, std::string_view key) {
    const auto* v = member(o, key);
    if (!v) return std::nullopt;
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64() && v->as_uint64() <= std::uint64_t(INT64_MAX))
        return static_cast<std::int64_t>(v->as_uint64());
    if (v->is_double()) {
        const double d = v->as_double();
        if (d >= -9e18 && d <= 9e18) return static_cast<std::int64_t>(d);
        return std::nullopt;
    }
    if (v->is_string()) {
        const std::string s(v->as_string());
        std::int64_t out = 0;
        const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        if (ec == std::errc() && end == s.data() + s.size() && !s.empty()) return out;
    }
    return std::nullopt;
}
/// A list of URLs: an array of strings, a single non-empty string, or nothing.
std::vector<std::string> url_list(const json::object& o, std::string_view key) {
    std::vector<std::string> out;
    const auto* v = member(o, key);
    if (!v) return out;
    if (v->is_string() && !v->as_string().empty()) out.emplace_back(v->as_string());
    if (v->is_array())
        for (const auto& item : v->as_array())
            if (item.is_string() && !item.as_string().empty()) out.emplace_back(item.as_string());
    return out;
}

/// Where the provider is reached and as whom.
struct Provider {
    std::string base;  ///< `http://host:port`, without a trailing slash.
    std::string username, password;
    std::string url(std::string_view kind, std::string_view id, std::string_view ext) const {
        return fmt::format("{}/{}/{}/{}/{}.{}", base, kind, username, password, id, ext);
    }
};

core::Result<Provider> provider_of(const json::object& body) {
    Provider p;
    if (const auto* auth = member(body, "auth.json"); auth && auth->is_object()) {
        const auto& a = auth->as_object();
        if (const auto* si = member(a, "server_info"); si && si->is_object()) {
            const auto& s = si->as_object();
            auto scheme = text(s, "server_protocol");
            if (scheme.empty()) scheme = "http";
            const auto host = text(s, "url");
            const auto port = text(s, "port");
            if (!host.empty())
                p.base = port.empty() ? fmt::format("{}://{}", scheme, host)
                                      : fmt::format("{}://{}:{}", scheme, host, port);
        }
        if (const auto* ui = member(a, "user_info"); ui && ui->is_object()) {
            p.username = text(ui->as_object(), "username");
            p.password = text(ui->as_object(), "password");
        }
    }
    if (const auto* pv = member(body, "provider")) {
        if (!pv->is_object())
            return core::fail(Errc::Invalid, "provider",
                              "must be an object {\"url\", \"username\", \"password\"}");
        const auto& o = pv->as_object();
        if (auto u = text(o, "url"); !u.empty()) p.base = u;
        if (auto u = text(o, "username"); !u.empty()) p.username = u;
        if (auto u = text(o, "password"); !u.empty()) p.password = u;
    }
    while (!p.base.empty() && p.base.back() == '/') p.base.pop_back();
    if (p.base.empty())
        return core::fail(Errc::Invalid, "provider.url",
                          "name the provider (provider.url, or server_info in auth.json)");
    if (!core::starts_with_ci(p.base, "http://") && !core::starts_with_ci(p.base, "https://"))
        return core::fail(Errc::Invalid, "provider.url", "must be an http or https URL");
    if (p.username.empty() || p.password.empty())
        return core::fail(Errc::Invalid, "provider.username",
                          "give the provider's username and password (provider, or user_info "
                          "in auth.json)");
    for (const auto* s : {&p.username, &p.password})
        if (s->find_first_of(" \t\r\n/?#") != std::string::npos)
            return core::fail(Errc::Invalid, "provider.username",
                              "username and password must not contain white space, /, ? or #");
    return p;
}

/// One of the answers, which must be an array of objects.
core::Result<std::vector<const json::object*>> answer_list(const json::object& body,
                                                           const char* file) {
    const auto* v = member(body, file);
    if (!v)
        return core::fail(Errc::Invalid, file, "is missing (the provider's answer, [] when empty)");
    if (!v->is_array()) return core::fail(Errc::Invalid, file, "must be a JSON array");
    std::vector<const json::object*> out;
    for (std::size_t i = 0; i < v->as_array().size(); ++i) {
        const auto& item = v->as_array()[i];
        if (!item.is_object())
            return core::fail(Errc::Invalid, fmt::format("{}[{}]", file, i), "must be an object");
        out.push_back(&item.as_object());
    }
    return out;
}

/// Counts of one kind, and the problems of all kinds.
struct Tally {
    std::int64_t entries = 0, created = 0, unchanged = 0, invalid = 0;
    json::object to_json() const {
        return {{"entries", entries},
                {"created", created},
                {"unchanged", unchanged},
                {"invalid", invalid}};
    }
};
struct Report {
    json::array problems;
    std::vector<events::Position> positions;
    void refuse(Tally& t, const std::string& file, std::size_t index, const core::Error& e) {
        ++t.invalid;
        if (problems.size() < kMaxProblems)
            problems.push_back({{"file", file},
                                {"index", static_cast<std::int64_t>(index)},
                                {"field", e.field},
                                {"reason", e.message}});
    }
    template <class Outcome>
    void note(const Outcome& o) {
        if (!o.positions.empty()) positions = o.positions;
    }
};

/// Creates the categories of one kind that the provider lists (existing names are unchanged).
/// @returns the provider's category id -> ours.
core::Result<std::map<std::int64_t, std::int64_t>> import_categories(
    IptvApi& api, const HttpRequest& r, const std::vector<const json::object*>& list,
    CategoryKind kind, const char* file, Tally& t, Report& report) {
    std::map<std::int64_t, std::int64_t> ids;
    for (std::size_t i = 0; i < list.size(); ++i) {
        ++t.entries;
        const auto& o = *list[i];
        const auto provider_id = integer(o, "category_id");
        if (!provider_id) {
            report.refuse(t, file, i, {Errc::Invalid, "category_id", "must be an integer"});
            continue;
        }
        auto out = execute(api, r, CreateCategory{text(o, "category_name"), kind, 0});
        if (!out) {
            if (out.error().code != Errc::Invalid) return tl::unexpected(out.error());
            report.refuse(t, file, i, out.error());
            continue;
        }
        ++(out->changed ? t.created : t.unchanged);
        report.note(*out);
        ids[*provider_id] = out->id;
    }
    return ids;
}

std::optional<std::int64_t> mapped(const std::map<std::int64_t, std::int64_t>& ids,
                                   const json::object& o) {
    const auto id = integer(o, "category_id");
    if (!id) return std::nullopt;
    auto it = ids.find(*id);
    return it == ids.end() ? std::nullopt : std::optional(it->second);
}

/// The episodes and seasons of a `get_series_info` answer.
void read_series_info(const json::object& info, const Provider& p, SeriesEntry& s,
                      std::vector<core::Error>& problems) {
    if (const auto* seasons = member(info, "seasons"); seasons && seasons->is_array()) {
        for (const auto& v : seasons->as_array()) {
            if (!v.is_object()) continue;
            const auto& o = v.as_object();
            const auto number = integer(o, "season_number");
            if (!number) continue;
            auto cover = text(o, "cover_big");
            if (cover.empty()) cover = text(o, "cover");
            s.seasons.push_back(
                {*number, text(o, "name"), text(o, "air_date"), text(o, "overview"), cover});
        }
    }
    const auto* episodes = member(info, "episodes");
    if (!episodes) return;
    auto add = [&](const json::value& v, std::optional<std::int64_t> season_key) {
        if (!v.is_object()) return;
        const auto& o = v.as_object();
        EpisodeEntry e;
        e.key = text(o, "id");
        e.season = integer(o, "season").value_or(season_key.value_or(0));
        e.episode_num = integer(o, "episode_num").value_or(0);
        e.fields.title = text(o, "title");
        e.fields.container_extension = text(o, "container_extension");
        e.fields.source_url = p.url("series", e.key, e.fields.container_extension);
        if (const auto* i = member(o, "info"); i && i->is_object()) {
            const auto& io = i->as_object();
            e.fields.plot = text(io, "plot");
            e.fields.release_date = text(io, "releasedate");
            if (e.fields.release_date.empty()) e.fields.release_date = text(io, "release_date");
            e.fields.duration_secs = integer(io, "duration_secs").value_or(0);
            e.fields.rating = text(io, "rating");
            e.fields.movie_image = text(io, "movie_image");
        }
        if (auto ok = validate_episode_fields(e.fields); !ok || e.key.empty()) {
            problems.push_back(ok ? core::Error{Errc::Invalid, "id", "must not be empty"}
                                  : ok.error());
            return;
        }
        s.episodes.push_back(std::move(e));
    };
    // Keyed by season number (`{"1":[...]}`), or, from some panels, a list of lists.
    if (episodes->is_object()) {
        for (const auto& [k, list] : episodes->as_object()) {
            std::optional<std::int64_t> season;
            std::int64_t n = 0;
            const auto key = std::string(k);
            if (auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), n);
                ec == std::errc())
                season = n;
            if (list.is_array())
                for (const auto& v : list.as_array()) add(v, season);
        }
    } else if (episodes->is_array()) {
        for (const auto& list : episodes->as_array())
            if (list.is_array())
                for (const auto& v : list.as_array()) add(v, std::nullopt);
    }
}

/// POST /v1/iptv/imports/xtream?source=<name> with the provider's answers as the body.
core::Result<HttpResponse> import_xtream(IptvApi& api, HttpRequest& r) {
    const auto& source = r.query_param("source");
    if (source.empty())
        return core::fail(Errc::Invalid, "source", "name the provider, e.g. ?source=hellraiser");
    boost::system::error_code ec;
    auto parsed = json::parse(r.body, ec);
    if (ec || !parsed.is_object())
        return core::fail(Errc::Invalid, "body",
                          "must be a JSON object keyed by the provider's file names");
    const auto& body = parsed.as_object();
    const auto live_categories = SY_TRY(answer_list(body, kLiveCategories));
    const auto live_streams = SY_TRY(answer_list(body, kLiveStreams));
    const auto vod_categories = SY_TRY(answer_list(body, kVodCategories));
    const auto vod_streams = SY_TRY(answer_list(body, kVodStreams));
    const auto series_categories = SY_TRY(answer_list(body, kSeriesCategories));
    const auto series_list = SY_TRY(answer_list(body, kSeries));
    const json::object* series_info = nullptr;
    if (const auto* v = member(body, kSeriesInfo)) {
        if (!v->is_object())
            return core::fail(Errc::Invalid, kSeriesInfo, "must be an object keyed by series_id");
        series_info = &v->as_object();
    }
    const auto provider = SY_TRY(provider_of(body));

    Report report;
    Tally live_cats, movie_cats, series_cats, live, movies, series, episodes;
    const auto live_ids = SY_TRY(import_categories(api, r, live_categories, CategoryKind::Live,
                                                   kLiveCategories, live_cats, report));
    const auto movie_ids = SY_TRY(import_categories(api, r, vod_categories, CategoryKind::Movie,
                                                    kVodCategories, movie_cats, report));
    const auto series_ids = SY_TRY(import_categories(
        api, r, series_categories, CategoryKind::Series, kSeriesCategories, series_cats, report));
    std::map<std::int64_t, std::string> live_names;
    for (const auto* o : live_categories)  // the categories that were accepted
        if (auto id = integer(*o, "category_id"); id && live_ids.count(*id))
            live_names[*id] = text(*o, "category_name");

    // Live streams: one ImportPlaylist (one append), unchanged by source URL.
    ImportPlaylist playlist{source, {}, 0};
    for (std::size_t i = 0; i < live_streams.size(); ++i) {
        const auto& o = *live_streams[i];
        ++live.entries;
        const auto id = integer(o, "stream_id");
        if (!id) {
            report.refuse(live, kLiveStreams, i,
                          {Errc::Invalid, "stream_id", "must be an integer"});
            continue;
        }
        ImportEntry e;
        e.line = static_cast<std::int64_t>(i) + 1;
        e.fields.name = text(o, "name");
        e.fields.source_url = provider.url("live", std::to_string(*id), "ts");
        e.fields.tvg_id = text(o, "epg_channel_id");
        e.fields.epg_channel_id = e.fields.tvg_id;
        e.fields.logo = text(o, "stream_icon");
        if (auto c = integer(o, "category_id"); c && live_names.count(*c))
            e.category_name = live_names[*c];
        if (auto ok = validate_stream_fields(e.fields); !ok) {
            report.refuse(live, kLiveStreams, i, ok.error());
            continue;
        }
        playlist.entries.push_back(std::move(e));
    }
    if (!playlist.entries.empty()) {
        playlist.invalid = live.invalid;
        auto o = SY_TRY(execute(api, r, playlist));
        report.note(o);
        if (o.summary) {
            live.created = o.summary->created;
            live.unchanged = o.summary->unchanged;
        }
    }

    // Movies and series: one ImportVod (one append), unchanged by provider id.
    ImportVod vod{source, {}, {}};
    for (std::size_t i = 0; i < vod_streams.size(); ++i) {
        const auto& o = *vod_streams[i];
        ++movies.entries;
        MovieEntry m;
        m.key = text(o, "stream_id");
        auto& f = m.fields;
        f.name = text(o, "name");
        f.container_extension = text(o, "container_extension");
        f.source_url = provider.url("movie", m.key, f.container_extension);
        f.category_id = mapped(movie_ids, o);
        f.tmdb_id = text(o, "tmdb");
        if (f.tmdb_id.empty()) f.tmdb_id = text(o, "tmdb_id");
        f.plot = text(o, "plot");
        f.cast = text(o, "cast");
        f.director = text(o, "director");
        f.genre = text(o, "genre");
        f.release_date = text(o, "release_date");
        f.rating = text(o, "rating");
        f.cover = text(o, "stream_icon");
        f.backdrop_path = url_list(o, "backdrop_path");
        f.youtube_trailer = text(o, "youtube_trailer");
        if (!integer(o, "stream_id")) {
            report.refuse(movies, kVodStreams, i,
                          {Errc::Invalid, "stream_id", "must be an integer"});
            continue;
        }
        if (auto ok = validate_movie_fields(f); !ok) {
            report.refuse(movies, kVodStreams, i, ok.error());
            continue;
        }
        vod.movies.push_back(std::move(m));
    }
    for (std::size_t i = 0; i < series_list.size(); ++i) {
        const auto& o = *series_list[i];
        ++series.entries;
        SeriesEntry s;
        s.key = text(o, "series_id");
        auto& f = s.fields;
        f.name = text(o, "name");
        f.category_id = mapped(series_ids, o);
        f.cover = text(o, "cover");
        f.plot = text(o, "plot");
        f.cast = text(o, "cast");
        f.director = text(o, "director");
        f.genre = text(o, "genre");
        f.release_date = text(o, "releaseDate");
        f.rating = text(o, "rating");
        f.backdrop_path = url_list(o, "backdrop_path");
        f.youtube_trailer = text(o, "youtube_trailer");
        f.episode_run_time_min = integer(o, "episode_run_time").value_or(0);
        f.tmdb_id = text(o, "tmdb");
        if (!integer(o, "series_id")) {
            report.refuse(series, kSeries, i, {Errc::Invalid, "series_id", "must be an integer"});
            continue;
        }
        if (auto ok = validate_series_fields(f); !ok) {
            report.refuse(series, kSeries, i, ok.error());
            continue;
        }
        if (series_info) {
            if (const auto* info = member(*series_info, s.key); info && info->is_object()) {
                std::vector<core::Error> problems;
                read_series_info(info->as_object(), provider, s, problems);
                for (const auto& e : problems) {
                    ++episodes.entries;
                    report.refuse(episodes, kSeriesInfo, i, e);
                }
            }
        }
        episodes.entries += static_cast<std::int64_t>(s.episodes.size());
        vod.series.push_back(std::move(s));
    }
    if (!vod.movies.empty() || !vod.series.empty()) {
        auto o = SY_TRY(api.vod.execute(vod, decision_context(api.ctx, r, caller_of(r).actor)));
        report.note(o);
        movies.created = o.movies.created;
        movies.unchanged = o.movies.unchanged;
        series.created = o.series.created;
        series.unchanged = o.series.unchanged;
        episodes.created = o.episodes.created;
        episodes.unchanged = o.episodes.unchanged;
    }
    return answer(200,
                  {{"source", source},
                   {"live_categories", live_cats.to_json()},
                   {"movie_categories", movie_cats.to_json()},
                   {"series_categories", series_cats.to_json()},
                   {"live", live.to_json()},
                   {"movies", movies.to_json()},
                   {"series", series.to_json()},
                   {"episodes", episodes.to_json()},
                   {"problems", std::move(report.problems)}},
                  report.positions);
}

/// `Show Name S01E02 ...` -> the show's name and the season and episode numbers; false when the
/// title names no episode.
bool episode_of(std::string_view title, std::string& show, std::int64_t& season,
                std::int64_t& episode) {
    for (std::size_t i = 0; i + 5 < title.size(); ++i) {
        if ((title[i] != 'S' && title[i] != 's') || (i > 0 && title[i - 1] != ' ')) continue;
        std::size_t j = i + 1;
        std::int64_t s = 0, e = 0;
        const auto s_begin = j;
        while (j < title.size() && j - s_begin < 4 &&
               std::isdigit(static_cast<unsigned char>(title[j])))
            s = s * 10 + (title[j++] - '0');
        if (j == s_begin || j >= title.size() || (title[j] != 'E' && title[j] != 'e')) continue;
        const auto e_begin = ++j;
        while (j < title.size() && j - e_begin < 5 &&
               std::isdigit(static_cast<unsigned char>(title[j])))
            e = e * 10 + (title[j++] - '0');
        if (j == e_begin) continue;
        auto name = title.substr(0, i);
        while (!name.empty() && (name.back() == ' ' || name.back() == '-')) name.remove_suffix(1);
        if (name.empty()) continue;
        show = std::string(name);
        season = s;
        episode = e;
        return true;
    }
    return false;
}

/// The file extension of a URL's path (`.../film.mkv?token=1` -> `mkv`), lower-cased; empty
/// when none.
std::string extension_of(std::string_view url) {
    url = url.substr(0, url.find_first_of("?#"));
    const auto slash = url.rfind('/');
    const auto dot = url.rfind('.');
    if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash))
        return {};
    std::string ext(url.substr(dot + 1));
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

/// POST /v1/iptv/imports/m3u-vod?source=<name> with an M3U playlist of VOD groups: each entry
/// whose title names an episode (`Show S01E02`) becomes an episode of the series `Show`, every
/// other entry a movie; `group-title` names the movie or series category, `tvg-logo` the
/// cover. Unchanged by URL (movies, episodes) and show name (series) on a second import.
core::Result<HttpResponse> import_m3u_vod(IptvApi& api, HttpRequest& r) {
    const auto& source = r.query_param("source");
    if (source.empty())
        return core::fail(Errc::Invalid, "source", "name the playlist source, e.g. ?source=films");
    const auto playlist = parse_m3u(r.body);
    Report report;
    Tally movies, series, episodes, movie_cats, series_cats;
    for (const auto& p : playlist.invalid)
        report.refuse(movies, "playlist", static_cast<std::size_t>(p.line),
                      {Errc::Invalid, "line", p.reason});
    auto attribute = [](const M3uEntry& e, const char* key) {
        auto it = e.attributes.find(key);
        return it == e.attributes.end() ? std::string() : it->second;
    };
    std::map<std::string, std::int64_t> category_ids[2];  // movie, series: by name
    auto category = [&](bool is_series,
                        const std::string& name) -> core::Result<std::optional<std::int64_t>> {
        if (name.empty()) return std::optional<std::int64_t>();
        auto& known = category_ids[is_series ? 1 : 0];
        if (auto it = known.find(name); it != known.end()) return std::optional(it->second);
        auto& t = is_series ? series_cats : movie_cats;
        ++t.entries;
        auto out = execute(
            api, r,
            CreateCategory{name, is_series ? CategoryKind::Series : CategoryKind::Movie, 0});
        if (!out) {
            if (out.error().code != Errc::Invalid) return tl::unexpected(out.error());
            ++t.invalid;
            return std::optional<std::int64_t>();
        }
        ++(out->changed ? t.created : t.unchanged);
        report.note(*out);
        known[name] = out->id;
        return std::optional(out->id);
    };
    ImportVod vod{source, {}, {}};
    std::map<std::string, std::size_t> series_at;  // show name -> index in vod.series
    for (std::size_t i = 0; i < playlist.entries.size(); ++i) {
        const auto& e = playlist.entries[i];
        const auto group =
            attribute(e, "group-title").empty() ? e.group : attribute(e, "group-title");
        std::string show;
        std::int64_t season = 0, number = 0;
        if (episode_of(e.title, show, season, number)) {
            ++episodes.entries;
            EpisodeEntry ep{e.url, season, number, {}};
            ep.fields.title = e.title;
            ep.fields.source_url = e.url;
            ep.fields.container_extension = extension_of(e.url);
            ep.fields.movie_image = attribute(e, "tvg-logo");
            if (auto ok = validate_episode_fields(ep.fields); !ok) {
                report.refuse(episodes, "playlist", static_cast<std::size_t>(e.line), ok.error());
                continue;
            }
            auto [it, fresh] = series_at.try_emplace(show, vod.series.size());
            if (fresh) {
                ++series.entries;
                SeriesEntry s;
                s.key = show;
                s.fields.name = show;
                s.fields.cover = attribute(e, "tvg-logo");
                s.fields.category_id = SY_TRY(category(true, group));
                if (auto ok = validate_series_fields(s.fields); !ok) {
                    report.refuse(series, "playlist", static_cast<std::size_t>(e.line), ok.error());
                    series_at.erase(it);
                    continue;
                }
                vod.series.push_back(std::move(s));
            }
            vod.series[it->second].episodes.push_back(std::move(ep));
            continue;
        }
        ++movies.entries;
        MovieEntry m;
        m.key = e.url;
        m.fields.name = e.title;
        m.fields.source_url = e.url;
        m.fields.container_extension = extension_of(e.url);
        m.fields.cover = attribute(e, "tvg-logo");
        if (auto ok = validate_movie_fields(m.fields); !ok) {
            report.refuse(movies, "playlist", static_cast<std::size_t>(e.line), ok.error());
            continue;
        }
        m.fields.category_id = SY_TRY(category(false, group));
        vod.movies.push_back(std::move(m));
    }
    if (vod.movies.empty() && vod.series.empty())
        return problem(
            core::Error{Errc::Rejected, "body", "the playlist has no usable movie or episode"},
            {{"problems", std::move(report.problems)}});
    auto o = SY_TRY(api.vod.execute(vod, decision_context(api.ctx, r, caller_of(r).actor)));
    report.note(o);
    movies.created = o.movies.created;
    movies.unchanged = o.movies.unchanged;
    series.created = o.series.created;
    series.unchanged = o.series.unchanged;
    episodes.created = o.episodes.created;
    episodes.unchanged = o.episodes.unchanged;
    return answer(200,
                  {{"source", source},
                   {"movie_categories", movie_cats.to_json()},
                   {"series_categories", series_cats.to_json()},
                   {"movies", movies.to_json()},
                   {"series", series.to_json()},
                   {"episodes", episodes.to_json()},
                   {"problems", std::move(report.problems)}},
                  report.positions);
}

}  // namespace

IptvRoutes xtream_import_routes() {
    return {
        {"POST", "/v1/iptv/imports/xtream", roles::admin, import_xtream,
         "Imports an Xtream Codes provider's player_api.php answers (live, VOD and series with "
         "their categories; `source` names the provider); answers created/unchanged/invalid "
         "per kind and the refused entries (at most 100). Importing the same answers again "
         "creates nothing."},
        {"POST", "/v1/iptv/imports/m3u-vod", roles::admin, import_m3u_vod,
         "Imports an M3U playlist of VOD groups: `Show S01E02` titles as episodes of series, the "
         "others as movies, `group-title` as their category; answers counts per kind, 422 when "
         "no entry is usable. Importing it again creates nothing."},
    };
}

}  // namespace switchyard::api::iptv
