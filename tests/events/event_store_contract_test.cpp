// The EventStore contract (DESIGN.md, The log): every backend must pass every case here.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "events/uuid.hpp"
#include "tests/events/store_backends.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::events;
using switchyard::testing::error_of;
using switchyard::testing::KafkaBackend;
using switchyard::testing::MemoryBackend;
using switchyard::testing::RocksDbBackend;

namespace {

core::Timestamp t0() { return core::from_unix_seconds(1'790'000'000); }

NewEvent ev(const std::string& type = "test.thing.happened", std::string data = "{}") {
    NewEvent e;
    e.id = new_uuid_v7(t0());
    e.type = type;
    e.time = t0();
    e.actor = core::Actor{core::ActorKind::System, "test", ""};
    e.tenant = "op";
    e.data = std::move(data);
    return e;
}

std::vector<NewEvent> evs(int n) {
    std::vector<NewEvent> out;
    for (int i = 0; i < n; ++i)
        out.push_back(ev("test.thing.happened", fmt::format(R"({{"i":{}}})", i)));
    return out;
}

std::int64_t head_total(EventStore& s) { return s.head().total(); }

}  // namespace

TEST_CASE_TEMPLATE("appending to a new stream assigns revisions from 0 and increasing positions", B,
                   MemoryBackend, RocksDbBackend, KafkaBackend) {
    B b;
    auto r = b.get().append({{"line-1", ExpectedRevision::no_stream(), evs(3)}});
    REQUIRE(r);
    REQUIRE(r->writes.size() == 1);
    CHECK(r->writes[0].last_revision == 2);
    REQUIRE(r->writes[0].positions.size() == 3);
    CHECK(r->writes[0].positions[0].offset < r->writes[0].positions[1].offset);
    CHECK(r->writes[0].positions[1].offset < r->writes[0].positions[2].offset);
    auto read = b.get().read_stream("line-1", 0, 100);
    REQUIRE(read);
    REQUIRE(read->size() == 3);
    for (int i = 0; i < 3; ++i) {
        CHECK((*read)[static_cast<std::size_t>(i)].revision == i);
        CHECK((*read)[static_cast<std::size_t>(i)].stream == "line-1");
        CHECK((*read)[static_cast<std::size_t>(i)].data == fmt::format(R"({{"i":{}}})", i));
    }
    CHECK(head_total(b.get()) == 3);
}

TEST_CASE_TEMPLATE("expected revisions are enforced", B, MemoryBackend, RocksDbBackend,
                   KafkaBackend) {
    B b;
    auto& s = b.get();
    REQUIRE(s.append({{"line-1", ExpectedRevision::no_stream(), evs(2)}}));
    SUBCASE("no_stream on an existing stream conflicts") {
        auto r = s.append({{"line-1", ExpectedRevision::no_stream(), evs(1)}});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == core::Errc::Conflict);
    }
    SUBCASE("a stale exact revision conflicts") {
        auto r = s.append({{"line-1", ExpectedRevision::exact(0), evs(1)}});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == core::Errc::Conflict);
    }
    SUBCASE("exact on a missing stream conflicts") {
        auto r = s.append({{"line-2", ExpectedRevision::exact(0), evs(1)}});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == core::Errc::Conflict);
    }
    SUBCASE("the right exact revision appends") {
        auto r = s.append({{"line-1", ExpectedRevision::exact(1), evs(1)}});
        REQUIRE(r);
        CHECK(r->writes[0].last_revision == 2);
    }
    SUBCASE("any appends whatever the revision") {
        REQUIRE(s.append({{"line-1", ExpectedRevision::any(), evs(1)}}));
        REQUIRE(s.append({{"line-9", ExpectedRevision::any(), evs(1)}}));
        CHECK(head_total(s) == 4);
    }
}

TEST_CASE_TEMPLATE("a multi-stream append commits all writes or none", B, MemoryBackend,
                   RocksDbBackend, KafkaBackend) {
    B b;
    auto& s = b.get();
    REQUIRE(s.append({{"registry-op", ExpectedRevision::no_stream(), evs(1)}}));
    const auto before = head_total(s);
    auto bad = s.append({{"line-1", ExpectedRevision::no_stream(), evs(2)},
                         {"registry-op", ExpectedRevision::no_stream(), evs(1)}});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == core::Errc::Conflict);
    CHECK(head_total(s) == before);
    CHECK(s.read_stream("line-1", 0, 10)->empty());

    auto good = s.append({{"line-1", ExpectedRevision::no_stream(), evs(2)},
                          {"registry-op", ExpectedRevision::exact(0), evs(1)}});
    REQUIRE(good);
    CHECK(good->writes[0].last_revision == 1);
    CHECK(good->writes[1].last_revision == 1);
    CHECK(head_total(s) == before + 3);
}

