// The strategies that pick a streaming server for a viewer, the servers they leave out, the
// failover order and the redirect URL.
#include <doctest/doctest.h>

#include <map>

#include "core/iptv/server_choice.hpp"

using namespace switchyard::core;
using namespace switchyard::core::iptv;

namespace {

ServerCandidate server(std::int64_t id, std::int64_t connections = 0, std::int64_t weight = 1,
                       std::int64_t max_connections = 100) {
    ServerCandidate c;
    c.server_id = id;
    c.fields.name = "edge-" + std::to_string(id);
    c.fields.host = "10.0.0." + std::to_string(id);
    c.fields.port = 8000 + id;
    c.fields.weight = weight;
    c.fields.max_connections = max_connections;
    c.load.connections = connections;
    return c;
}

std::int64_t pick(const std::vector<ServerCandidate>& cs, ServerStrategy s, std::uint64_t turn,
                  double draw = 0.0) {
    auto r = choose_server(cs, s, turn, draw);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    return r->server_id;
}

/// Picks over `n` draws evenly spread over [0, 1), counted by server.
std::map<std::int64_t, int> spread(const std::vector<ServerCandidate>& cs, ServerStrategy s,
                                   int n) {
    std::map<std::int64_t, int> counts;
    for (int i = 0; i < n; ++i) ++counts[pick(cs, s, static_cast<std::uint64_t>(i), (i + 0.5) / n)];
    return counts;
}

}  // namespace

TEST_CASE("round robin sends each viewer to the next server in turn, cycling") {
    const std::vector<ServerCandidate> cs{server(1), server(2), server(3)};
    std::vector<std::int64_t> got;
    for (std::uint64_t turn = 0; turn < 7; ++turn)
        got.push_back(pick(cs, ServerStrategy::RoundRobin, turn));
    CHECK(got == std::vector<std::int64_t>{1, 2, 3, 1, 2, 3, 1});
    auto r = choose_server(cs, ServerStrategy::RoundRobin, 4, 0);
    REQUIRE(r);
    CHECK(r->failover == std::vector<std::int64_t>{3, 1});
    CHECK(r->reason.find("round_robin: edge-2") == 0);
    CHECK(r->base_url == "http://10.0.0.2:8002");
}

TEST_CASE("round robin skips a down, a disabled and a full server and cycles over the rest") {
    auto down = server(2);
    down.health = ServerHealth{false, "timeout", {}};
    auto disabled = server(3);
    disabled.fields.enabled = false;
    auto full = server(4, 100, 1, 100);
    const std::vector<ServerCandidate> cs{server(1), down, disabled, full, server(5)};
    std::vector<std::int64_t> got;
    for (std::uint64_t turn = 0; turn < 4; ++turn)
        got.push_back(pick(cs, ServerStrategy::RoundRobin, turn));
    CHECK(got == std::vector<std::int64_t>{1, 5, 1, 5});
    auto r = choose_server(cs, ServerStrategy::RoundRobin, 0, 0);
    REQUIRE(r);
    REQUIRE(r->skipped.size() == 3);
    CHECK(r->skipped[0] == SkippedServer{2, "edge-2", "down (timeout)"});
    CHECK(r->skipped[1] == SkippedServer{3, "edge-3", "disabled"});
    CHECK(r->skipped[2] == SkippedServer{4, "edge-4", "full (100/100 connections)"});
    CHECK(r->reason.find("skipped edge-2 down (timeout), edge-3 disabled, edge-4 full") !=
          std::string::npos);
}

TEST_CASE("a server at its bandwidth limit is full") {
    auto busy = server(1, 3, 1, 0);
    busy.fields.max_mbps = 100;
    busy.load.bandwidth_kbps = 100'000;
    auto r = choose_server({busy, server(2)}, ServerStrategy::LeastConnections, 0, 0);
    REQUIRE(r);
    CHECK(r->server_id == 2);
    CHECK(r->skipped.at(0).reason == "full (100/100 Mbit/s)");
    busy.load.bandwidth_kbps = 99'000;
    CHECK(pick({busy, server(2, 5)}, ServerStrategy::LeastConnections, 0) == 1);
}

TEST_CASE("least connections picks the emptiest server and the others follow by load") {
    const std::vector<ServerCandidate> cs{server(1, 40), server(2, 7), server(3, 12), server(4, 7)};
    auto r = choose_server(cs, ServerStrategy::LeastConnections, 99, 0.9);
    REQUIRE(r);
    CHECK(r->server_id == 2);  // a tie with 4 goes to the earlier one
    CHECK(r->failover == std::vector<std::int64_t>{4, 3, 1});
    CHECK(r->reason.find("7 connections, the fewest of 4 servers") != std::string::npos);
    // Loads that change between viewers: each goes to the emptiest at that moment.
    std::vector<ServerCandidate> live{server(1, 3), server(2, 0), server(3, 1)};
    for (int viewer = 0; viewer < 30; ++viewer) {
        const auto id = pick(live, ServerStrategy::LeastConnections, 0);
        for (const auto& c : live)
            CHECK(live[static_cast<std::size_t>(id - 1)].load.connections <= c.load.connections);
        ++live[static_cast<std::size_t>(id - 1)].load.connections;
    }
    // 4 + 30 viewers over 3 servers: at the end they differ by at most one.
    CHECK(live[0].load.connections >= 11);
    CHECK(live[1].load.connections >= 11);
    CHECK(live[2].load.connections >= 11);
}

