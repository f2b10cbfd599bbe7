// WiFight's MultiVendorIntegrationTest (wifight-isp-plan-part2.md 10.2) as the acceptance list:
// broadcast a user creation to a MikroTik and an Omada controller and sync all controllers;
// plus what the seed leaves out: one controller down does not stop the others. The
// controllers are the loopback transcripts of the MikroTik and Omada tests.
#include "adapters/hotspot/broadcast.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "adapters/hotspot/mikrotik_api.hpp"
#include "adapters/hotspot/omada.hpp"
#include "tests/adapters/hotspot/loopback_servers.hpp"
#include "tests/support/fixed_clock.hpp"

using namespace switchyard;
using namespace switchyard::adapters::hotspot;
using core::Errc;
using core::hotspot::routeros::Sentence;
using testing::HttpAnswer;
using testing::HttpExchange;

namespace {

const core::Timestamp kNow = *core::parse_rfc3339("2026-11-30T12:00:00Z");

/// A RouterOS router whose user menu starts with `existing` and accepts add and remove.
struct Router {
    std::vector<std::string> names;
    std::mutex mutex;
    testing::RouterOsServer server{[this](const Sentence& s) -> testing::RouterOsServer::Answer {
        std::lock_guard lock(mutex);
        if (s.at(0) == "/login") return {{{"!done"}}};
        if (s.at(0) == "/ip/hotspot/user/print") {
            std::vector<Sentence> out;
            for (std::size_t i = 0; i < names.size(); ++i)
                out.push_back({"!re", "=.id=*" + std::to_string(i + 1), "=name=" + names[i],
                               "=password=pw", "=profile=default"});
            out.push_back({"!done"});
            return {out};
        }
        if (s.at(0) == "/ip/hotspot/user/add") {
            names.push_back(s.at(1).substr(6));  // =name=...
            return {{{"!done", "=ret=*9"}}};
        }
        if (s.at(0) == "/ip/hotspot/user/remove") {
            names.erase(names.begin() + std::stoi(s.at(1).substr(6)) - 1);  // =.id=*N
            return {{{"!done"}}};
        }
        return {{{"!trap", "=message=no such command"}, {"!done"}}};
    }};
};

HttpAnswer omada_answer(const HttpExchange& ex) {
    if (ex.target.starts_with("/openapi/authorize/token"))
        return {
            200,
            R"({"errorCode":0,"msg":"","result":{"accessToken":"AT-1","tokenType":"bearer","expiresIn":7200}})"};
    if (ex.method == "GET")
        return {
            200,
            R"({"errorCode":0,"msg":"","result":{"totalRows":1,"currentPage":1,"currentSize":100,"data":[
            {"id":"71","userName":"old_guest","enable":true,"expirationTime":4102444800000,"bindingType":0,"maxUsers":1,
             "rateLimit":{"mode":0,"customRateLimit":{"downLimitEnable":false,"upLimitEnable":false}},"trafficLimitEnable":false}]}})"};
    return {200, R"({"errorCode":0,"msg":"","result":{"id":"72"}})"};
}

}  // namespace

TEST_CASE("a user creation broadcast reaches every controller and each answers ok") {
    Router router;
    testing::HttpServer omada_server(omada_answer);
    testing::FixedClock clock(kNow);
    MikrotikController mikrotik({.name = "Test MikroTik",
                                 .host = "127.0.0.1",
                                 .port = router.server.port(),
                                 .username = "admin",
                                 .password = "password",
                                 .timeout_ms = 2000},
                                clock);
    OmadaController omada({.name = "Test Omada",
                           .base_url = omada_server.base_url(),
                           .omadac_id = "c1",
                           .site_id = "s1",
                           .client_id = "id",
                           .client_secret = "secret",
                           .timeout_ms = 2000},
                          clock);
    const HotspotUser user{.name = "broadcast_test",
                           .password = "test123",
                           .profile = "default",
                           .limit_uptime_seconds = 3600,
                           .limit_bytes_total = 1048576};
    const auto results = broadcast_create_user({&mikrotik, &omada}, user);
    REQUIRE(results.size() == 2);
    for (const auto& r : results) CHECK_MESSAGE(r.ok(), r.controller << ": " << r.error->message);
    CHECK(results[0].controller == "Test MikroTik");
    CHECK(results[1].vendor == "omada");
    CHECK(router.names == std::vector<std::string>{"broadcast_test"});
    const auto omada_posts = omada_server.received();
    CHECK(boost::json::parse(omada_posts.back().body).at("userName") == "broadcast_test");
}

TEST_CASE("one controller down fails alone and the others still do the operation") {
    Router router;
    testing::FixedClock clock(kNow);
    MikrotikController up({.name = "up",
                           .host = "127.0.0.1",
                           .port = router.server.port(),
                           .username = "admin",
                           .password = "x",
                           .timeout_ms = 2000},
                          clock);
    // A port nothing listens on: take one from a listener that is then closed.
    std::uint16_t closed_port = 0;
    {
        testing::LoopbackListener l([](int) {});
        closed_port = l.port();
    }
    MikrotikController down({.name = "down",
                             .host = "127.0.0.1",
                             .port = closed_port,
                             .username = "admin",
                             .password = "x",
                             .timeout_ms = 500},
                            clock);
    for (const bool parallel : {true, false}) {
        router.names.clear();
        const auto results =
            broadcast_create_user({&down, &up}, {.name = "guest", .password = "p"}, parallel);
        REQUIRE(results.size() == 2);
        CHECK(results[0].controller == "down");
        REQUIRE_FALSE(results[0].ok());
        CHECK(results[0].error->code == Errc::Unavailable);
        CHECK(results[1].ok());
        CHECK(router.names == std::vector<std::string>{"guest"});
    }
}

TEST_CASE("sync of all controllers reports per controller what it did") {
    Router router;
    router.names = {"old_guest", "kept"};
    testing::HttpServer omada_server(omada_answer);
    testing::FixedClock clock(kNow);
    MikrotikController mikrotik({.name = "Test MikroTik",
                                 .host = "127.0.0.1",
                                 .port = router.server.port(),
                                 .username = "admin",
                                 .password = "password",
                                 .timeout_ms = 2000},
                                clock);
    OmadaController omada({.name = "Test Omada",
                           .base_url = omada_server.base_url(),
                           .omadac_id = "c1",
                           .site_id = "s1",
                           .client_id = "id",
                           .client_secret = "secret",
                           .timeout_ms = 2000},
                          clock);
    const std::vector<HotspotUser> desired{{.name = "kept", .password = "pw"},
                                           {.name = "new_guest", .password = "pw"}};
    const auto results = sync_all({&mikrotik, &omada}, desired);
    REQUIRE(results.size() == 2);
    for (const auto& r : results) {
        REQUIRE_MESSAGE(r.ok(), r.controller);
        CHECK(r.report->records_synced() > 0);  // the seed's assertGreaterThan(0, records_synced)
    }
    CHECK(results[0].report->added == std::vector<std::string>{"new_guest"});
    CHECK(results[0].report->removed == std::vector<std::string>{"old_guest"});
    CHECK(results[0].report->unchanged == 1);
    CHECK(results[1].report->added == std::vector<std::string>{"kept", "new_guest"});
    CHECK(results[1].report->removed == std::vector<std::string>{"old_guest"});
    CHECK(router.names == std::vector<std::string>{"kept", "new_guest"});
}