TEST_CASE_TEMPLATE("a write without events only checks its expected revision", B, MemoryBackend,
                   RocksDbBackend, KafkaBackend) {
    B b;
    auto& s = b.get();
    REQUIRE(s.append({{"catalogue-op", ExpectedRevision::no_stream(), evs(1)}}));
    auto stale = s.append({{"line-1", ExpectedRevision::no_stream(), evs(1)},
                           {"catalogue-op", ExpectedRevision::exact(5), {}}});
    REQUIRE_FALSE(stale);
    CHECK(stale.error().code == core::Errc::Conflict);
    auto ok = s.append({{"line-1", ExpectedRevision::no_stream(), evs(1)},
                        {"catalogue-op", ExpectedRevision::exact(0), {}}});
    REQUIRE(ok);
    CHECK(s.read_stream("catalogue-op", 0, 10)->size() == 1);
}

TEST_CASE_TEMPLATE("re-appending stored event ids is a no-op answering the original positions", B,
                   MemoryBackend, RocksDbBackend, KafkaBackend) {
    B b;
    auto& s = b.get();
    auto events = evs(2);
    auto first = s.append({{"line-1", ExpectedRevision::no_stream(), events}});
    REQUIRE(first);
    auto again = s.append({{"line-1", ExpectedRevision::no_stream(), events}});
    REQUIRE(again);
    CHECK(again->deduplicated);
    CHECK(again->writes[0].positions == first->writes[0].positions);
    CHECK(head_total(s) == 2);

    auto mixed = events;
    mixed.push_back(ev());
    auto partial = s.append({{"line-1", ExpectedRevision::exact(1), mixed}});
    REQUIRE_FALSE(partial);
    CHECK(partial.error().code == core::Errc::Conflict);
    CHECK(head_total(s) == 2);
}

TEST_CASE_TEMPLATE("malformed appends are refused and store nothing", B, MemoryBackend,
                   RocksDbBackend, KafkaBackend) {
    B b;
    auto& s = b.get();
    auto bad_type = ev("NotAType");
    CHECK(error_of(s.append({{"line-1", ExpectedRevision::any(), {bad_type}}})).code ==
          core::Errc::Invalid);
    CHECK(error_of(s.append({{"has space", ExpectedRevision::any(), evs(1)}})).field == "stream");
    CHECK(error_of(s.append({{"", ExpectedRevision::any(), evs(1)}})).code == core::Errc::Invalid);
    CHECK(error_of(s.append({{"a-1", ExpectedRevision::any(), evs(1)},
                             {"a-1", ExpectedRevision::any(), evs(1)}}))
              .code == core::Errc::Invalid);
    auto no_id = ev();
    no_id.id.clear();
    CHECK(error_of(s.append({{"line-1", ExpectedRevision::any(), {no_id}}})).field == "id");
    auto not_object = ev("test.thing.happened", "[1]");
    CHECK(error_of(s.append({{"line-1", ExpectedRevision::any(), {not_object}}})).field == "data");
    CHECK(error_of(s.append({})).code == core::Errc::Invalid);
    CHECK(head_total(s) == 0);
}

TEST_CASE_TEMPLATE("read_stream and read_all page through the log in order", B, MemoryBackend,
                   RocksDbBackend, KafkaBackend) {
    B b;
    auto& s = b.get();
    for (int i = 0; i < 5; ++i) {
        REQUIRE(s.append(
            {{"a-1", ExpectedRevision::any(), evs(1)}, {"b-1", ExpectedRevision::any(), evs(1)}}));
    }
    auto part = s.read_stream("a-1", 2, 2);
    REQUIRE(part);
    REQUIRE(part->size() == 2);
    CHECK((*part)[0].revision == 2);
    CHECK((*part)[1].revision == 3);
    CHECK(s.read_stream("a-1", 99, 10)->empty());
    CHECK(s.read_stream("missing-1", 0, 10)->empty());

    Checkpoint cursor;
    std::vector<RecordedEvent> all;
    for (;;) {
        auto page = s.read_all(cursor, 3);
        REQUIRE(page);
        if (page->empty()) break;
        for (auto& e : *page) {
            cursor.advance(e.position);
            all.push_back(std::move(e));
        }
    }
    REQUIRE(all.size() == 10);
    // Log order holds within each partition (a partitioned log has no order across partitions).
    std::map<Checkpoint::Key, std::int64_t> last;
    for (const auto& e : all) {
        auto [it, fresh] = last.emplace(Checkpoint::Key{e.position.topic, e.position.partition},
                                        e.position.offset);
        if (!fresh) {
            CHECK(it->second < e.position.offset);
            it->second = e.position.offset;
        }
    }
    CHECK(cursor == s.head());
    // Each stream reads back in revision order.
    auto a = s.read_stream("a-1", 0, 100);
    REQUIRE(a->size() == 5);
    for (std::size_t i = 0; i < 5; ++i) CHECK((*a)[i].revision == static_cast<std::int64_t>(i));
}

