// The extension service on the memory log: HA1 by RFC 2617, sealed, the password in no event;
// the call path's extension routing (who may call which number, the challenge); DID plans
// expanded; the rtjson answer of an extension plan.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <fstream>

#include "events/command_handler.hpp"
#include "events/envelope_codec.hpp"
#include "events/memory_event_store.hpp"
#include "events/voice/call_codec.hpp"
#include "events/voice/extension_service.hpp"
#include "events/voice/kamailio_json.hpp"
#include "events/voice/trunk_service.hpp"

using namespace switchyard;
using namespace switchyard::core::voice;
namespace json = boost::json;

namespace {

core::DecisionContext ctx() {
    core::DecisionContext c;
    c.now = core::from_unix_seconds(1'790'000'000);
    c.correlation_id = "req";
    return c;
}

constexpr const char* kRealm = "sip.example.com";

struct World {
    std::unique_ptr<events::EventStore> store = events::make_memory_event_store();
    events::MasterKeyring keyring = events::MasterKeyring::generate();
    events::voice::ExtensionService pbx{*store, "op", keyring, kRealm};

    void extension(const std::string& id, std::int64_t customer, const std::string& number,
                   const std::string& username = "") {
        REQUIRE(pbx.execute(DefineExtension{Extension{id, customer, number, "", username}}, ctx()));
    }
};

CallSetup setup(const std::string& ruri, const std::string& auth_user) {
    CallSetup s;
    s.call_id = "c1";
    s.ruri_user = ruri;
    s.auth_user = auth_user;
    return s;
}

}  // namespace

TEST_CASE("an extension's HA1 is MD5(username:realm:password), sealed, the password in no event") {
    World w;
    w.extension("ext-201", 1, "201");
    CHECK(w.pbx.ha1("201", kRealm).error().code == core::Errc::NotFound);
    CHECK(w.pbx.set_password("ext-201", "short", ctx()).error().field == "password");
    REQUIRE(w.pbx.set_password("ext-201", "phone-secret-1", ctx()));
    auto ha1 = w.pbx.ha1("201", kRealm);
    REQUIRE(ha1);
    CHECK(*ha1 == events::voice::digest_ha1("201", kRealm, "phone-secret-1"));
    CHECK(w.pbx.ha1("201", "other").error().field == "realm");
    auto all = w.store->read_all({}, 100);
    REQUIRE(all);
    for (const auto& e : *all) {
        CHECK(e.data.find("phone-secret-1") == std::string::npos);
        CHECK(e.data.find(*ha1) == std::string::npos);
    }
    const auto shown = json::serialize(
        events::voice::extension_json(w.pbx.state().value()->extensions.at("ext-201")));
    CHECK(shown.find("ha1") == std::string::npos);
    CHECK(shown.find("\"password_set\":true") != std::string::npos);
}

TEST_CASE("an extension calls the numbers of its own customer only, other calls are the trunks'") {
    World w;
    w.extension("ext-200", 1, "200");
    w.extension("ext-201", 1, "201");
    w.extension("other-201", 2, "201", "other-201");
    // Without credentials, an extension number is challenged; any other number is not ours.
    auto challenge = w.pbx.route(setup("201", ""));
    REQUIRE(challenge);
    CHECK(std::get<CallRefusal>(*challenge).code == "challenge");
    CHECK_FALSE(w.pbx.route(setup("4930555", "")));
    // An unknown digest user (a trunk's) is not ours either.
    CHECK_FALSE(w.pbx.route(setup("201", "trunk-user")));
    auto routed = w.pbx.route(setup("201", "200"));
    REQUIRE(routed);
    const auto& plan = std::get<RoutePlan>(*routed);
    REQUIRE(plan.routes.size() == 1);
    CHECK(plan.routes[0].uri == std::string("sip:201@") + kRealm);  // customer 1's, not 2's
    auto unknown = w.pbx.route(setup("299", "200"));
    REQUIRE(unknown);
    CHECK(std::get<CallRefusal>(*unknown).sip_code == 404);
}

TEST_CASE("a DID plan's extension and ring group routes are replaced by their plans") {
    World w;
    w.extension("ext-201", 7, "201");
    w.extension("ext-202", 7, "202");
    REQUIRE(w.pbx.execute(
        DefineExtension{
            Extension{"ext-203",
                      7,
                      "203",
                      "",
                      "",
                      {ForwardRule{ForwardCondition::Busy, TargetKind::Extension, "ext-201", 0}}}},
        ctx()));
    RoutePlan did;
    did.route_group_id = "did:493055500001";
    RouteOption ext;
    ext.uri = "extension:ext-203";
    ext.carrier_id = "7";
    RouteOption uri;
    uri.uri = "sip:backup@example.com";
    did.routes = {ext, uri};
    auto plan = w.pbx.expand(did);
    REQUIRE(plan.routes.size() == 3);
    CHECK(plan.routes[0].location);
    CHECK(plan.routes[0].on_busy == 2);
    CHECK(plan.routes[1].uri == std::string("sip:201@") + kRealm);
    CHECK(plan.routes[2].uri == "sip:backup@example.com");
    CHECK(plan.max_attempts == 3);
    // The rtjson answer: `local`, each location route's ring and where it goes on.
    events::voice::RoutingAnswer a;
    a.action = "route";
    a.routes = plan.routes;
    const auto doc = json::parse(events::voice::write_routing_answer(a)).as_object();
    CHECK(doc.at("local").as_int64() == 1);
    const auto& first = doc.at("routes").as_array().at(0).as_object();
    CHECK(first.at("location").as_int64() == 1);
    CHECK(first.at("on_busy").as_int64() == 2);
    CHECK(first.at("ring").as_array().size() == 1);
    // A carrier answer has no `local`.
    events::voice::RoutingAnswer carrier;
    carrier.action = "route";
    carrier.routes = {uri};
    CHECK_FALSE(
        json::parse(events::voice::write_routing_answer(carrier)).as_object().contains("local"));
}

TEST_CASE(
    "the events of extensions, ring groups, media servers and an extension call are written "
    "for the schema check") {
    World w;
    w.extension("ext-201", 3, "201");
    w.extension("ext-202", 3, "202");
    REQUIRE(w.pbx.set_password("ext-201", "phone-secret-1", ctx()));
    REQUIRE(w.pbx.execute(DefineMediaServer{MediaServer{"vm", 0, "Voicemail", "sip:vm@10.0.0.9",
                                                        MediaPurpose::Voicemail}},
                          ctx()));
    RingGroup g;
    g.ring_group_id = "sales";
    g.customer_id = 3;
    g.number = "600";
    g.members = {{"ext-201", 20}, {"ext-202", 20}};
    g.fallback_kind = TargetKind::MediaServer;
    g.fallback_value = "vm";
    REQUIRE(w.pbx.execute(DefineRingGroup{g}, ctx()));
    REQUIRE(w.pbx.execute(
        DefineExtension{Extension{
            "ext-203",
            3,
            "203",
            "Front desk",
            "",
            {ForwardRule{ForwardCondition::NoAnswer, TargetKind::RingGroup, "sales", 15}}}},
        ctx()));
    // The call path's record of a call to 203 (routes with location, ring and on_*).
    RoutePlan did;
    RouteOption ext;
    ext.uri = "extension:ext-203";
    ext.carrier_id = "3";
    did.routes = {ext};
    CallRouted routed;
    routed.setup.call_id = "c-203";
    routed.trunk.trunk_id = "extension";
    routed.plan = w.pbx.expand(did);
    REQUIRE(routed.plan.routes.size() == 3);
    std::vector<CallEvent> call{routed};
    REQUIRE(w.store->append({{"voice_call-op-1", events::ExpectedRevision::no_stream(),
                              events::to_new_events(call, events::voice::encode, ctx(), "op")}}));
    REQUIRE(w.pbx.execute(RemoveExtension{"ext-203"}, ctx()));
    REQUIRE(w.pbx.execute(RemoveRingGroup{"sales"}, ctx()));
    REQUIRE(w.pbx.execute(RemoveMediaServer{"vm"}, ctx()));
    REQUIRE(w.pbx.execute(RemoveExtension{"ext-202"}, ctx()));
    auto all = w.store->read_all(events::Checkpoint{}, 1000);
    REQUIRE(all);
    std::set<std::string> types;
    std::ofstream out(SY_EVENTS_OUT_PBX);
    for (const auto& e : *all) {
        types.insert(e.type);
        out << events::encode_envelope(e) << "\n";
    }
    CHECK(types.size() == 8);  // the seven of PbxEvent and voice.call.routed
}
