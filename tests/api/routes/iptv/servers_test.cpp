// /v1/iptv/servers, /v1/iptv/server-groups and /v1/iptv/streams/{id}/servers through the router.
#include <doctest/doctest.h>

#include "tests/api/routes/iptv/servers_fixture.hpp"

using namespace switchyard;
using switchyard::testing::check_problem;
using switchyard::testing::num;
using switchyard::testing::parse_json;
using switchyard::testing::ServersFixture;
using switchyard::testing::str;

TEST_CASE("servers: create, read with load figures, change, delete") {
    ServersFixture f;
    core::iptv::FixedServerLoads loads;
    f.iptv->set_server_loads(loads);
    const auto a = f.add_server("edge-a", 8001, R"("max_connections":10,"max_mbps":100)");
    const auto b = f.add_server("edge-b", 8002, R"("scheme":"https","weight":5)");
    CHECK(a == 1);
    CHECK(b == 2);
    // The same request again: 200, the same id, nothing appended.
    const auto size = f.log_size();
    auto again = f.call("POST", "/v1/iptv/servers",
                        R"({"name":"edge-a","host":"127.0.0.1","port":8001,)"
                        R"("max_connections":10,"max_mbps":100})");
    CHECK(again.status == 200);
    CHECK(f.log_size() == size);

    loads.set(a, {10, 12'000});
    loads.set(b, {3, 1'500});
    auto list = f.call("GET", "/v1/iptv/servers");
    REQUIRE(list.status == 200);
    simdjson::dom::parser p;
    auto doc = parse_json(p, list.body);
    auto items = doc["items"].get_array();
    REQUIRE(!items.error());
    REQUIRE(items.size() == 2);
    auto first = items.at(0);
    CHECK(str(first, "name") == "edge-a");
    CHECK(str(first, "base_url") == "http://127.0.0.1:8001");
    CHECK(num(first["load"], "connections") == 10);
    CHECK(num(first["load"], "bandwidth_kbps") == 12'000);
    CHECK(first["load"]["available"].get_bool().value() == false);
    CHECK(str(first["load"], "unavailable_reason") == "full (10/10 connections)");
    CHECK(str(first["health"], "status") == "up");
    auto second = items.at(1);
    CHECK(str(second, "base_url") == "https://127.0.0.1:8002");
    CHECK(num(second, "weight") == 5);
    CHECK(num(second["load"], "connections") == 3);
    CHECK(second["load"]["available"].get_bool().value() == true);
    CHECK(doc["alerts"].get_array().size() == 0);

    auto patched = f.call("PATCH", "/v1/iptv/servers/1", R"({"weight":7,"enabled":false})");
    REQUIRE_MESSAGE(patched.status == 200, patched.body);
    auto one = f.call("GET", "/v1/iptv/servers/1");
    REQUIRE(one.status == 200);
    auto row = parse_json(p, one.body);
    CHECK(num(row, "weight") == 7);
    CHECK(row["enabled"].get_bool().value() == false);
    CHECK(num(row, "max_connections") == 10);  // untouched
    CHECK(str(row["load"], "unavailable_reason") == "disabled");

    auto removed = f.call("DELETE", "/v1/iptv/servers/2");
    REQUIRE(removed.status == 200);
    CHECK(f.call("GET", "/v1/iptv/servers/2").status == 404);
    CHECK(f.call("DELETE", "/v1/iptv/servers/2").status == 404);
}

TEST_CASE("server groups and stream assignments: create, change, assign, remove") {
    ServersFixture f;
    const auto a = f.add_server("edge-a", 8001);
    const auto b = f.add_server("edge-b", 8002);
    auto g =
        f.call("POST", "/v1/iptv/server-groups",
               fmt::format(R"({{"name":"eu","strategy":"weighted","server_ids":[{},{}]}})", b, a));
    REQUIRE_MESSAGE(g.status == 201, g.body);
    simdjson::dom::parser p;
    CHECK(num(parse_json(p, g.body), "group_id") == 1);
    auto changed =
        f.call("PATCH", "/v1/iptv/server-groups/1", R"({"strategy":"least_connections"})");
    REQUIRE_MESSAGE(changed.status == 200, changed.body);
    auto got = parse_json(p, f.call("GET", "/v1/iptv/server-groups/1").body);
    CHECK(str(got, "strategy") == "least_connections");
    CHECK(got["server_ids"].at(0).get_int64().value() == b);

    auto assigned = f.call("PUT", "/v1/iptv/streams/1/servers", R"({"group_id":1})");
    REQUIRE_MESSAGE(assigned.status == 200, assigned.body);
    auto view = parse_json(p, f.call("GET", "/v1/iptv/streams/1/servers").body);
    CHECK(num(view, "group_id") == 1);
    CHECK(str(view, "strategy") == "least_connections");
    CHECK(view["candidates"].get_array().size() == 2);
    // Removing a server takes it out of the group; removing the group frees the stream.
    REQUIRE(f.call("DELETE", "/v1/iptv/servers/" + std::to_string(b)).status == 200);
    auto fewer = parse_json(p, f.call("GET", "/v1/iptv/server-groups/1").body);
    CHECK(fewer["server_ids"].get_array().size() == 1);
    REQUIRE(f.call("DELETE", "/v1/iptv/server-groups/1").status == 200);
    auto freed = parse_json(p, f.call("GET", "/v1/iptv/streams/1/servers").body);
    CHECK(freed["group_id"].is_null());
    CHECK(str(freed, "strategy") == "least_connections");
    CHECK(f.call("GET", "/v1/iptv/server-groups").status == 200);
    // To servers: round robin over them.
    REQUIRE(f.call("PUT", "/v1/iptv/streams/1/servers", fmt::format(R"({{"server_ids":[{}]}})", a))
                .status == 200);
    auto direct = parse_json(p, f.call("GET", "/v1/iptv/streams/1/servers").body);
    CHECK(str(direct, "strategy") == "round_robin");
}

TEST_CASE("bad server input is a problem naming the field, and nothing is appended") {
    ServersFixture f;
    f.add_server("edge-a", 8001);
    const auto before = f.log_size();
    auto post = [&](const std::string& body) { return f.call("POST", "/v1/iptv/servers", body); };
    check_problem(f, post(R"({"name":"x"})"), 400, "host", before);
    check_problem(f, post(R"({"host":"127.0.0.1"})"), 400, "name", before);
    check_problem(f, post(R"({"name":"x","host":"127.0.0.1","port":"80"})"), 400, "port", before);
    check_problem(f, post(R"({"name":"x","host":"127.0.0.1","port":0})"), 400, "port", before);
    check_problem(f, post(R"({"name":"x","host":"127.0.0.1","port":65536})"), 400, "port", before);
    check_problem(f, post(R"({"name":"x","host":"a b"})"), 400, "host", before);
    check_problem(f, post(R"({"name":"x","host":"h","scheme":"ftp"})"), 400, "scheme", before);
    check_problem(f, post(R"({"name":"x","host":"h","weight":0})"), 400, "weight", before);
    check_problem(f, post(R"({"name":"x","host":"h","max_connections":-1})"), 400,
                  "max_connections", before);
    check_problem(f, post(R"({"name":"x","host":"h","max_mbps":-1})"), 400, "max_mbps", before);
    check_problem(f, post(R"({"name":"x","host":"h","health_path":"ping"})"), 400, "health_path",
                  before);
    check_problem(f, post(R"({"name":"x","host":"h","capacity":5})"), 400, "capacity", before);
    check_problem(f, post(R"({"name":"x","host":"h","enabled":"yes"})"), 400, "enabled", before);
    check_problem(f, post(R"({"name":"edge-a","host":"127.0.0.1","port":9})"), 409, "name", before);
    check_problem(f, f.call("PATCH", "/v1/iptv/servers/99", R"({"weight":2})"), 404, "id", before);
    check_problem(f, f.call("PATCH", "/v1/iptv/servers/1", R"({"weight":2000})"), 400, "weight",
                  before);
    check_problem(f, f.call("PATCH", "/v1/iptv/servers/x", R"({"weight":2})"), 400, "id", before);

    auto group = [&](const std::string& body) {
        return f.call("POST", "/v1/iptv/server-groups", body);
    };
    check_problem(f, group(R"({"name":"eu","strategy":"random","server_ids":[1]})"), 400,
                  "strategy", before);
    check_problem(f, group(R"({"name":"eu","server_ids":[99]})"), 404, "server_ids[0]", before);
    check_problem(f, group(R"({"name":"eu","server_ids":[1,1]})"), 400, "server_ids[1]", before);
    check_problem(f, group(R"({"name":"eu"})"), 400, "server_ids", before);
    check_problem(f, group(R"({"name":"","server_ids":[1]})"), 400, "name", before);

    check_problem(f, f.call("PUT", "/v1/iptv/streams/1/servers", R"({"group_id":99})"), 404,
                  "group_id", before);
    check_problem(f, f.call("PUT", "/v1/iptv/streams/1/servers", R"({"server_ids":[5]})"), 404,
                  "server_ids[0]", before);
    check_problem(f, f.call("PUT", "/v1/iptv/streams/999/servers", R"({"server_ids":[1]})"), 404,
                  "id", before);
    check_problem(f, f.call("PUT", "/v1/iptv/streams/1/servers", R"({"group":1})"), 400, "group",
                  before);
}