TEST_CASE_TEMPLATE("subscribe catches up, then delivers live appends in order", B, MemoryBackend,
                   RocksDbBackend, KafkaBackend) {
    B b;
    auto& s = b.get();
    REQUIRE(s.append({{"a-1", ExpectedRevision::any(), evs(3)}}));
    std::mutex mu;
    std::vector<std::int64_t> seen;
    auto sub = s.subscribe(Checkpoint{}, [&](std::span<const RecordedEvent> batch) {
        std::lock_guard lock(mu);
        for (const auto& e : batch) seen.push_back(e.position.offset);
    });
    REQUIRE(s.append({{"a-1", ExpectedRevision::any(), evs(2)}}));
    // Up to 30 s: on Kafka the subscription first joins its consumer group (about 3 s).
    for (int i = 0; i < 3000; ++i) {
        {
            std::lock_guard lock(mu);
            if (seen.size() >= 5) break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    sub->stop();
    std::lock_guard lock(mu);
    REQUIRE(seen.size() == 5);
    for (std::size_t i = 1; i < seen.size(); ++i) CHECK(seen[i - 1] < seen[i]);
}

TEST_CASE_TEMPLATE("concurrent appends lose nothing and keep each stream contiguous", B,
                   MemoryBackend, RocksDbBackend, KafkaBackend) {
    B b;
    auto& s = b.get();
    constexpr int kThreads = 8, kPerThread = 50;
    std::atomic<int> conflicts{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                // Own stream: never conflicts.
                REQUIRE(s.append({{fmt::format("own-{}", t), ExpectedRevision::any(), evs(1)}}));
                // Shared stream with exact revisions: read, append, retry on conflict.
                for (;;) {
                    auto current = s.read_stream("shared-1", 0, 100000);
                    REQUIRE(current);
                    auto r = s.append(
                        {{"shared-1",
                          ExpectedRevision::at(static_cast<std::int64_t>(current->size()) - 1),
                          evs(1)}});
                    if (r) break;
                    REQUIRE(r.error().code == core::Errc::Conflict);
                    ++conflicts;
                }
            }
        });
    }
    for (auto& th : threads) th.join();
    CHECK(head_total(s) == 2 * kThreads * kPerThread);
    auto shared = s.read_stream("shared-1", 0, 100000);
    REQUIRE(shared);
    REQUIRE(shared->size() == kThreads * kPerThread);
    for (std::size_t i = 0; i < shared->size(); ++i)
        CHECK((*shared)[i].revision == static_cast<std::int64_t>(i));
    MESSAGE(std::string(B::kName), ": ", conflicts.load(), " conflicts retried");
}

