// The TMDB client against recorded TMDB answers (tests/data/tmdb) served on loopback.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "adapters/iptv/tmdb_client.hpp"
#include "tests/adapters/hotspot/loopback_servers.hpp"

using namespace switchyard;
using switchyard::adapters::iptv::make_tmdb_client;
using switchyard::adapters::iptv::TmdbOptions;
using switchyard::testing::HttpAnswer;
using switchyard::testing::HttpExchange;
using switchyard::testing::HttpServer;

namespace {

std::string recorded(const std::string& name) {
    std::ifstream in(std::filesystem::path(SY_TEST_DATA) / "tmdb" / name, std::ios::binary);
    REQUIRE_MESSAGE(in, name);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

/// TMDB as the recordings know it: movie 550 and one search; 401 without the key.
HttpAnswer tmdb(const HttpExchange& ex) {
    if (ex.target.find("api_key=test-key") == std::string::npos)
        return {401, R"({"success":false,"status_code":7,"status_message":"Invalid API key."})"};
    if (ex.target.rfind("/3/movie/550?", 0) == 0) return {200, recorded("movie_550.json")};
    if (ex.target.rfind("/3/search/movie?", 0) == 0 &&
        ex.target.find("query=Fight%20Club") != std::string::npos &&
        ex.target.find("year=1999") != std::string::npos)
        return {200, recorded("search_movie_fight_club_1999.json")};
    if (ex.target.rfind("/3/search/movie?", 0) == 0)
        return {200, R"({"page":1,"results":[],"total_pages":0,"total_results":0})"};
    return {404, R"({"success":false,"status_code":34,"status_message":"The resource you )"
                 R"(requested could not be found."})"};
}

TmdbOptions options(const HttpServer& server) {
    TmdbOptions o;
    o.base_url = server.base_url() + "/3";
    o.api_key = "test-key";
    o.timeout_ms = 5000;
    return o;
}

}  // namespace

TEST_CASE("the TMDB client reads a movie from a recorded answer at its base URL") {
    HttpServer server(tmdb);
    auto client = make_tmdb_client(options(server));
    auto m = client->movie(550);
    REQUIRE_MESSAGE(m, (m ? "" : m.error().message));
    CHECK(m->tmdb_id == 550);
    CHECK(m->title == "Fight Club");
    CHECK(m->imdb_id == "tt0137523");
    CHECK(m->release_date == "1999-10-15");
    CHECK(m->runtime_min == 139);
    CHECK(m->rating == "8.3");
    CHECK(m->genres == std::vector<std::string>{"Drama"});
    CHECK(m->poster_url == "https://image.tmdb.org/t/p/w500/adw6Lq9FiC9zjYEpOqfq03ituwp.jpg");
    CHECK(m->overview.find("\"fight clubs\"") != std::string::npos);
    const auto received = server.received();
    REQUIRE(received.size() == 1);
    CHECK(received[0].target.find("language=en-US") != std::string::npos);

    // Filled into a movie's empty fields; the provider's own values stay.
    core::iptv::MovieFields f;
    f.name = "Fight Club (1999)";
    f.rating = "9.0";
    const auto filled = adapters::iptv::with_metadata(f, *m);
    CHECK(filled.tmdb_id == "550");
    CHECK(filled.duration_secs == 139 * 60);
    CHECK(filled.rating == "9.0");
    CHECK(filled.genre == "Drama");
    CHECK(filled.cover == m->poster_url);
}

TEST_CASE("the TMDB client searches by title and year, and maps TMDB's refusals") {
    HttpServer server(tmdb);
    auto client = make_tmdb_client(options(server));
    auto found = client->search_movie("Fight Club", 1999);
    REQUIRE(found);
    REQUIRE(found->size() == 1);
    CHECK(found->at(0).tmdb_id == 550);
    CHECK(found->at(0).release_date == "1999-10-15");
    auto none = client->search_movie("No Such Film", std::nullopt);
    REQUIRE(none);
    CHECK(none->empty());
    auto missing = client->movie(12);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == core::Errc::NotFound);
    auto o = options(server);
    o.api_key = "wrong";
    auto refused = make_tmdb_client(o)->movie(550);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == core::Errc::Unauthorized);
    CHECK(refused.error().message.find("wrong") == std::string::npos);  // the key is not shown
}
