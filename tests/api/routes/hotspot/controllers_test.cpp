// /v1/hotspot/controllers through the router, against controllers on loopback: a RouterOS API
// server and an Omada HTTP server (tests/adapters/hotspot/loopback_servers.hpp) answering with
// transcripts built from the vendors' documentation (help.mikrotik.com "API" and the hotspot
// menus' properties; TP-Link's Omada Open API Access Guide and FAQ 3231). No RouterOS router
// and no Omada or Meraki controller runs here: these are transcripts, not devices. WiFight's
// controller acceptance list (wifight-isp-plan-part2.md 10.1, 10.2): create a hotspot user with
// time and data limits, authorize a client by MAC, broadcast to every controller, sync; every
// operation lands in the log with its outcome.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <mutex>
#include <set>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "events/envelope_codec.hpp"
#include "tests/adapters/hotspot/loopback_servers.hpp"
#include "tests/api/routes/hotspot/hotspot_fixture.hpp"

using namespace switchyard;
using core::hotspot::routeros::Sentence;
using switchyard::testing::HotspotFixture;
using switchyard::testing::HttpAnswer;
using switchyard::testing::HttpExchange;
using switchyard::testing::HttpServer;
using switchyard::testing::num;
using switchyard::testing::parse_json;
using switchyard::testing::RouterOsServer;
using switchyard::testing::str;
namespace json = boost::json;

namespace {

/// A RouterOS router's /ip/hotspot/user, user/profile and ip-binding menus as the API manual
/// shows them: `/login =name=admin =password=secret`, ids `*1`, `*2`, ..., a duplicate name
/// traps with "failure: already have user with this name", an unknown id with "no such item".
struct Router {
    struct Row {
        std::string id;
        std::map<std::string, std::string> props;
    };
    std::mutex mu;
    std::vector<Row> users;
    std::vector<std::string> profiles{"default"};
    std::vector<std::map<std::string, std::string>> bindings;
    int next_id = 1;

    RouterOsServer::Answer operator()(const Sentence& s) {
        std::lock_guard lock(mu);
        std::map<std::string, std::string> attrs;
        std::string query_name;
        for (std::size_t i = 1; i < s.size(); ++i) {
            if (s[i].starts_with('=')) {
                const auto eq = s[i].find('=', 1);
                attrs[s[i].substr(1, eq - 1)] = s[i].substr(eq + 1);
            } else if (s[i].starts_with("?name=")) {
                query_name = s[i].substr(6);
            }
        }
        const auto& cmd = s.at(0);
        if (cmd == "/login") {
            if (attrs["name"] == "admin" && attrs["password"] == "secret") return {{{"!done"}}};
            return {{{"!trap", "=message=invalid user name or password (6)"}, {"!done"}}};
        }
        if (cmd == "/system/resource/print" || cmd == "/system/identity/print")
            return {{{"!re", "=name=lobby"}, {"!done"}}};
        if (cmd == "/ip/hotspot/user/print") {
            std::vector<Sentence> out;
            for (const auto& u : users) {
                if (!query_name.empty() && u.props.at("name") != query_name) continue;
                Sentence re{"!re", "=.id=" + u.id};
                for (const auto& [k, v] : u.props) re.push_back("=" + k + "=" + v);
                out.push_back(re);
            }
            out.push_back({"!done"});
            return {out};
        }
        if (cmd == "/ip/hotspot/user/add") {
            for (const auto& u : users)
                if (u.props.at("name") == attrs["name"])
                    return {{{"!trap", "=message=failure: already have user with this name"},
                             {"!done"}}};
            const auto id = "*" + std::to_string(next_id++);
            users.push_back({id, attrs});
            return {{{"!done", "=ret=" + id}}};
        }
        if (cmd == "/ip/hotspot/user/set" || cmd == "/ip/hotspot/user/remove") {
            for (auto it = users.begin(); it != users.end(); ++it) {
                if (it->id != attrs[".id"]) continue;
                if (cmd.ends_with("remove")) {
                    users.erase(it);
                } else {
                    for (const auto& [k, v] : attrs)
                        if (k != ".id") it->props[k] = v;
                }
                return {{{"!done"}}};
            }
            return {{{"!trap", "=message=no such item"}, {"!done"}}};
        }
        if (cmd == "/ip/hotspot/user/profile/print") {
            std::vector<Sentence> out;
            for (const auto& p : profiles)
                if (query_name.empty() || p == query_name) out.push_back({"!re", "=name=" + p});
            out.push_back({"!done"});
            return {out};
        }
        if (cmd == "/ip/hotspot/user/profile/add") {
            profiles.push_back(attrs["name"]);
            return {{{"!done", "=ret=*P"}}};
        }
        if (cmd == "/ip/hotspot/ip-binding/add") {
            bindings.push_back(attrs);
            return {{{"!done", "=ret=*B1"}}};
        }
        if (cmd == "/ip/hotspot/active/print") return {{{"!done"}}};
        return {{{"!trap", "=message=no such command"}, {"!done"}}};
    }