TEST_CASE_TEMPLATE("append_async answers each append once, after its events are in the log", B,
                   MemoryBackend, RocksDbBackend, KafkaBackend) {
    B b;
    auto& s = b.get();
    constexpr int kAppends = 64;
    std::mutex mu;
    std::condition_variable cv;
    std::map<int, int> answers;  // append -> times answered
    int refused_before_log = 0, not_visible = 0;
    std::vector<Position> positions;
    for (int i = 0; i < kAppends; ++i) {
        s.append_async({{fmt::format("async-{}", i % 8), ExpectedRevision::any(), evs(2)}},
                       [&, i](core::Result<AppendResult> r) {
                           // The head already covers the events when their answer comes.
                           const bool visible = r && s.head().covers(r->writes[0].positions);
                           std::lock_guard lock(mu);
                           ++answers[i];
                           if (!visible) ++not_visible;
                           if (r) {
                               for (const auto& p : r->writes[0].positions) positions.push_back(p);
                           }
                           cv.notify_all();
                       });
    }
    {
        std::unique_lock lock(mu);
        REQUIRE(cv.wait_for(lock, std::chrono::seconds(30),
                            [&] { return answers.size() == kAppends; }));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // a second answer would land
    std::lock_guard lock(mu);
    for (const auto& [i, n] : answers) CHECK_MESSAGE(n == 1, "append ", i, " answered ", n);
    CHECK(not_visible == 0);
    CHECK(positions.size() == 2 * kAppends);
    CHECK(head_total(s) == 2 * kAppends);
    for (int k = 0; k < 8; ++k) {
        auto stream = s.read_stream(fmt::format("async-{}", k), 0, 1000);
        REQUIRE(stream);
        CHECK(stream->size() == 2 * kAppends / 8);
        for (std::size_t i = 0; i < stream->size(); ++i)
            CHECK((*stream)[i].revision == static_cast<std::int64_t>(i));
    }
    // A malformed append is answered at once, on the caller's thread, and stores nothing.
    const auto caller = std::this_thread::get_id();
    std::optional<std::thread::id> answered_on;
    s.append_async({{"async-bad", ExpectedRevision::any(), {ev("NotAType")}}},
                   [&](core::Result<AppendResult> r) {
                       CHECK_FALSE(r);
                       if (!r) CHECK(error_of(r).field == "type");
                       answered_on = std::this_thread::get_id();
                       ++refused_before_log;
                   });
    CHECK(refused_before_log == 1);
    CHECK(answered_on == caller);
    CHECK(head_total(s) == 2 * kAppends);
}

TEST_CASE_TEMPLATE("acknowledged events survive closing and reopening the store", B, RocksDbBackend,
                   KafkaBackend) {
    B b;
    auto events = evs(3);
    REQUIRE(b.get().append({{"line-7", ExpectedRevision::no_stream(), events}}));
    b.reopen();
    auto read = b.get().read_stream("line-7", 0, 10);
    REQUIRE(read);
    REQUIRE(read->size() == 3);
    CHECK((*read)[2].id == events[2].id);
    // The revision index and dedupe survive too.
    CHECK(error_of(b.get().append({{"line-7", ExpectedRevision::no_stream(), evs(1)}})).code ==
          core::Errc::Conflict);
    auto again = b.get().append({{"line-7", ExpectedRevision::exact(2), events}});
    REQUIRE(again);
    CHECK(again->deduplicated);
    CHECK(b.get().append({{"line-7", ExpectedRevision::exact(2), evs(1)}}));
}

TEST_CASE(
    "a store killed with SIGKILL during concurrent appends keeps every acknowledged event and no "
    "partial append") {
    switchyard::testing::TempDir dir;
    const auto ack_path = dir.path() / "acks.txt";
    const auto log_dir = dir.path() / "log";
    // 16 threads each waiting for its append, or one thread with 64 appends in flight whose
    // callbacks write the acknowledgements.
    const char* mode = "--threads";
    SUBCASE("blocking appends") { mode = "--threads"; }
    SUBCASE("asynchronous appends") { mode = "--async"; }
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        execl(SY_CRASH_CHILD, SY_CRASH_CHILD, log_dir.c_str(), ack_path.c_str(), mode,
              static_cast<char*>(nullptr));
        _exit(127);
    }
    // Let it acknowledge a good number of appends, then kill it mid-flight.
    for (int i = 0; i < 1000; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        std::ifstream in(ack_path);
        int lines = 0;
        for (std::string l; std::getline(in, l);) ++lines;
        if (lines >= 300) break;
    }
    REQUIRE(kill(child, SIGKILL) == 0);
    int status = 0;
    waitpid(child, &status, 0);
    REQUIRE(WIFSIGNALED(status));

    auto store = open_rocksdb_event_store(log_dir);
    REQUIRE(store);
    std::set<std::string> stored;
    std::map<std::string, int> per_group;
    Checkpoint cursor;
    for (;;) {
        auto page = (*store)->read_all(cursor, 4096);
        REQUIRE(page);
        if (page->empty()) break;
        for (const auto& e : *page) {
            stored.insert(e.id);
            cursor.advance(e.position);
            // data is {"group":"<id>"}: every append wrote 3 events to 2 streams.
            ++per_group[e.data];
        }
    }
    std::ifstream in(ack_path);
    int acked = 0, missing = 0;
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line.back() != ';') continue;  // a line cut by the kill
        std::istringstream ids(line.substr(0, line.size() - 1));
        for (std::string id; ids >> id;) {
            ++acked;
            if (!stored.count(id)) ++missing;
        }
    }
    MESSAGE("acknowledged ", acked, " events, stored ", stored.size());
    CHECK(acked >= 300);
    CHECK(missing == 0);
    for (const auto& [group, n] : per_group) CHECK_MESSAGE(n == 3, "append ", group, " is partial");
    // Streams are contiguous.
    for (int t = 0; t < 16; ++t) {
        auto events = (*store)->read_stream(fmt::format("crash-{}", t), 0, 1000000);
        REQUIRE(events);
        for (std::size_t i = 0; i < events->size(); ++i)
            CHECK((*events)[i].revision == static_cast<std::int64_t>(i));
    }
}
