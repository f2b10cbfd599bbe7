// The IPTV command side on a real log: no hot stream, a command's reads do not grow with the
// catalogue, unique names held by claim streams, ids from blocks.
#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "events/iptv/iptv_service.hpp"
#include "events/memory_event_store.hpp"
#include "events/rocksdb/rocksdb_event_store.hpp"
#include "tests/support/result_checks.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard;
using namespace switchyard::core::iptv;
using namespace switchyard::events;
using switchyard::events::iptv::IptvService;
using switchyard::testing::error_of;
using switchyard::testing::TempDir;

namespace {

core::DecisionContext ctx(int n = 0) {
    core::DecisionContext c;
    c.now = core::from_unix_seconds(1'790'000'000);
    c.actor = core::Actor{core::ActorKind::ApiKey, "k_test", "127.0.0.1"};
    c.correlation_id = "req-" + std::to_string(n);
    c.random_secret = "0123456789abcdefghijklmnopqrstuvwxyz";
    c.hash_secret = [](const std::string& p) { return "h(" + p + ")"; };
    return c;
}

/// Counts the events a client reads from the log.
class CountingStore final : public EventStore {
  public:
    explicit CountingStore(EventStore& inner) : inner_(inner) {}
    core::Result<AppendResult> append(std::vector<StreamWrite> writes) override {
        return inner_.append(std::move(writes));
    }
    core::Result<std::vector<RecordedEvent>> read_stream(const std::string& stream,
                                                         std::int64_t from,
                                                         std::size_t max) override {
        auto r = inner_.read_stream(stream, from, max);
        if (r) events_read += static_cast<std::int64_t>(r->size());
        return r;
    }
    core::Result<std::vector<RecordedEvent>> read_all(const Checkpoint& from,
                                                      std::size_t max) override {
        auto r = inner_.read_all(from, max);
        if (r) events_read += static_cast<std::int64_t>(r->size());
        return r;
    }
    Checkpoint head() const override { return inner_.head(); }
    bool wait_for_events(const Checkpoint& from, std::chrono::milliseconds timeout) override {
        return inner_.wait_for_events(from, timeout);
    }
    std::atomic<std::int64_t> events_read{0};

  private:
    EventStore& inner_;
};

StreamFields stream_fields(const std::string& url, std::optional<std::int64_t> category = {}) {
    StreamFields f;
    f.name = "Channel " + url;
    f.source_url = "http://example.com/" + url + ".m3u8";
    f.category_id = category;
    return f;
}

CreateLine line_named(const std::string& username, const std::string& command_id) {
    CreateLine c;
    c.username = username;
    c.command_id = command_id;
    c.password = "pass-word-1";
    return c;
}

std::unique_ptr<EventStore> open_rocksdb(const TempDir& dir) {
    auto s = open_rocksdb_event_store(dir.path() / "log");
    REQUIRE(s);
    return std::move(*s);
}

}  // namespace

TEST_CASE("16 writers creating distinct lines, categories and streams never conflict") {
    TempDir dir;
    auto store = open_rocksdb(dir);
    IptvService svc(*store, "op");
    constexpr int kWriters = 16, kEach = 12;
    std::atomic<int> failures{0};
    std::mutex mu;
    std::set<std::int64_t> lines, categories, streams;
    std::vector<std::thread> threads;
    for (int w = 0; w < kWriters; ++w) {
        threads.emplace_back([&, w] {
            for (int i = 0; i < kEach; ++i) {
                const auto name = fmt::format("w{}-{}", w, i);
                auto l = svc.execute(line_named("line-" + name, "c-" + name), ctx(w));
                auto c = svc.execute(CreateCategory{"cat " + name}, ctx(w));
                auto s = svc.execute(AddStream{stream_fields(name), ""}, ctx(w));
                std::lock_guard lock(mu);
                auto count_failure = [&](const auto& r) {
                    if (!r) {
                        ++failures;
                        MESSAGE(r.error().field << ": " << r.error().message);
                    }
                };
                count_failure(l);
                count_failure(c);
                count_failure(s);
                if (l) lines.insert(l->id);
                if (c) categories.insert(c->id);
                if (s) streams.insert(s->id);
            }
        });
    }
    for (auto& t : threads) t.join();
    CHECK(failures == 0);
    // Every create got an id of its own.
    CHECK(lines.size() == kWriters * kEach);
    CHECK(categories.size() == kWriters * kEach);
    CHECK(streams.size() == kWriters * kEach);
}

TEST_CASE("a create reads a bounded number of events however large the catalogue is") {
    auto inner = make_memory_event_store();
    {
        IptvService svc(*inner, "op");
        ImportPlaylist import{"big", {}, 0};
        for (int i = 0; i < 3000; ++i)
            import.entries.push_back(ImportEntry{i + 1, stream_fields(std::to_string(i)),
                                                 "Group " + std::to_string(i % 50)});
        REQUIRE(svc.execute(import, ctx()));
        REQUIRE(svc.execute(CreateBouquet{"All", {1, 2}, {}}, ctx()));
        REQUIRE(svc.execute(line_named("first", "c-1"), ctx()));
    }
    REQUIRE(inner->head().total() > 3000);
    // A fresh service, as after a restart: nothing is cached.
    CountingStore counted(*inner);
    IptvService svc(counted, "op");
    auto measure = [&](auto&& command) {
        const auto before = counted.events_read.load();
        auto r = svc.execute(command, ctx(7));
        REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
        CHECK(r->changed);
        return counted.events_read.load() - before;
    };
    // Each reads its own claim, the entries it refers to and one id block: a handful of events.
    CHECK(measure(CreateCategory{"Kids"}) <= 8);
    CHECK(measure(AddStream{stream_fields("new", 3), ""}) <= 8);
    CHECK(measure(line_named("second", "c-2")) <= 8);
    CHECK(measure(CreateBouquet{"Two", {3}, {5}}) <= 8);
}

TEST_CASE("line usernames are unique without regard to case, and a retry is not a clash") {
    auto store = make_memory_event_store();
    IptvService svc(*store, "op");
    auto first = svc.execute(line_named("Viewer1", "c-1"), ctx());
    REQUIRE(first);
    auto retry = svc.execute(line_named("Viewer1", "c-1"), ctx());
    REQUIRE(retry);
    CHECK(retry->id == first->id);
    CHECK_FALSE(retry->changed);
    auto other_case = svc.execute(line_named("viewer1", "c-2"), ctx());
    REQUIRE_FALSE(other_case);
    CHECK(other_case.error().code == core::Errc::Conflict);
    CHECK(other_case.error().field == "username");
    // Deleting the line gives the name back, in any case.
    REQUIRE(svc.execute(DeleteLine{first->id}, ctx()));
    auto again = svc.execute(line_named("VIEWER1", "c-3"), ctx());
    REQUIRE(again);
    CHECK(again->id != first->id);
}

TEST_CASE("unique names hold across entries: source URLs, category and bouquet names") {
    auto store = make_memory_event_store();
    IptvService svc(*store, "op");
    auto news = svc.execute(CreateCategory{"News"}, ctx());
    REQUIRE(news);
    // The same name again is the same category; a rename onto a taken name is a conflict.
    CHECK(svc.execute(CreateCategory{"News"}, ctx())->id == news->id);
    auto sport = svc.execute(CreateCategory{"Sport"}, ctx());
    REQUIRE(sport);
    CHECK(error_of(svc.execute(RenameCategory{sport->id, "News"}, ctx())).code ==
          core::Errc::Conflict);
    // After a rename the old name is free again.
    REQUIRE(svc.execute(RenameCategory{news->id, "World News"}, ctx()));
    auto news2 = svc.execute(CreateCategory{"News"}, ctx());
    REQUIRE(news2);
    CHECK(news2->changed);
    CHECK(news2->id != news->id);

    auto a = svc.execute(AddStream{stream_fields("a", news->id), ""}, ctx());
    REQUIRE(a);
    auto clash = stream_fields("a");
    clash.name = "Other";
    CHECK(error_of(svc.execute(AddStream{clash, ""}, ctx())).code == core::Errc::Conflict);
    // Changing the URL releases the old one.
    auto moved = stream_fields("a2", news->id);
    moved.name = stream_fields("a").name;
    REQUIRE(svc.execute(UpdateStream{a->id, moved}, ctx()));
    auto b = svc.execute(AddStream{clash, ""}, ctx());
    REQUIRE(b);
    CHECK(b->changed);

    REQUIRE(svc.execute(CreateBouquet{"Basic", {news->id}, {a->id}}, ctx()));
    CHECK(error_of(svc.execute(CreateBouquet{"Basic", {}, {b->id}}, ctx())).code ==
          core::Errc::Conflict);
}

TEST_CASE("deleting a category moves the streams its members list names, and later reads follow") {
    auto store = make_memory_event_store();
    IptvService svc(*store, "op");
    auto news = svc.execute(CreateCategory{"News"}, ctx())->id;
    auto sport = svc.execute(CreateCategory{"Sport"}, ctx())->id;
    auto a = svc.execute(AddStream{stream_fields("a", news), ""}, ctx())->id;
    auto members = [&](std::int64_t) -> core::Result<std::vector<std::int64_t>> {
        return std::vector<std::int64_t>{a};
    };
    auto refused = svc.execute(DeleteCategory{news, std::nullopt}, ctx(), members);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == core::Errc::Rejected);
    REQUIRE(svc.execute(DeleteCategory{news, sport}, ctx(), members));
    auto st = svc.stream(a);
    REQUIRE(st);
    CHECK(st->fields.category_id == sport);
    // A change to the stream keeps it where it was moved.
    auto renamed = st->fields;
    renamed.name = "A renamed";
    REQUIRE(svc.execute(UpdateStream{a, renamed}, ctx()));
    CHECK(svc.stream(a)->fields.category_id == sport);
    // And deleting the category it was moved to finds it there.
    auto third = svc.execute(CreateCategory{"Third"}, ctx())->id;
    auto moved_again = svc.execute(DeleteCategory{sport, third}, ctx(), members);
    REQUIRE(moved_again);
    CHECK(svc.stream(a)->fields.category_id == third);
}

