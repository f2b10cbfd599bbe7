// Cached Xtream answers (api/routes/iptv/answer_cache.hpp): get.php playlists and the
// player_api.php stream lists come from the cache, gzipped only when the player accepts it,
// with each line's own credentials in its URLs, and a catalogue change shows up at once.
#include <doctest/doctest.h>

#include <optional>

#include "api/routes/iptv/answer_cache.hpp"
#include "core/gzip.hpp"
#include "tests/api/api_fixture.hpp"

using namespace switchyard;
using switchyard::testing::ApiFixture;

namespace {

struct AnswersFixture : ApiFixture {
    AnswersFixture() {
        REQUIRE(call("POST", "/v1/iptv/imports/m3u?source=us&category_from=country",
                     "#EXTM3U\n"
                     "#EXTINF:-1 tvg-id=\"ABC.us@East\",ABC (720p)\nhttp://a/1\n"
                     "#EXTINF:-1 tvg-id=\"CCTV1.cn@SD\",CCTV-1\nhttp://a/2\n"
                     "#EXTINF:-1 tvg-id=\"CBS.us@East\",CBS\nhttp://a/3\n")
                    .status == 200);
        // Category 1 = US (streams 1, 3), category 2 = CN (stream 2).
        REQUIRE(call("POST", "/v1/iptv/bouquets", R"({"name":"US","category_ids":[1]})").status ==
                201);
        // bob and carol see the same bouquet; dave sees everything.
        for (const char* line :
             {R"({"username":"bob","password":"Bob-pass-0001","bouquets":[1]})",
              R"({"username":"carol","password":"Carol-pass-002","bouquets":[1]})",
              R"({"username":"dave","password":"Dave-pass-0003"})"}) {
            REQUIRE(call("POST", "/v1/iptv/lines", line).status == 201);
        }
        settle();
    }

    /// GET `target` as a player, with `Accept-Encoding` when given.
    api::HttpResponse player(const std::string& target,
                             std::optional<std::string> accept_encoding = std::nullopt) {
        std::map<std::string, std::string> headers{{"host", "tv.example.net:8080"}};
        if (accept_encoding) headers["accept-encoding"] = *accept_encoding;
        return call("GET", target, {}, false, headers);
    }
};

/// The value of a response header, or none.
std::optional<std::string> header(const api::HttpResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
        if (k == name) return v;
    return std::nullopt;
}

/// The body as the player reads it: inflated when the answer says gzip.
std::string decoded(const api::HttpResponse& r) {
    if (header(r, "Content-Encoding") != "gzip") return r.body;
    auto plain = core::gunzip(r.body, 64 << 20);
    REQUIRE(plain);
    return *plain;
}

const std::string kBobPlaylist = "/get.php?username=bob&password=Bob-pass-0001&type=m3u_plus";
const std::string kCarolPlaylist = "/get.php?username=carol&password=Carol-pass-002&type=m3u_plus";
const std::string kDaveStreams =
    "/player_api.php?username=dave&password=Dave-pass-0003&action=get_live_streams";

}  // namespace

TEST_CASE("cached answers are gzipped only when Accept-Encoding accepts gzip, and say Vary") {
    AnswersFixture f;
    for (const auto& target :
         {kBobPlaylist, kDaveStreams,
          std::string(
              "/player_api.php?username=dave&password=Dave-pass-0003&action=get_vod_streams"),
          std::string("/player_api.php?username=dave&password=Dave-pass-0003&action=get_series")}) {
        CAPTURE(target);
        const auto plain = f.player(target);
        REQUIRE(plain.status == 200);
        CHECK(header(plain, "Content-Encoding") == std::nullopt);
        CHECK(header(plain, "Vary") == "Accept-Encoding");
        REQUIRE(plain.shared_body);
        for (const char* refused : {"identity", "gzip;q=0", "gzip;q=0, *", "deflate, br"}) {
            const auto r = f.player(target, refused);
            CHECK_MESSAGE(header(r, "Content-Encoding") == std::nullopt, refused);
            CHECK_MESSAGE(r.body == plain.body, refused);
            CHECK(header(r, "Vary") == "Accept-Encoding");
        }
        for (const char* accepted : {"gzip", "gzip, deflate, br", "br, gzip;q=0.5", "*"}) {
            const auto r = f.player(target, accepted);
            CHECK_MESSAGE(header(r, "Content-Encoding") == "gzip", accepted);
            CHECK(header(r, "Vary") == "Accept-Encoding");
            CHECK(core::is_gzip(r.body));
            CHECK_MESSAGE(decoded(r) == plain.body, accepted);
        }
    }
    // The playlist holds what it did before it was cached.
    const auto playlist = f.player(kBobPlaylist);
    CHECK(playlist.body.find("http://tv.example.net:8080/live/bob/Bob-pass-0001/1.ts\n") !=
          std::string::npos);
    CHECK(playlist.body.find("CCTV-1") == std::string::npos);
}

