// The hotspot controller events as JSON: each event round-trips, the sealed secrets are written
// only in the events, and the read models' view says which secrets are set without them.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "events/hotspot/controller_codec.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::hotspot;
using namespace switchyard::events::hotspot;

namespace {

ControllerDefinition omada() {
    ControllerDefinition c;
    c.controller_id = "pool";
    c.name = "Pool Omada";
    c.vendor = ControllerVendor::Omada;
    c.base_url = "https://10.0.0.2:8043";
    c.omadac_id = "de382a0e78f4deb681f3128c3e75dbd1";
    c.site_id = "640effd1b3f2ae5b912275ec";
    c.client_id = "185586e0df424f5ea938de13cba91e01";
    c.client_secret_sealed = "sy1:mk_1:AAAA";
    c.operator_name = "operator";
    c.operator_password_sealed = "sy1:mk_1:BBBB";
    c.owner_path = "/r1/";
    c.timeout_ms = 2500;
    return c;
}

events::RecordedEvent recorded(const events::EncodedEvent& e) {
    events::RecordedEvent r;
    r.type = e.type;
    r.schema = e.schema;
    r.data = e.data;
    return r;
}

ControllerEvent round_trip(const ControllerEvent& e) {
    return decode_controller_event(recorded(encode(e))).value();
}

}  // namespace

TEST_CASE("each controller event round-trips through its JSON") {
    const ControllerEvent defined = ControllerDefined{omada(), "idem:1"};
    CHECK(std::get<ControllerDefined>(round_trip(defined)).controller == omada());
    auto m = omada();
    m.vendor = ControllerVendor::Mikrotik;
    m.port = 8729;
    m.tls = true;
    CHECK(std::get<ControllerChanged>(round_trip(ControllerChanged{m, "x"})).controller == m);
    CHECK(std::get<ControllerRemoved>(round_trip(ControllerRemoved{"pool", "r"})).controller_id ==
          "pool");
    ControllerOperationRun run{"pool",
                               "authorize_mac",
                               "aa:bb:cc:dd:ee:ff",
                               {false, "unavailable", "", "connection refused"},
                               3,
                               "b-1"};
    auto back = std::get<ControllerOperationRun>(round_trip(run));
    CHECK(back.outcome == run.outcome);
    CHECK(back.duration_ms == 3);
    CHECK(back.broadcast_id == "b-1");
    ControllerSynced sync;
    sync.controller_id = "pool";
    sync.added = {"a", "b"};
    sync.removed = {"c"};
    sync.failed = {{"d", "rejected", "limit_bytes_total is not a whole number of MB"}};
    sync.unchanged = 4;
    sync.desired = 7;
    auto s = std::get<ControllerSynced>(round_trip(sync));
    CHECK(s.added == sync.added);
    CHECK(s.failed == sync.failed);
    CHECK(s.unchanged == 4);
    CHECK(s.desired == 7);
}

TEST_CASE("the sealed secrets are in the event and never in the view") {
    const auto e = encode(ControllerDefined{omada(), "c"});
    CHECK(e.type == "hotspot.controller.defined");
    CHECK(e.data.find("sy1:mk_1:AAAA") != std::string::npos);
    const auto view = boost::json::serialize(controller_json(omada()));
    CHECK(view.find("sy1:") == std::string::npos);
    const auto o = boost::json::parse(view).as_object();
    CHECK(o.at("client_secret_set") == true);
    CHECK(o.at("api_key_set") == false);
    auto parsed = parse_controller(view);
    REQUIRE(parsed);
    CHECK(parsed->client_secret_sealed.empty());
    CHECK(parsed->base_url == "https://10.0.0.2:8043");
}

TEST_CASE("a malformed controller payload names its field") {
    auto r = recorded(encode(ControllerDefined{omada(), "c"}));
    auto o = boost::json::parse(r.data).as_object();
    o["vendor"] = "ruckus";
    r.data = boost::json::serialize(o);
    CHECK(testing::error_of(decode_controller_event(r)).field == "vendor");
    o["vendor"] = "omada";
    o["port"] = 70000;
    r.data = boost::json::serialize(o);
    CHECK(testing::error_of(decode_controller_event(r)).field == "port");
}
