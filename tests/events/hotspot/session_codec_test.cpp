// Session events round-trip through their JSON payloads.
#include "events/hotspot/session_codec.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>

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