TEST_CASE("a cached answer is rendered once and shared, plain and gzip alike") {
    AnswersFixture f;
    const auto first = f.player(kDaveStreams);
    const auto again = f.player(kDaveStreams);
    REQUIRE(first.shared_body);
    CHECK(first.shared_body == again.shared_body);
    const auto gz = f.player(kDaveStreams, "gzip");
    const auto gz_again = f.player(kDaveStreams, "gzip");
    REQUIRE(gz.shared_body);
    CHECK(gz.shared_body == gz_again.shared_body);
    CHECK(gz.shared_body != first.shared_body);
    // A HEAD answers the headers only.
    auto head = f.call("HEAD", kDaveStreams, {}, false);
    CHECK(head.status == 200);
    CHECK(head.body.empty());
    CHECK_FALSE(head.shared_body);
}

TEST_CASE("two lines with the same bouquets get their own credentials from the playlist cache") {
    AnswersFixture f;
    for (const auto& encoding : {std::optional<std::string>(), {"gzip"}}) {
        // Twice each, in turns, so that both come from the cache the second time.
        for (int round = 0; round < 2; ++round) {
            const auto bob = decoded(f.player(kBobPlaylist, encoding));
            const auto carol = decoded(f.player(kCarolPlaylist, encoding));
            CHECK(bob.find("/live/bob/Bob-pass-0001/1.ts\n") != std::string::npos);
            CHECK(bob.find("/live/bob/Bob-pass-0001/3.ts\n") != std::string::npos);
            CHECK(bob.find("carol") == std::string::npos);
            CHECK(bob.find("Carol-pass-002") == std::string::npos);
            CHECK(carol.find("/live/carol/Carol-pass-002/1.ts\n") != std::string::npos);
            CHECK(carol.find("/live/carol/Carol-pass-002/3.ts\n") != std::string::npos);
            CHECK(carol.find("bob") == std::string::npos);
            CHECK(carol.find("Bob-pass-0001") == std::string::npos);
        }
    }
    // The URL base is the request's too: another Host gets its own playlist.
    const auto other = f.call("GET", kBobPlaylist, {}, false, {{"host", "other.example:9000"}});
    CHECK(other.body.find("http://other.example:9000/live/bob/Bob-pass-0001/1.ts\n") !=
          std::string::npos);
    CHECK(other.body.find("tv.example.net") == std::string::npos);
    // A changed password: the old one is refused at once, the new one gets its own URLs.
    REQUIRE(f.call("PATCH", "/v1/iptv/lines/1", R"({"password":"Bob-pass-0002"})").status == 200);
    f.settle();
    CHECK(f.player(kBobPlaylist).status == 401);
    const auto renewed =
        f.player("/get.php?username=bob&password=Bob-pass-0002&type=m3u_plus").body;
    CHECK(renewed.find("/live/bob/Bob-pass-0002/1.ts\n") != std::string::npos);
    CHECK(renewed.find("Bob-pass-0001") == std::string::npos);
}