    std::vector<std::string> names() {
        std::lock_guard lock(mu);
        std::vector<std::string> out;
        for (const auto& u : users) out.push_back(u.props.at("name"));
        return out;
    }
};

/// An Omada controller as the Open API Access Guide and FAQ 3231 show it: a client credentials
/// token, local users listed (`data`) and created, the hotspot operator login and extPortal/auth.
struct Omada {
    std::mutex mu;
    std::vector<std::string> users;

    HttpAnswer operator()(const HttpExchange& ex) {
        std::lock_guard lock(mu);
        if (ex.target == "/openapi/authorize/token?grant_type=client_credentials")
            return {200,
                    R"({"errorCode":0,"msg":"Open API Get Access Token successfully.","result":)"
                    R"({"accessToken":"AT-bjaJkIMIiekZY6NBufoQO4hdmJTswlwU","tokenType":"bearer",)"
                    R"("expiresIn":7200,"refreshToken":"RT-3ZjJgcORJSh76UCh7pj0rs5VRISIpagV"}})"};
        if (ex.target.ends_with("/api/v2/hotspot/login"))
            return {200,
                    R"({"errorCode":0,"msg":"Hotspot log in successfully.","result":)"
                    R"({"token":"5a5ba5f2c6e44f2c9a2e2a0b1b0c0d0e"}})",
                    {"Set-Cookie: TPOMADA_SESSIONID=9cb86bf3a99e48a59e4f3bb464a3c443; Path=/"}};
        if (ex.target.ends_with("/api/v2/hotspot/extPortal/auth"))
            return {200, R"({"errorCode":0,"msg":"Success."})"};
        if (ex.target.find("/hotspot/localusers") != std::string::npos) {
            if (ex.method == "GET") {
                json::array data;
                int id = 60;
                for (const auto& u : users)
                    data.push_back(json::object{{"id", std::to_string(++id)},
                                                {"userName", u},
                                                {"enable", true},
                                                {"expirationTime", 4102444800000},
                                                {"bindingType", 0},
                                                {"trafficLimitEnable", false}});
                json::object result{{"totalRows", users.size()},
                                    {"currentPage", 1},
                                    {"currentSize", 100},
                                    {"data", data}};
                return {200, json::serialize(
                                 json::object{{"errorCode", 0}, {"msg", ""}, {"result", result}})};
            }
            if (ex.method == "POST") {
                const auto body = json::parse(ex.body).as_object();
                const std::string name(body.at("userName").as_string());
                for (const auto& u : users)
                    if (u == name)
                        return {200, R"({"errorCode":-42013,"msg":"Local user already exists."})"};
                users.push_back(name);
                return {200, R"({"errorCode":0,"msg":"","result":{"id":"6405a4c6b3f2ae5b9122"}})"};
            }
        }
        return {404, R"({"errorCode":-1,"msg":"not found"})"};
    }
};

std::string mikrotik_body(std::uint16_t port, const char* name = "Lobby Router") {
    return fmt::format(R"({{"name":"{}","vendor":"mikrotik","address":"127.0.0.1","port":{},)"
                       R"("username":"admin","password":"secret","timeout_ms":2000}})",
                       name, port);
}

std::string omada_body(const std::string& base_url) {
    return fmt::format(R"({{"name":"Pool Omada","vendor":"omada","base_url":"{}",)"
                       R"("omadac_id":"de382a0e78f4deb681f3128c3e75dbd1",)"
                       R"("site_id":"640effd1b3f2ae5b912275ec",)"
                       R"("client_id":"185586e0df424f5ea938de13cba91e01",)"
                       R"("client_secret":"767372a5258a4fc1a03c57f3d071fc35",)"
                       R"("operator_name":"operator","operator_password":"op-pass",)"
                       R"("timeout_ms":2000}})",
                       base_url);
}

/// The controller events of the log, as JSON objects with their `type`, in order.
std::vector<json::object> controller_events(HotspotFixture& f) {
    const auto stream = core::hotspot::controller_stream(f.hotspot->service().tenant());
    std::vector<json::object> out;
    const auto read = f.store->read_stream(stream, 0, 10000).value();
    for (const auto& e : read) {
        auto o = json::parse(e.data).as_object();
        o["type"] = e.type;
        out.push_back(std::move(o));
    }
    return out;
}

std::vector<json::object> operations(HotspotFixture& f) {
    std::vector<json::object> out;
    for (auto& e : controller_events(f))
        if (e.at("type") == "hotspot.controller.operation") out.push_back(e);
    return out;
}

bool has_word(const std::vector<Sentence>& got, const std::string& command,
              const std::string& word) {
    for (const auto& s : got)
        if (s.at(0) == command)
            for (const auto& w : s)
                if (w == word) return true;
    return false;
}

}  // namespace