TEST_CASE("two services on one log (two processes) hand out distinct ids") {
    auto store = make_memory_event_store();
    IptvService one(*store, "op");
    IptvService two(*store, "op");
    std::set<std::int64_t> ids;
    for (int i = 0; i < 100; ++i) {
        auto& svc = i % 2 ? one : two;
        auto r = svc.execute(AddStream{stream_fields("s" + std::to_string(i)), ""}, ctx());
        REQUIRE(r);
        CHECK(ids.insert(r->id).second);
    }
    // A service started later never hands out an id a block already holds.
    IptvService three(*store, "op");
    auto r = three.execute(AddStream{stream_fields("late"), ""}, ctx());
    REQUIRE(r);
    CHECK(r->id > *ids.rbegin());
}

TEST_CASE("within one process ids are consecutive, also when a request needs a larger block") {
    auto store = make_memory_event_store();
    IptvService svc(*store, "op");
    for (int i = 1; i <= 10; ++i)
        CHECK(svc.execute(AddStream{stream_fields("s" + std::to_string(i)), ""}, ctx())->id == i);
    ImportPlaylist import{"big", {}, 0};
    for (int i = 0; i < 100; ++i)
        import.entries.push_back(ImportEntry{i + 1, stream_fields("i" + std::to_string(i)), ""});
    REQUIRE(svc.execute(import, ctx()));
    CHECK(svc.stream(11));
    CHECK(svc.stream(110));
    CHECK_FALSE(svc.stream(111));
    CHECK(svc.execute(AddStream{stream_fields("next"), ""}, ctx())->id == 111);
}