TEST_CASE("weighted picks follow the weights over many viewers") {
    const std::vector<ServerCandidate> cs{server(1, 0, 1), server(2, 0, 3), server(3, 0, 6)};
    const int n = 10'000;
    auto counts = spread(cs, ServerStrategy::Weighted, n);
    CHECK(counts[1] == doctest::Approx(n * 0.1).epsilon(0.02));
    CHECK(counts[2] == doctest::Approx(n * 0.3).epsilon(0.02));
    CHECK(counts[3] == doctest::Approx(n * 0.6).epsilon(0.02));
    // Also with pseudo-random draws (a linear congruential sequence): within 5 %.
    std::map<std::int64_t, int> random_counts;
    std::uint64_t x = 12345;
    for (int i = 0; i < n; ++i) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        const double draw = static_cast<double>(x >> 11) / static_cast<double>(1ULL << 53);
        ++random_counts[pick(cs, ServerStrategy::Weighted, 0, draw)];
    }
    CHECK(random_counts[3] == doctest::Approx(n * 0.6).epsilon(0.05));
    CHECK(random_counts[1] == doctest::Approx(n * 0.1).epsilon(0.15));
    // The failover order after the chosen one: by weight.
    auto r = choose_server(cs, ServerStrategy::Weighted, 0, 0.05);
    REQUIRE(r);
    CHECK(r->server_id == 1);
    CHECK(r->failover == std::vector<std::int64_t>{3, 2});
}

TEST_CASE("spare capacity weighs each server by its weight times what it has left") {
    // Equal weights; server 1 is 75 % full, server 2 is 25 % full: shares 0.25 : 0.75.
    const std::vector<ServerCandidate> cs{server(1, 75, 1, 100), server(2, 25, 1, 100)};
    const int n = 8'000;
    auto counts = spread(cs, ServerStrategy::SpareCapacity, n);
    CHECK(counts[1] == doctest::Approx(n * 0.25).epsilon(0.02));
    CHECK(counts[2] == doctest::Approx(n * 0.75).epsilon(0.02));
    // Plain weighted ignores the load: 50/50.
    auto plain = spread(cs, ServerStrategy::Weighted, n);
    CHECK(plain[1] == doctest::Approx(n * 0.5).epsilon(0.02));
}

TEST_CASE("failover: excluding the servers already tried gives the next healthy one") {
    auto down = server(2);
    down.health = ServerHealth{false, "connection refused", {}};
    const std::vector<ServerCandidate> cs{server(1, 5), down, server(3, 9), server(4, 1)};
    auto first = choose_server(cs, ServerStrategy::LeastConnections, 0, 0);
    REQUIRE(first);
    CHECK(first->server_id == 4);
    CHECK(first->failover == std::vector<std::int64_t>{1, 3});
    std::set<std::int64_t> tried{first->server_id};
    for (auto expected : first->failover) {
        auto next = choose_server(cs, ServerStrategy::LeastConnections, 0, 0, tried);
        REQUIRE(next);
        CHECK(next->server_id == expected);
        tried.insert(next->server_id);
    }
    auto none = choose_server(cs, ServerStrategy::LeastConnections, 0, 0, tried);
    REQUIRE_FALSE(none);
    CHECK(none.error().code == Errc::Unavailable);
    CHECK(none.error().message.find("edge-2 down (connection refused)") != std::string::npos);
    CHECK(none.error().message.find("edge-4 excluded") != std::string::npos);
}

TEST_CASE("all servers down, disabled or full: a clear refusal naming each and why") {
    auto a = server(1);
    a.health = ServerHealth{false, "HTTP 503", {}};
    auto b = server(2, 10, 1, 10);
    auto c = server(3);
    c.fields.enabled = false;
    for (auto s : {ServerStrategy::RoundRobin, ServerStrategy::LeastConnections,
                   ServerStrategy::Weighted, ServerStrategy::SpareCapacity}) {
        auto r = choose_server({a, b, c}, s, 0, 0.5);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == Errc::Unavailable);
        CHECK(r.error().field == "server");
        CHECK(r.error().message ==
              "no server can take the viewer: edge-1 down (HTTP 503), edge-2 full (10/10 "
              "connections), edge-3 disabled");
    }
    auto empty = choose_server({}, ServerStrategy::RoundRobin, 0, 0);
    REQUIRE_FALSE(empty);
    CHECK(empty.error().code == Errc::Unavailable);
}

TEST_CASE("the redirect URL puts the token and the stream on the server's base URL") {
    CHECK(live_redirect_url("http://10.0.0.2:8002", "abc-DEF_1.~", 42, "ts") ==
          "http://10.0.0.2:8002/play/abc-DEF_1.~/42.ts");
    CHECK(live_redirect_url("https://edge.example.com/", "a/b+c=", 7, "m3u8") ==
          "https://edge.example.com/play/a%2Fb%2Bc%3D/7.m3u8");
    ServerFields f;
    f.host = "::1";
    f.port = 8080;
    CHECK(base_url(f) == "http://[::1]:8080");
    f.scheme = "https";
    f.host = "edge.example.com";
    f.port = 443;
    CHECK(base_url(f) == "https://edge.example.com");
}