TEST_CASE("a MikroTik controller creates a hotspot user with limits and authorizes a MAC") {
    HotspotFixture f;
    Router menu;
    RouterOsServer router([&](const Sentence& s) { return menu(s); });

    auto r = f.call("POST", "/v1/hotspot/controllers", mikrotik_body(router.port()));
    REQUIRE_MESSAGE(r.status == 201, r.body);
    CHECK(r.body.find("\"secret\"") == std::string::npos);  // the password is never shown
    {
        simdjson::dom::parser p;
        auto doc = parse_json(p, r.body);
        CHECK(str(doc, "controller_id") == "lobby-router");  // from the name
        CHECK(str(doc, "vendor") == "mikrotik");
        CHECK(num(doc, "port") == router.port());
        CHECK(doc["password_set"].get_bool().value());
    }
    // Sealed at rest under the master key, opened for the adapter.
    const auto def = f.hotspot->controllers().controller("lobby-router").value();
    CHECK(def.password_sealed.starts_with("sy1:"));
    CHECK(f.hotspot->controllers().secrets(def).value().password == "secret");

    auto test = f.call("POST", "/v1/hotspot/controllers/lobby-router/test", "");
    CHECK_MESSAGE(test.status == 200, test.body);

    auto created = f.call("POST", "/v1/hotspot/controllers/lobby-router/users",
                          R"({"name":"testuser","password":"testpass",)"
                          R"("limit_uptime_seconds":3600,"limit_bytes_total":1048576,)"
                          R"("mac":"aa-bb-cc-dd-ee-ff"})");
    REQUIRE_MESSAGE(created.status == 201, created.body);
    // What the router received: RouterOS durations and bytes (API manual, hotspot user props).
    const auto got = router.received();
    CHECK(has_word(got, "/ip/hotspot/user/add", "=name=testuser"));
    CHECK(has_word(got, "/ip/hotspot/user/add", "=limit-uptime=1h"));
    CHECK(has_word(got, "/ip/hotspot/user/add", "=limit-bytes-total=1048576"));
    CHECK(has_word(got, "/ip/hotspot/user/add", "=mac-address=AA:BB:CC:DD:EE:FF"));

    // The same name again: the router's own words, 409.
    auto again = f.call("POST", "/v1/hotspot/controllers/lobby-router/users",
                        R"({"name":"testuser","password":"testpass"})");
    CHECK(again.status == 409);
    CHECK(again.body.find("already have user with this name") != std::string::npos);

    auto listed = f.call("GET", "/v1/hotspot/controllers/lobby-router/users");
    REQUIRE_MESSAGE(listed.status == 200, listed.body);
    CHECK(listed.body.find("\"testuser\"") != std::string::npos);
    CHECK(listed.body.find("testpass") == std::string::npos);  // passwords are not shown

    auto mac = f.call("POST", "/v1/hotspot/controllers/lobby-router/authorize-mac",
                      R"({"mac":"AA:BB:CC:DD:EE:01","duration_seconds":3600})");
    REQUIRE_MESSAGE(mac.status == 200, mac.body);
    REQUIRE(menu.bindings.size() == 1);
    CHECK(menu.bindings[0]["type"] == "bypassed");
    CHECK(menu.bindings[0]["mac-address"] == "AA:BB:CC:DD:EE:01");

    auto removed = f.call("DELETE", "/v1/hotspot/controllers/lobby-router/users/testuser");
    CHECK_MESSAGE(removed.status == 200, removed.body);
    CHECK(menu.names().empty());

    // Every operation is in the log with its outcome, the refused one with the router's words.
    const auto ops = operations(f);
    REQUIRE(ops.size() == 6);
    CHECK(ops[0].at("operation") == "test_connection");
    CHECK(ops[1].at("operation") == "create_user");
    CHECK(ops[1].at("target") == "testuser");
    CHECK(ops[1].at("ok") == true);
    CHECK(ops[2].at("ok") == false);
    CHECK(ops[2].at("error_code") == "conflict");
    CHECK(std::string(ops[2].at("message").as_string()).find("already have user") !=
          std::string::npos);
    CHECK(ops[3].at("operation") == "list_users");
    CHECK(ops[4].at("operation") == "authorize_mac");
    CHECK(ops[4].at("target") == "aa:bb:cc:dd:ee:01");
    CHECK(ops[5].at("operation") == "remove_user");
    for (const auto& e : controller_events(f))
        CHECK(json::serialize(e).find("\"secret\"") == std::string::npos);

    // The read model shows the last operation, never a secret.
    auto one = f.call("GET", "/v1/hotspot/controllers/lobby-router");
    REQUIRE(one.status == 200);
    CHECK(one.body.find("sealed") == std::string::npos);
    simdjson::dom::parser p;
    auto doc = parse_json(p, one.body);
    CHECK(str(doc["last_operation"], "operation") == "remove_user");
}

