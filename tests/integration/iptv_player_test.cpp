// A real player against a real server: `switchyard serve` on loopback, both Xtream captures and
// the Turkcell TV+ guide imported through the CLI, a line, then the npm Xtream Codes client
// @iptv/xtream-api (tests/player, pinned in its package-lock.json) logs in and reads live, VOD,
// series and the short EPG. What it saw is checked against the source files.
#include <doctest/doctest.h>
#include <strings.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "tests/integration/processes.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace switchyard::testing;

namespace {

const fs::path kXtream = fs::path(SY_SHARED_DATA) / "iptv" / "xtream";
const fs::path kGuide = fs::path(SY_SHARED_DATA) / "iptv" / "epg" / "tvplus.com.tr.guide.xml";

std::string str(const json::value& v) {
    if (v.is_string()) return std::string(v.as_string());
    if (v.is_int64()) return std::to_string(v.as_int64());
    if (v.is_uint64()) return std::to_string(v.as_uint64());
    if (v.is_double()) return fmt::format("{}", v.as_double());
    return {};
}
std::string field(const json::object& o, const char* key) {
    auto it = o.find(key);
    return it == o.end() ? std::string() : str(it->value());
}
json::array array_file(const fs::path& p) { return json::parse(slurp(p)).as_array(); }

/// One provider's answers, as the capture files hold them.
struct Panel {
    std::map<std::string, std::string> live_category, vod_category, series_category;  // id->name
    json::array live, vod, series;
    explicit Panel(const fs::path& dir) {
        auto names = [&](const char* file, std::map<std::string, std::string>& out) {
            for (const auto& c : array_file(dir / file))
                out[field(c.as_object(), "category_id")] = field(c.as_object(), "category_name");
        };
        names("get_live_categories.json", live_category);
        names("get_vod_categories.json", vod_category);
        names("get_series_categories.json", series_category);
        live = array_file(dir / "get_live_streams.json");
        vod = array_file(dir / "get_vod_streams.json");
        series = array_file(dir / "get_series.json");
    }
};

/// A programme of the guide file (times in Unix seconds, title and desc entity-decoded).
struct Programme {
    std::int64_t start = 0, stop = 0;
    std::string title, desc;
};

/// `YYYYMMDDhhmmss` plus `days`, as the same text.
std::string add_days(std::string_view stamp, int days) {
    using namespace std::chrono;
    const auto at = [&](std::size_t pos, std::size_t n) {
        return std::stoi(std::string(stamp.substr(pos, n)));
    };
    const sys_days day =
        sys_days{year{at(0, 4)} / month(unsigned(at(4, 2))) / at(6, 2)} + std::chrono::days{days};
    const year_month_day ymd{day};
    return fmt::format("{:04}{:02}{:02}{}", int(ymd.year()), unsigned(ymd.month()),
                       unsigned(ymd.day()), stamp.substr(8, 6));
}

/// Unix seconds of an XMLTV time `YYYYMMDDhhmmss +zzzz`.
std::int64_t unix_of(std::string_view t) {
    using namespace std::chrono;
    const auto at = [&](std::size_t pos, std::size_t n) {
        return std::stoi(std::string(t.substr(pos, n)));
    };
    const sys_days day{year{at(0, 4)} / month(unsigned(at(4, 2))) / at(6, 2)};
    std::int64_t s = duration_cast<seconds>(day.time_since_epoch()).count() + at(8, 2) * 3600 +
                     at(10, 2) * 60 + at(12, 2);
    if (t.size() >= 20) {
        const int offset = at(16, 2) * 3600 + at(18, 2) * 60;
        s += t[15] == '-' ? offset : -offset;
    }
    return s;
}

/// The guide moved by whole `days`: every `start="` and `stop="` date, the rest byte for byte.
std::string shift_guide(const std::string& xml, int days) {
    std::string out;
    out.reserve(xml.size());
    std::size_t at = 0;
    while (true) {
        auto next = std::min(xml.find(" start=\"", at), xml.find(" stop=\"", at));
        if (next == std::string::npos) break;
        next = xml.find('"', next) + 1;
        out.append(xml, at, next - at);
        out += add_days(std::string_view(xml).substr(next, 14), days);
        at = next + 14;
    }
    out.append(xml, at);
    return out;
}

std::string xml_text(std::string s) {
    static const std::pair<const char*, const char*> kEntities[] = {
        {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}};
    for (const auto& [from, to] : kEntities) {
        for (auto p = s.find(from); p != std::string::npos; p = s.find(from, p + 1))
            s.replace(p, std::string_view(from).size(), to);
    }
    return s;
}

/// The text of the first `<tag ...>text</tag>` in `line`; empty when absent.
std::string element(const std::string& line, const std::string& tag) {
    const auto open = line.find("<" + tag);
    if (open == std::string::npos) return {};
    const auto begin = line.find('>', open) + 1;
    return xml_text(line.substr(begin, line.find("</" + tag + ">", begin) - begin));
}
std::string attribute(const std::string& line, const std::string& name) {
    const auto at = line.find(" " + name + "=\"");
    if (at == std::string::npos) return {};
    const auto begin = at + name.size() + 3;
    return line.substr(begin, line.find('"', begin) - begin);
}

/// The file's programmes by channel, sorted by start (the file has one `<programme>` a line).
std::map<std::string, std::vector<Programme>> programmes_of(const std::string& xml) {
    std::map<std::string, std::vector<Programme>> out;
    std::size_t at = 0;
    while ((at = xml.find("<programme ", at)) != std::string::npos) {
        const auto end = xml.find("</programme>", at);
        const auto line = xml.substr(at, end - at);
        out[attribute(line, "channel")].push_back({unix_of(attribute(line, "start")),
                                                   unix_of(attribute(line, "stop")),
                                                   element(line, "title"), element(line, "desc")});
        at = end;
    }
    for (auto& [id, list] : out)
        std::sort(list.begin(), list.end(),
                  [](const auto& a, const auto& b) { return a.start < b.start; });
    return out;
}

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
    return n;
}

