// Health checks against real HTTP servers on loopback (python3 -m http.server): a server that
// stops is marked down after the failures it takes, with one event; started again, it is up
// with one event; redirects leave it out while it is down.
#include <doctest/doctest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "adapters/iptv/server_health.hpp"
#include "projections/iptv/server_redirect.hpp"
#include "tests/api/routes/iptv/servers_fixture.hpp"
#include "tests/support/loopback_http.hpp"

using namespace switchyard;
using switchyard::testing::LoopbackHttpServer;
using switchyard::testing::num;
using switchyard::testing::parse_json;
using switchyard::testing::ServersFixture;
using switchyard::testing::str;

namespace {

constexpr std::string_view kHealth = "iptv.server.health_changed";

}  // namespace

TEST_CASE("a probe answers the HTTP status of a real server, and why it failed otherwise") {
    LoopbackHttpServer http;
    const auto url = "http://127.0.0.1:" + std::to_string(http.port());
    auto [ok, detail] = adapters::iptv::probe_url(url + "/", std::chrono::milliseconds(2000));
    CHECK(ok);
    CHECK(detail == "HTTP 200");
    auto [missing_ok, missing] =
        adapters::iptv::probe_url(url + "/no-such-file", std::chrono::milliseconds(2000));
    CHECK_FALSE(missing_ok);
    CHECK(missing == "HTTP 404");
    http.stop();
    auto [down_ok, down] = adapters::iptv::probe_url(url + "/", std::chrono::milliseconds(2000));
    CHECK_FALSE(down_ok);
    CHECK(down == "connection refused");

    // A socket that listens but never answers: the check times out.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(fd, 4) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    auto [silent_ok, silent] =
        adapters::iptv::probe_url("http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/",
                                  std::chrono::milliseconds(300));
    ::close(fd);
    CHECK_FALSE(silent_ok);
    CHECK(silent == "timeout");
}

TEST_CASE("health checks flip a real loopback server down and up again, one event each") {
    ServersFixture f;
    LoopbackHttpServer a, b;
    const auto ida = f.add_server("edge-a", a.port(), R"("health_path":"/")");
    const auto idb = f.add_server("edge-b", b.port(), R"("health_path":"/")");
    REQUIRE(f.call("POST", "/v1/iptv/server-groups",
                   fmt::format(R"({{"name":"all","server_ids":[{},{}]}})", ida, idb))
                .status == 201);
    REQUIRE(f.call("PUT", "/v1/iptv/streams/1/servers", R"({"group_id":1})").status == 200);
    adapters::iptv::ServerHealthChecker checker(
        f.iptv->servers(),
        adapters::iptv::HealthCheckOptions{std::chrono::milliseconds(1000), 2, 1}, f.clock);

    // Both answer: nothing to record.
    const auto size = f.log_size();
    auto round = checker.run_once();
    REQUIRE(round.size() == 2);
    CHECK(round[0].ok);
    CHECK(round[1].ok);
    CHECK(f.log_size() == size);

    core::iptv::FixedServerLoads loads;
    std::vector<std::string> signed_for;
    projections::iptv::ServerRedirector redirector(
        f.model(), loads,
        [&](std::int64_t line, std::int64_t stream, std::int64_t, core::Timestamp expires) {
            signed_for.push_back(
                fmt::format("{}/{}/{}", line, stream, core::unix_seconds(expires)));
            return "tok" + std::to_string(signed_for.size());
        },
        std::chrono::seconds(30), 7);
    std::set<std::int64_t> seen;
    for (int i = 0; i < 4; ++i) {
        auto r = redirector.redirect(9, 1, "ts", f.clock.now());
        REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
        seen.insert(r->choice.server_id);
    }
    CHECK(seen == std::set<std::int64_t>{ida, idb});

    // a stops (by its pid): the first failure is not enough, the second marks it down.
    a.stop();
    round = checker.run_once();
    CHECK_FALSE(round[0].ok);
    CHECK(round[0].detail == "connection refused");
    CHECK_FALSE(round[0].changed);
    CHECK(f.events_of_type(kHealth) == 0);
    round = checker.run_once();
    CHECK(round[0].changed);
    CHECK(round[1].ok);
    CHECK(f.events_of_type(kHealth) == 1);
    // Still down: no more events.
    checker.run_once();
    checker.run_once();
    CHECK(f.events_of_type(kHealth) == 1);

    // The alert is in the read model and the list; redirects go to b only.
    const auto alerts = projections::iptv::server_down_alerts(f.model());
    REQUIRE(alerts.size() == 1);
    CHECK(alerts[0].server_id == ida);
    CHECK(alerts[0].name == "edge-a");
    CHECK(alerts[0].reason == "connection refused");
    simdjson::dom::parser p;
    auto list = parse_json(p, f.call("GET", "/v1/iptv/servers").body);
    CHECK(str(list["alerts"].at(0), "name") == "edge-a");
    CHECK(str(list["items"].at(0)["health"], "status") == "down");
    CHECK(str(list["items"].at(0)["load"], "unavailable_reason") == "down (connection refused)");
    for (int i = 0; i < 4; ++i) {
        auto r = redirector.redirect(9, 1, "m3u8", f.clock.now());
        REQUIRE(r);
        CHECK(r->choice.server_id == idb);
        CHECK(r->url.starts_with("http://127.0.0.1:" + std::to_string(b.port()) + "/play/tok"));
        CHECK(r->url.ends_with("/1.m3u8"));
        CHECK(r->choice.reason.find("skipped edge-a down (connection refused)") !=
              std::string::npos);
    }

    // a starts again on its port: up after one good check, one more event, no alert.
    a.restart();
    round = checker.run_once();
    CHECK(round[0].ok);
    CHECK(round[0].changed);
    CHECK(f.events_of_type(kHealth) == 2);
    checker.run_once();
    CHECK(f.events_of_type(kHealth) == 2);
    CHECK(projections::iptv::server_down_alerts(f.model()).empty());

    // Both down: a clear refusal.
    a.stop();
    b.stop();
    checker.run_once();
    checker.run_once();
    CHECK(f.events_of_type(kHealth) == 4);
    f.settle();
    auto refused = redirector.redirect(9, 1, "ts", f.clock.now());
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == core::Errc::Unavailable);
    CHECK(refused.error().message.find("edge-a down") != std::string::npos);
    CHECK(refused.error().message.find("edge-b down") != std::string::npos);
}
