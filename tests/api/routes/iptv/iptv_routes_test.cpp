// /v1/iptv routes, in memory: success paths, read-your-writes, and bad input that leaves the
// log untouched.
#include <doctest/doctest.h>

#include "tests/api/api_fixture.hpp"

using namespace switchyard;
using switchyard::testing::ApiFixture;
using switchyard::testing::check_problem;
using switchyard::testing::num;
using switchyard::testing::parse_json;
using switchyard::testing::str;

namespace {

const char* kPlaylist =
    "#EXTM3U\n"
    "#EXTINF:-1 tvg-id=\"ABC.us@East\",ABC (720p)\nhttp://41.205.93.154/ABC/index.m3u8\n"
    "#EXTINF:-1 tvg-id=\"CCTV1.cn@SD\",CCTV-1\nhttp://example.cn/1.m3u8\n"
    "#EXTINF:-1 tvg-id=\"X.us\",Broken\nftp://nope/1\n";

}  // namespace

TEST_CASE("/v1 routes refuse requests without a known API key") {
    ApiFixture f;
    const auto before = f.log_size();
    check_problem(f, f.call("GET", "/v1/iptv/lines", {}, false), 401, "authorization", before);
    check_problem(f,
                  f.call("POST", "/v1/iptv/lines", R"({"username":"alice"})", false,
                         {{"authorization", "Bearer sy_not-a-key"}}),
                  401, "authorization", before);
    check_problem(f, f.call("POST", "/v1/iptv/imports/m3u?source=us", kPlaylist, false), 401,
                  "authorization", before);
}

TEST_CASE("a created line answers with its password and is readable at the returned position") {
    ApiFixture f;
    auto created = f.call("POST", "/v1/iptv/lines",
                          R"({"username":"alice","max_connections":2,"exp_date":1800000000})");
    REQUIRE_MESSAGE(created.status == 201, created.body);
    simdjson::dom::parser p;
    auto doc = parse_json(p, created.body);
    CHECK(str(doc, "username") == "alice");
    CHECK(str(doc, "password").size() >= 12);
    CHECK(num(doc, "line_id") == 1);
    CHECK_FALSE(f.last_position.empty());
    auto got = f.call("GET", "/v1/iptv/lines/1");
    REQUIRE_MESSAGE(got.status == 200, got.body);
    auto line = parse_json(p, got.body);
    CHECK(str(line, "username") == "alice");
    CHECK(num(line, "max_connections") == 2);
    CHECK(num(line, "exp_date") == 1800000000);
    CHECK(line["password"].error());  // never shown again
    auto list = parse_json(p, f.call("GET", "/v1/iptv/lines").body);
    CHECK(list["items"].get_array().value().size() == 1);
}

TEST_CASE("bad line input is a 4xx naming the field, and nothing is appended") {
    ApiFixture f;
    REQUIRE(f.call("POST", "/v1/iptv/lines", R"({"username":"alice"})").status == 201);
    f.settle();
    const auto before = f.log_size();
    check_problem(f, f.call("POST", "/v1/iptv/lines", "{not json"), 400, "body", before);
    check_problem(f, f.call("POST", "/v1/iptv/lines", "[1,2]"), 400, "body", before);
    check_problem(f, f.call("POST", "/v1/iptv/lines", R"({"password":"abcdefgh1"})"), 400,
                  "username", before);
    check_problem(f, f.call("POST", "/v1/iptv/lines", R"({"username":42})"), 400, "username",
                  before);
    check_problem(f,
                  f.call("POST", "/v1/iptv/lines", R"({"username":"bob","max_connections":"2"})"),
                  400, "max_connections", before);
    check_problem(f, f.call("POST", "/v1/iptv/lines", R"({"username":"bob","colour":"red"})"), 400,
                  "colour", before);
    check_problem(f, f.call("POST", "/v1/iptv/lines", R"({"username":"bob","exp_date":"soon"})"),
                  400, "exp_date", before);
    check_problem(f, f.call("POST", "/v1/iptv/lines", R"({"username":"bob","bouquets":[7]})"), 404,
                  "bouquets[0]", before);
    check_problem(f, f.call("POST", "/v1/iptv/lines", R"({"username":"bob","bouquets":["7"]})"),
                  400, "bouquets[0]", before);
    check_problem(f, f.call("POST", "/v1/iptv/lines", R"({"username":"alice"})"), 409, "username",
                  before);
    check_problem(f, f.call("PATCH", "/v1/iptv/lines/9", R"({"status":"banned"})"), 404, "line_id",
                  before);
    check_problem(f, f.call("PATCH", "/v1/iptv/lines/1", R"({"status":"frozen"})"), 400, "status",
                  before);
    check_problem(f, f.call("GET", "/v1/iptv/lines/abc"), 400, "id", before);
    check_problem(f, f.call("GET", "/v1/iptv/lines/77"), 404, "id", before);
}

