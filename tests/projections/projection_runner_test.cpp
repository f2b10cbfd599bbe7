#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>
#include <set>
#include <thread>

#include "app/modules/module.hpp"
#include "core/iptv/m3u.hpp"
#include "events/command_handler.hpp"
#include "events/iptv/iptv_service.hpp"
#include "events/memory_event_store.hpp"
#include "projections/iptv/xtream_catalogue.hpp"
#include "projections/projection_runner.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard;
using namespace switchyard::core::iptv;
using switchyard::testing::TempDir;

namespace {

core::DecisionContext ctx(int n) {
    core::DecisionContext c;
    c.now = core::from_unix_seconds(1'790'000'000 + n);
    c.actor = core::Actor{core::ActorKind::ApiKey, "k_test", "127.0.0.1"};
    c.correlation_id = "req-" + std::to_string(n);
    c.random_secret = "AbCdEfGhIjKlMnOpQrStUvWx" + std::to_string(n);
    c.hash_secret = [](const std::string& p) { return "h:" + p; };
    return c;
}

/// A history that touches every event type the projectors read.
void write_history(events::EventStore& store) {
    events::iptv::IptvService svc(store, "op");
    const char* m3u =
        "#EXTM3U\n"
        "#EXTINF:-1 tvg-id=\"ABC.us@East\" group-title=\"News\",ABC (720p)\nhttp://a/1\n"
        "#EXTINF:-1 tvg-id=\"CBS.us@East\" group-title=\"News\",CBS\nhttp://a/2\n"
        "#EXTINF:-1 tvg-id=\"\" group-title=\"Kids\",Cartoons\nhttp://a/3\n";
    std::vector<M3uProblem> invalid;
    auto cmd = make_import(parse_m3u(m3u), "us", CategoryFrom::GroupTitle, invalid);
    REQUIRE(svc.execute(cmd, ctx(1)));
    REQUIRE(svc.execute(CreateCategory{"Sport"}, ctx(2)));
    REQUIRE(svc.execute(CreateBouquet{"Basic", {1}, {3}}, ctx(3)));
    REQUIRE(svc.execute(RenameCategory{2, "Children"}, ctx(4)));
    REQUIRE(svc.execute(DeleteCategory{2, 3}, ctx(5)));
    StreamFields f;
    f.name = "ABC East";
    f.source_url = "http://a/1b";
    f.category_id = 1;
    REQUIRE(svc.execute(UpdateStream{1, f}, ctx(6)));
    REQUIRE(svc.execute(RemoveStream{2}, ctx(7)));
    CreateLine line;
    line.command_id = "c1";
    line.username = "alice";
    line.settings.bouquets = {1};
    REQUIRE(svc.execute(line, ctx(8)));
    line.command_id = "c2";
    line.username = "bob";
    line.settings.bouquets = {};
    REQUIRE(svc.execute(line, ctx(9)));
    UpdateLine u;
    u.line_id = 2;
    u.status = LineStatus::Disabled;
    u.password = "new-password";
    REQUIRE(svc.execute(u, ctx(10)));
    REQUIRE(svc.execute(DeleteLine{1}, ctx(11)));
    REQUIRE(svc.execute(UpdateBouquet{1, "Basic", {1, 3}, {}}, ctx(12)));
}

/// A projector that counts events, to watch rebuilds.
class CountingProjector final : public projections::Projector {
  public:
    /// @param only when not empty, the one event type it accepts (any other reaching project()
    /// is counted under `unwanted`).
    explicit CountingProjector(std::string name, bool fail_on_second = false, std::string only = {})
        : name_(std::move(name)), fail_(fail_on_second), only_(std::move(only)) {}
    std::string name() const override { return name_; }
    bool accepts(std::string_view type) const override { return only_.empty() || type == only_; }
    core::Result<void> project(const events::RecordedEvent& e,
                               projections::ProjectionWrites& w) override {
        if (!accepts(e.type)) {
            w.put("unwanted", e.type);
            return {};
        }
        if (fail_ && e.position.offset == 1)
            return core::fail(core::Errc::Invalid, "data", "cannot read this event");
        auto n = std::stoll(w.get("count").value_or("0"));
        w.put("count", std::to_string(n + 1));
        w.put("row/" + std::to_string(e.position.offset), e.type);
        return {};
    }

  private:
    std::string name_;
    bool fail_;
    std::string only_;
};

std::vector<std::unique_ptr<projections::Projector>> one(
    std::unique_ptr<projections::Projector> p) {
    std::vector<std::unique_ptr<projections::Projector>> v;
    v.push_back(std::move(p));
    return v;
}

}  // namespace

TEST_CASE("a rebuild from the log is byte-identical to the live models") {
    auto store = events::make_memory_event_store();
    TempDir live_dir, rebuilt_dir;
    auto live = projections::ProjectionRunner::open(live_dir.path(), app::all_projectors());
    REQUIRE(live);
    (*live)->start(*store);
    write_history(*store);
    const auto head = store->head();
    std::vector<events::Position> last{{0, head.next_offset(0) - 1}};
    REQUIRE((*live)->wait_for(last, std::chrono::seconds(10)));
    (*live)->stop();

    auto rebuilt = projections::ProjectionRunner::open(rebuilt_dir.path(), app::all_projectors());
    REQUIRE(rebuilt);
    REQUIRE((*rebuilt)->catch_up(*store, std::nullopt));
    for (const auto& name : (*live)->names()) {
        auto a = (*live)->digest(name);
        auto b = (*rebuilt)->digest(name);
        REQUIRE(a);
        REQUIRE(b);
        CHECK_MESSAGE(*a == *b, name);
        CHECK(*(*live)->checkpoint(name) == head);
    }
    // And the digest does see the content: a model built only halfway differs.
    TempDir half_dir;
    auto half = projections::ProjectionRunner::open(half_dir.path(), app::all_projectors());
    events::Checkpoint mid;
    mid.advance(events::Position{0, head.next_offset(0) / 2});
    REQUIRE((*half)->catch_up(*store, mid));
    CHECK(*(*half)->digest("xtream_catalogue.v1") != *(*live)->digest("xtream_catalogue.v1"));
}

TEST_CASE("bumping a projector's version rebuilds its model from the start") {
    auto store = events::make_memory_event_store();
    write_history(*store);
    const auto total = store->head().total();
    TempDir dir;
    {
        auto r = projections::ProjectionRunner::open(
            dir.path(), one(std::make_unique<CountingProjector>("counting.v1")));
        REQUIRE(r);
        REQUIRE((*r)->catch_up(*store, std::nullopt));
        CHECK((*r)->view("counting.v1")->get("count") == std::to_string(total));
    }
    {
        // Same version: nothing to redo.
        auto r = projections::ProjectionRunner::open(
            dir.path(), one(std::make_unique<CountingProjector>("counting.v1")));
        REQUIRE((*r)->catch_up(*store, std::nullopt));
        CHECK((*r)->view("counting.v1")->get("count") == std::to_string(total));
    }
    {
        auto r = projections::ProjectionRunner::open(
            dir.path(), one(std::make_unique<CountingProjector>("counting.v2")));
        REQUIRE(r);
        CHECK((*r)->checkpoint("counting.v2")->total() == 0);
        REQUIRE((*r)->catch_up(*store, std::nullopt));
        CHECK((*r)->view("counting.v2")->get("count") == std::to_string(total));
    }
}

TEST_CASE(
    "events of types a projector does not accept skip it, and its checkpoint moves past them") {
    auto store = events::make_memory_event_store();
    write_history(*store);
    const auto head = store->head();
    std::int64_t lines = 0;
    auto all = store->read_all(events::Checkpoint{}, 10'000);
    REQUIRE(all);
    for (const auto& e : *all) lines += e.type == "iptv.line.created" ? 1 : 0;
    REQUIRE(lines == 2);
    TempDir dir;
    {
        // The counting model first alone up to the middle of the log, so in the next run the
        // two models start from different checkpoints within one batch.
        auto r = projections::ProjectionRunner::open(
            dir.path(), one(std::make_unique<CountingProjector>("every.v1")));
        events::Checkpoint mid;
        mid.advance(events::Position{0, head.next_offset(0) / 2});
        REQUIRE((*r)->catch_up(*store, mid));
        CHECK(*(*r)->checkpoint("every.v1") == mid);
    }
    std::vector<std::unique_ptr<projections::Projector>> both;
    both.push_back(std::make_unique<CountingProjector>("every.v1"));
    both.push_back(std::make_unique<CountingProjector>("lines.v1", false, "iptv.line.created"));
    auto r = projections::ProjectionRunner::open(dir.path(), std::move(both));
    REQUIRE(r);
    REQUIRE((*r)->catch_up(*store, std::nullopt));
    CHECK((*r)->view("every.v1")->get("count") == std::to_string(head.total()));
    CHECK((*r)->view("lines.v1")->get("count") == std::to_string(lines));
    CHECK_FALSE((*r)->view("lines.v1")->get("unwanted"));
    CHECK(*(*r)->checkpoint("lines.v1") == head);
    CHECK(*(*r)->checkpoint("every.v1") == head);
    CHECK((*r)->events_applied() == head.total());
}

TEST_CASE("a batch that fails leaves rows and checkpoint as they were") {
    auto store = events::make_memory_event_store();
    write_history(*store);
    TempDir dir;
    auto r = projections::ProjectionRunner::open(
        dir.path(), one(std::make_unique<CountingProjector>("failing.v1", true)));
    REQUIRE(r);
    auto result = (*r)->catch_up(*store, std::nullopt);
    REQUIRE_FALSE(result);
    CHECK((*r)->checkpoint("failing.v1")->total() == 0);
    CHECK_FALSE((*r)->view("failing.v1")->get("count"));
    CHECK_FALSE((*r)->view("failing.v1")->get("row/0"));
}

TEST_CASE("waiting for a position the models have not reached times out") {
    auto store = events::make_memory_event_store();
    TempDir dir;
    auto r = projections::ProjectionRunner::open(dir.path(), app::all_projectors());
    REQUIRE(r);
    CHECK_FALSE((*r)->wait_for({events::Position{0, 5}}, std::chrono::milliseconds(50)));
    CHECK((*r)->wait_for({}, std::chrono::milliseconds(1)));
}

TEST_CASE("notify_when calls back once the models reach the position, and never once cancelled") {
    auto store = events::make_memory_event_store();
    write_history(*store);
    const auto head = store->head();
    const events::Position last{0, head.next_offset(0) - 1};
    TempDir dir;
    auto r = projections::ProjectionRunner::open(dir.path(), app::all_projectors());
    REQUIRE(r);
    auto& runner = **r;
    int reached = 0, cancelled = 0;
    const auto ticket = runner.notify_when({last}, [&] { ++reached; });
    CHECK(ticket != 0);
    const auto other = runner.notify_when({last}, [&] { ++cancelled; });
    runner.cancel_notify(other);
    CHECK(reached == 0);
    REQUIRE(runner.catch_up(*store, std::nullopt));
    CHECK(reached == 1);
    CHECK(cancelled == 0);
    // Already reached: called at once, on this thread, and no ticket to cancel.
    CHECK(runner.notify_when({last}, [&] { ++reached; }) == 0);
    CHECK(reached == 2);
    runner.cancel_notify(ticket);  // a spent ticket is ignored
}

namespace {

/// Events `from` to `from + n` of three test types in turn, spread over 50 streams.
void write_ticks(events::EventStore& store, int from, int n) {
    const char* types[] = {"test.tick.counted", "test.tock.counted", "test.tack.counted"};
    for (int i = from; i < from + n; i += 100) {
        std::vector<events::StreamWrite> writes;
        for (int s = 0; s < 50; ++s)
            writes.push_back({"tick-" + std::to_string(s), events::ExpectedRevision::any(), {}});
        for (int k = i; k < i + 100 && k < from + n; ++k) {
            writes[static_cast<std::size_t>(k % 50)].events.push_back(events::make_new_event(
                types[k % 3], 1, "{\"n\":" + std::to_string(k) + "}", ctx(100 + k), "op"));
        }
        std::erase_if(writes, [](const events::StreamWrite& w) { return w.events.empty(); });
        const auto appended = store.append(std::move(writes));
        REQUIRE_MESSAGE(appended, (appended ? "" : appended.error().message));
    }
}

/// The IPTV history, then `n` ticks: a log whose catch-up batches are long enough to be split
/// between threads.
void write_long_history(events::EventStore& store, int n) {
    write_history(store);
    write_ticks(store, 0, n);
}

/// The threads that projected, shared by the projectors that record them.
struct ThreadsSeen {
    std::mutex mu;
    std::set<std::thread::id> ids;
};

/// Counts every event like CountingProjector and notes the thread that projects it.
class ThreadRecorder final : public projections::Projector {
  public:
    ThreadRecorder(std::string name, std::shared_ptr<ThreadsSeen> seen)
        : counter_(std::move(name)), seen_(std::move(seen)) {}
    std::string name() const override { return counter_.name(); }
    core::Result<void> project(const events::RecordedEvent& e,
                               projections::ProjectionWrites& w) override {
        {
            std::lock_guard lock(seen_->mu);
            seen_->ids.insert(std::this_thread::get_id());
        }
        return counter_.project(e, w);
    }

  private:
    CountingProjector counter_;
    std::shared_ptr<ThreadsSeen> seen_;
};

/// Catches both runners up with `store`, then checks that every model is the same in both and
/// at the head.
void catch_up_alike(projections::ProjectionRunner& a, projections::ProjectionRunner& b,
                    events::EventStore& store) {
    REQUIRE(a.catch_up(store, std::nullopt));
    REQUIRE(b.catch_up(store, std::nullopt));
    for (const auto& name : a.names()) {
        CHECK_MESSAGE(*a.digest(name) == *b.digest(name), name);
        CHECK(*b.checkpoint(name) == store.head());
    }
}

/// Every application model plus counting models of each test type and of every type, and
/// four that note their threads in `seen` (when given).
std::vector<std::unique_ptr<projections::Projector>> many_models(
    const std::shared_ptr<ThreadsSeen>& seen = nullptr) {
    auto out = app::all_projectors();
    for (int i = 0; seen && i < 4; ++i)
        out.push_back(
            std::make_unique<ThreadRecorder>("threads" + std::to_string(i) + ".v1", seen));
    out.push_back(std::make_unique<CountingProjector>("every.v1"));
    for (const char* t : {"test.tick.counted", "test.tock.counted", "test.tack.counted"})
        out.push_back(std::make_unique<CountingProjector>(std::string(t) + ".v1", false, t));
    return out;
}

}  // namespace

TEST_CASE("models projected by several threads equal the models one thread projects") {
    auto store = events::make_memory_event_store();
    write_long_history(*store, 9'000);
    const auto head = store->head();
    TempDir one_dir, four_dir;
    projections::ProjectionRunnerOptions one_thread, four_threads;
    one_thread.threads = 1;
    four_threads.threads = 4;
    auto seen_one = std::make_shared<ThreadsSeen>();
    auto seen_four = std::make_shared<ThreadsSeen>();
    auto a = projections::ProjectionRunner::open(one_dir.path(), many_models(seen_one), one_thread);
    auto b =
        projections::ProjectionRunner::open(four_dir.path(), many_models(seen_four), four_threads);
    REQUIRE(a);
    REQUIRE(b);
    catch_up_alike(**a, **b, *store);
    CHECK((*b)->view("every.v1")->get("count") == std::to_string(head.total()));
    CHECK((*b)->view("test.tock.counted.v1")->get("count") == "3000");
    CHECK_FALSE((*b)->view("test.tock.counted.v1")->get("unwanted"));
    CHECK((*b)->events_applied() == head.total());
    // One thread projected every model there, several here.
    CHECK(seen_one->ids.size() == 1);
    CHECK(seen_four->ids.size() > 1);
}

TEST_CASE(
    "when one model fails in a batch split between threads, every model stays at its "
    "checkpoint") {
    auto store = events::make_memory_event_store();
    write_long_history(*store, 1'000);
    const auto head = store->head();
    TempDir dir;
    projections::ProjectionRunnerOptions options;
    options.threads = 3;
    options.bulk_load = false;  // each model's rows and checkpoint written per batch
    std::vector<std::unique_ptr<projections::Projector>> models;
    models.push_back(std::make_unique<CountingProjector>("every.v1"));
    models.push_back(std::make_unique<CountingProjector>("failing.v1", true));
    models.push_back(std::make_unique<CountingProjector>("ticks.v1", false, "test.tick.counted"));
    auto r = projections::ProjectionRunner::open(dir.path(), std::move(models), options);
    REQUIRE(r);
    REQUIRE_FALSE((*r)->catch_up(*store, std::nullopt));
    CHECK((*r)->checkpoint("failing.v1")->total() == 0);
    CHECK_FALSE((*r)->view("failing.v1")->get("count"));
    // The busiest model is taken first and finished whatever happens after: it moved. The
    // others either wrote the whole batch with their checkpoint, or nothing.
    CHECK((*r)->checkpoint("every.v1")->total() == head.total());
    CHECK((*r)->view("every.v1")->get("count") == std::to_string(head.total()));
    const auto ticks_at = (*r)->checkpoint("ticks.v1")->total();
    CHECK((ticks_at == 0 || ticks_at == head.total()));
    CHECK((*r)->view("ticks.v1")->get("count") ==
          (ticks_at == 0 ? std::nullopt : std::optional<std::string>("334")));
    r->reset();
    // Opened again without the failing model, each model resumes from its own checkpoint: the
    // one that moved is not projected twice.
    std::vector<std::unique_ptr<projections::Projector>> healthy;
    healthy.push_back(std::make_unique<CountingProjector>("every.v1"));
    healthy.push_back(std::make_unique<CountingProjector>("ticks.v1", false, "test.tick.counted"));
    auto again = projections::ProjectionRunner::open(dir.path(), std::move(healthy), options);
    REQUIRE(again);
    REQUIRE((*again)->catch_up(*store, std::nullopt));
    CHECK((*again)->view("every.v1")->get("count") == std::to_string(head.total()));
    CHECK((*again)->view("ticks.v1")->get("count") == "334");
}

namespace {

/// Writes and erases ten keys in turn (`k/<offset % 10>`: put for offsets whose tens digit is
/// even, erased for odd), so that later rows delete what earlier ones wrote.
class ToggleProjector final : public projections::Projector {
  public:
    std::string name() const override { return "toggle.v1"; }
    core::Result<void> project(const events::RecordedEvent& e,
                               projections::ProjectionWrites& w) override {
        const auto key = "k/" + std::to_string(e.position.offset % 10);
        if ((e.position.offset / 10) % 2 == 0) {
            w.put(key, std::to_string(e.position.offset));
        } else {
            w.erase(key);
        }
        return {};
    }
};

/// Counts like CountingProjector and ends the process at `offset` (a crash in the middle of a
/// rebuild, run in a child process).
class DyingProjector final : public projections::Projector {
  public:
    explicit DyingProjector(std::int64_t offset) : counter_("counting.v1"), offset_(offset) {}
    std::string name() const override { return counter_.name(); }
    core::Result<void> project(const events::RecordedEvent& e,
                               projections::ProjectionWrites& w) override {
        if (e.position.offset == offset_) std::_Exit(0);
        return counter_.project(e, w);
    }

  private:
    CountingProjector counter_;
    std::int64_t offset_;
};

}  // namespace

TEST_CASE(
    "a model built by bulk load, spilled many times, equals the one built batch by "
    "batch") {
    auto store = events::make_memory_event_store();
    write_long_history(*store, 9'000);
    const auto head = store->head();
    auto models = [] {
        auto out = many_models();
        out.push_back(std::make_unique<ToggleProjector>());
        return out;
    };
    TempDir batch_dir, bulk_dir;
    projections::ProjectionRunnerOptions by_batch, by_bulk;
    by_batch.bulk_load = false;
    by_bulk.bulk_spill_bytes = 16 * 1024;  // a spill every few hundred events
    auto a = projections::ProjectionRunner::open(batch_dir.path(), models(), by_batch);
    auto b = projections::ProjectionRunner::open(bulk_dir.path(), models(), by_bulk);
    REQUIRE(a);
    REQUIRE(b);
    catch_up_alike(**a, **b, *store);
    // The toggled keys: the last offset's tens digit decides whether each is there.
    const auto last = head.next_offset(0) - 1;
    CHECK(static_cast<bool>((*b)->view("toggle.v1")->get("k/" + std::to_string(last % 10))) ==
          ((last / 10) % 2 == 0));
    CHECK((*b)->view("every.v1")->get("count") == std::to_string(head.total()));
    // After the bulk load the models take the live path.
    write_ticks(*store, 9'000, 300);
    REQUIRE((*a)->catch_up(*store, std::nullopt));
    REQUIRE((*b)->catch_up(*store, std::nullopt));
    for (const auto& name : (*a)->names())
        CHECK_MESSAGE(*(*a)->digest(name) == *(*b)->digest(name), name);
}

TEST_CASE("a bulk load that dies in the middle builds the model again from the start") {
    auto store = events::make_memory_event_store();
    write_long_history(*store, 6'000);
    const auto head = store->head();
    TempDir dir;
    projections::ProjectionRunnerOptions options;
    options.bulk_spill_bytes = 16 * 1024;
    options.threads = 1;
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // Dies in the third batch of 4096 events, after several spills were ingested.
        std::vector<std::unique_ptr<projections::Projector>> dying;
        dying.push_back(std::make_unique<DyingProjector>(5'000));
        auto r = projections::ProjectionRunner::open(dir.path(), std::move(dying), options);
        if (r) (void)(*r)->catch_up(*store, std::nullopt);
        std::_Exit(3);  // not reached when the projector ends the process
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);

    auto r = projections::ProjectionRunner::open(
        dir.path(), one(std::make_unique<CountingProjector>("counting.v1")), options);
    REQUIRE(r);
    CHECK((*r)->checkpoint("counting.v1")->entries().empty());
    CHECK_FALSE((*r)->view("counting.v1")->get("count"));  // the ingested rows are gone
    REQUIRE((*r)->catch_up(*store, std::nullopt));
    // Counted once per event: nothing of the first attempt was counted again.
    CHECK((*r)->view("counting.v1")->get("count") == std::to_string(head.total()));
    CHECK(*(*r)->checkpoint("counting.v1") == head);
}

TEST_CASE("a live runner bulk-loads an empty model up to the head when no event follows") {
    // The log is long enough for bulk load and then stays quiet: the models must still reach
    // the head (the subscription alone would never say that projection has caught up).
    auto store = events::make_memory_event_store();
    write_long_history(*store, 2'000);
    TempDir dir;
    auto r = projections::ProjectionRunner::open(dir.path(), many_models());
    REQUIRE(r);
    (*r)->start(*store);
    const auto head = store->head();
    CHECK((*r)->wait_for({{0, head.next_offset(0) - 1}}, std::chrono::seconds(10)));
    CHECK(*(*r)->checkpoint("every.v1") == head);
    CHECK((*r)->view("every.v1")->get("count") == std::to_string(head.total()));
    (*r)->stop();
}
