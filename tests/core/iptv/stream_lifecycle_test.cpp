// The stream lifecycle decider: what a worker reports becomes an event once.
#include <doctest/doctest.h>

#include "core/iptv/stream_lifecycle.hpp"

using namespace switchyard::core::iptv;

namespace {

/// The state after `events`, then what `observed` decides on it.
std::vector<StreamLifecycleEvent> when(const std::vector<StreamLifecycleEvent>& given,
                                       const StreamLifecycleEvent& observed) {
    StreamLifecycleState s;
    for (const auto& e : given) evolve(s, e);
    return decide(s, observed);
}

}  // namespace

TEST_CASE("a worker's start, stop, failure or probe reported twice is recorded once") {
    const StreamStarted started{7, 100};
    const StreamStopped stopped{7, 100, "idle"};
    const StreamFailed failed{7, 101, "Connection refused", 1, false, std::nullopt};
    const StreamProbed probed{7, 100, "hls", "h264", "aac", 320, 240, 25'000, 0};
    CHECK(when({}, started).size() == 1);
    CHECK(when({started}, started).empty());
    CHECK(when({started}, stopped).size() == 1);
    CHECK(when({started, stopped}, stopped).empty());
    CHECK(when({}, stopped).empty());  // nothing ran: nothing to stop
    CHECK(when({started, stopped}, failed).size() == 1);
    CHECK(when({started, stopped, failed}, failed).empty());
    // The next failure in a row is new; so is a start of another process.
    auto second = failed;
    second.attempt = 2;
    CHECK(when({failed}, second).size() == 1);
    CHECK(when({started, stopped}, StreamStarted{7, 102}).size() == 1);
    CHECK(when({started}, probed).size() == 1);
    CHECK(when({started, probed}, probed).empty());
    auto other = probed;
    other.width = 640;
    CHECK(when({started, probed}, other).size() == 1);
}

TEST_CASE("the lifecycle state counts starts and failures and ends down after a down failure") {
    StreamLifecycleState s;
    evolve(s, StreamStarted{3, 10});
    evolve(s, StreamFailed{3, 10, "exit 1", 1, false, std::nullopt});
    CHECK(s.state == StreamRunState::Retrying);
    evolve(s, StreamFailed{3, 11, "exit 1", 2, true, std::nullopt});
    CHECK(s.state == StreamRunState::Down);
    CHECK(s.starts == 1);
    CHECK(s.failures == 2);
    CHECK(std::string(to_string(s.state)) == "down");
}