TEST_CASE("a catalogue change or a line's new bouquets show up in cached answers at once") {
    AnswersFixture f;
    for (const auto& encoding : {std::optional<std::string>(), {"gzip"}}) {
        CHECK(decoded(f.player(kBobPlaylist, encoding)).find("ABC (720p)") != std::string::npos);
        CHECK(decoded(f.player(kDaveStreams, encoding)).find("ABC (720p)") != std::string::npos);
    }
    REQUIRE(f.call("PATCH", "/v1/iptv/streams/1", R"({"name":"ABC East"})").status == 200);
    f.settle();
    for (const auto& encoding : {std::optional<std::string>(), {"gzip"}}) {
        const auto playlist = decoded(f.player(kBobPlaylist, encoding));
        CHECK(playlist.find(",ABC East\n") != std::string::npos);
        CHECK(playlist.find("ABC (720p)") == std::string::npos);
        const auto streams = decoded(f.player(kDaveStreams, encoding));
        CHECK(streams.find("\"ABC East\"") != std::string::npos);
        CHECK(streams.find("ABC (720p)") == std::string::npos);
    }
    // bob now sees the CN bouquet instead: the playlist follows the line, not the cache.
    REQUIRE(f.call("POST", "/v1/iptv/bouquets", R"({"name":"CN","category_ids":[2]})").status ==
            201);
    REQUIRE(f.call("PATCH", "/v1/iptv/lines/1", R"({"bouquets":[2]})").status == 200);
    f.settle();
    const auto playlist = f.player(kBobPlaylist).body;
    CHECK(playlist.find(",CCTV-1\n") != std::string::npos);
    CHECK(playlist.find("ABC East") == std::string::npos);
}

TEST_CASE("a line with signed URLs gets a playlist whose tokens expire from the request's time") {
    AnswersFixture f;
    REQUIRE(f.call("PATCH", "/v1/iptv/lines/1", R"({"signed_url_ttl_s":3600})").status == 200);
    f.settle();
    const auto first = f.player(kBobPlaylist, "gzip");
    CHECK(header(first, "Content-Encoding") == std::nullopt);  // rendered per request, sent plain
    CHECK(header(first, "Vary") == "Accept-Encoding");
    CHECK(first.body.find("/play/") != std::string::npos);
    CHECK(first.body.find("Bob-pass-0001") == std::string::npos);
    f.clock.advance(std::chrono::minutes(10));
    const auto later = f.player(kBobPlaylist);
    CHECK(later.body.find("/play/") != std::string::npos);
    CHECK(later.body != first.body);
}

TEST_CASE("the answer cache drops the least recently used answers beyond its size") {
    api::iptv::AnswerCache cache(100);
    const auto catalogue = std::make_shared<int>(1);
    const api::iptv::AnswerCache::Generation gen{catalogue, nullptr};
    int renders = 0;
    auto body = [&](char c) {
        return [&renders, c] {
            ++renders;
            return std::string(40, c);
        };
    };
    cache.get(gen, "a", body('a'));
    cache.get(gen, "b", body('b'));
    CHECK(renders == 2);
    CHECK(*cache.get(gen, "a", body('x'))->plain() == std::string(40, 'a'));  // a hit: a is newer
    CHECK(renders == 2);
    cache.get(gen, "c", body('c'));  // 120 bytes: b, the least recently used, goes
    CHECK(cache.size() == 2);
    CHECK(*cache.get(gen, "b", body('B'))->plain() == std::string(40, 'B'));
    CHECK(renders == 4);
    // Too large to keep: answered, not kept.
    CHECK(cache.get(gen, "big", [] { return std::string(200, 'z'); })->plain()->size() == 200);
    CHECK(cache.size() == 2);
    // Another generation starts over.
    const api::iptv::AnswerCache::Generation next{std::make_shared<int>(2), nullptr};
    CHECK(*cache.get(next, "a", body('n'))->plain() == std::string(40, 'n'));
    CHECK(cache.size() == 1);
    // The gzip of an answer is made once and inflates to it.
    const auto answer = cache.get(next, "a", body('y'));
    CHECK(answer->gzip() == answer->gzip());
    CHECK(core::gunzip(*answer->gzip(), 1000) == std::string(40, 'n'));
}
