// Xtream Codes surface, in memory: authentication, line visibility, playlist formats.
#include <doctest/doctest.h>

#include "tests/api/api_fixture.hpp"

using namespace switchyard;
using switchyard::testing::ApiFixture;
using switchyard::testing::num;
using switchyard::testing::parse_json;
using switchyard::testing::str;

namespace {

struct XtreamFixture : ApiFixture {
    std::string password = "Line-pass-01";
    XtreamFixture() {
        REQUIRE(call("POST", "/v1/iptv/imports/m3u?source=us&category_from=country",
                     "#EXTM3U\n"
                     "#EXTINF:-1 tvg-id=\"ABC.us@East\",ABC (720p)\nhttp://a/1\n"
                     "#EXTINF:-1 tvg-id=\"CCTV1.cn@SD\",CCTV-1\nhttp://a/2\n"
                     "#EXTINF:-1 tvg-id=\"CBS.us@East\",CBS\nhttp://a/3\n")
                    .status == 200);
        // Category 1 = US (streams 1, 3), category 2 = CN (stream 2).
        REQUIRE(
            call("POST", "/v1/iptv/bouquets", R"({"name":"China","category_ids":[2]})").status ==
            201);
        REQUIRE(call("POST", "/v1/iptv/lines", R"({"username":"alice","password":"Line-pass-01"})")
                    .status == 201);
        REQUIRE(
            call(
                "POST", "/v1/iptv/lines",
                R"({"username":"chen","password":"Line-pass-01","bouquets":[1],"allowed_output_formats":["ts"]})")
                .status == 201);
        settle();
    }
    api::HttpResponse player(const std::string& user, const std::string& pass,
                             const std::string& extra = {}) {
        return call("GET", "/player_api.php?username=" + user + "&password=" + pass + extra, {},
                    false);
    }
    /// The JSON array `player_api.php` answers `user` for `action` (with its query).
    simdjson::dom::array list(simdjson::dom::parser& p, const std::string& user,
                              const std::string& action) {
        auto r = player(user, password, "&action=" + action);
        auto array = parse_json(p, r.body).get_array();
        REQUIRE_MESSAGE(!array.error(), r.body);
        return array.value();
    }
};

bool auth_zero(const api::HttpResponse& r) {
    simdjson::dom::parser p;
    auto doc = parse_json(p, r.body);
    return r.status == 200 && num(doc["user_info"], "auth") == 0;
}

}  // namespace

TEST_CASE("player_api.php without action answers user_info and server_info with Xtream types") {
    XtreamFixture f;
    auto r = f.player("alice", f.password);
    REQUIRE(r.status == 200);
    simdjson::dom::parser p;
    auto doc = parse_json(p, r.body);
    auto user = doc["user_info"];
    CHECK(num(user, "auth") == 1);
    CHECK(str(user, "username") == "alice");
    CHECK(str(user, "status") == "Active");
    CHECK(str(user, "max_connections") == "1");
    CHECK(str(user, "is_trial") == "0");
    CHECK(str(user, "active_cons") == "0");
    CHECK(str(user, "created_at") == "1790000000");
    CHECK(user["exp_date"].is_null());
    auto server = doc["server_info"];
    CHECK(num(server, "timestamp_now") == 1790000000);
    CHECK(str(server, "time_now") == "2026-09-21 14:13:20");
    CHECK(server["process"].get_bool().value());
}

TEST_CASE("wrong credentials, disabled, banned and expired lines get auth 0") {
    XtreamFixture f;
    CHECK(auth_zero(f.player("alice", "wrong-password")));
    CHECK(auth_zero(f.player("nobody", f.password)));
    CHECK(auth_zero(f.player("alice", "")));
    CHECK(auth_zero(f.player("alice", "wrong-password", "&action=get_live_streams")));
    REQUIRE(f.call("PATCH", "/v1/iptv/lines/1", R"({"status":"disabled"})").status == 200);
    f.settle();
    CHECK(auth_zero(f.player("alice", f.password)));
    REQUIRE(f.call("PATCH", "/v1/iptv/lines/1", R"({"status":"banned"})").status == 200);
    f.settle();
    CHECK(auth_zero(f.player("alice", f.password)));
    REQUIRE(f.call("PATCH", "/v1/iptv/lines/1", R"({"status":"active","exp_date":1790003600})")
                .status == 200);
    f.settle();
    CHECK_FALSE(auth_zero(f.player("alice", f.password)));
    f.clock.advance(std::chrono::hours(2));
    CHECK(auth_zero(f.player("alice", f.password)));
    CHECK(f.call("GET", "/get.php?username=alice&password=" + f.password, {}, false).status == 401);
}

TEST_CASE("a line sees only its bouquets, a line without bouquets sees everything") {
    XtreamFixture f;
    simdjson::dom::parser p;
    CHECK(f.list(p, "alice", "get_live_streams").size() == 3);
    CHECK(f.list(p, "alice", "get_live_categories").size() == 2);
    CHECK(f.list(p, "alice", "get_live_streams&category_id=1").size() == 2);
    auto chen = f.list(p, "chen", "get_live_streams");
    REQUIRE(chen.size() == 1);
    CHECK(str(chen.at(0), "name") == "CCTV-1");
    CHECK(num(chen.at(0), "num") == 1);
    simdjson::dom::parser q;
    auto chen_cats = f.list(q, "chen", "get_live_categories");
    REQUIRE(chen_cats.size() == 1);
    CHECK(str(chen_cats.at(0), "category_name") == "CN");
    CHECK(f.player("chen", f.password, "&action=get_vod_streams").body == "[]");
    // /live/ redirects (a direct-source stream) only to what the line may see.
    REQUIRE(f.call("PATCH", "/v1/iptv/streams/2", R"({"direct_source":true})").status == 200);
    f.settle();
    auto ok = f.call("GET", "/live/chen/" + f.password + "/2.ts", {}, false);
    CHECK(ok.status == 302);
    CHECK(ok.headers.at(0).second == "http://a/2");
    CHECK(f.call("GET", "/live/chen/" + f.password + "/1.ts", {}, false).status == 404);
    CHECK(f.call("GET", "/live/chen/wrong-pass/2.ts", {}, false).status == 401);
}

