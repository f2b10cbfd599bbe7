// Extensions, ring groups and media servers: the decider's rules and the routing plans
// (core/voice/extension.hpp), pure.
#include <doctest/doctest.h>

#include "core/voice/extension.hpp"

using namespace switchyard;
using namespace switchyard::core::voice;

namespace {

core::DecisionContext ctx() {
    core::DecisionContext c;
    c.now = core::from_unix_seconds(1'790'000'000);
    return c;
}

/// The state after applying `commands` in order; each must be accepted.
struct Pbx {
    PbxState s;
    template <class C>
    void apply(const C& c) {
        auto events = decide(s, c, ctx());
        if (!events) FAIL(events.error().message);
        for (const auto& e : *events) evolve(s, e);
    }
    template <class C>
    core::Error refused(const C& c) {
        auto events = decide(s, c, ctx());
        REQUIRE_FALSE(events);
        return events.error();
    }
    void extension(const std::string& number, std::vector<ForwardRule> forwards = {},
                   std::int64_t customer = 1) {
        Extension e;
        e.extension_id = "ext-" + number;
        e.customer_id = customer;
        e.number = number;
        e.forwards = std::move(forwards);
        apply(DefineExtension{e});
    }
};

ForwardRule rule(ForwardCondition c, TargetKind k, std::string v, std::int64_t after_s = 0) {
    return ForwardRule{c, k, std::move(v), after_s};
}

PbxPlanOptions options() {
    PbxPlanOptions o;
    o.domain = "pbx.example";
    return o;
}

}  // namespace

TEST_CASE("an extension's number is unique in its customer and its username in the tenant") {
    Pbx p;
    p.extension("201");
    // Another customer may have 201, under another username (201 is taken in the tenant).
    auto taken = p.refused(DefineExtension{Extension{"acme-201", 2, "201", "", ""}});
    CHECK(taken.code == core::Errc::Conflict);
    CHECK(taken.field == "username");
    p.apply(DefineExtension{Extension{"acme-201", 2, "201", "", "acme-201"}});
    auto same_number = p.refused(DefineExtension{Extension{"ext-x", 1, "201", "", "u-x"}});
    CHECK(same_number.code == core::Errc::Conflict);
    CHECK(same_number.field == "number");
    // An extension keeps its customer.
    CHECK(p.refused(DefineExtension{Extension{"ext-201", 2, "201", "", ""}}).code ==
          core::Errc::Rejected);
    CHECK(p.refused(DefineExtension{Extension{"ext-x", 1, "2a", "", ""}}).field == "number");
}

TEST_CASE("forwarding rules are checked: one per condition, known targets, ring time") {
    Pbx p;
    p.extension("201");
    Extension e{"ext-202", 1, "202", "", ""};
    e.forwards = {rule(ForwardCondition::Busy, TargetKind::Extension, "ext-201"),
                  rule(ForwardCondition::Busy, TargetKind::Uri, "sip:vm@example.com")};
    CHECK(p.refused(DefineExtension{e}).field == "forwards");
    e.forwards = {rule(ForwardCondition::Busy, TargetKind::Extension, "ext-999")};
    CHECK(p.refused(DefineExtension{e}).code == core::Errc::NotFound);
    e.forwards = {rule(ForwardCondition::NoAnswer, TargetKind::Number, "4930555", 200)};
    CHECK(p.refused(DefineExtension{e}).field == "forwards");
    e.forwards = {rule(ForwardCondition::Always, TargetKind::Extension, "ext-202")};
    CHECK(p.refused(DefineExtension{e}).field == "forwards");
    e.forwards = {rule(ForwardCondition::NoAnswer, TargetKind::Number, "4930555")};
    p.apply(DefineExtension{e});
    CHECK(p.s.extensions.at("ext-202").extension.forwards[0].after_s == 20);
    // Redefining it as it is decides nothing.
    e.forwards[0].after_s = 20;
    CHECK(decide(p.s, DefineExtension{e}, ctx())->empty());
}

TEST_CASE("an extension a ring group or a forward points at cannot be removed") {
    Pbx p;
    p.extension("201");
    p.extension("202", {rule(ForwardCondition::Busy, TargetKind::Extension, "ext-201")});
    CHECK(p.refused(RemoveExtension{"ext-201"}).code == core::Errc::Conflict);
    p.apply(RemoveExtension{"ext-202"});
    p.apply(RemoveExtension{"ext-201"});
    CHECK(p.s.extensions.empty());
    CHECK(p.s.numbers.empty());
    CHECK(p.s.usernames.empty());
}

TEST_CASE("a changed username drops the extension's credential") {
    Pbx p;
    p.extension("201");
    p.apply(SetExtensionPassword{"ext-201", ExtensionCredential{"201", "realm", "sy1:x"}});
    CHECK(p.s.extensions.at("ext-201").credential);
    CHECK(p.refused(SetExtensionPassword{"ext-201", ExtensionCredential{"zz", "realm", "sy1:x"}})
              .code == core::Errc::Rejected);
    p.apply(DefineExtension{Extension{"ext-201", 1, "201", "", "alice"}});
    CHECK_FALSE(p.s.extensions.at("ext-201").credential);
}

TEST_CASE(
    "a plain extension is one location route, and busy and no answer go on to their targets") {
    Pbx p;
    p.extension("203");
    p.apply(DefineMediaServer{MediaServer{"vm", 0, "Voicemail", "sip:vm@10.0.0.9", {}}});
    p.extension("202", {rule(ForwardCondition::Busy, TargetKind::Extension, "ext-203"),
                        rule(ForwardCondition::NoAnswer, TargetKind::MediaServer, "vm", 15)});
    auto plan = plan_for(p.s, 1, TargetKind::Extension, "ext-202", options());
    REQUIRE(plan);
    REQUIRE(plan->routes.size() == 3);
    const auto& first = plan->routes[0];
    CHECK(first.location);
    CHECK(first.uri == "sip:202@pbx.example");
    CHECK(first.ring == std::vector<std::string>{"sip:202@pbx.example"});
    CHECK(first.fr_inv_timer_ms == 15'000);
    CHECK(first.on_busy == 2);
    CHECK(first.on_no_answer == 3);
    CHECK(first.on_unavailable == 0);
    CHECK(plan->routes[1].uri == "sip:203@pbx.example");
    CHECK(plan->routes[2].uri == "sip:vm@10.0.0.9");
    CHECK_FALSE(plan->routes[2].location);
    CHECK(plan->max_attempts == 3);
}

TEST_CASE("an unconditional forward replaces the extension and a forward loop stops") {
    Pbx p;
    p.extension("201");
    p.extension("202", {rule(ForwardCondition::Always, TargetKind::Extension, "ext-201")});
    auto plan = plan_for(p.s, 1, TargetKind::Extension, "ext-202", options());
    REQUIRE(plan);
    REQUIRE(plan->routes.size() == 1);
    CHECK(plan->routes[0].uri == "sip:201@pbx.example");
    p.apply(DefineExtension{
        Extension{"ext-201",
                  1,
                  "201",
                  "",
                  "201",
                  {rule(ForwardCondition::Always, TargetKind::Extension, "ext-202")}}});
    auto loop = plan_for(p.s, 1, TargetKind::Extension, "ext-202", options());
    CHECK_FALSE(loop);
}

TEST_CASE(
    "a parallel ring group is one route ringing every member, a sequential one a route each") {
    Pbx p;
    p.extension("201");
    p.extension("202");
    p.extension("203");
    RingGroup g;
    g.ring_group_id = "sales";
    g.customer_id = 1;
    g.number = "600";
    g.ring_s = 25;
    g.members = {{"ext-201", 20}, {"ext-202", 10}};
    g.fallback_kind = TargetKind::Extension;
    g.fallback_value = "ext-203";
    p.apply(DefineRingGroup{g});
    CHECK(find_number(p.s, 1, "600")->second == "sales");
    auto parallel = plan_for(p.s, 1, TargetKind::RingGroup, "sales", options());
    REQUIRE(parallel);
    REQUIRE(parallel->routes.size() == 2);
    CHECK(parallel->routes[0].ring.size() == 2);
    CHECK(parallel->routes[0].fr_inv_timer_ms == 25'000);
    CHECK(parallel->routes[0].on_no_answer == 2);
    CHECK(parallel->routes[0].on_busy == 2);
    CHECK(parallel->routes[1].uri == "sip:203@pbx.example");

    g.strategy = RingStrategy::Sequential;
    p.apply(DefineRingGroup{g});
    auto sequential = plan_for(p.s, 1, TargetKind::RingGroup, "sales", options());
    REQUIRE(sequential);
    REQUIRE(sequential->routes.size() == 3);
    CHECK(sequential->routes[0].fr_inv_timer_ms == 20'000);
    CHECK(sequential->routes[0].on_no_answer == 2);
    CHECK(sequential->routes[1].fr_inv_timer_ms == 10'000);
    CHECK(sequential->routes[1].on_no_answer == 3);
    CHECK(sequential->routes[2].uri == "sip:203@pbx.example");
    // A member of another customer is unknown.
    p.extension("209", {}, 2);
    g.members.push_back({"ext-209", 20});
    CHECK(p.refused(DefineRingGroup{g}).code == core::Errc::NotFound);
}

TEST_CASE("a forward to a number takes the carrier routes the call path gives for it") {
    Pbx p;
    p.extension("201", {rule(ForwardCondition::Unavailable, TargetKind::Number, "4930555000")});
    auto o = options();
    auto none = plan_for(p.s, 1, TargetKind::Extension, "ext-201", o);
    REQUIRE(none);
    CHECK(none->routes.size() == 1);
    CHECK(none->skipped.at(0).reason == "no_route");
    o.number_routes = [](std::int64_t customer, const std::string& number) {
        RouteOption a, b;
        a.carrier_id = "a";
        a.uri = "sip:" + number + "@a.example";
        b.carrier_id = "b";
        b.uri = "sip:" + number + "@b.example;c=" + std::to_string(customer);
        return std::vector<RouteOption>{a, b};
    };
    auto plan = plan_for(p.s, 1, TargetKind::Extension, "ext-201", o);
    REQUIRE(plan);
    REQUIRE(plan->routes.size() == 3);
    CHECK(plan->routes[0].on_unavailable == 2);
    CHECK(plan->routes[1].on_no_answer == 3);
    CHECK(plan->routes[1].on_unavailable == 3);
    CHECK(plan->routes[2].on_unavailable == 0);
}
