// /v1/hotspot/plans through the router: define, list, change and retire a plan; bad input names
// the field; a retried POST creates nothing; a reseller reaches its own plans only.
#include <doctest/doctest.h>

#include "tests/api/routes/hotspot/hotspot_fixture.hpp"

using namespace switchyard;
using switchyard::testing::check_problem;
using switchyard::testing::HotspotFixture;
using switchyard::testing::num;
using switchyard::testing::parse_json;
using switchyard::testing::str;

namespace {
const char* kDayPass =
    R"({"name":"Day pass","duration_seconds":86400,"data_limit_bytes":1000000000,)"
    R"("download_kbps":10000,"upload_kbps":2000,"shared_users":2,"price":"2.50",)"
    R"("currency":"EUR"})";
}

TEST_CASE("a plan is defined, listed, changed and retired") {
    HotspotFixture f;
    auto r = f.call("POST", "/v1/hotspot/plans", kDayPass);
    REQUIRE_MESSAGE(r.status == 201, r.body);
    {
        simdjson::dom::parser p;
        auto doc = parse_json(p, r.body);
        CHECK(str(doc, "plan_id") == "day-pass");
        CHECK(num(doc, "duration_seconds") == 86400);
        CHECK(num(doc, "data_limit_bytes") == 1'000'000'000);
        CHECK(num(doc, "download_kbps") == 10000);
        CHECK(num(doc, "shared_users") == 2);
        CHECK(num(doc, "price_micros") == 2'500'000);  // 2.50 in micro-units
        CHECK(str(doc, "price") == "2.50");
        CHECK(str(doc, "currency") == "EUR");
        CHECK(str(doc, "service") == "hotspot");
        CHECK(str(doc, "time_from") == "first_login");
    }
    auto list = f.call("GET", "/v1/hotspot/plans");
    REQUIRE(list.status == 200);
    CHECK(list.body.find("\"day-pass\"") != std::string::npos);
    REQUIRE(f.call("GET", "/v1/hotspot/plans/day-pass").status == 200);

    auto patch = f.call("PATCH", "/v1/hotspot/plans/day-pass",
                        R"({"data_limit_bytes":null,"price":"3","burst_download_kbps":20000,)"
                        R"("burst_upload_kbps":4000,"burst_threshold_download_kbps":8000,)"
                        R"("burst_threshold_upload_kbps":1500,"burst_seconds":16})");
    REQUIRE_MESSAGE(patch.status == 200, patch.body);
    {
        simdjson::dom::parser p;
        auto doc = parse_json(p, patch.body);
        auto limit = doc["data_limit_bytes"];
        CHECK((limit.error() || limit.is_null()));  // unlimited now
        CHECK(num(doc, "price_micros") == 3'000'000);
        CHECK(num(doc, "burst_download_kbps") == 20000);
        CHECK(num(doc, "duration_seconds") == 86400);  // unnamed fields stay
    }
    CHECK_FALSE(f.hotspot->service().plan("day-pass").value().data_limit_bytes.has_value());

    auto del = f.call("DELETE", "/v1/hotspot/plans/day-pass");
    REQUIRE_MESSAGE(del.status == 200, del.body);
    simdjson::dom::parser p;
    CHECK(parse_json(p, del.body)["retired"].get_bool().value() == true);
    CHECK(f.call("GET", "/v1/hotspot/plans").body.find("day-pass") == std::string::npos);
    CHECK(f.call("GET", "/v1/hotspot/plans?include_retired=true").body.find("day-pass") !=
          std::string::npos);
    CHECK(f.call("DELETE", "/v1/hotspot/plans/nope").status == 404);
}

TEST_CASE("a plan body with a bad field is refused naming it, and nothing is appended") {
    HotspotFixture f;
    const auto before = f.log_size();
    auto post = [&](const std::string& body) { return f.call("POST", "/v1/hotspot/plans", body); };
    check_problem(f, post(R"({"duration_seconds":60})"), 400, "name", before);
    check_problem(f, post(R"({"name":"A","duration_seconds":-5})"), 400, "duration_seconds",
                  before);
    check_problem(f, post(R"({"name":"A","duration_seconds":"1h"})"), 400, "duration_seconds",
                  before);
    check_problem(f, post(R"({"name":"A","price":"two"})"), 400, "price", before);
    check_problem(f, post(R"({"name":"A","price":"1.0000001"})"), 400, "price", before);
    check_problem(f, post(R"({"name":"A","shared_users":0})"), 400, "shared_users", before);
    check_problem(f, post(R"({"name":"A","service":"dsl"})"), 400, "service", before);
    check_problem(f, post(R"({"name":"A","time_from":"sunrise"})"), 400, "time_from", before);
    check_problem(f, post(R"({"name":"A","valid_from":"yesterday"})"), 400, "valid_from", before);
    check_problem(f, post(R"({"name":"A","currency":"euro"})"), 400, "currency", before);
    check_problem(f, post(R"({"name":"A","burst_download_kbps":5000})"), 400, "burst.download_kbps",
                  before);
    check_problem(f, post(R"({"name":"A","speed":"fast"})"), 400, "speed", before);
    check_problem(f, post(R"({"name":"A","plan_id":"Not Valid"})"), 400, "plan_id", before);
    check_problem(f, post("[1,2]"), 400, "body", before);
}

TEST_CASE("a plan POST retried with the same Idempotency-Key defines nothing new") {
    HotspotFixture f;
    REQUIRE(f.post_once("/v1/hotspot/plans", kDayPass, "plan-1").status == 201);
    const auto size = f.log_size();
    auto again = f.post_once("/v1/hotspot/plans", kDayPass, "plan-1");
    CHECK_MESSAGE(again.status == 200, again.body);
    CHECK(f.log_size() == size);
    CHECK(f.post_once("/v1/hotspot/plans", kDayPass, "plan-2").status == 409);
    CHECK(f.log_size() == size);
}

TEST_CASE("a reseller manages its own plans, which another reseller does not see") {
    HotspotFixture f;
    const auto r1 = f.user("res1", "reseller");
    const auto r2 = f.user("res2", "reseller");
    auto mine = f.as(r1, "POST", "/v1/hotspot/plans",
                     R"({"plan_id":"r1-hour","name":"Hour",)"
                     R"("duration_seconds":3600})");
    REQUIRE_MESSAGE(mine.status == 201, mine.body);
    CHECK(f.as(r1, "GET", "/v1/hotspot/plans/r1-hour").status == 200);
    CHECK(f.as(r2, "GET", "/v1/hotspot/plans/r1-hour").status == 404);
    CHECK(f.as(r2, "PATCH", "/v1/hotspot/plans/r1-hour", R"({"name":"x"})").status == 404);
    CHECK(f.as(r2, "DELETE", "/v1/hotspot/plans/r1-hour").status == 404);
    CHECK(f.as(r2, "GET", "/v1/hotspot/plans").body.find("r1-hour") == std::string::npos);
    CHECK(f.call("GET", "/v1/hotspot/plans/r1-hour").status == 200);
    CHECK(f.as(r1, "DELETE", "/v1/hotspot/plans/r1-hour").status == 200);
}

TEST_CASE("a reseller sees the operator's plans read-only, never another reseller's") {
    HotspotFixture f;
    REQUIRE(f.call("POST", "/v1/hotspot/plans", kDayPass).status == 201);  // owner `/`
    const auto r1 = f.user("res1", "reseller");
    const auto r2 = f.user("res2", "reseller");
    REQUIRE(
        f.as(r2, "POST", "/v1/hotspot/plans", R"({"plan_id":"r2-hour","name":"Hour"})").status ==
        201);
    REQUIRE(
        f.as(r1, "POST", "/v1/hotspot/plans", R"({"plan_id":"r1-hour","name":"Hour"})").status ==
        201);

    const auto list = f.as(r1, "GET", "/v1/hotspot/plans");
    REQUIRE_MESSAGE(list.status == 200, list.body);
    CHECK(list.body.find(R"("plan_id":"day-pass")") != std::string::npos);
    CHECK(list.body.find(R"("plan_id":"r1-hour")") != std::string::npos);
    CHECK(list.body.find("r2-hour") == std::string::npos);

    const auto one = f.as(r1, "GET", "/v1/hotspot/plans/day-pass");
    REQUIRE_MESSAGE(one.status == 200, one.body);
    CHECK(one.body.find(R"("owner":"operator")") != std::string::npos);
    CHECK(one.body.find(R"("editable":false)") != std::string::npos);
    const auto own = f.as(r1, "GET", "/v1/hotspot/plans/r1-hour");
    CHECK(own.body.find(R"("owner":"reseller")") != std::string::npos);
    CHECK(own.body.find(R"("editable":true)") != std::string::npos);
    CHECK(f.call("GET", "/v1/hotspot/plans/day-pass").body.find(R"("editable":true)") !=
          std::string::npos);

    // Seen, not changed: 403 naming plan_id, nothing appended.
    const auto size = f.log_size();
    auto patch = f.as(r1, "PATCH", "/v1/hotspot/plans/day-pass", R"({"name":"Mine now"})");
    CHECK(patch.status == 403);
    CHECK(patch.body.find("plan_id") != std::string::npos);
    CHECK(f.as(r1, "DELETE", "/v1/hotspot/plans/day-pass").status == 403);
    CHECK(f.log_size() == size);
    CHECK(f.as(r1, "GET", "/v1/hotspot/plans/r2-hour").status == 404);
}