TEST_CASE("an Idempotency-Key makes a retried line creation return the same line") {
    ApiFixture f;
    auto a = f.call("POST", "/v1/iptv/lines", R"({"username":"alice","password":"Secret-pass1"})",
                    true, {{"idempotency-key", "abc-1"}});
    REQUIRE(a.status == 201);
    const auto after_first = f.log_size();
    auto b = f.call("POST", "/v1/iptv/lines", R"({"username":"alice","password":"Secret-pass1"})",
                    true, {{"idempotency-key", "abc-1"}});
    CHECK_MESSAGE(b.status == 200, b.body);
    simdjson::dom::parser p;
    CHECK(num(parse_json(p, b.body), "line_id") == 1);
    CHECK(f.log_size() == after_first);
}

TEST_CASE("an import reports invalid entries by line and a second import creates nothing") {
    ApiFixture f;
    auto first = f.call("POST", "/v1/iptv/imports/m3u?source=us&category_from=country", kPlaylist);
    REQUIRE_MESSAGE(first.status == 200, first.body);
    simdjson::dom::parser p;
    auto doc = parse_json(p, first.body);
    CHECK(num(doc, "entries") == 3);
    CHECK(num(doc, "created") == 2);
    CHECK(num(doc, "unchanged") == 0);
    auto invalid = doc["invalid"].get_array().value();
    REQUIRE(invalid.size() == 1);
    CHECK(num(invalid.at(0), "line") == 6);
    CHECK(str(invalid.at(0), "reason").find("source_url") != std::string::npos);

    const auto before = f.log_size();
    auto second = f.call("POST", "/v1/iptv/imports/m3u?source=us&category_from=country", kPlaylist);
    REQUIRE(second.status == 200);
    auto again = parse_json(p, second.body);
    CHECK(num(again, "created") == 0);
    CHECK(num(again, "unchanged") == 2);
    CHECK(f.log_size() == before);

    auto cats =
        parse_json(p, f.call("GET", "/v1/iptv/categories").body)["items"].get_array().value();
    CHECK(cats.size() == 2);  // US, CN
    auto streams = parse_json(p, f.call("GET", "/v1/iptv/streams?limit=1").body);
    CHECK(streams["items"].get_array().value().size() == 1);
    CHECK(str(streams, "next_cursor") == "1");
    auto rest = parse_json(p, f.call("GET", "/v1/iptv/streams?cursor=1").body);
    CHECK(rest["items"].get_array().value().size() == 1);
    CHECK(rest["next_cursor"].is_null());
}

TEST_CASE("bad imports are refused without touching the log") {
    ApiFixture f;
    const auto before = f.log_size();
    check_problem(f, f.call("POST", "/v1/iptv/imports/m3u", kPlaylist), 400, "source", before);
    check_problem(f,
                  f.call("POST", "/v1/iptv/imports/m3u?source=us&category_from=genre", kPlaylist),
                  400, "category_from", before);
    auto nothing =
        f.call("POST", "/v1/iptv/imports/m3u?source=us", "just text\n#EXTINF:-1,No URL\n");
    CHECK(nothing.status == 422);
    simdjson::dom::parser p;
    CHECK(parse_json(p, nothing.body)["invalid"].get_array().value().size() == 2);
    CHECK(f.log_size() == before);
}

