// The recording decider: scheduled once, started once, ended once, deleted once.
#include <doctest/doctest.h>

#include "core/iptv/recording.hpp"

using namespace switchyard;
using namespace switchyard::core::iptv;

namespace {

const auto t0 = *core::parse_rfc3339("2026-12-01T20:00:00Z");

RecordingState after(const std::vector<RecordingEvent>& events) {
    RecordingState s;
    for (const auto& e : events) evolve(s, e);
    return s;
}

}  // namespace

TEST_CASE("a recording is scheduled, started, completed and deleted once each") {
    const core::DecisionContext ctx{};
    const ScheduleRecording schedule{5, 9, t0, t0 + std::chrono::minutes(30), "News", ""};
    auto first = decide(RecordingState{}, schedule, ctx);
    REQUIRE(first);
    REQUIRE(first->size() == 1);
    auto s = after(*first);
    CHECK(decide(s, schedule, ctx)->empty());
    auto started = decide(s, StartRecording{5}, ctx);
    REQUIRE(started->size() == 1);
    evolve(s, started->front());
    CHECK(decide(s, StartRecording{5}, ctx)->empty());
    auto done = decide(s, CompleteRecording{5, "/r/5.ts", 1000, 2}, ctx);
    REQUIRE(done->size() == 1);
    evolve(s, done->front());
    CHECK(s.status == RecordingStatus::Completed);
    CHECK(decide(s, CompleteRecording{5, "/r/5.ts", 1000, 2}, ctx)->empty());
    CHECK(decide(s, FailRecording{5, "late"}, ctx)->empty());  // it has ended already
    auto deleted = decide(s, DeleteRecording{5, "operator"}, ctx);
    REQUIRE(deleted->size() == 1);
    evolve(s, deleted->front());
    CHECK(decide(s, DeleteRecording{5, "operator"}, ctx)->empty());
    CHECK(std::string(to_string(s.status)) == "deleted");
}

TEST_CASE("a recording must end after it starts, last at most a day, and exist to change") {
    const core::DecisionContext ctx{};
    auto backwards = decide(RecordingState{}, ScheduleRecording{1, 1, t0, t0, "", ""}, ctx);
    REQUIRE_FALSE(backwards);
    CHECK(backwards.error().field == "end");
    auto too_long = decide(RecordingState{},
                           ScheduleRecording{1, 1, t0, t0 + std::chrono::hours(25), "", ""}, ctx);
    REQUIRE_FALSE(too_long);
    CHECK(too_long.error().field == "end");
    auto missing = decide(RecordingState{}, StartRecording{3}, ctx);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == core::Errc::NotFound);
}
