// The server service on the memory log: every server event type it writes, kept as NDJSON for
// the schema check (schema:server_events_match_schemas), and a retry that appends nothing.
#include <doctest/doctest.h>

#include <fstream>
#include <set>

#include "events/envelope_codec.hpp"
#include "events/iptv/server_codec.hpp"
#include "events/iptv/server_service.hpp"
#include "events/memory_event_store.hpp"

using namespace switchyard;
using namespace switchyard::core::iptv;

namespace {

core::DecisionContext context() {
    core::DecisionContext ctx;
    ctx.now = core::from_unix_seconds(1'790'000'000);
    ctx.actor = core::Actor{core::ActorKind::System, "test", ""};
    return ctx;
}

}  // namespace

TEST_CASE("the server events the service writes are kept for their schema check") {
    auto store = events::make_memory_event_store();
    events::iptv::ServerService service(*store, "op");
    ServerFields a;
    a.name = "edge-a";
    a.host = "edge-a.example.com";
    a.max_connections = 500;
    a.max_mbps = 1000;
    auto b = a;
    b.name = "edge-b";
    b.host = "2001:db8::7";
    b.scheme = "https";
    b.port = 8443;
    REQUIRE(service.execute(RegisterServer{a}, context()));
    REQUIRE(service.execute(RegisterServer{b}, context()));
    const auto size = store->head().total();
    auto retry = service.execute(RegisterServer{a}, context());
    REQUIRE(retry);
    CHECK_FALSE(retry->changed);
    CHECK(retry->id == 1);
    CHECK(store->head().total() == size);
    a.weight = 4;
    REQUIRE(service.execute(ChangeServer{1, a}, context()));
    REQUIRE(service.execute(SetServerHealth{2, false, "timeout"}, context()));
    REQUIRE(service.execute(SetServerHealth{2, true, "HTTP 200"}, context()));
    REQUIRE(
        service.execute(CreateServerGroup{"eu", ServerStrategy::SpareCapacity, {2, 1}}, context()));
    REQUIRE(
        service.execute(ChangeServerGroup{1, "eu", ServerStrategy::Weighted, {1, 2}}, context()));
    REQUIRE(service.execute(AssignStreamServers{7, 1, {}}, context()));
    REQUIRE(service.execute(AssignStreamServers{8, std::nullopt, {2}}, context()));
    REQUIRE(service.execute(AssignStreamServers{8, std::nullopt, {}}, context()));
    REQUIRE(service.execute(RemoveServerGroup{1}, context()));
    REQUIRE(service.execute(RemoveServer{2}, context()));
    auto state = service.state();
    REQUIRE(state);
    CHECK((*state)->servers.size() == 1);
    CHECK((*state)->servers.at(1).fields.weight == 4);
    CHECK((*state)->assignments.empty());

    auto all = store->read_all(events::Checkpoint{}, 100'000);
    REQUIRE(all);
    std::set<std::string> types;
    std::string ndjson;
    for (const auto& e : *all) {
        types.insert(e.type);
        CHECK(events::iptv::decode_server_event(e));
        ndjson += events::encode_envelope(e) + "\n";
    }
    CHECK(types == std::set<std::string>{"iptv.server.registered", "iptv.server.changed",
                                         "iptv.server.removed", "iptv.server.health_changed",
                                         "iptv.server_group.created", "iptv.server_group.changed",
                                         "iptv.server_group.removed",
                                         "iptv.stream_servers.assigned"});
    CHECK(all->size() == 12);
#ifdef SY_EVENTS_OUT_SERVERS
    std::ofstream(SY_EVENTS_OUT_SERVERS) << ndjson;
#endif
}