TEST_CASE("get.php renders m3u and m3u_plus with the line's URLs and output format") {
    XtreamFixture f;
    auto plus = f.call(
        "GET", "/get.php?username=alice&password=" + f.password + "&type=m3u_plus&output=m3u8", {},
        false, {{"host", "tv.example.net:8080"}});
    REQUIRE(plus.status == 200);
    CHECK(plus.body.rfind("#EXTM3U\n", 0) == 0);
    CHECK(plus.body.find("#EXTINF:-1 tvg-id=\"ABC.us\" tvg-name=\"ABC (720p)\" tvg-logo=\"\" "
                         "group-title=\"US\",ABC (720p)\n"
                         "http://tv.example.net:8080/live/alice/Line-pass-01/1.m3u8\n") !=
          std::string::npos);
    auto plain =
        f.call("GET", "/get.php?username=alice&password=" + f.password + "&type=m3u", {}, false);
    CHECK(plain.body.find("#EXTINF:-1,CCTV-1\n") != std::string::npos);
    CHECK(plain.body.find("/2.ts\n") != std::string::npos);
    // chen may use only ts.
    CHECK(f.call("GET", "/get.php?username=chen&password=" + f.password + "&output=m3u8", {}, false)
              .status == 403);
    CHECK(f.call("GET", "/get.php?username=alice&password=" + f.password + "&type=xml", {}, false)
              .status == 400);
}

TEST_CASE("a hostile Host header never reaches a playlist: the public URL stands instead") {
    XtreamFixture f;
    const std::string get = "/get.php?username=alice&password=" + f.password + "&type=m3u_plus";
    const std::string hostile = "evil.example:1/\"><script>x</script>";
    for (const auto& host : {hostile, std::string("evil.example:99999"), std::string("a b.example"),
                             std::string("user@evil.example")}) {
        auto r = f.call("GET", get, {}, false, {{"host", host}});
        REQUIRE(r.status == 200);
        CHECK(r.body.find("evil") == std::string::npos);
        CHECK(r.body.find("<script>") == std::string::npos);
        CHECK(r.body.find("\nhttp://127.0.0.1:8080/live/alice/Line-pass-01/1.ts\n") !=
              std::string::npos);
        auto info = f.call("GET", "/player_api.php?username=alice&password=" + f.password, {},
                           false, {{"host", host}});
        simdjson::dom::parser p;
        auto server = parse_json(p, info.body)["server_info"];
        CHECK(str(server, "url") == "127.0.0.1");
        CHECK(str(server, "port") == "8080");
    }
    // A valid IPv6 literal with a port is a Host that may be used.
    auto v6 = f.call("GET", get, {}, false, {{"host", "[2001:db8::1]:8443"}});
    CHECK(v6.body.find("\nhttp://[2001:db8::1]:8443/live/alice/") != std::string::npos);
}

TEST_CASE("a configured public URL makes every media URL and server_info, whatever the Host") {
    XtreamFixture f;
    auto url = api::PublicUrl::parse("https://tv.example.net:8443/", "--public-url");
    REQUIRE(url);
    f.ctx->public_url = *url;
    auto r = f.call("GET", "/get.php?username=alice&password=" + f.password + "&output=m3u8", {},
                    false, {{"host", "other.example:80"}});
    CHECK(r.body.find("\nhttps://tv.example.net:8443/live/alice/Line-pass-01/1.m3u8\n") !=
          std::string::npos);
    CHECK(r.body.find("other.example") == std::string::npos);
    simdjson::dom::parser p;
    auto server = parse_json(p, f.player("alice", f.password).body)["server_info"];
    CHECK(str(server, "url") == "tv.example.net");
    CHECK(str(server, "https_port") == "8443");
    CHECK(str(server, "server_protocol") == "https");
    // What --public-url refuses, naming the option.
    for (const char* bad : {"ftp://tv.example.net", "http://", "http://tv.example.net/path",
                            "http://tv.example.net?q", "http://tv.example.net#f",
                            "http://u@tv.example.net", "http://tv.example.net:70000",
                            "tv.example.net", "http://tv.example.net:0", "http://a\"b.example"}) {
        auto refused = api::PublicUrl::parse(bad, "--public-url");
        CHECK_MESSAGE(!refused, bad);
        if (!refused) CHECK(refused.error().field == "--public-url");
    }
    CHECK(api::PublicUrl::parse("http://[::1]", "--public-url")->base() == "http://[::1]:80");
}

TEST_CASE("/live/ ids are whole numbers: 1e9, 1abc, +1 and -1 name no stream (404)") {
    XtreamFixture f;
    const auto prefix = "/live/alice/" + f.password + "/";
    // A direct-source stream answers its redirect (a restreamed one needs the FFmpeg workers).
    REQUIRE(f.call("PATCH", "/v1/iptv/streams/1", R"({"direct_source":true})").status == 200);
    f.settle();
    CHECK(f.call("GET", prefix + "1.ts", {}, false).status == 302);
    for (const char* file : {"1e9.ts", "1abc.ts", "+1.ts", "-1.ts", "01x.ts", ".ts", "1.5.ts",
                             "99999999999999999999.ts"}) {
        auto r = f.call("GET", prefix + file, {}, false);
        CHECK_MESSAGE(r.status == 404, file);
    }
}