TEST_CASE("catalogue CRUD: categories, streams and bouquets with their rules") {
    ApiFixture f;
    simdjson::dom::parser p;
    REQUIRE(f.call("POST", "/v1/iptv/categories", R"({"name":"News"})").status == 201);
    REQUIRE(f.call("POST", "/v1/iptv/categories", R"({"name":"Kids"})").status == 201);
    auto s = f.call(
        "POST", "/v1/iptv/streams",
        R"({"name":"ABC","source_url":"http://a/1","tvg_id":"ABC.us@East","category_id":1})");
    REQUIRE_MESSAGE(s.status == 201, s.body);
    auto stream = parse_json(p, f.call("GET", "/v1/iptv/streams/1").body);
    CHECK(str(stream, "epg_channel_id") == "ABC.us");
    CHECK(num(stream, "category_id") == 1);

    f.settle();
    auto before = f.log_size();
    check_problem(f, f.call("DELETE", "/v1/iptv/categories/1"), 422, "move_streams_to", before);
    check_problem(f,
                  f.call("POST", "/v1/iptv/streams", R"({"name":"X","source_url":"http://a/1"})"),
                  409, "source_url", before);
    check_problem(f,
                  f.call("POST", "/v1/iptv/streams", R"({"name":"X","source_url":"gopher://a"})"),
                  400, "source_url", before);
    check_problem(f,
                  f.call("POST", "/v1/iptv/streams",
                         R"({"name":"X","source_url":"http://a/9","category_id":9})"),
                  404, "category_id", before);
    check_problem(f, f.call("POST", "/v1/iptv/bouquets", R"({"name":"B","stream_ids":[5]})"), 404,
                  "stream_ids[0]", before);
    check_problem(f, f.call("PATCH", "/v1/iptv/streams/9", R"({"name":"Y"})"), 404, "id", before);

    REQUIRE(f.call("PATCH", "/v1/iptv/streams/1", R"({"name":"ABC East"})").status == 200);
    CHECK(str(parse_json(p, f.call("GET", "/v1/iptv/streams/1").body), "name") == "ABC East");
    auto moved = f.call("DELETE", "/v1/iptv/categories/1?move_streams_to=2");
    REQUIRE_MESSAGE(moved.status == 200, moved.body);
    CHECK(num(parse_json(p, f.call("GET", "/v1/iptv/streams/1").body), "category_id") == 2);
    CHECK(f.call("GET", "/v1/iptv/categories/1").status == 404);

    auto b = f.call("POST", "/v1/iptv/bouquets", R"({"name":"Basic","category_ids":[2]})");
    REQUIRE_MESSAGE(b.status == 201, b.body);
    REQUIRE(f.call("PATCH", "/v1/iptv/bouquets/1", R"({"stream_ids":[1]})").status == 200);
    auto bouquet = parse_json(p, f.call("GET", "/v1/iptv/bouquets/1").body);
    CHECK(bouquet["stream_ids"].get_array().value().size() == 1);
    CHECK(f.call("DELETE", "/v1/iptv/bouquets/1").status == 200);
    CHECK(f.call("GET", "/v1/iptv/bouquets/1").status == 404);
    CHECK(f.call("DELETE", "/v1/iptv/streams/1").status == 200);
    CHECK(f.call("GET", "/v1/iptv/streams/1").status == 404);
}

TEST_CASE("unknown paths are 404 and wrong methods 405 with Allow") {
    ApiFixture f;
    CHECK(f.call("GET", "/v1/nothing").status == 404);
    auto r = f.call("PUT", "/v1/iptv/lines");
    CHECK(r.status == 405);
    bool allow = false;
    for (const auto& [k, v] : r.headers)
        allow = allow || (k == "Allow" && v.find("POST") != std::string::npos);
    CHECK(allow);
}

TEST_CASE("the audit trail lists every event with its actor, and filters by stream") {
    ApiFixture f;
    REQUIRE(f.call("POST", "/v1/iptv/lines", R"({"username":"alice"})").status == 201);
    simdjson::dom::parser p;
    auto all = parse_json(p, f.call("GET", "/v1/audit").body)["items"].get_array().value();
    CHECK(all.size() == 4);  // key created, key used, username claimed, line created
    auto line =
        parse_json(p, f.call("GET", "/v1/audit?stream=line-1").body)["items"].get_array().value();
    REQUIRE(line.size() == 1);
    CHECK(str(line.at(0), "type") == "iptv.line.created");
    CHECK(str(line.at(0)["actor"], "kind") == "api_key");
    CHECK(str(line.at(0)["actor"], "ip") == "127.0.0.1");
    auto page = parse_json(p, f.call("GET", "/v1/audit?limit=2").body);
    CHECK(page["items"].get_array().value().size() == 2);
    auto next =
        parse_json(p, f.call("GET", "/v1/audit?limit=2&cursor=" + str(page, "next_cursor")).body);
    CHECK(next["items"].get_array().value().size() == 2);
    CHECK(f.call("GET", "/v1/audit?from=yesterday").status == 400);
}

TEST_CASE("operations routes answer without a key") {
    ApiFixture f;
    CHECK(f.call("GET", "/healthz", {}, false).status == 200);
    f.settle();
    CHECK(f.call("GET", "/readyz", {}, false).status == 200);
    auto m = f.call("GET", "/metrics", {}, false);
    CHECK(m.status == 200);
    CHECK(m.body.find("switchyard_http_requests_total{route=\"/healthz\",status=\"200\"} 1") !=
          std::string::npos);
    CHECK(m.body.find("switchyard_log_head_events 2") != std::string::npos);  // key created, used
    CHECK(m.body.find("switchyard_projection_lag_events{projection=\"xtream_catalogue.v1\"} 0") !=
          std::string::npos);
}
