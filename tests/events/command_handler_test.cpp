#include <doctest/doctest.h>

#include "events/command_handler.hpp"
#include "events/memory_event_store.hpp"
#include "events/uuid.hpp"

using namespace switchyard;
using namespace switchyard::events;

namespace {
NewEvent ev() {
    core::DecisionContext ctx;
    ctx.now = core::from_unix_seconds(1'790'000'000);
    return make_new_event("test.thing.happened", 1, "{}", ctx, "op");
}
}  // namespace

TEST_CASE("a conflicting append is decided again on the reloaded stream") {
    auto store = make_memory_event_store();
    int attempts = 0;
    auto result = execute_command(*store, [&]() -> core::Result<std::vector<StreamWrite>> {
        auto current = SY_TRY(store->read_stream("line-1", 0, 100));
        const auto revision = static_cast<std::int64_t>(current.size()) - 1;
        if (++attempts == 1) {
            // Another writer gets there between our load and our append.
            REQUIRE(store->append({{"line-1", ExpectedRevision::any(), {ev()}}}));
        }
        return std::vector<StreamWrite>{{"line-1", ExpectedRevision::at(revision), {ev()}}};
    });
    REQUIRE(result);
    CHECK(attempts == 2);
    CHECK(store->read_stream("line-1", 0, 100)->size() == 2);
}

TEST_CASE("retries are bounded and end in Conflict") {
    auto store = make_memory_event_store();
    REQUIRE(store->append({{"line-1", ExpectedRevision::any(), {ev()}}}));
    int attempts = 0;
    auto result = execute_command(
        *store,
        [&]() -> core::Result<std::vector<StreamWrite>> {
            ++attempts;
            return std::vector<StreamWrite>{{"line-1", ExpectedRevision::no_stream(), {ev()}}};
        },
        3);
    REQUIRE_FALSE(result);
    CHECK(result.error().code == core::Errc::Conflict);
    CHECK(attempts == 3);
}

TEST_CASE("a decision without events appends nothing") {
    auto store = make_memory_event_store();
    auto result = execute_command(
        *store, [] { return core::Result<std::vector<StreamWrite>>(std::vector<StreamWrite>{}); });
    REQUIRE(result);
    CHECK(result->writes.empty());
    CHECK(store->head().total() == 0);
}

TEST_CASE("a decider's error is returned as is, without retry") {
    auto store = make_memory_event_store();
    int attempts = 0;
    auto result = execute_command(*store, [&]() -> core::Result<std::vector<StreamWrite>> {
        ++attempts;
        return core::fail(core::Errc::Rejected, "x", "no");
    });
    REQUIRE_FALSE(result);
    CHECK(result.error().code == core::Errc::Rejected);
    CHECK(attempts == 1);
}
