// /v1/hotspot/accounts through the router: create, list with filters, change plan, password
// and MAC, disable, enable, extend; bad input names the field; a retried POST creates nothing;
// a reseller reaches its own accounts only.
#include <doctest/doctest.h>

#include "tests/api/routes/hotspot/hotspot_fixture.hpp"

using namespace switchyard;
using switchyard::testing::check_problem;
using switchyard::testing::HotspotFixture;
using switchyard::testing::parse_json;
using switchyard::testing::str;

namespace {
void plans(HotspotFixture& f) {
    // Counted from purchase: the account's expiry is known at once.
    REQUIRE(f.call("POST", "/v1/hotspot/plans",
                   R"({"plan_id":"day","name":"Day","duration_seconds":86400,)"
                   R"("time_from":"purchase"})")
                .status == 201);
    REQUIRE(f.call("POST", "/v1/hotspot/plans",
                   R"({"plan_id":"week","name":"Week","duration_seconds":604800,)"
                   R"("time_from":"purchase"})")
                .status == 201);
}
const char* kAlice = R"({"username":"alice","password":"s3cret-pw","plan_id":"day"})";
}  // namespace

TEST_CASE("an account is created without showing its password, listed, changed, extended") {
    HotspotFixture f;
    plans(f);
    const auto now = f.clock.now();
    auto r = f.call("POST", "/v1/hotspot/accounts", kAlice);
    REQUIRE_MESSAGE(r.status == 201, r.body);
    CHECK(r.body.find("s3cret-pw") == std::string::npos);
    CHECK(r.body.find("password") == std::string::npos);
    {
        simdjson::dom::parser p;
        auto doc = parse_json(p, r.body);
        CHECK(str(doc, "username") == "alice");
        CHECK(str(doc, "status") == "active");
        CHECK(str(doc, "plan_id") == "day");
        CHECK(str(doc, "expires_at") == core::format_rfc3339(now + std::chrono::seconds(86400)));
    }
    CHECK(f.hotspot->service().account_password("alice").value() == "s3cret-pw");
    REQUIRE(f.call("POST", "/v1/hotspot/accounts",
                   R"({"username":"bob","password":"bobs-pass","plan_id":"week",)"
                   R"("mac":"AA-BB-CC-DD-EE-FF"})")
                .status == 201);
    simdjson::dom::parser pb;
    CHECK(str(parse_json(pb, f.call("GET", "/v1/hotspot/accounts/bob").body), "mac") ==
          "aa:bb:cc:dd:ee:ff");

    auto by_plan = f.call("GET", "/v1/hotspot/accounts?plan_id=week");
    REQUIRE(by_plan.status == 200);
    CHECK(by_plan.body.find("\"bob\"") != std::string::npos);
    CHECK(by_plan.body.find("\"alice\"") == std::string::npos);

    auto patch = f.call("PATCH", "/v1/hotspot/accounts/alice",
                        R"({"plan_id":"week","password":"n3w-pass","mac":"aabb.ccdd.ee01"})");
    REQUIRE_MESSAGE(patch.status == 200, patch.body);
    {
        simdjson::dom::parser p;
        auto doc = parse_json(p, patch.body);
        CHECK(str(doc, "plan_id") == "week");
        CHECK(str(doc, "mac") == "aa:bb:cc:dd:ee:01");
        CHECK(str(doc, "expires_at") == core::format_rfc3339(now + std::chrono::seconds(604800)));
    }
    CHECK(f.hotspot->service().account_password("alice").value() == "n3w-pass");
    auto unbind = f.call("PATCH", "/v1/hotspot/accounts/alice", R"({"mac":null})");
    REQUIRE(unbind.status == 200);
    simdjson::dom::parser pu;
    CHECK(str(parse_json(pu, unbind.body), "mac") == "");

    auto off = f.call("POST", "/v1/hotspot/accounts/alice/disable", R"({"reason":"abuse"})");
    REQUIRE_MESSAGE(off.status == 200, off.body);
    simdjson::dom::parser po;
    CHECK(str(parse_json(po, off.body), "status") == "disabled");
    auto disabled = f.call("GET", "/v1/hotspot/accounts?status=disabled");
    CHECK(disabled.body.find("\"alice\"") != std::string::npos);
    CHECK(disabled.body.find("\"bob\"") == std::string::npos);
    auto on = f.call("POST", "/v1/hotspot/accounts/alice/enable");
    REQUIRE(on.status == 200);
    simdjson::dom::parser pn;
    CHECK(str(parse_json(pn, on.body), "status") == "active");

    auto ext = f.call("POST", "/v1/hotspot/accounts/alice/extend", R"({"add_seconds":3600})");
    REQUIRE_MESSAGE(ext.status == 200, ext.body);
    simdjson::dom::parser pe;
    CHECK(str(parse_json(pe, ext.body), "expires_at") ==
          core::format_rfc3339(now + std::chrono::seconds(604800 + 3600)));
    CHECK(f.call("GET", "/v1/hotspot/accounts/nobody").status == 404);
}