/// `YYYY-MM-DD hh:mm:ss` of Unix seconds in UTC (the server's announced timezone).
std::string utc_text(std::int64_t t) {
    using namespace std::chrono;
    const sys_seconds s{seconds{t}};
    const auto day = floor<days>(s);
    const year_month_day ymd{day};
    const hh_mm_ss hms{s - day};
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", int(ymd.year()),
                       unsigned(ymd.month()), unsigned(ymd.day()), hms.hours().count(),
                       hms.minutes().count(), hms.seconds().count());
}

/// A get_series_info answer in the shape panels send, for one series of a capture (the
/// captures hold none): season 1 with two episodes, season 2 with one.
json::object series_info(const json::object& show) {
    auto episode = [&](int id, int season, int n, const char* ext) {
        return json::object{
            {"id", std::to_string(id)},
            {"episode_num", n},
            {"title", fmt::format("{} S{:02}E{:02}", field(show, "name"), season, n)},
            {"container_extension", ext},
            {"info",
             {{"movie_image", field(show, "cover")},
              {"plot", ""},
              {"duration_secs", 2520},
              {"duration", "00:42:00"}}},
            {"custom_sid", ""},
            {"added", "1530461599"},
            {"season", season},
            {"direct_source", ""}};
    };
    return {{"seasons",
             {{{"air_date", field(show, "releaseDate")},
               {"episode_count", 2},
               {"id", 1},
               {"name", "Season 1"},
               {"overview", ""},
               {"season_number", 1},
               {"cover", field(show, "cover")},
               {"cover_big", field(show, "cover")}}}},
            {"info", json::object{}},
            {"episodes",
             {{"1", {episode(9001, 1, 1, "mkv"), episode(9002, 1, 2, "mp4")}},
              {"2", {episode(9003, 2, 1, "mkv")}}}}};
}

