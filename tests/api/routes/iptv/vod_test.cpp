// Movies and series through the API: the Xtream provider import of the real captures
// (../shared/data/iptv/xtream), its idempotence, the player_api.php actions compared field by
// field with the captures, and what a line sees through its bouquets.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "app/modules/iptv_module.hpp"
#include "events/envelope_codec.hpp"
#include "tests/api/api_fixture.hpp"

using namespace switchyard;
using switchyard::testing::ApiFixture;
using switchyard::testing::num;
using switchyard::testing::parse_json;
using switchyard::testing::str;

namespace {

namespace fs = std::filesystem;

const fs::path kCaptures = fs::path(SY_SHARED_DATA) / "iptv" / "xtream";
constexpr const char* kAnswers[] = {"get_live_categories.json",   "get_live_streams.json",
                                    "get_vod_categories.json",    "get_vod_streams.json",
                                    "get_series_categories.json", "get_series.json"};

std::string read(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    REQUIRE_MESSAGE(in, file.string());
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

/// The import body of a provider folder: each file's text under its name, and `extra` members.
std::string import_body(const std::string& provider, const std::string& extra = {},
                        const std::set<std::string>& skip = {}) {
    std::string body = "{";
    for (const char* name : kAnswers) {
        if (skip.count(name)) continue;
        if (body.size() > 1) body += ',';
        body += fmt::format("\"{}\":{}", name, read(kCaptures / provider / name));
    }
    body += fmt::format(",\"auth.json\":{}", read(kCaptures / provider / "auth.json"));
    if (!extra.empty()) body += "," + extra;
    return body + "}";
}

/// The JSON type of a value as players see it: int and float are both numbers.
std::string type_of(simdjson::dom::element e) {
    switch (e.type()) {
        case simdjson::dom::element_type::ARRAY:
            return "array";
        case simdjson::dom::element_type::OBJECT:
            return "object";
        case simdjson::dom::element_type::STRING:
            return "string";
        case simdjson::dom::element_type::BOOL:
            return "bool";
        case simdjson::dom::element_type::NULL_VALUE:
            return "null";
        default:
            return "number";
    }
}

/// Checks that `ours` has every field of `theirs` with the same JSON type (`nullable` fields
/// may be null on either side; `quirks` fields may also differ in type, as the README lists).
void same_shape(simdjson::dom::object theirs, simdjson::dom::element ours,
                const std::set<std::string>& nullable = {},
                const std::set<std::string>& quirks = {}) {
    for (auto [key, value] : theirs) {
        const std::string k(key);
        CAPTURE(k);
        auto mine = ours[k];
        REQUIRE_MESSAGE(!mine.error(), "missing field ", k);
        const auto want = type_of(value), got = type_of(mine.value());
        if (want == got || quirks.count(k)) continue;
        if (nullable.count(k) && (want == "null" || got == "null")) continue;
        CHECK_MESSAGE(want == got, k, ": capture ", want, ", ours ", got);
    }
}

/// The server set to redirect /movie/ and /series/ to the source (`--iptv-vod-redirect`):
/// these tests check the source URLs the import builds (vod_delivery_test.cpp restreams).
struct VodFixture : ApiFixture {
    VodFixture()
        : ApiFixture([](app::Modules& modules) {
              for (auto& m : modules)
                  if (auto* iptv = dynamic_cast<app::IptvModule*>(m.get()))
                      iptv->options.vod_redirect = true;
          }) {}
    /// Imports a provider folder; the report.
    api::HttpResponse import(const std::string& provider, const std::string& extra = {}) {
        return call("POST", "/v1/iptv/imports/xtream?source=" + provider,
                    import_body(provider, extra));
    }
    api::HttpResponse player(const std::string& user, const std::string& query) {
        return call("GET", "/player_api.php?username=" + user + "&password=Line-pass-01" + query,
                    {}, false);
    }
    void line(const std::string& body) {
        REQUIRE(call("POST", "/v1/iptv/lines", body).status == 201);
        settle();
    }
    /// settle() with time for the read models to take in whole provider imports (thousands of
    /// events) on a loaded machine with sanitizers.
    void settle() {
        auto head = store->head();
        if (head.total() == 0) return;
        REQUIRE(runner->wait_for({events::Position{0, head.next_offset(0) - 1}},
                                 std::chrono::seconds(300)));
    }
};

/// A count of a report's kind.
std::int64_t count(simdjson::dom::element report, const char* kind, const char* what) {
    return num(report[kind], what);
}

/// A get_series_info answer as panels send it, for one series of the captures (the captures
/// hold none): two seasons, three episodes.
std::string series_info_for(const std::string& series_id) {
    auto episode = [](int id, int season, int n) {
        return fmt::format(
            R"({{"id":"{}","episode_num":{},"title":"Episode {}","container_extension":"mkv",)"
            R"("info":{{"movie_image":"http://img/{}.jpg","plot":"Plot {}","releasedate":"2005-09-22",)"
            R"("duration_secs":2520,"duration":"00:42:00","rating":"7.5"}},"custom_sid":"",)"
            R"("added":"1530461599","season":{},"direct_source":""}})",
            id, n, id, id, id, season);
    };
    return fmt::format(
        R"("get_series_info.json":{{"{}":{{"seasons":[{{"air_date":"2005-09-22","episode_count":2,)"
        R"("id":4057,"name":"Season 1","overview":"","season_number":1,"cover":"http://img/s1.jpg",)"
        R"("cover_big":"http://img/s1b.jpg"}}],"info":{{}},"episodes":{{"1":[{},{}],"2":[{}]}}}}}})",
        series_id, episode(5001, 1, 1), episode(5002, 1, 2), episode(5003, 2, 1));
}

}  // namespace

TEST_CASE("the captures of both providers import with the counts of the README") {
    VodFixture f;
    struct Want {
        const char* provider;
        std::int64_t live, vod, series, vod_cats, series_cats, live_cats;
    };
    for (const auto& w :
         {Want{"hellraiser", 4950, 1, 52, 22, 52, 50}, Want{"iris", 8623, 360, 12, 9, 0, 86}}) {
        CAPTURE(w.provider);
        auto r = f.import(w.provider);
        REQUIRE_MESSAGE(r.status == 200, r.body);
        simdjson::dom::parser p;
        auto report = parse_json(p, r.body);
        CHECK(count(report, "live", "entries") == w.live);
        CHECK(count(report, "movies", "entries") == w.vod);
        CHECK(count(report, "series", "entries") == w.series);
        CHECK(count(report, "movie_categories", "entries") == w.vod_cats);
        CHECK(count(report, "series_categories", "entries") == w.series_cats);
        CHECK(count(report, "live_categories", "entries") == w.live_cats);
        for (const char* kind : {"live", "movies", "series", "live_categories", "movie_categories",
                                 "series_categories"}) {
            CAPTURE(kind);
            CHECK(count(report, kind, "created") + count(report, kind, "unchanged") +
                      count(report, kind, "invalid") ==
                  count(report, kind, "entries"));
        }
        // Every VOD entry of the captures is usable.
        CHECK(count(report, "movies", "created") == w.vod);
        CHECK(count(report, "series", "created") == w.series);
        CHECK(count(report, "live", "created") > w.live * 9 / 10);
    }
    f.settle();
    f.line(R"({"username":"alice","password":"Line-pass-01"})");
    simdjson::dom::parser p;
    auto movies = parse_json(p, f.player("alice", "&action=get_vod_streams").body).get_array();
    REQUIRE(!movies.error());
    CHECK(movies.value().size() == 361);
    simdjson::dom::parser q;
    auto series = parse_json(q, f.player("alice", "&action=get_series").body).get_array();
    REQUIRE(!series.error());
    CHECK(series.value().size() == 64);
}

TEST_CASE("importing the same provider folder again creates nothing and appends nothing") {
    VodFixture f;
    REQUIRE(f.import("hellraiser", series_info_for("3")).status == 200);
    f.settle();
    const auto before = f.log_size();
    auto again = f.import("hellraiser", series_info_for("3"));
    REQUIRE_MESSAGE(again.status == 200, again.body);
    CHECK(f.log_size() == before);
    simdjson::dom::parser p;
    auto report = parse_json(p, again.body);
    for (const char* kind : {"live", "movies", "series", "episodes", "live_categories",
                             "movie_categories", "series_categories"}) {
        CAPTURE(kind);
        CHECK(count(report, kind, "created") == 0);
        CHECK(count(report, kind, "unchanged") ==
              count(report, kind, "entries") - count(report, kind, "invalid"));
    }
    CHECK(count(report, "episodes", "unchanged") == 3);
}

TEST_CASE("get_vod_streams, get_series and their categories answer the captures' fields") {
    VodFixture f;
    REQUIRE(f.import("hellraiser").status == 200);
    REQUIRE(f.import("iris").status == 200);
    f.settle();
    f.line(R"({"username":"alice","password":"Line-pass-01"})");

    simdjson::dom::parser cp, op;
    // Movies: every entry of both captures, field by field (type), with its values.
    auto ours = parse_json(op, f.player("alice", "&action=get_vod_streams").body).get_array();
    REQUIRE(!ours.error());
    std::size_t at = 0;
    for (const char* provider : {"hellraiser", "iris"}) {
        auto theirs =
            parse_json(cp, read(kCaptures / provider / "get_vod_streams.json")).get_array();
        REQUIRE(!theirs.error());
        for (auto movie : theirs.value()) {
            CAPTURE(provider);
            CAPTURE(at);
            auto mine = ours.value().at(at++);
            REQUIRE(!mine.error());
            same_shape(movie.get_object().value(), mine.value(), {"category_id"});
            CHECK(str(mine.value(), "name") == str(movie, "name"));
            CHECK(str(mine.value(), "stream_icon") == str(movie, "stream_icon"));
            CHECK(str(mine.value(), "rating") == str(movie, "rating"));
            CHECK(str(mine.value(), "stream_type") == "movie");
            CHECK(str(mine.value(), "container_extension") == str(movie, "container_extension"));
            CHECK(mine.value()["rating_5based"].get_double().value() ==
                  doctest::Approx(movie["rating_5based"].get_double().value()));
        }
    }
    CHECK(at == ours.value().size());

    // Series: the hellraiser capture (lists of backdrops, named categories) field by field.
    simdjson::dom::parser sp, tp;
    auto series = parse_json(sp, f.player("alice", "&action=get_series").body).get_array();
    REQUIRE(!series.error());
    auto theirs = parse_json(tp, read(kCaptures / "hellraiser" / "get_series.json")).get_array();
    REQUIRE(!theirs.error());
    REQUIRE(series.value().size() == 64);
    at = 0;
    for (auto s : theirs.value()) {
        CAPTURE(at);
        auto mine = series.value().at(at++).value();
        same_shape(s.get_object().value(), mine);
        CHECK(str(mine, "name") == str(s, "name"));
        CHECK(str(mine, "plot") == str(s, "plot"));
        CHECK(str(mine, "releaseDate") == str(s, "releaseDate"));
        CHECK(mine["backdrop_path"].get_array().value().size() ==
              s["backdrop_path"].get_array().value().size());
        CHECK(mine["rating_5based"].get_double().value() ==
              doctest::Approx(s["rating_5based"].get_double().value()));
    }
    // iris: no series categories (category_id null), backdrop_path "" in the capture.
    auto iris = parse_json(tp, read(kCaptures / "iris" / "get_series.json")).get_array();
    for (auto s : iris.value()) {
        auto mine = series.value().at(at++).value();
        same_shape(s.get_object().value(), mine, {}, {"backdrop_path"});
        CHECK(mine["category_id"].is_null());
    }

    // Categories: the captures' names, in order, as the live ones are rendered.
    for (auto [action, file] : {std::pair{"get_vod_categories", "get_vod_categories.json"},
                                std::pair{"get_series_categories", "get_series_categories.json"}}) {
        CAPTURE(action);
        simdjson::dom::parser a, b, c;
        auto mine = parse_json(a, f.player("alice", std::string("&action=") + action).body)
                        .get_array()
                        .value();
        std::vector<std::string> names, want;
        for (auto cat : mine) names.push_back(str(cat, "category_name"));
        std::size_t i = 0;
        for (const char* provider : {"hellraiser", "iris"}) {
            auto list = parse_json(provider == std::string("iris") ? c : b,
                                   read(kCaptures / provider / file))
                            .get_array()
                            .value();
            for (auto cat : list) {
                want.push_back(str(cat, "category_name"));
                same_shape(cat.get_object().value(), mine.at(i++).value());
            }
        }
        CHECK(names == want);
    }
    // get_vod_streams filters by category_id, as get_live_streams does.
    simdjson::dom::parser fp;
    auto hell = parse_json(fp, f.player("alice", "&action=get_vod_streams").body).get_array();
    const auto cat = str(hell.value().at(0).value(), "category_id");
    simdjson::dom::parser gp;
    auto filtered =
        parse_json(gp, f.player("alice", "&action=get_vod_streams&category_id=" + cat).body)
            .get_array();
    REQUIRE(filtered.value().size() == 1);
    CHECK(str(filtered.value().at(0).value(), "name") == "The Equalizer 2 (CAM)");
}

TEST_CASE("get_vod_info and get_series_info answer the shapes panels send") {
    VodFixture f;
    REQUIRE(f.import("hellraiser", series_info_for("3")).status == 200);
    f.settle();
    f.line(R"({"username":"alice","password":"Line-pass-01"})");
    simdjson::dom::parser p;
    auto listed = parse_json(p, f.player("alice", "&action=get_vod_streams").body).get_array();
    const auto vod_id = num(listed.value().at(0).value(), "stream_id");

    simdjson::dom::parser q;
    auto info = parse_json(
        q, f.player("alice", "&action=get_vod_info&vod_id=" + std::to_string(vod_id)).body);
    auto i = info["info"];
    REQUIRE(!i.error());
    CHECK(type_of(i["tmdb_id"].value()) == "string");
    CHECK(type_of(i["duration_secs"].value()) == "number");
    CHECK(type_of(i["backdrop_path"].value()) == "array");
    CHECK(str(i.value(), "name") == "The Equalizer 2 (CAM)");
    CHECK(str(i.value(), "movie_image") ==
          "http://liquidit.info:8080/images/cQvc9N6JiMVKqol3wcYrGshsIdZ_small.jpg");
    auto d = info["movie_data"];
    REQUIRE(!d.error());
    CHECK(num(d.value(), "stream_id") == vod_id);
    CHECK(type_of(d["added"].value()) == "string");
    CHECK(type_of(d["category_id"].value()) == "string");
    CHECK(str(d.value(), "container_extension") == "mp4");
    CHECK(f.player("alice", "&action=get_vod_info&vod_id=999999").body == "[]");

    // The series with the episodes given for it.
    simdjson::dom::parser r;
    auto all = parse_json(r, f.player("alice", "&action=get_series").body).get_array();
    std::int64_t series_id = 0;
    for (auto s : all.value())
        if (str(s, "name") == "Criminal Minds") series_id = num(s, "series_id");
    REQUIRE(series_id > 0);
    simdjson::dom::parser t;
    const auto body =
        f.player("alice", "&action=get_series_info&series_id=" + std::to_string(series_id)).body;
    auto si = parse_json(t, body);
    auto seasons = si["seasons"].get_array();
    REQUIRE_MESSAGE(!seasons.error(), body);
    REQUIRE(seasons.value().size() == 2);  // the listed season 1, and season 2 of an episode
    auto s1 = seasons.value().at(0).value();
    CHECK(num(s1, "season_number") == 1);
    CHECK(num(s1, "episode_count") == 2);
    CHECK(str(s1, "name") == "Season 1");
    CHECK(str(si["info"].value(), "name") == "Criminal Minds");
    CHECK(type_of(si["info"]["backdrop_path"].value()) == "array");
    auto episodes = si["episodes"].get_object();
    REQUIRE(!episodes.error());
    auto first = episodes.value()["1"].get_array();
    REQUIRE(!first.error());
    REQUIRE(first.value().size() == 2);
    auto e = first.value().at(0).value();
    CHECK(type_of(e["id"].value()) == "string");
    CHECK(type_of(e["episode_num"].value()) == "number");
    CHECK(type_of(e["season"].value()) == "number");
    CHECK(type_of(e["added"].value()) == "string");
    CHECK(num(e["info"].value(), "duration_secs") == 2520);
    CHECK(str(e, "title") == "Episode 5001");
    CHECK(episodes.value()["2"].get_array().value().size() == 1);

    // The episode's file redirects to the provider's /series/ URL.
    const auto episode_id = str(e, "id");
    auto redirect = f.call("GET", "/series/alice/Line-pass-01/" + episode_id + ".mkv", {}, false);
    CHECK(redirect.status == 302);
    CHECK(redirect.headers.at(0).second ==
          "http://liquidit.info:8080/series/HELLRAISER_USERNAME/HELLRAISER_PASSWORD/5001.mkv");
    auto movie = f.call("GET", fmt::format("/movie/alice/Line-pass-01/{}.mp4", vod_id), {}, false);
    CHECK(movie.status == 302);
    CHECK(movie.headers.at(0).second ==
          "http://liquidit.info:8080/movie/HELLRAISER_USERNAME/HELLRAISER_PASSWORD/130529.mp4");
    CHECK(f.call("GET", fmt::format("/movie/alice/wrong-pass/{}.mp4", vod_id), {}, false).status ==
          401);
}

TEST_CASE("a line sees the movies and series of its bouquets' categories only") {
    VodFixture f;
    REQUIRE(f.import("iris").status == 200);
    REQUIRE(f.import("hellraiser").status == 200);
    f.settle();
    // The movie category of The Equalizer 2 and the first series category of hellraiser.
    simdjson::dom::parser p;
    f.line(R"({"username":"alice","password":"Line-pass-01"})");
    auto movies = parse_json(p, f.player("alice", "&action=get_vod_streams").body).get_array();
    std::string movie_cat;
    std::int64_t movie_id = 0, other_movie = 0;
    for (auto m : movies.value()) {
        if (str(m, "name") == "The Equalizer 2 (CAM)") {
            movie_cat = str(m, "category_id");
            movie_id = num(m, "stream_id");
        } else {
            other_movie = num(m, "stream_id");
        }
    }
    REQUIRE(!movie_cat.empty());
    simdjson::dom::parser q;
    auto series = parse_json(q, f.player("alice", "&action=get_series").body).get_array();
    std::string series_cat;  // the first series with a category (iris' have none)
    for (auto s : series.value())
        if (series_cat.empty() && s["category_id"].is_string()) series_cat = str(s, "category_id");
    REQUIRE(!series_cat.empty());
    REQUIRE(
        f.call("POST", "/v1/iptv/bouquets",
               fmt::format(R"({{"name":"Movies","category_ids":[{},{}]}})", movie_cat, series_cat))
            .status == 201);
    f.settle();
    simdjson::dom::parser b;
    const auto bouquet = str(parse_json(b, f.call("GET", "/v1/iptv/bouquets").body)["items"]
                                 .get_array()
                                 .value()
                                 .at(0)
                                 .value(),
                             "name");
    CHECK(bouquet == "Movies");
    f.line(R"({"username":"bob","password":"Line-pass-01","bouquets":[1]})");
    simdjson::dom::parser r;
    auto seen = parse_json(r, f.player("bob", "&action=get_vod_streams").body).get_array();
    REQUIRE(seen.value().size() == 1);
    CHECK(num(seen.value().at(0).value(), "stream_id") == movie_id);
    simdjson::dom::parser s;
    CHECK(parse_json(s, f.player("bob", "&action=get_series").body).get_array().value().size() ==
          1);
    simdjson::dom::parser c;
    auto cats = parse_json(c, f.player("bob", "&action=get_vod_categories").body).get_array();
    REQUIRE(cats.value().size() == 1);
    CHECK(str(cats.value().at(0).value(), "category_id") == movie_cat);
    CHECK(f.player("bob", "&action=get_live_streams").body == "[]");
    CHECK(
        f.call("GET", fmt::format("/movie/bob/Line-pass-01/{}.mp4", movie_id), {}, false).status ==
        302);
    CHECK(f.call("GET", fmt::format("/movie/bob/Line-pass-01/{}.mkv", other_movie), {}, false)
              .status == 404);
    CHECK(f.player("bob", fmt::format("&action=get_vod_info&vod_id={}", other_movie)).body == "[]");
}

TEST_CASE("a malformed Xtream import is refused naming the field, and appends nothing") {
    VodFixture f;
    const auto before = f.log_size();
    auto missing = f.call("POST", "/v1/iptv/imports/xtream?source=hellraiser",
                          import_body("hellraiser", {}, {"get_vod_streams.json"}));
    CHECK(missing.status == 400);
    CHECK(missing.body.find("get_vod_streams.json") != std::string::npos);
    auto no_source = f.call("POST", "/v1/iptv/imports/xtream", import_body("hellraiser"));
    CHECK(no_source.status == 400);
    CHECK(no_source.body.find("source") != std::string::npos);
    auto not_json =
        f.call("POST", "/v1/iptv/imports/xtream?source=x", "{\"get_live_streams.json\":");
    CHECK(not_json.status == 400);
    auto no_provider = f.call(
        "POST", "/v1/iptv/imports/xtream?source=x",
        R"({"get_live_categories.json":[],"get_live_streams.json":[],"get_vod_categories.json":[],)"
        R"("get_vod_streams.json":[],"get_series_categories.json":[],"get_series.json":[]})");
    CHECK(no_provider.status == 400);
    CHECK(no_provider.body.find("provider.url") != std::string::npos);
    auto not_a_list = f.call(
        "POST", "/v1/iptv/imports/xtream?source=x",
        R"({"get_live_categories.json":{},"get_live_streams.json":[],"get_vod_categories.json":[],)"
        R"("get_vod_streams.json":[],"get_series_categories.json":[],"get_series.json":[]})");
    CHECK(not_a_list.status == 400);
    CHECK(not_a_list.body.find("get_live_categories.json") != std::string::npos);
    CHECK(f.log_size() == before);
    // A bad entry is refused by itself and reported; the rest imports.
    auto body = import_body("hellraiser");
    const std::string name = "\"name\":\"The Equalizer 2 (CAM)\"";
    body.replace(body.find(name), name.size(), "\"name\":\"\"");
    auto partial = f.call("POST", "/v1/iptv/imports/xtream?source=hellraiser", body);
    REQUIRE(partial.status == 200);
    simdjson::dom::parser p;
    auto report = parse_json(p, partial.body);
    CHECK(count(report, "movies", "invalid") == 1);
    CHECK(count(report, "movies", "created") == 0);
    auto problem = report["problems"].get_array().value().at(0).value();
    CHECK(str(problem, "file") == "get_vod_streams.json");
    CHECK(str(problem, "field") == "name");
}

TEST_CASE("get.php lists the movies and episodes a line sees when include asks for them") {
    VodFixture f;
    REQUIRE(f.import("hellraiser", series_info_for("3")).status == 200);
    f.settle();
    f.line(R"({"username":"alice","password":"Line-pass-01"})");
    const std::string base = "/get.php?username=alice&password=Line-pass-01&type=m3u_plus";
    auto live_only = f.call("GET", base, {}, false);
    REQUIRE(live_only.status == 200);
    CHECK(live_only.body.find("/movie/") == std::string::npos);
    auto all = f.call("GET", base + "&include=movies,series", {}, false);
    REQUIRE(all.status == 200);
    CHECK(all.body.rfind("#EXTM3U", 0) == 0);
    CHECK(all.body.find("#EXTM3U", 1) == std::string::npos);
    CHECK(all.body.size() > live_only.body.size());
    // The movie under its category's name, and the three episodes given for Criminal Minds.
    const auto movie = all.body.find(",The Equalizer 2 (CAM)\n");
    REQUIRE(movie != std::string::npos);
    CHECK(all.body.find("/movie/alice/Line-pass-01/", movie) != std::string::npos);
    std::size_t episodes = 0;
    for (auto at = all.body.find("/series/alice/Line-pass-01/"); at != std::string::npos;
         at = all.body.find("/series/alice/Line-pass-01/", at + 1))
        ++episodes;
    CHECK(episodes == 3);
    CHECK(all.body.find("Criminal Minds S02E01 Episode 5003") != std::string::npos);
    auto movies_only = f.call("GET", base + "&include=movies", {}, false);
    CHECK(movies_only.body.find("/series/") == std::string::npos);
    CHECK(movies_only.body.find("/movie/") != std::string::npos);
    auto bad = f.call("GET", base + "&include=music", {}, false);
    CHECK(bad.status == 400);
    CHECK(bad.body.find("include") != std::string::npos);
}

TEST_CASE("the events of an Xtream import are written for the schema check") {
    VodFixture f;
    REQUIRE(f.import("hellraiser", series_info_for("3")).status == 200);
    f.settle();
    f.line(R"({"username":"alice","password":"Line-pass-01"})");
    simdjson::dom::parser p;
    auto listed = parse_json(p, f.player("alice", "&action=get_vod_streams").body).get_array();
    const auto movie = num(listed.value().at(0).value(), "stream_id");
    REQUIRE(f.call("POST", fmt::format("/v1/iptv/movies/{}/subtitles?language=en", movie),
                   "1\n00:00:01,000 --> 00:00:02,000\nHello.\n")
                .status == 201);
    // The VOD events, and the id blocks they took (schema:vod_events_match_schemas).
    std::ofstream out(SY_EVENTS_OUT_VOD);
    std::set<std::string> types;
    events::Checkpoint from;
    for (;;) {
        auto batch = f.store->read_all(from, 4096);
        REQUIRE(batch);
        if (batch->empty()) break;
        for (const auto& e : *batch) {
            from.advance(e.position);
            if (!e.type.starts_with("iptv.movie.") && !e.type.starts_with("iptv.series.") &&
                !e.type.starts_with("iptv.episode.") && !e.type.starts_with("iptv.xtream.") &&
                !e.type.starts_with("iptv.subtitle.") && !e.type.starts_with("iptv.id_block."))
                continue;
            types.insert(e.type);
            out << events::encode_envelope(e) << "\n";
        }
    }
    CHECK(types == std::set<std::string>{"iptv.episode.added", "iptv.id_block.reserved",
                                         "iptv.movie.added", "iptv.series.added",
                                         "iptv.subtitle.attached", "iptv.xtream.imported"});
}

TEST_CASE("subtitles upload as SRT with an offset and download as WebVTT or SRT") {
    VodFixture f;
    REQUIRE(f.import("hellraiser", series_info_for("3")).status == 200);
    f.settle();
    f.line(R"({"username":"alice","password":"Line-pass-01"})");
    simdjson::dom::parser p;
    auto listed = parse_json(p, f.player("alice", "&action=get_vod_streams").body).get_array();
    const auto movie = num(listed.value().at(0).value(), "stream_id");
    const std::string srt =
        "1\r\n00:00:01,000 --> 00:00:02,500\r\nHello.\r\n\r\n2\r\n00:00:03,000 --> "
        "00:00:04,000\r\nBye.\r\n";
    const auto base = fmt::format("/v1/iptv/movies/{}/subtitles", movie);
    auto up = f.call("POST", base + "?language=en&offset_ms=500", srt);
    REQUIRE_MESSAGE(up.status == 201, up.body);
    const auto size = f.log_size();
    CHECK(f.call("POST", base + "?language=en&offset_ms=500", srt).status == 200);
    CHECK(f.log_size() == size);
    auto vtt = f.call("GET", base + "/en.vtt");
    REQUIRE_MESSAGE(vtt.status == 200, vtt.body);
    CHECK(vtt.body ==
          "WEBVTT\n\n00:00:01.500 --> 00:00:03.000\nHello.\n\n00:00:03.500 --> "
          "00:00:04.500\nBye.\n\n");
    auto back = f.call("GET", base + "/en.srt?offset_ms=-500");
    CHECK(back.body ==
          "1\n00:00:01,000 --> 00:00:02,500\nHello.\n\n2\n00:00:03,000 --> 00:00:04,000\nBye.\n\n");
    CHECK(f.call("GET", base + "/de.vtt").status == 404);

    // An episode's, uploaded as WebVTT.
    simdjson::dom::parser q;
    auto all = parse_json(q, f.player("alice", "&action=get_series").body).get_array();
    std::int64_t series_id = 0;
    for (auto s : all.value())
        if (str(s, "name") == "Criminal Minds") series_id = num(s, "series_id");
    simdjson::dom::parser t;
    auto info = parse_json(
        t, f.player("alice", fmt::format("&action=get_series_info&series_id={}", series_id)).body);
    const auto episode = str(info["episodes"]["1"].get_array().value().at(0).value(), "id");
    const auto ep_base = "/v1/iptv/episodes/" + episode + "/subtitles";
    auto ep =
        f.call("POST", ep_base + "?language=pt-BR", "WEBVTT\n\n00:01.000 --> 00:02.000\nOlá\n");
    REQUIRE_MESSAGE(ep.status == 201, ep.body);
    CHECK(f.call("GET", ep_base + "/pt-BR.srt").body ==
          "1\n00:00:01,000 --> 00:00:02,000\nOlá\n\n");

    // Refusals name the field and append nothing.
    const auto before = f.log_size();
    auto bad_language = f.call("POST", base + "?language=english", srt);
    CHECK(bad_language.status == 400);
    CHECK(bad_language.body.find("language") != std::string::npos);
    auto bad_body = f.call("POST", base + "?language=en", "not subtitles");
    CHECK(bad_body.status == 400);
    CHECK(bad_body.body.find("body") != std::string::npos);
    CHECK(f.call("POST", "/v1/iptv/movies/999999/subtitles?language=en", srt).status == 404);
    CHECK(f.call("POST", "/v1/iptv/episodes/999999/subtitles?language=en", srt).status == 404);
    CHECK(f.log_size() == before);
}

TEST_CASE("an M3U playlist of VOD groups imports movies and series episodes, once") {
    VodFixture f;
    const std::string playlist =
        "#EXTM3U\n"
        "#EXTINF:-1 tvg-logo=\"http://img/eq2.jpg\" group-title=\"Movies 2018\",The Equalizer "
        "2 (2018)\nhttp://vod.example/movie/u/p/130529.mp4\n"
        "#EXTINF:-1 group-title=\"Movies 2018\",Madagascar (2008)\n"
        "http://vod.example/movie/u/p/303099.MKV?token=1\n"
        "#EXTINF:-1 tvg-logo=\"http://img/cm.jpg\" group-title=\"Drama\",Criminal Minds S01E01\n"
        "http://vod.example/series/u/p/9001.mkv\n"
        "#EXTINF:-1 group-title=\"Drama\",Criminal Minds S01E02\n"
        "http://vod.example/series/u/p/9002.mkv\n"
        "#EXTINF:-1 group-title=\"Drama\",Power - S02E10 Finale\n"
        "http://vod.example/series/u/p/9003.mp4\n"
        "#EXTINF:-1 group-title=\"Movies 2018\",No extension\nhttp://vod.example/movie/u/p/1\n";
    auto r = f.call("POST", "/v1/iptv/imports/m3u-vod?source=vod", playlist);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    simdjson::dom::parser p;
    auto report = parse_json(p, r.body);
    CHECK(count(report, "movies", "entries") == 3);
    CHECK(count(report, "movies", "created") == 2);
    CHECK(count(report, "movies", "invalid") == 1);  // no container extension
    CHECK(count(report, "series", "created") == 2);
    CHECK(count(report, "episodes", "created") == 3);
    CHECK(count(report, "movie_categories", "created") == 1);
    CHECK(count(report, "series_categories", "created") == 1);
    const auto size = f.log_size();
    auto again = f.call("POST", "/v1/iptv/imports/m3u-vod?source=vod", playlist);
    REQUIRE(again.status == 200);
    CHECK(f.log_size() == size);

    f.settle();
    f.line(R"({"username":"alice","password":"Line-pass-01"})");
    simdjson::dom::parser q;
    auto movies = parse_json(q, f.player("alice", "&action=get_vod_streams").body).get_array();
    REQUIRE(movies.value().size() == 2);
    CHECK(str(movies.value().at(1).value(), "container_extension") == "mkv");
    simdjson::dom::parser s;
    auto series = parse_json(s, f.player("alice", "&action=get_series").body).get_array();
    REQUIRE(series.value().size() == 2);
    CHECK(str(series.value().at(1).value(), "name") == "Power");
    simdjson::dom::parser t;
    auto info =
        parse_json(t, f.player("alice", fmt::format("&action=get_series_info&series_id={}",
                                                    num(series.value().at(0).value(), "series_id")))
                          .body);
    CHECK(info["episodes"]["1"].get_array().value().size() == 2);
    CHECK(f.call("POST", "/v1/iptv/imports/m3u-vod?source=vod", "#EXTM3U\n").status == 422);
}
