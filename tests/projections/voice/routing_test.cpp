// The voice_routing read model fed through a ProjectionRunner: lists by kind in id order,
// replaced items, deleted items gone.
#include <doctest/doctest.h>

#include "events/voice/routing_codec.hpp"
#include "projections/voice/routing.hpp"
#include "tests/projections/projector_harness.hpp"

using namespace switchyard;
using namespace switchyard::core::voice;
using switchyard::testing::ProjectorHarness;

namespace {

void add(ProjectorHarness& h, const RoutingEvent& e) {
    h.append("voice_routing-op", events::voice::encode(e));
}

Gateway gateway(const std::string& id, std::int64_t port = 5060) {
    Gateway g;
    g.gateway_id = id;
    g.carrier_id = "acme";
    g.host = id + ".example";
    g.port = port;
    return g;
}

}  // namespace

TEST_CASE("routing items list by kind in id order and a replaced item shows its new fields") {
    ProjectorHarness h(projections::voice::make_voice_routing_projector());
    add(h, ItemDefined<Gateway>{gateway("gw-b")});
    add(h, ItemDefined<Gateway>{gateway("gw-a")});
    add(h, ItemDefined<Gateway>{gateway("gw-c")});
    add(h, ItemDefined<RouteGroup>{RouteGroup{"std", "Standard", RoutingStrategy::Priority, 2,
                                              MarginGuardMode::Reject, 100}});
    add(h, ItemDefined<Route>{Route{"de", "std", "49", {{"acme", 1, 2, 0}}, false}});
    add(h, ItemDefined<Gateway>{gateway("gw-a", 5080)});
    add(h, ItemRetired<Gateway>{"gw-c"});
    const auto& v = h.view();
    using projections::voice::find_routing_item;
    using projections::voice::list_routing_items;
    auto gws = list_routing_items<Gateway>(v, "", 10);
    REQUIRE(gws.size() == 2);
    CHECK(gws[0].gateway_id == "gw-a");
    CHECK(gws[0].port == 5080);
    CHECK(gws[1].gateway_id == "gw-b");
    auto after = list_routing_items<Gateway>(v, "gw-a", 10);
    REQUIRE(after.size() == 1);
    CHECK(after[0].gateway_id == "gw-b");
    CHECK_FALSE(find_routing_item<Gateway>(v, "gw-c"));
    auto group = find_routing_item<RouteGroup>(v, "std");
    REQUIRE(group);
    CHECK(group->margin_guard == MarginGuardMode::Reject);
    CHECK(group->min_margin_micros == 100);
    auto routes = list_routing_items<Route>(v, "", 10);
    REQUIRE(routes.size() == 1);
    CHECK(routes[0].carriers.at(0).priority == 1);
    CHECK_FALSE(find_routing_item<Route>(v, "std"));
}