/// GET with `Accept-Encoding: gzip`: the Content-Encoding answered and the decoded body.
std::pair<std::string, std::string> gzip_get(const std::string& url) {
    std::string body, encoding;
    CURL* c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "gzip");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(
        c, CURLOPT_HEADERFUNCTION, +[](char* d, std::size_t s, std::size_t n, void* out) {
            std::string_view h(d, s * n);
            if (h.size() > 17 && strncasecmp(h.data(), "content-encoding:", 17) == 0) {
                h.remove_prefix(17);
                while (!h.empty() && (h.front() == ' ' || h.back() == '\n' || h.back() == '\r'))
                    h = h.front() == ' ' ? h.substr(1) : h.substr(0, h.size() - 1);
                *static_cast<std::string*>(out) = std::string(h);
            }
            return s * n;
        });
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &encoding);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    curl_easy_perform(c);
    curl_easy_cleanup(c);
    return {encoding, body};
}

/// The player folder set up with `npm ci` in `dir`. @returns the reason when it cannot be.
std::optional<std::string> install_player(const fs::path& dir) {
    if (run("command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1") != 0)
        return "node and npm (Node 20: the npm Xtream client runs on it)";
    fs::create_directories(dir);
    for (const char* f : {"package.json", "package-lock.json", "xtream_player.mjs"})
        fs::copy_file(fs::path(SY_PLAYER_DIR) / f, dir / f);
    std::string out;
    if (run(fmt::format("cd '{}' && npm ci --prefer-offline --no-audit --no-fund 2>&1",
                        dir.string()),
            &out) != 0)
        return "npm ci of tests/player (registry or cache): " + out;
    return std::nullopt;
}

}  // namespace

