// The IPTV monitoring model: open leases with their bandwidth, usage per stream, server, line and
// country, the most-watched streams by day, server-down alerts, and the server loads the
// redirector reads, all folded from lease and server health events.
#include <doctest/doctest.h>

#include "core/iptv/connection.hpp"
#include "core/iptv/server.hpp"
#include "events/iptv/connection_codec.hpp"
#include "events/iptv/server_codec.hpp"
#include "projections/iptv/connection_monitor.hpp"
#include "tests/projections/projector_harness.hpp"

using namespace switchyard;
using namespace switchyard::core::iptv;
using namespace switchyard::projections::iptv;

namespace {

const core::Timestamp kT0 = core::from_unix_seconds(1'790'000'000);  // 2026-09-21T...Z
core::Timestamp at(int seconds) { return kT0 + std::chrono::seconds(seconds); }

struct Monitor : testing::ProjectorHarness {
    Monitor() : ProjectorHarness(make_iptv_monitor_projector()) {}
    void open(const std::string& lease, std::int64_t line, std::int64_t stream, int t,
              std::int64_t server = 0, std::string country = "GB",
              ConnectionKind kind = ConnectionKind::Live) {
        ConnectionOpened e{lease,   line,  stream,     kind,    "ts",  "203.0.113.7",
                           "VLC/3", at(t), at(t + 30), country, server};
        append(connections_stream("t", line), events::iptv::encode(ConnectionEvent{e}), at(t));
    }
    void renew(const std::string& lease, std::int64_t line, int t, std::int64_t bytes) {
        append(connections_stream("t", line),
               events::iptv::encode(ConnectionEvent{ConnectionRenewed{lease, at(t + 30), bytes}}),
               at(t));
    }
    void close(const std::string& lease, std::int64_t line, int t, std::int64_t bytes,
               std::string reason = "disconnect") {
        append(connections_stream("t", line),
               events::iptv::encode(ConnectionEvent{ConnectionClosed{lease, reason, bytes}}),
               at(t));
    }
    void health(std::int64_t server, bool up, std::string reason, int t) {
        append("iptv_servers-t",
               events::iptv::encode(ServerEvent{ServerHealthChanged{server, up, reason, at(t)}}),
               at(t));
    }
};

}  // namespace

TEST_CASE("a lease's bandwidth is the bytes of its last interval, summed per stream and server") {
    Monitor m;
    m.open("a", 1, 10, 0, 2, "GB");
    m.open("b", 2, 10, 0, 3, "DE");
    m.renew("a", 1, 10, 2'500'000);  // 2.5 MB in 10 s = 2,000 kbit/s
    m.renew("b", 2, 10, 1'250'000);  // 1,000 kbit/s
    const auto& v = m.view();
    const auto leases = list_monitored_leases(v, {}, at(11));
    REQUIRE(leases.size() == 2);
    CHECK(leases[0].lease_id == "a");
    CHECK(leases[0].kbps == 2000);
    CHECK(leases[0].bytes_sent == 2'500'000);
    CHECK(leases[0].country == "GB");
    CHECK(leases[0].server_id == 2);
    const auto stream = find_usage(v, "live", "10");
    CHECK(stream.connections == 2);
    CHECK(stream.kbps == 3000);
    CHECK(stream.bytes_sent == 3'750'000);
    CHECK(stream.viewers == 2);
    CHECK(stream.watch_seconds == 20);
    CHECK(stream.peak_connections == 2);
    CHECK(find_usage(v, "server", "2").kbps == 2000);
    CHECK(find_usage(v, "server", "3").connections == 1);
    CHECK(find_usage(v, "country", "DE").connections == 1);
    MonitoredServerLoads loads(v);
    CHECK(loads.load(2) == ServerLoad{1, 2000});
    CHECK(loads.load(9) == ServerLoad{0, 0});
    // Filters.
    CHECK(list_monitored_leases(v, {.line_id = 2}, at(11)).size() == 1);
    CHECK(list_monitored_leases(v, {.server_id = 3}, at(11)).at(0).lease_id == "b");
    CHECK(list_monitored_leases(v, {.country = "GB"}, at(11)).at(0).lease_id == "a");
    CHECK(list_monitored_leases(v, {.kind = "movie"}, at(11)).empty());
}

TEST_CASE(
    "a closed lease leaves the counts, keeps its bytes and watch time, and frees its server") {
    Monitor m;
    m.open("a", 1, 10, 0, 2);
    m.renew("a", 1, 10, 1'000'000);
    m.close("a", 1, 15, 500'000);
    const auto& v = m.view();
    CHECK(list_monitored_leases(v, {}, at(16)).empty());
    const auto stream = find_usage(v, "live", "10");
    CHECK(stream.connections == 0);
    CHECK(stream.kbps == 0);
    CHECK(stream.bytes_sent == 1'500'000);
    CHECK(stream.watch_seconds == 15);
    CHECK(stream.peak_connections == 1);
    CHECK(MonitoredServerLoads(v).load(2) == ServerLoad{0, 0});
    CHECK(find_usage(v, "line", "1").bytes_sent == 1'500'000);
}

TEST_CASE("a lease that expired unclosed stops counting watch time at its expiry and in lists") {
    Monitor m;
    m.open("a", 1, 10, 0);               // expires at 30 unless renewed
    m.close("a", 1, 100, 0, "timeout");  // the sweep, long after
    const auto& v = m.view();
    CHECK(find_usage(v, "live", "10").watch_seconds == 30);
    Monitor n;
    n.open("b", 1, 10, 0);
    CHECK(list_monitored_leases(n.view(), {}, at(29)).size() == 1);
    CHECK(list_monitored_leases(n.view(), {}, at(31)).empty());
}

TEST_CASE("most watched ranks a day's streams by watch time, then viewers, and sums days") {
    Monitor m;
    m.open("a", 1, 10, 0);
    m.close("a", 1, 20, 0);  // stream 10: 20 s
    m.open("b", 2, 11, 0);
    m.close("b", 2, 25, 0);  // stream 11: 25 s
    m.open("c", 3, 12, 0);
    m.close("c", 3, 20, 0);  // stream 12: 20 s, like 10; one viewer each
    m.open("d", 4, 10, 86'400);
    m.close("d", 4, 86'410, 0);  // stream 10 the next day: 10 s more
    m.open("e", 5, 13, 0, 0, "GB", ConnectionKind::Movie);
    m.close("e", 5, 500, 0);  // a movie: not in the live ranking
    const auto& v = m.view();
    const auto day0 = core::format_rfc3339(kT0).substr(0, 10);
    const auto day1 = core::format_rfc3339(at(86'400)).substr(0, 10);
    auto first = most_watched(v, "live", day0, day0, 10);
    REQUIRE(first.size() == 3);
    CHECK(first[0].id == "11");
    CHECK(first[1].id == "10");  // tie with 12 on time and viewers: lower id first
    CHECK(first[2].id == "12");
    auto both = most_watched(v, "live", day0, day1, 2);
    REQUIRE(both.size() == 2);
    CHECK(both[0].id == "10");
    CHECK(both[0].watch_seconds == 30);
    CHECK(both[0].viewers == 2);
    CHECK(most_watched(v, "movie", day0, day1, 10).at(0).id == "13");
    CHECK(most_watched(v, "live", day1, day1, 10).size() == 1);
}

TEST_CASE("a server found down opens one alert, resolved when it is up again") {
    Monitor m;
    m.health(4, false, "timeout", 0);
    m.health(4, false, "connection refused", 5);  // still down: the same alert
    CHECK(list_server_alerts(m.view(), true).size() == 1);
    m.health(4, true, "HTTP 200", 60);
    m.health(5, false, "HTTP 503", 70);
    const auto& v = m.view();
    const auto open = list_server_alerts(v, true);
    REQUIRE(open.size() == 1);
    CHECK(open[0].server_id == 5);
    const auto all = list_server_alerts(v, false);
    REQUIRE(all.size() == 2);
    CHECK(all[1].server_id == 4);  // newest first
    CHECK(all[1].reason == "timeout");
    REQUIRE(all[1].resolved_at);
    CHECK(*all[1].resolved_at == at(60));
    CHECK(all[1].resolution == "HTTP 200");
}
