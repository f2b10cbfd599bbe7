// Session events round-trip through their JSON payloads.
#include "events/hotspot/session_codec.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>

#include "tests/support/skip.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard;
using namespace switchyard::core::hotspot;

TEST_CASE("session events round-trip through their payloads with 64-bit counters") {
    Session s;
    s.unique_id = "6f1c2a";
    s.acct_session_id = "81000001";
    s.username = "bob";
    s.nas_id = "lobby";
    s.counters = {5'000'000'000, 7, 60};
    s.started_at = core::from_unix_seconds(1000);
    s.updated_at = core::from_unix_seconds(1060);
    const std::vector<SessionEvent> events = {
        SessionStarted{s},
        SessionUpdated{
            "6f1c2a", {6'000'000'000, 8, 120}, "10.5.50.7", core::from_unix_seconds(1120)},
        SessionStopped{
            "6f1c2a", {7'000'000'000, 9, 180}, "User-Request", core::from_unix_seconds(1180)},
        SessionClosedByNas{"6f1c2a", "lobby", "Accounting-On", core::from_unix_seconds(2000)},
    };
    for (const auto& e : events) {
        const auto enc = events::hotspot::encode(e);
        events::RecordedEvent rec;
        rec.type = enc.type;
        rec.schema = enc.schema;
        rec.data = enc.data;
        const auto back = events::hotspot::decode_session_event(rec);
        REQUIRE(back);
        CHECK(back->index() == e.index());
    }
    const auto enc = events::hotspot::encode(SessionStarted{s});
    CHECK(enc.type == "hotspot.session.started");
    CHECK(enc.data.find("\"input_bytes\":5000000000") != std::string::npos);
    const auto back =
        events::hotspot::parse_session(boost::json::serialize(events::hotspot::session_json(s)));
    REQUIRE(back);
    CHECK(*back == s);
}

TEST_CASE("session event payloads validate against their JSON Schemas") {
    const std::string python = SY_PYTHON;
    if (std::system((python + " -c 'import jsonschema' 2>/dev/null").c_str()) != 0) {
        switchyard::testing::skip("needs python3-jsonschema");
        return;
    }
    Session s;
    s.unique_id = "6f1c2a";
    s.username = "bob";
    s.nas_id = "lobby";
    s.counters = {5'000'000'000, 7, 60};
    const std::vector<SessionEvent> events = {
        SessionStarted{s},
        SessionUpdated{"6f1c2a", {6'000'000'000, 8, 120}, "", core::from_unix_seconds(1120)},
        SessionStopped{"6f1c2a", {7'000'000'000, 9, 180}, "", core::from_unix_seconds(1180)},
        SessionClosedByNas{"6f1c2a", "lobby", "Accounting-Off", core::from_unix_seconds(2000)},
    };
    switchyard::testing::TempDir tmp;
    for (const auto& e : events) {
        const auto enc = events::hotspot::encode(e);
        const auto data = tmp.path() / "data.json";
        std::ofstream(data) << enc.data;
        const auto schema = std::string(SY_SOURCE_DIR) + "/schemas/events/hotspot/" + enc.type +
                            ".v" + std::to_string(enc.schema) + ".json";
        const auto command = python +
                             " -c 'import json,sys,jsonschema; "
                             "jsonschema.validate(json.load(open(sys.argv[1])), "
                             "json.load(open(sys.argv[2])))' " +
                             data.string() + " " + schema;
        CHECK_MESSAGE(std::system(command.c_str()) == 0, enc.type, ": ", enc.data);
    }
    // And a payload the schema must refuse: a negative byte count.
    const auto bad = tmp.path() / "bad.json";
    std::ofstream(bad)
        << R"({"unique_id":"u","input_bytes":-1,"output_bytes":0,)"
        << R"("session_seconds":0,"framed_ip":"","updated_at":"2026-11-30T00:00:00Z"})";
    const auto command = python +
                         " -c 'import json,sys,jsonschema; "
                         "jsonschema.validate(json.load(open(sys.argv[1])), "
                         "json.load(open(sys.argv[2])))' " +
                         bad.string() + " " + SY_SOURCE_DIR +
                         "/schemas/events/hotspot/hotspot.session.updated.v1.json 2>/dev/null";
    CHECK(std::system(command.c_str()) != 0);
}