TEST_CASE("an account body with a bad field is refused naming it, and nothing is appended") {
    HotspotFixture f;
    plans(f);
    const auto before = f.log_size();
    auto post = [&](const std::string& body) {
        return f.call("POST", "/v1/hotspot/accounts", body);
    };
    check_problem(f, post(R"({"username":"bad name!","password":"s3cret-pw","plan_id":"day"})"),
                  400, "username", before);
    check_problem(f, post(R"({"username":"a","password":"x","plan_id":"day"})"), 400, "password",
                  before);
    check_problem(f, post(R"({"username":"a","password":"s3cret-pw","plan_id":"nope"})"), 404,
                  "plan_id", before);
    check_problem(f, post(R"({"username":"a","password":"s3cret-pw","plan_id":"day","mac":"xyz"})"),
                  400, "mac", before);
    check_problem(f, post(R"({"username":"a","plan_id":"day"})"), 400, "password", before);
    check_problem(f, post(R"({"username":"a","password":"s3cret-pw","plan_id":"day","vip":1})"),
                  400, "vip", before);
    REQUIRE(post(kAlice).status == 201);
    const auto one = f.log_size();
    check_problem(f, post(R"({"username":"alice","password":"other-pw","plan_id":"day"})"), 409,
                  "username", one);
    check_problem(f, f.call("PATCH", "/v1/hotspot/accounts/alice", R"({"mac":"zz"})"), 400, "mac",
                  one);
    check_problem(f, f.call("PATCH", "/v1/hotspot/accounts/alice", R"({"plan_id":"gone"})"), 404,
                  "plan_id", one);
    check_problem(f, f.call("POST", "/v1/hotspot/accounts/alice/extend", R"({"add_seconds":-1})"),
                  400, "add_seconds", one);
}

TEST_CASE("an account POST retried with the same Idempotency-Key creates nothing new") {
    HotspotFixture f;
    plans(f);
    REQUIRE(f.post_once("/v1/hotspot/accounts", kAlice, "acc-1").status == 201);
    const auto size = f.log_size();
    auto again = f.post_once("/v1/hotspot/accounts", kAlice, "acc-1");
    CHECK_MESSAGE(again.status == 200, again.body);
    CHECK(f.log_size() == size);
    // An extension retried with its key adds nothing twice.
    REQUIRE(f.call("POST", "/v1/hotspot/accounts/alice/extend", R"({"add_seconds":60})", true,
                   {{"idempotency-key", "ext-1"}})
                .status == 200);
    const auto extended = f.log_size();
    REQUIRE(f.call("POST", "/v1/hotspot/accounts/alice/extend", R"({"add_seconds":60})", true,
                   {{"idempotency-key", "ext-1"}})
                .status == 200);
    CHECK(f.log_size() == extended);
}

TEST_CASE("a reseller manages its own accounts, which another reseller does not see") {
    HotspotFixture f;
    plans(f);
    const auto r1 = f.user("res1", "reseller");
    const auto r2 = f.user("res2", "reseller");
    const auto cust = f.user("cust", "customer");
    // A reseller sells the operator's plans too (usable_plan).
    auto mine = f.as(r1, "POST", "/v1/hotspot/accounts",
                     R"({"username":"r1-guest","password":"guest-pw","plan_id":"day"})");
    REQUIRE_MESSAGE(mine.status == 201, mine.body);
    CHECK(f.as(r1, "GET", "/v1/hotspot/accounts/r1-guest").status == 200);
    CHECK(f.as(r2, "GET", "/v1/hotspot/accounts/r1-guest").status == 404);
    CHECK(f.as(r2, "PATCH", "/v1/hotspot/accounts/r1-guest", R"({"password":"x1234"})").status ==
          404);
    CHECK(f.as(r2, "POST", "/v1/hotspot/accounts/r1-guest/disable").status == 404);
    CHECK(f.as(r2, "GET", "/v1/hotspot/accounts").body.find("r1-guest") == std::string::npos);
    CHECK(f.as(cust, "GET", "/v1/hotspot/accounts").status == 403);
    CHECK(f.as(cust, "POST", "/v1/hotspot/accounts", kAlice).status == 403);
    CHECK(f.call("GET", "/v1/hotspot/accounts").body.find("r1-guest") != std::string::npos);
}