TEST_CASE("a controller that cannot be reached answers 502 with its words, and the log says so") {
    HotspotFixture f;
    std::uint16_t port = 0;
    {
        RouterOsServer gone([](const Sentence&) { return RouterOsServer::Answer{}; });
        port = gone.port();
    }  // closed: nothing listens there now
    REQUIRE(f.call("POST", "/v1/hotspot/controllers", mikrotik_body(port)).status == 201);
    auto r = f.call("POST", "/v1/hotspot/controllers/lobby-router/users",
                    R"({"name":"guest","password":"guestpass"})");
    CHECK(r.status == 502);
    CHECK(r.content_type == "application/problem+json");
    CHECK(r.body.find("lobby-router") != std::string::npos);
    const auto ops = operations(f);
    REQUIRE(ops.size() == 1);
    CHECK(ops[0].at("ok") == false);
    CHECK(ops[0].at("error_code") == "unavailable");
    CHECK(!ops[0].at("message").as_string().empty());
}

TEST_CASE("a broadcast reaches every controller and one that is down fails alone") {
    HotspotFixture f;
    Router menu;
    RouterOsServer router([&](const Sentence& s) { return menu(s); });
    Omada omada_state;
    auto omada =
        std::make_unique<HttpServer>([&](const HttpExchange& ex) { return omada_state(ex); });
    REQUIRE(f.call("POST", "/v1/hotspot/controllers", mikrotik_body(router.port())).status == 201);
    auto o = f.call("POST", "/v1/hotspot/controllers", omada_body(omada->base_url()));
    REQUIRE_MESSAGE(o.status == 201, o.body);

    auto both = f.call("POST", "/v1/hotspot/controllers/broadcast",
                       R"({"operation":"create_user","name":"conf-guest","password":"c0nf-pass",)"
                       R"("limit_uptime_seconds":7200,"limit_bytes_total":104857600})");
    REQUIRE_MESSAGE(both.status == 200, both.body);
    {
        simdjson::dom::parser p;
        auto doc = parse_json(p, both.body);
        CHECK(num(doc, "controllers") == 2);
        CHECK(num(doc, "ok") == 2);
        CHECK(num(doc, "failed") == 0);
    }
    CHECK(menu.names() == std::vector<std::string>{"conf-guest"});
    CHECK(omada_state.users == std::vector<std::string>{"conf-guest"});

    omada.reset();  // the Omada controller goes down
    auto one_down = f.call("POST", "/v1/hotspot/controllers/broadcast",
                           R"({"operation":"authorize_mac","mac":"aa:bb:cc:dd:ee:02",)"
                           R"("duration_seconds":600,"ap_mac":"AC-84-C6-00-00-01",)"
                           R"("ssid":"Hotel Guest","radio_id":1,"site":"Default"})");
    REQUIRE_MESSAGE(one_down.status == 200, one_down.body);
    simdjson::dom::parser p;
    auto doc = parse_json(p, one_down.body);
    CHECK(num(doc, "ok") == 1);
    CHECK(num(doc, "failed") == 1);
    for (auto item : doc["results"].get_array()) {
        const auto id = str(item, "controller_id");
        const bool ok = item["ok"].get_bool().value();
        if (id == "lobby-router") CHECK(ok);
        if (id == "pool-omada") {
            CHECK_FALSE(ok);
            CHECK_MESSAGE(str(item, "error_code") == "unavailable", one_down.body);
        }
    }
    CHECK(menu.bindings.size() == 1);

    // Four operation events: two per broadcast, each with the broadcast it was part of.
    const auto ops = operations(f);
    REQUIRE(ops.size() == 4);
    int failed = 0;
    for (const auto& e : ops) {
        CHECK(!e.at("broadcast_id").as_string().empty());
        if (e.at("ok") == false) {
            ++failed;
            CHECK(e.at("controller_id") == "pool-omada");
            CHECK(e.at("operation") == "authorize_mac");
        }
    }
    CHECK(failed == 1);
}

