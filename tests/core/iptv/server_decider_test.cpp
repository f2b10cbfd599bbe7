// Streaming servers, groups and assignments: given events / when a command / then events or an
// error naming the field.
#include <doctest/doctest.h>

#include "core/iptv/server_decider.hpp"
#include "tests/support/decider_checks.hpp"

using namespace switchyard::core;
using namespace switchyard::core::iptv;
using switchyard::testing::check_idempotent;
using switchyard::testing::given;

namespace {

ServerFields edge(const std::string& name, std::int64_t port = 8001) {
    ServerFields f;
    f.name = name;
    f.host = "127.0.0.1";
    f.port = port;
    f.max_connections = 100;
    return f;
}

DecisionContext at(std::int64_t unix) {
    DecisionContext ctx;
    ctx.now = from_unix_seconds(unix);
    return ctx;
}

template <class Command>
Result<ServerDecision> when(const std::vector<ServerEvent>& past, const Command& c) {
    return decide(given<ServerState>(past), c, at(1'790'000'000));
}

}  // namespace

TEST_CASE("registering a server twice with the same fields decides it once") {
    auto twice = check_idempotent(ServerState{}, [](const ServerState& s) {
        return decide(s, RegisterServer{edge("edge-1")}, at(1));
    });
    REQUIRE(twice.first.events.size() == 1);
    const auto& e = std::get<ServerRegistered>(twice.first.events[0]);
    CHECK(e.server_id == 1);
    CHECK(twice.second.id == 1);
    auto other = when({e}, RegisterServer{edge("edge-1", 9000)});
    REQUIRE_FALSE(other);
    CHECK(other.error().code == Errc::Conflict);
    CHECK(other.error().field == "name");
}

TEST_CASE("a server's fields are checked, each error naming its field") {
    auto bad = [](auto change, const char* field) {
        auto f = edge("edge-1");
        change(f);
        auto r = when({}, RegisterServer{f});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == Errc::Invalid);
        CHECK(r.error().field == field);
    };
    bad([](ServerFields& f) { f.name = ""; }, "name");
    bad([](ServerFields& f) { f.scheme = "ftp"; }, "scheme");
    bad([](ServerFields& f) { f.host = "bad host"; }, "host");
    bad([](ServerFields& f) { f.host = ""; }, "host");
    bad([](ServerFields& f) { f.port = 0; }, "port");
    bad([](ServerFields& f) { f.port = 70000; }, "port");
    bad([](ServerFields& f) { f.max_connections = -1; }, "max_connections");
    bad([](ServerFields& f) { f.max_mbps = -5; }, "max_mbps");
    bad([](ServerFields& f) { f.weight = 0; }, "weight");
    bad([](ServerFields& f) { f.weight = 1001; }, "weight");
    bad([](ServerFields& f) { f.health_path = "healthz"; }, "health_path");
}

TEST_CASE("health changes are decided only when up or down changes") {
    const std::vector<ServerEvent> past{ServerRegistered{1, edge("edge-1")}};
    auto same = when(past, SetServerHealth{1, true, "HTTP 200"});
    REQUIRE(same);
    CHECK(same->events.empty());
    auto twice = check_idempotent(given<ServerState>(past), [](const ServerState& s) {
        return decide(s, SetServerHealth{1, false, "timeout"}, at(1'790'000'100));
    });
    const auto& down = std::get<ServerHealthChanged>(twice.first.events.at(0));
    CHECK_FALSE(down.up);
    CHECK(down.reason == "timeout");
    CHECK(down.since == from_unix_seconds(1'790'000'100));
    CHECK_FALSE(twice.state.servers.at(1).health.up);
    auto missing = when(past, SetServerHealth{9, false, "timeout"});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == Errc::NotFound);
    CHECK(missing.error().field == "server_id");
}

TEST_CASE("a group names existing servers once each, and removing a server takes it out") {
    const std::vector<ServerEvent> past{ServerRegistered{1, edge("edge-1")},
                                        ServerRegistered{2, edge("edge-2", 8002)}};
    auto created = when(past, CreateServerGroup{"eu", ServerStrategy::Weighted, {2, 1}});
    REQUIRE(created);
    CHECK(created->id == 1);
    auto unknown = when(past, CreateServerGroup{"eu", ServerStrategy::Weighted, {1, 7}});
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == Errc::NotFound);
    CHECK(unknown.error().field == "server_ids[1]");
    auto twice = when(past, CreateServerGroup{"eu", ServerStrategy::Weighted, {1, 1}});
    REQUIRE_FALSE(twice);
    CHECK(twice.error().field == "server_ids[1]");
    auto empty = when(past, CreateServerGroup{"eu", ServerStrategy::Weighted, {}});
    REQUIRE_FALSE(empty);
    CHECK(empty.error().field == "server_ids");

    auto state = given<ServerState>(past);
    for (const auto& e : created->events) evolve(state, e);
    evolve(state, StreamServersAssigned{42, std::nullopt, {1, 2}});
    evolve(state, ServerRemoved{1});
    CHECK(state.groups.at(1).server_ids == std::vector<std::int64_t>{2});
    CHECK(state.assignments.at(42).server_ids == std::vector<std::int64_t>{2});
}

TEST_CASE(
    "a stream goes to a group or to servers but not both, and the same assignment is a no-op") {
    const std::vector<ServerEvent> past{
        ServerRegistered{1, edge("edge-1")},
        ServerGroupCreated{1, "eu", ServerStrategy::RoundRobin, {1}}};
    auto both = when(past, AssignStreamServers{5, 1, {1}});
    REQUIRE_FALSE(both);
    CHECK(both.error().field == "server_ids");
    auto no_group = when(past, AssignStreamServers{5, 9, {}});
    REQUIRE_FALSE(no_group);
    CHECK(no_group.error().code == Errc::NotFound);
    CHECK(no_group.error().field == "group_id");
    auto twice = check_idempotent(given<ServerState>(past), [](const ServerState& s) {
        return decide(s, AssignStreamServers{5, 1, {}}, at(1));
    });
    CHECK(twice.state.assignments.at(5).group_id == 1);
    // Removing the group sends the stream back to every server.
    evolve(twice.state, ServerGroupRemoved{1});
    CHECK_FALSE(twice.state.assignments.count(5));
}
