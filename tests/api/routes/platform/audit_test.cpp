// The audit trail: who did what, when, from where, with before/after; authentication events
// included; filters by actor, resource, type and time, combined.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "tests/api/sign_in.hpp"

using namespace switchyard;
using namespace switchyard::testing;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> types_of(ApiFixture& f, const std::string& query) {
    auto r = f.call("GET", "/v1/audit?limit=1000" + query);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    std::vector<std::string> out;
    simdjson::dom::parser p;
    for (auto item : parse_json(p, r.body)["items"].get_array()) out.push_back(str(item, "type"));
    return out;
}

}  // namespace

TEST_CASE("the audit trail shows authentication events, before and after, and filters") {
    ApiFixture f;
    const auto user_id = create_user(f, f.key, "acme", "reseller");
    f.remote_ip = "203.0.113.5";
    CHECK(login(f, "acme", "Wrong-pass1").status == 401);
    f.clock.advance(1min);
    const auto token = sign_in(f, "acme");
    REQUIRE(as(f, token, "POST", "/v1/iptv/lines", R"({"username":"viewer1"})").status == 201);
    REQUIRE(as(f, token, "PATCH", "/v1/iptv/lines/1", R"({"max_connections":3})").status == 200);
    f.remote_ip = "127.0.0.1";
    f.settle();

    // Sign-ins, failed and not, are events like any other.
    CHECK(types_of(f, "&type=identity.login.failed").size() == 1);
    CHECK(types_of(f, "&type=identity.session.started").size() == 1);
    // Everything the reseller did, by actor; its line's history, by resource.
    CHECK(types_of(f, "&actor=user:" + user_id) == std::vector<std::string>{"iptv.username.claimed",
                                                                            "iptv.line.created",
                                                                            "iptv.line.updated"});
    auto r = f.call("GET", "/v1/audit?resource=line-1");
    REQUIRE(r.status == 200);
    simdjson::dom::parser p;
    auto items = parse_json(p, r.body)["items"].get_array().value();
    REQUIRE(items.size() == 2);
    auto update = items.at(1);
    CHECK(str(update, "type") == "iptv.line.updated");
    CHECK(str(update["actor"], "ip") == "203.0.113.5");
    CHECK(str(update["actor"], "kind") == "user");
    CHECK(update["before"]["max_connections"].get_int64().value() == 1);
    CHECK(update["after"]["max_connections"].get_int64().value() == 3);
    // Hashes never show, not even of line passwords.
    CHECK(str(items.at(0)["after"], "password_hash") == "[redacted]");
    // Filters combine: the reseller's line events only.
    CHECK(types_of(f, "&actor=user:" + user_id + "&type=iptv.line.updated").size() == 1);
    CHECK(types_of(f, "&actor=user:" + user_id + "&resource=line-1").size() == 2);
    // Time: the failed sign-in was a minute before everything else the reseller did.
    const auto t0 = core::format_rfc3339(f.clock.now() - 1min);
    const auto t1 = core::format_rfc3339(f.clock.now());
    CHECK(types_of(f, "&type=identity.login.failed&from=" + t0 + "&to=" + t1).size() == 1);
    CHECK(types_of(f, "&type=identity.login.failed&from=" + t1).empty());
}