TEST_CASE("sync makes a controller's users the active hotspot accounts with their plans' limits") {
    HotspotFixture f;
    Router menu;
    RouterOsServer router([&](const Sentence& s) { return menu(s); });
    REQUIRE(f.call("POST", "/v1/hotspot/controllers", mikrotik_body(router.port())).status == 201);
    // A user the accounts do not hold: sync removes it.
    REQUIRE(f.call("POST", "/v1/hotspot/controllers/lobby-router/users",
                   R"({"name":"stale","password":"stale-pass"})")
                .status == 201);
    REQUIRE(f.call("POST", "/v1/hotspot/plans",
                   R"({"plan_id":"day","name":"Day","duration_seconds":86400,)"
                   R"("data_limit_bytes":1073741824})")
                .status == 201);
    REQUIRE(f.call("POST", "/v1/hotspot/accounts",
                   R"({"username":"guest1","password":"guest1-pass","plan_id":"day"})")
                .status == 201);
    REQUIRE(f.call("POST", "/v1/hotspot/accounts",
                   R"({"username":"guest2","password":"guest2-pass","plan_id":"day"})")
                .status == 201);
    REQUIRE(f.call("POST", "/v1/hotspot/accounts/guest2/disable", "").status == 200);
    f.settle();

    auto s = f.call("POST", "/v1/hotspot/controllers/lobby-router/sync", "");
    REQUIRE_MESSAGE(s.status == 200, s.body);
    {
        simdjson::dom::parser p;
        auto doc = parse_json(p, s.body);
        CHECK(num(doc, "desired") == 1);  // guest2 is disabled
        CHECK(num(doc, "records_synced") == 2);
    }
    CHECK(menu.names() == std::vector<std::string>{"guest1"});
    // 86,400 s is RouterOS `1d`; 1 GiB in bytes.
    const auto got = router.received();
    CHECK(has_word(got, "/ip/hotspot/user/add", "=password=guest1-pass"));
    CHECK(has_word(got, "/ip/hotspot/user/add", "=limit-uptime=1d"));
    CHECK(has_word(got, "/ip/hotspot/user/add", "=limit-bytes-total=1073741824"));

    // In step now: a second sync changes nothing; both are in the log.
    auto again = f.call("POST", "/v1/hotspot/controllers/sync", "");
    REQUIRE_MESSAGE(again.status == 200, again.body);
    simdjson::dom::parser p;
    auto doc = parse_json(p, again.body);
    CHECK(num(doc, "controllers") == 1);
    CHECK(num(doc["results"].at(0), "records_synced") == 0);
    CHECK(num(doc["results"].at(0), "unchanged") == 1);
    std::vector<json::object> syncs;
    for (auto& e : controller_events(f))
        if (e.at("type") == "hotspot.controller.synced") syncs.push_back(e);
    REQUIRE(syncs.size() == 2);
    CHECK(syncs[0].at("added") == json::array{"guest1"});
    CHECK(syncs[0].at("removed") == json::array{"stale"});
    CHECK(syncs[1].at("unchanged") == 1);

    // A change and a removal, and every controller event kind is in the log: kept for the
    // schema check (schema:hotspot_controller_events_match_schemas).
    REQUIRE(f.call("PATCH", "/v1/hotspot/controllers/lobby-router", R"({"site":"Annex"})").status ==
            200);
    REQUIRE(f.call("DELETE", "/v1/hotspot/controllers/lobby-router").status == 200);
    std::set<std::string> types;
    std::string ndjson;
    const auto stream = core::hotspot::controller_stream(f.hotspot->service().tenant());
    const auto logged = f.store->read_stream(stream, 0, 10000).value();
    for (const auto& e : logged) {
        types.insert(e.type);
        ndjson += events::encode_envelope(e) + "\n";
    }
    CHECK(types.size() == 5);
#ifdef SY_EVENTS_OUT_CONTROLLERS
    std::ofstream(SY_EVENTS_OUT_CONTROLLERS) << ndjson;
#endif
}