TEST_CASE("an npm Xtream client plays live, VOD, series and the short EPG as imported") {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    TempDir tmp;
    if (auto missing = install_player(tmp.path() / "player")) {
        skip("needs " + *missing);
        return;
    }

    // The sources, as files: both Xtream captures. The hellraiser folder gets a get_series_info
    // answer for its first series with a plot, and loses its 4,950 live streams (iris brings
    // 8,622) so that the test stays under a minute on 2 cores with sanitizers.
    const auto hellraiser_dir = tmp.path() / "hellraiser";
    fs::create_directories(hellraiser_dir / "get_series_info");
    for (const auto& f : fs::directory_iterator(kXtream / "hellraiser"))
        fs::copy_file(f.path(), hellraiser_dir / f.path().filename());
    fs::remove(hellraiser_dir / "get_live_streams.json");
    std::ofstream(hellraiser_dir / "get_live_streams.json") << "[]";
    const Panel iris(kXtream / "iris");
    const Panel hellraiser(hellraiser_dir);
    const json::object* show = nullptr;
    for (const auto& s : hellraiser.series)
        if (!show && !field(s.as_object(), "plot").empty()) show = &s.as_object();
    REQUIRE(show);
    {
        std::ofstream out(hellraiser_dir / "get_series_info" /
                          (field(*show, "series_id") + ".json"));
        out << json::serialize(series_info(*show));
    }

    // The guide moved by whole days so that now falls inside it (it covers one day of 2024).
    const auto guide_text = slurp(kGuide);
    const auto file_programmes = programmes_of(guide_text);
    std::int64_t first_start = INT64_MAX;
    for (const auto& [id, list] : file_programmes)
        first_start = std::min(first_start, list[0].start);
    const int days = static_cast<int>((now_seconds() - first_start) / 86400);
    const auto shifted = shift_guide(guide_text, days);
    const auto guide = programmes_of(shifted);
    {
        std::ofstream out(tmp.path() / "guide.xml", std::ios::binary);
        out << shifted;
    }

    const auto data_dir = tmp.path() / "data";
    Server server(data_dir, free_port());
    const auto key_text = slurp(data_dir / "admin.key");
    const auto key = key_text.substr(0, key_text.find('\n'));

    // Imports through the CLI, as an operator would.
    std::map<std::string, std::int64_t> created;  // kind -> created, both panels
    for (const auto& dir : {kXtream / "iris", hellraiser_dir}) {
        std::string out;
        REQUIRE(run(fmt::format("'{}' import xtream '{}' --server {} --data-dir '{}' 2>/dev/null",
                                SY_SWITCHYARD, dir.string(), server.base, data_dir.string()),
                    &out) == 0);
        const auto report = json::parse(out).as_object();
        for (const char* kind : {"live", "movies", "series", "episodes"})
            created[kind] += report.at(kind).at("created").as_int64();
    }
    CHECK(created["episodes"] == 3);
    std::string guide_out;
    REQUIRE(run(fmt::format("'{}' import xmltv '{}' --server {} --data-dir '{}' 2>/dev/null",
                            SY_SWITCHYARD, (tmp.path() / "guide.xml").string(), server.base,
                            data_dir.string()),
                &guide_out) == 0);
    const auto guide_report = json::parse(guide_out).as_object();
    CHECK(std::size_t(guide_report.at("channels").as_int64()) ==
          occurrences(guide_text, "<channel id="));
    CHECK(std::size_t(guide_report.at("programmes").as_int64()) ==
          occurrences(guide_text, "<programme "));

    auto made = http("POST", server.base + "/v1/iptv/lines",
                     R"({"username":"player1","max_connections":1})", key);
    REQUIRE_MESSAGE(made.status == 201, made.body);
    const auto line = json::parse(made.body).as_object();
    const std::string password(line.at("password").as_string());
    // The read models take in the imports (~18,000 events) before the player comes.
    bool caught_up = false;
    for (int i = 0; i < 600 && !caught_up; ++i) {
        const auto ready = json::parse(http("GET", server.base + "/readyz").body).as_object();
        caught_up =
            ready.at("lag_events").as_int64() == 0 &&
            http("GET",
                 fmt::format("{}/v1/iptv/lines/{}", server.base, line.at("line_id").as_int64()), {},
                 key)
                    .status == 200;
        if (!caught_up) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    REQUIRE(caught_up);

    // What the player asks for, named from the files: iris's first movie, hellraiser's series,
    // the guide channel of the first iris stream that has one with programmes still to come.
    const auto movie = iris.vod.at(0).as_object();
    std::string epg_channel;
    for (const auto& s : iris.live) {
        const auto id = field(s.as_object(), "epg_channel_id");
        auto it = guide.find(id);
        if (epg_channel.empty() && it != guide.end() && it->second.back().stop > now_seconds() + 60)
            epg_channel = id;
    }
    REQUIRE(!epg_channel.empty());
    const json::object ask{{"url", server.base},
                           {"username", "player1"},
                           {"password", password},
                           {"epg_channel_id", epg_channel},
                           {"movie", field(movie, "name")},
                           {"series", field(*show, "name")},
                           {"epg_limit", 4}};
    const auto asked_at = now_seconds();
    std::string seen_text;
    const auto rc = run(fmt::format("cd '{}' && node xtream_player.mjs '{}'",
                                    (tmp.path() / "player").string(), json::serialize(ask)),
                        &seen_text);
    const auto answered_at = now_seconds();
    REQUIRE_MESSAGE(rc == 0, seen_text);
    const auto seen = json::parse(seen_text).as_object();

    // The login.
    const auto& profile = seen.at("profile").as_object();
    CHECK(profile.at("auth").as_int64() == 1);
    CHECK(str(profile.at("username")) == "player1");
    CHECK(str(profile.at("max_connections")) == "1");
    CHECK(str(seen.at("server").at("timezone")) == "UTC");

    // Live: every stream of both captures with a usable name, under its category's name.
    std::vector<std::string> live_names;
    std::set<std::string> used_categories, all_categories;
    for (const auto* p : {&iris, &hellraiser}) {
        for (const auto& [id, name] : p->live_category) all_categories.insert(name);
        for (const auto& v : p->live) {
            const auto name = field(v.as_object(), "name");
            if (name.empty() || name.size() > 200) continue;  // refused by the import
            live_names.push_back(name);
            auto c = p->live_category.find(field(v.as_object(), "category_id"));
            if (c != p->live_category.end()) used_categories.insert(c->second);
        }
    }
    const auto& live = seen.at("live").as_object();
    CHECK(std::size_t(live.at("streams").as_int64()) == live_names.size());
    CHECK(live.at("streams").as_int64() == created["live"]);
    std::vector<std::string> served_names;
    for (const auto& n : live.at("names").as_array()) served_names.push_back(str(n));
    std::sort(live_names.begin(), live_names.end());
    std::sort(served_names.begin(), served_names.end());
    CHECK(served_names == live_names);
    std::set<std::string> served_live_categories;
    for (const auto& c : live.at("categories").as_array()) served_live_categories.insert(str(c));
    for (const auto& c : used_categories) CHECK_MESSAGE(served_live_categories.count(c), c);
    for (const auto& c : served_live_categories) CHECK_MESSAGE(all_categories.count(c), c);
    CHECK(str(live.at("first_url"))
              .starts_with(fmt::format("{}/live/player1/{}/", server.base, password)));

    // VOD: the categories by name, and every movie with its extension, cover, category, rating.
    const auto& vod = seen.at("vod").as_object();
    std::multiset<std::string> vod_categories, served_vod_categories;
    for (const auto* p : {&iris, &hellraiser})
        for (const auto& [id, name] : p->vod_category) vod_categories.insert(name);
    for (const auto& c : vod.at("categories").as_array()) served_vod_categories.insert(str(c));
    CHECK(served_vod_categories == vod_categories);
    using Row = std::vector<std::string>;
    std::multiset<Row> want_movies, served_movies;
    for (const auto* p : {&iris, &hellraiser}) {
        for (const auto& v : p->vod) {
            const auto& m = v.as_object();
            auto c = p->vod_category.find(field(m, "category_id"));
            want_movies.insert({field(m, "name"), field(m, "container_extension"),
                                field(m, "stream_icon"),
                                c == p->vod_category.end() ? "" : c->second, field(m, "rating")});
        }
    }
    for (const auto& v : vod.at("streams").as_array()) {
        Row row;
        for (const auto& cell : v.as_array()) row.push_back(str(cell));
        served_movies.insert(row);
    }
    CHECK(served_movies == want_movies);
    CHECK(std::size_t(vod.at("count").as_int64()) == want_movies.size());
    CHECK(vod.at("count").as_int64() == created["movies"]);

    // The movie opened: get_vod_info as the client reads it, and the play URL it builds.
    REQUIRE_MESSAGE(vod.at("movie").is_object(), seen_text.substr(0, 2000));
    const auto& opened = vod.at("movie").as_object();
    CHECK(str(opened.at("name")) == field(movie, "name"));
    CHECK(str(opened.at("data_name")) == field(movie, "name"));
    CHECK(str(opened.at("movie_image")) == field(movie, "stream_icon"));
    CHECK(str(opened.at("container_extension")) == field(movie, "container_extension"));
    CHECK(str(opened.at("category")) == iris.vod_category.at(field(movie, "category_id")));
    CHECK(str(opened.at("url")) == fmt::format("{}/movie/player1/{}/{}.{}", server.base, password,
                                               str(opened.at("stream_id")),
                                               field(movie, "container_extension")));

    // Series: categories, every show with its cover, plot, genre and category.
    const auto& series = seen.at("series").as_object();
    std::multiset<std::string> series_categories, served_series_categories;
    for (const auto* p : {&iris, &hellraiser})
        for (const auto& [id, name] : p->series_category) series_categories.insert(name);
    for (const auto& c : series.at("categories").as_array())
        served_series_categories.insert(str(c));
    CHECK(served_series_categories == series_categories);
    std::multiset<Row> want_shows, served_shows;
    for (const auto* p : {&iris, &hellraiser}) {
        for (const auto& v : p->series) {
            const auto& x = v.as_object();
            auto c = p->series_category.find(field(x, "category_id"));
            want_shows.insert({field(x, "name"), field(x, "cover"), field(x, "plot"),
                               field(x, "genre"), c == p->series_category.end() ? "" : c->second});
        }
    }
    for (const auto& v : series.at("shows").as_array()) {
        Row row;
        for (const auto& cell : v.as_array()) row.push_back(str(cell));
        served_shows.insert(row);
    }
    CHECK(served_shows == want_shows);
    CHECK(std::size_t(series.at("count").as_int64()) == want_shows.size());
    CHECK(series.at("count").as_int64() == created["series"]);

    // The series opened: its seasons and the episodes imported for it, with play URLs.
    REQUIRE(series.at("show").is_object());
    const auto& opened_show = series.at("show").as_object();
    CHECK(str(opened_show.at("name")) == field(*show, "name"));
    CHECK(str(opened_show.at("cover")) == field(*show, "cover"));
    const auto given = series_info(*show);
    const auto& seasons = opened_show.at("seasons").as_array();
    REQUIRE(!seasons.empty());
    CHECK(seasons[0].at("season_number").as_int64() == 1);
    CHECK(str(seasons[0].at("name")) == "Season 1");
    CHECK(seasons[0].at("episode_count").as_int64() == 2);
    const auto& episodes = opened_show.at("episodes").as_object();
    CHECK(episodes.size() == given.at("episodes").as_object().size());
    for (const auto& [season, list] : given.at("episodes").as_object()) {
        CAPTURE(std::string(season));
        REQUIRE(episodes.contains(season));
        const auto& got = episodes.at(season).as_array();
        REQUIRE(got.size() == list.as_array().size());
        for (std::size_t i = 0; i < got.size(); ++i) {
            const auto& want = list.as_array()[i].as_object();
            const auto& e = got[i].as_object();
            CHECK(str(e.at("title")) == field(want, "title"));
            CHECK(str(e.at("episode_num")) == field(want, "episode_num"));
            CHECK(str(e.at("season")) == field(want, "season"));
            CHECK(str(e.at("container_extension")) == field(want, "container_extension"));
            CHECK(str(e.at("duration_secs")) == "2520");
            CHECK(str(e.at("url")) == fmt::format("{}/series/player1/{}/{}.{}", server.base,
                                                  password, str(e.at("id")),
                                                  field(want, "container_extension")));
        }
    }

    // The short EPG: the next four programmes of the file's channel from now, decoded.
    REQUIRE(seen.at("epg").is_object());
    const auto& listings = seen.at("epg").at("listings").as_array();
    const auto& expected = guide.at(epg_channel);
    std::size_t first = 0;
    while (first < expected.size() && expected[first].stop <= asked_at) ++first;
    // A programme may end between the two clocks: the listings then start one later.
    if (!listings.empty() && first < expected.size() &&
        listings[0].at("start_timestamp").as_int64() != expected[first].start &&
        expected[first].stop <= answered_at)
        ++first;
    REQUIRE(listings.size() == std::min<std::size_t>(4, expected.size() - first));
    for (std::size_t i = 0; i < listings.size(); ++i) {
        const auto& got = listings[i].as_object();
        const auto& want = expected[first + i];
        CAPTURE(i);
        CHECK(str(got.at("channel_id")) == epg_channel);
        CHECK(str(got.at("title")) == want.title);
        CHECK(str(got.at("description")) == want.desc);
        CHECK(got.at("start_timestamp").as_int64() == want.start);
        CHECK(got.at("stop_timestamp").as_int64() == want.stop);
        CHECK(str(got.at("start")) == utc_text(want.start));
        CHECK(str(got.at("end")) == utc_text(want.stop));
    }

    // xmltv.php for the same line, plain and gzip: the channel with all its programmes.
    const auto creds = fmt::format("username=player1&password={}", password);
    const auto plain = http("GET", server.base + "/xmltv.php?" + creds);
    REQUIRE(plain.status == 200);
    CHECK(occurrences(plain.body, fmt::format("<channel id=\"{}\"", epg_channel)) == 1);
    CHECK(occurrences(plain.body, fmt::format("channel=\"{}\"", epg_channel)) == expected.size());
    CHECK(occurrences(plain.body, "<programme ") == occurrences(plain.body, "</programme>"));
    const auto zipped = gzip_get(server.base + "/xmltv.php?" + creds);
    CHECK(zipped.first == "gzip");
    CHECK(zipped.second == plain.body);
}
