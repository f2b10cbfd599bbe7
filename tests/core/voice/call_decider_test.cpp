// The call's rules: billsec capped at the grant, first end wins, reports idempotent, an end
// before its answer, overdue calls closed.
#include <doctest/doctest.h>

#include "core/voice/call_decider.hpp"

using namespace switchyard::core;
using namespace switchyard::core::voice;

namespace {

Timestamp at_ms(std::int64_t ms) { return Timestamp(std::chrono::milliseconds(ms)); }

CallState routed(std::int64_t max_duration_s = 2) {
    CallRouted r;
    r.setup.call_id = "c1@host";
    r.setup.setup_at = at_ms(1'000'000);
    r.admission.max_duration_s = max_duration_s;
    RouteOption a, b;
    a.carrier_id = "carrier_a";
    b.carrier_id = "carrier_b";
    r.plan.routes = {a, b};
    CallState s;
    evolve(s, r);
    return s;
}

CallReport report(CallReport::Kind k, std::int64_t ms, std::int64_t attempt = 0) {
    CallReport r;
    r.kind = k;
    r.call_id = "c1@host";
    r.event_at = at_ms(ms);
    r.attempt = attempt;
    return r;
}

CallState fold(CallState s, const std::vector<CallEvent>& events) {
    for (const auto& e : events) evolve(s, e);
    return s;
}

}  // namespace

TEST_CASE("billsec is the rounded answer-to-end time, never more than the grant") {
    CHECK(billsec_of(at_ms(0), at_ms(1'499), 10) == 1);
    CHECK(billsec_of(at_ms(0), at_ms(1'500), 10) == 2);
    CHECK(billsec_of(at_ms(0), at_ms(2'560), 2) == 2);  // the dialog timer cut 0.56 s late
    CHECK(billsec_of(at_ms(5'000), at_ms(4'000), 2) == 0);
}

TEST_CASE("an answer on attempt 2 after attempt 1 failed: carrier b, PDD from the setup") {
    auto s = routed();
    auto failed = decide_report(s, report(CallReport::Kind::AttemptFailed, 1'000'100, 1));
    REQUIRE(failed);
    REQUIRE(failed->size() == 1);
    CHECK(std::get<CallAttemptFailed>(failed->front()).carrier_id == "carrier_a");
    s = fold(s, *failed);
    CHECK(s.current_carrier() == "carrier_b");
    auto again = decide_report(s, report(CallReport::Kind::AttemptFailed, 1'000'100, 1));
    REQUIRE(again);
    CHECK(again->empty());
    auto answered = decide_report(s, report(CallReport::Kind::Answered, 1'000'750, 2));
    REQUIRE(answered);
    REQUIRE(answered->size() == 1);
    const auto& a = std::get<CallAnswered>(answered->front());
    CHECK(a.carrier_id == "carrier_b");
    CHECK(a.pdd_ms == 750);
}

TEST_CASE("the first end wins and billsec is capped at the max duration") {
    auto s = fold(routed(2),
                  *decide_report(routed(2), report(CallReport::Kind::Answered, 1'001'000, 1)));
    auto ended = decide_report(s, report(CallReport::Kind::Ended, 1'003'600));
    REQUIRE(ended);
    REQUIRE(ended->size() == 1);
    CHECK(std::get<CallEnded>(ended->front()).billsec == 2);  // 2.6 s rounds to 3, capped at 2
    s = fold(s, *ended);
    CHECK(s.status == CallStatus::Ended);
    auto second = decide_report(s, report(CallReport::Kind::Ended, 1'009'000));
    REQUIRE(second);
    CHECK(second->empty());
    auto failed = decide_report(s, report(CallReport::Kind::Failed, 1'009'000));
    REQUIRE(failed);
    CHECK(failed->empty());
}

TEST_CASE("an end that arrives before its answer records both") {
    auto r = report(CallReport::Kind::Ended, 1'031'000);
    r.answered_at = at_ms(1'001'000);
    auto events = decide_report(routed(60), r);
    REQUIRE(events);
    REQUIRE(events->size() == 2);
    CHECK(std::holds_alternative<CallAnswered>(events->at(0)));
    CHECK(std::get<CallEnded>(events->at(1)).billsec == 30);
}

TEST_CASE("a report for a call Switchyard never routed is NotFound") {
    CallState none;
    auto r = decide_report(none, report(CallReport::Kind::Failed, 1));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::NotFound);
    CallState rejected;
    evolve(rejected, CallRejected{});
    CHECK_FALSE(decide_report(rejected, report(CallReport::Kind::Failed, 1)));
}

TEST_CASE("an answered call without an end is closed at answer + max duration after the margin") {
    auto s = fold(routed(60),
                  *decide_report(routed(60), report(CallReport::Kind::Answered, 1'001'000, 1)));
    CHECK(close_overdue(s, at_ms(1'001'000 + 89'999), 30).empty());
    auto closed = close_overdue(s, at_ms(1'001'000 + 90'000), 30);
    REQUIRE(closed.size() == 1);
    const auto& e = std::get<CallEnded>(closed.front());
    CHECK(e.billsec == 60);
    CHECK(e.reason == "estimated_max_duration");
    CHECK(e.ended_at == at_ms(1'061'000));
    auto never = close_overdue(routed(60), at_ms(1'000'000 + 90'000), 30);
    REQUIRE(never.size() == 1);
    CHECK(std::get<CallFailed>(never.front()).reason == "no_end_reported");
}

TEST_CASE("the failure of the challenged INVITE before the routed one is not the call's") {
    auto earlier = report(CallReport::Kind::Failed, 999'900);  // setup at 1'000'000 ms
    auto events = decide_report(routed(), earlier);
    REQUIRE(events);
    CHECK(events->empty());
    auto later = decide_report(routed(), report(CallReport::Kind::Failed, 1'000'100));
    REQUIRE(later);
    CHECK(later->size() == 1);
}