TEST_CASE("a Switchyard account is pushed to a controller with its plan's limits") {
    HotspotFixture f;
    Router menu;
    RouterOsServer router([&](const Sentence& s) { return menu(s); });
    REQUIRE(f.call("POST", "/v1/hotspot/controllers", mikrotik_body(router.port())).status == 201);
    REQUIRE(f.call("POST", "/v1/hotspot/plans",
                   R"({"plan_id":"hour","name":"Hour","duration_seconds":3600,)"
                   R"("data_limit_bytes":1048576})")
                .status == 201);
    REQUIRE(f.call("POST", "/v1/hotspot/accounts",
                   R"({"username":"guest9","password":"guest9-pass","plan_id":"hour"})")
                .status == 201);
    auto r =
        f.call("POST", "/v1/hotspot/controllers/lobby-router/users", R"({"account":"guest9"})");
    REQUIRE_MESSAGE(r.status == 201, r.body);
    const auto got = router.received();
    CHECK(has_word(got, "/ip/hotspot/user/add", "=name=guest9"));
    CHECK(has_word(got, "/ip/hotspot/user/add", "=limit-uptime=1h"));
    CHECK(has_word(got, "/ip/hotspot/user/add", "=limit-bytes-total=1048576"));
    auto unknown =
        f.call("POST", "/v1/hotspot/controllers/lobby-router/users", R"({"account":"nobody"})");
    CHECK(unknown.status == 404);
}

