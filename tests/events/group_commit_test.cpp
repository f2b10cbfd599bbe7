#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "events/group_commit.hpp"
#include "events/uuid.hpp"

using namespace switchyard;
using namespace switchyard::events;

namespace {

std::vector<StreamWrite> one_event(std::size_t caller) {
    NewEvent e;
    e.id = new_uuid_v7(core::from_unix_seconds(1'790'000'000));
    e.time = core::from_unix_seconds(1'790'000'000);
    e.type = "test.thing.happened";
    e.schema = 1;
    e.data = "{}";
    return {{"caller-" + std::to_string(caller), ExpectedRevision::any(), {std::move(e)}}};
}

/// A commit that takes `delay` (a sync) and records each group's size.
struct SlowCommit {
    std::chrono::milliseconds delay;
    std::mutex mu;
    std::vector<std::size_t> sizes;

    std::vector<core::Result<AppendResult>> operator()(GroupCommitQueue::Group& group) {
        std::this_thread::sleep_for(delay);
        std::lock_guard lock(mu);
        sizes.push_back(group.size());
        std::vector<core::Result<AppendResult>> out;
        for (std::size_t i = 0; i < group.size(); ++i) out.emplace_back(AppendResult{});
        return out;
    }
};

}  // namespace

TEST_CASE("callers answered by a commit share the next group instead of forming a wave") {
    // Without the writer waiting for the callers it answered, the first caller's append starts
    // a group of one, the other callers queue behind it, and the two groups alternate for good.
    constexpr std::size_t callers = 8;
    constexpr int rounds = 10;
    // A slow sync and a long gathering bound (it waits an eighth of a commit: 10 ms), so that
    // threads woken late on a loaded machine still come back in time.
    SlowCommit commit{std::chrono::milliseconds(80), {}, {}};
    {
        GroupCommitQueue queue(
            4096, [&](GroupCommitQueue::Group& g) { return commit(g); },
            std::chrono::milliseconds(50));
        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        for (std::size_t c = 0; c < callers; ++c) {
            threads.emplace_back([&, c] {
                // The first caller goes alone, so the first group holds it only.
                if (c > 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
                for (int r = 0; r < rounds; ++r) {
                    if (!append_through(&queue, one_event(c))) ++failures;
                }
            });
        }
        for (auto& t : threads) t.join();
        CHECK(failures == 0);
    }
    std::lock_guard lock(commit.mu);
    REQUIRE(commit.sizes.size() >= 2);
    std::size_t total = 0;
    for (auto s : commit.sizes) total += s;
    CHECK(total == callers * rounds);
    // The waves of 1 and callers - 1 merge: most groups hold every caller.
    std::size_t full = 0;
    for (auto s : commit.sizes) full += s == callers ? 1 : 0;
    INFO("groups: " << commit.sizes.size() << ", holding every caller: " << full);
    CHECK(full * 2 >= commit.sizes.size());
    CHECK(commit.sizes.size() < static_cast<std::size_t>(rounds) * 3 / 2);
}

TEST_CASE("append_through answers a read-only log and an invalid append without queueing") {
    auto refused = append_through(nullptr, one_event(0));
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == core::Errc::Unavailable);

    std::atomic<int> commits{0};
    GroupCommitQueue queue(4096, [&](GroupCommitQueue::Group& g) {
        ++commits;
        return std::vector<core::Result<AppendResult>>(g.size(), AppendResult{});
    });
    auto bad = one_event(1);
    bad[0].events[0].type = "no-dots";
    bool answered = false;
    append_async_through(&queue, std::move(bad), [&](core::Result<AppendResult> r) {
        answered = true;
        REQUIRE_FALSE(r);
        CHECK(r.error().code == core::Errc::Invalid);
    });
    CHECK(answered);  // on this thread, before append_async_through returned
    CHECK(append_through(&queue, one_event(2)));
    CHECK(commits == 1);
}

TEST_CASE("a commit that answers fewer appends than its group leaves the rest Internal") {
    GroupCommitQueue queue(
        4096, [](GroupCommitQueue::Group&) { return std::vector<core::Result<AppendResult>>{}; });
    auto r = append_through(&queue, one_event(0));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == core::Errc::Internal);
}
