// SessionService on the memory log: accounting requests become session events appended once
// (retransmissions and duplicates append nothing), usage totals count gigawords, counters going
// backwards are refused, Accounting-On closes the NAS's sessions, a restart rebuilds the same
// totals from the streams, and stopped sessions leave memory without a late Stop appending.
#include <doctest/doctest.h>

#include <fstream>
#include <set>

#include "events/envelope_codec.hpp"
#include "events/hotspot/session_service.hpp"
#include "events/memory_event_store.hpp"
#include "tests/core/hotspot/hotspot_fixtures.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::hotspot;
using events::hotspot::SessionService;
using switchyard::testing::error_of;
using switchyard::testing::hotspot::at;

namespace {

AccountingRequest acct(AcctStatus status, const std::string& id, std::int64_t in, std::int64_t out,
                       std::int64_t seconds, std::int64_t at_seconds,
                       const std::string& user = "alice") {
    AccountingRequest r;
    r.status = status;
    r.unique_id = id;
    r.acct_session_id = "81" + id;
    r.username = user;
    r.nas_id = "lobby";
    r.nas_ip = "192.0.2.10";
    r.input_octets = in;
    r.output_octets = out;
    r.session_seconds = seconds;
    r.now = at(at_seconds).now;
    return r;
}

std::size_t log_size(events::EventStore& store) {
    auto r = store.read_all(events::Checkpoint{}, 100'000);
    REQUIRE(r);
    return r->size();
}

}  // namespace

TEST_CASE("start, interim with gigawords, repeated interim and stop give the usage once") {
    auto store = events::make_memory_event_store();
    SessionService s(*store, "op");
    auto started = s.apply(acct(AcctStatus::Start, "u1", 100, 200, 0, 0), at(0));
    REQUIRE(started);
    CHECK(started->events.size() == 1);
    CHECK(started->usernames == std::vector<std::string>{"alice"});
    CHECK(s.usage("alice").active_sessions == 1);

    auto interim = acct(AcctStatus::InterimUpdate, "u1", 5, 300, 70, 70);
    interim.input_gigawords = 1;  // 2^32 + 5 = 4,294,967,301 bytes
    REQUIRE(s.apply(interim, at(70)));
    CHECK(s.usage("alice").usage == Usage{4'294'967'301, 300, 70});
    const auto before = log_size(*store);
    auto again = s.apply(interim, at(71));
    REQUIRE(again);
    CHECK(again->events.empty());
    CHECK(log_size(*store) == before);

    auto stop = acct(AcctStatus::Stop, "u1", 5, 900, 120, 120);
    stop.input_gigawords = 1;
    stop.terminate_cause = "User-Request";
    REQUIRE(s.apply(stop, at(120)));
    CHECK(s.usage("alice").usage == Usage{4'294'967'301, 900, 120});
    CHECK(s.usage("alice").active_sessions == 0);
    CHECK(s.apply(stop, at(121))->events.empty());
    CHECK(log_size(*store) == before + 1);

    SUBCASE("a restart rebuilds the same totals from the stream") {
        SessionService again_service(*store, "op");
        REQUIRE(again_service.preload({"lobby"}));
        CHECK(again_service.usage("alice").usage == Usage{4'294'967'301, 900, 120});
        CHECK(again_service.usage("alice").active_sessions == 0);
    }
}

TEST_CASE("counters going backwards while another moves forward are refused, nothing appended") {
    auto store = events::make_memory_event_store();
    SessionService s(*store, "op");
    REQUIRE(s.apply(acct(AcctStatus::Start, "u1", 1000, 1000, 0, 0), at(0)));
    REQUIRE(s.apply(acct(AcctStatus::InterimUpdate, "u1", 5000, 5000, 60, 60), at(60)));
    const auto before = log_size(*store);
    auto e =
        error_of(s.apply(acct(AcctStatus::InterimUpdate, "u1", 4000, 9000, 120, 120), at(120)));
    CHECK(e.code == core::Errc::Invalid);
    CHECK(e.field == "Acct-Input-Octets");
    CHECK(log_size(*store) == before);
    CHECK(s.usage("alice").usage == Usage{5000, 5000, 60});
}

TEST_CASE("Accounting-On closes every open session of the NAS") {
    auto store = events::make_memory_event_store();
    SessionService s(*store, "op");
    REQUIRE(s.apply(acct(AcctStatus::Start, "u1", 0, 0, 0, 0, "alice"), at(0)));
    REQUIRE(s.apply(acct(AcctStatus::Start, "u2", 0, 0, 0, 0, "bob"), at(0)));
    CHECK(s.active_sessions("bob").size() == 1);
    AccountingRequest on;
    on.status = AcctStatus::AccountingOn;
    on.nas_id = "lobby";
    on.nas_ip = "192.0.2.10";
    on.now = at(300).now;
    auto r = s.apply(on, at(300));
    REQUIRE(r);
    CHECK(r->events.size() == 2);
    CHECK(s.usage("alice").active_sessions == 0);
    CHECK(s.usage("bob").active_sessions == 0);
    CHECK(s.active_sessions("bob").empty());
    CHECK(s.apply(on, at(301))->events.empty());
}

TEST_CASE(
    "a stopped session leaves memory after retain_closed, and its late Stop appends nothing") {
    auto store = events::make_memory_event_store();
    SessionService s(*store, "op", {std::chrono::seconds(60), 10});
    REQUIRE(s.apply(acct(AcctStatus::Start, "u1", 0, 0, 0, 0), at(0)));
    auto stop = acct(AcctStatus::Stop, "u1", 10, 20, 30, 30);
    REQUIRE(s.apply(stop, at(30)));
    CHECK(s.sessions_in_memory("lobby") == 1);
    REQUIRE(s.apply(acct(AcctStatus::Start, "u2", 0, 0, 0, 200, "bob"), at(200)));
    CHECK(s.sessions_in_memory("lobby") == 1);  // u1 dropped, u2 open
    CHECK_FALSE(s.session("lobby", "u1"));
    const auto before = log_size(*store);
    CHECK(s.apply(stop, at(210))->events.empty());
    CHECK(log_size(*store) == before);
    CHECK(s.usage("alice").usage == Usage{10, 20, 30});
}

TEST_CASE("a request without a NAS is refused naming nas_id") {
    auto store = events::make_memory_event_store();
    SessionService s(*store, "op");
    auto r = acct(AcctStatus::Start, "u1", 0, 0, 0, 0);
    r.nas_id.clear();
    CHECK(error_of(s.apply(r, at(0))).field == "nas_id");
}

TEST_CASE("the session events written are kept for the schema check") {
    auto store = events::make_memory_event_store();
    SessionService s(*store, "op");
    auto stop = acct(AcctStatus::Stop, "u1", 10, 20, 30, 30);
    stop.terminate_cause = "Idle-Timeout";
    stop.framed_ip = "10.5.50.2";
    REQUIRE(s.apply(acct(AcctStatus::Start, "u1", 0, 0, 0, 0), at(0)));
    REQUIRE(s.apply(acct(AcctStatus::InterimUpdate, "u1", 5, 6, 10, 10), at(10)));
    REQUIRE(s.apply(stop, at(30)));
    REQUIRE(s.apply(acct(AcctStatus::Start, "u2", 0, 0, 0, 40, "bob"), at(40)));
    AccountingRequest off;
    off.status = AcctStatus::AccountingOff;
    off.nas_id = "lobby";
    off.now = at(50).now;
    REQUIRE(s.apply(off, at(50)));
    auto all = store->read_all(events::Checkpoint{}, 1000);
    REQUIRE(all);
    std::string ndjson;
    std::set<std::string> types;
    for (const auto& e : *all) {
        ndjson += events::encode_envelope(e) + "\n";
        types.insert(e.type);
        CHECK(e.stream == "hotspot_sessions-op-lobby");
    }
    CHECK(types == std::set<std::string>{"hotspot.session.started", "hotspot.session.updated",
                                         "hotspot.session.stopped",
                                         "hotspot.session.closed_by_nas"});
#ifdef SY_EVENTS_OUT_SESSIONS
    std::ofstream(SY_EVENTS_OUT_SESSIONS) << ndjson;
#endif
}