TEST_CASE("bad controller input answers 400 naming the field, and nothing is appended") {
    HotspotFixture f;
    auto bad = [&](const std::string& target, const std::string& body, const char* field) {
        const auto before = f.log_size();
        auto r = f.call("POST", target, body);
        CAPTURE(body);
        switchyard::testing::check_problem(f, r, 400, field, before);
    };
    const char* c = "/v1/hotspot/controllers";
    bad(c, R"({"name":"X","vendor":"ruckus","address":"127.0.0.1"})", "vendor");
    bad(c, R"({"name":"X","vendor":"mikrotik","username":"admin","password":"pw"})", "address");
    bad(c,
        R"({"name":"X","vendor":"mikrotik","address":"127.0.0.1","port":70000,)"
        R"("username":"admin","password":"pw"})",
        "port");
    bad(c,
        R"({"name":"X","vendor":"mikrotik","address":"not an address!","username":"a",)"
        R"("password":"pw"})",
        "address");
    bad(c, R"({"name":"X","vendor":"mikrotik","address":"127.0.0.1","username":"admin"})",
        "password");
    bad(c,
        R"({"name":"X","vendor":"mikrotik","address":"127.0.0.1","username":"a",)"
        R"("password":"pw","api_key":"k"})",
        "api_key");
    bad(c,
        R"({"name":"X","vendor":"omada","base_url":"ftp://x","omadac_id":"ab","site_id":"s",)"
        R"("client_id":"c","client_secret":"s"})",
        "base_url");
    bad(c, R"({"name":"X","vendor":"meraki","api_key":"k","network_id":"N_1","ssid_number":15})",
        "ssid_number");
    bad(c,
        R"({"name":"X","vendor":"mikrotik","address":"127.0.0.1","username":"a",)"
        R"("password":"pw","nas_id":"nope"})",
        "nas_id");

    REQUIRE(f.call("POST", c, mikrotik_body(9)).status == 201);
    bad("/v1/hotspot/controllers/lobby-router/authorize-mac", R"({"mac":"aa:bb:cc:dd:ee"})", "mac");
    bad("/v1/hotspot/controllers/lobby-router/users", R"({"name":"u","password":"p","mac":"x"})",
        "mac");
    bad("/v1/hotspot/controllers/lobby-router/users",
        R"({"name":"u","password":"p","limit_bytes_total":0})", "limit_bytes_total");
    bad("/v1/hotspot/controllers/broadcast", R"({"operation":"reboot"})", "operation");

    // The same router twice, or the same id: 409.
    const auto before = f.log_size();
    auto dup = f.call("POST", c, mikrotik_body(9, "Other name"));
    switchyard::testing::check_problem(f, dup, 409, "address", before);
    auto dup_id = f.call("POST", c, mikrotik_body(10));
    switchyard::testing::check_problem(f, dup_id, 409, "controller_id", before);
}

TEST_CASE("a reseller sees and drives its own controllers only") {
    HotspotFixture f;
    const auto r1 = f.user("res1", "reseller");
    const auto r2 = f.user("res2", "reseller");
    const auto support = f.user("desk", "support");
    auto mine = f.as(r1, "POST", "/v1/hotspot/controllers", mikrotik_body(9, "R1 Router"));
    REQUIRE_MESSAGE(mine.status == 201, mine.body);

    CHECK(f.as(r1, "GET", "/v1/hotspot/controllers/r1-router").status == 200);
    CHECK(f.as(r2, "GET", "/v1/hotspot/controllers/r1-router").status == 404);
    CHECK(f.as(r2, "POST", "/v1/hotspot/controllers/r1-router/test", "").status == 404);
    CHECK(f.as(r2, "PATCH", "/v1/hotspot/controllers/r1-router", R"({"site":"x"})").status == 404);
    CHECK(f.as(r2, "DELETE", "/v1/hotspot/controllers/r1-router").status == 404);
    auto list = f.as(r2, "GET", "/v1/hotspot/controllers");
    REQUIRE(list.status == 200);
    CHECK(list.body.find("r1-router") == std::string::npos);
    CHECK(f.as(r1, "GET", "/v1/hotspot/controllers").body.find("r1-router") != std::string::npos);
    // Support staff run operations but do not define controllers.
    CHECK(f.as(support, "POST", "/v1/hotspot/controllers", mikrotik_body(11, "S")).status == 403);
    CHECK(f.as(support, "POST", "/v1/hotspot/controllers/r1-router/test", "").status == 502);
    // r2's broadcast reaches none of r1's controllers.
    auto b = f.as(r2, "POST", "/v1/hotspot/controllers/broadcast",
                  R"({"operation":"remove_user","name":"x"})");
    REQUIRE(b.status == 200);
    simdjson::dom::parser p;
    CHECK(num(parse_json(p, b.body), "controllers") == 0);
    CHECK(f.as(r1, "DELETE", "/v1/hotspot/controllers/r1-router").status == 200);
    CHECK(f.call("GET", "/v1/hotspot/controllers/r1-router").status == 404);
}
