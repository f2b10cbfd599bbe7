// What only the Kafka backend must show: single-writer fencing and broker failures.
#include <doctest/doctest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <span>
#include <thread>

#include <fmt/format.h>

#include "app/modules/module.hpp"
#include "events/command_handler.hpp"
#include "projections/audit_trail.hpp"
#include "projections/projection_runner.hpp"
#include "tests/events/store_backends.hpp"

using namespace switchyard;
using namespace switchyard::events;
using switchyard::testing::KafkaBackend;

namespace {

NewEvent ev(int i) {
    core::DecisionContext ctx;
    ctx.now = core::from_unix_seconds(1'790'000'000);
    return make_new_event("test.thing.happened", 1, fmt::format(R"({{"i":{}}})", i), ctx, "op");
}

}  // namespace

TEST_CASE("a second writer fences the first: the first gets Conflict, never a silent fork") {
    KafkaBackend a;
    REQUIRE(a.get().append({{"line-1", ExpectedRevision::no_stream(), {ev(0)}}}));

    auto b = kafka::open_kafka_event_store(a.options());
    REQUIRE(b);
    // The new writer sees what the old one wrote, and continues the stream.
    auto seen = (*b)->read_stream("line-1", 0, 10);
    REQUIRE(seen);
    CHECK(seen->size() == 1);

    auto stale = a.get().append({{"line-1", ExpectedRevision::exact(0), {ev(1)}}});
    REQUIRE_FALSE(stale);
    CHECK(stale.error().code == core::Errc::Conflict);
    CHECK(stale.error().message.find("fenced") != std::string::npos);

    REQUIRE((*b)->append({{"line-1", ExpectedRevision::exact(0), {ev(2)}}}));
    auto after = (*b)->read_stream("line-1", 0, 10);
    REQUIRE(after->size() == 2);
    CHECK(after->at(1).data == R"({"i":2})");
    // Nothing of the fenced append is visible anywhere.
    auto all = (*b)->read_all(Checkpoint{}, 100);
    CHECK(all->size() == 2);
}

TEST_CASE("a broker taken down and brought back during appends loses and duplicates nothing") {
    KafkaBackend k;
    testing::TempDir models;
    auto runner = projections::ProjectionRunner::open(models.path(), app::all_projectors());
    REQUIRE(runner);
    (*runner)->start(k.get());
    std::set<std::string> acked;
    int failed = 0;
    std::thread chaos([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        k.cluster->set_broker_down(2);
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
        k.cluster->set_broker_up(2);
    });
    for (int i = 0; i < 150; ++i) {
        auto e = ev(i);
        const auto id = e.id;
        auto r = k.get().append({{fmt::format("s-{}", i % 7), ExpectedRevision::any(), {e}}});
        if (r) {
            acked.insert(id);
        } else {
            ++failed;
            // A failed append may be retried with the same id: it is stored once at most.
            auto again =
                k.get().append({{fmt::format("s-{}", i % 7), ExpectedRevision::any(), {e}}});
            if (again) acked.insert(id);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    chaos.join();
    auto all = k.get().read_all(Checkpoint{}, 100000);
    REQUIRE(all);
    std::multiset<std::string> stored;
    for (const auto& e : *all) stored.insert(e.id);
    for (const auto& id : acked) CHECK_MESSAGE(stored.count(id) == 1, id);
    CHECK(stored.size() == std::set<std::string>(stored.begin(), stored.end()).size());
    MESSAGE("acknowledged ", acked.size(), " of 150, first attempts failed: ", failed);
    CHECK(acked.size() >= 140);
    // The read models hold each event once: the audit trail has one row per stored event.
    const auto head = k.get().head();
    std::vector<Position> last;
    for (const auto& [key, next] : head.entries())
        last.push_back(Position{key.second, next - 1, key.first});
    REQUIRE((*runner)->wait_for(last, std::chrono::seconds(20)));
    (*runner)->stop();
    projections::AuditQuery q;
    q.limit = 1000;
    auto rows = projections::query_audit(*(*runner)->view(projections::kAuditTrail), q);
    REQUIRE(rows);
    CHECK(rows->rows.size() == all->size());
    std::set<std::string> row_ids;
    for (const auto& r : rows->rows) row_ids.insert(r.substr(r.find("\"event_id\":\"") + 12, 36));
    CHECK(row_ids == std::set<std::string>(stored.begin(), stored.end()));
    // A reopened index agrees.
    k.reopen();
    CHECK(k.get().read_all(Checkpoint{}, 100000)->size() == all->size());
}

TEST_CASE("a consumer-group rebalance takes partitions away and back: no gap, no duplicate") {
    // The read models' subscription is the only member of its group until a second member
    // joins the same group: the group splits the partitions, the read models lose half of them
    // mid-stream, and get them back when that member leaves. They resume from their own
    // checkpoints, not from group offsets.
    KafkaBackend k;
    REQUIRE(k.cluster->create_topic("switchyard.test.events", 4, 1));
    auto options = k.options();
    options.consumer_group = "rebalance-test";
    auto store = kafka::open_kafka_event_store(options);
    REQUIRE(store);
    testing::TempDir models;
    auto runner = projections::ProjectionRunner::open(models.path(), app::all_projectors());
    REQUIRE(runner);
    (*runner)->start(**store);  // joins rebalance-test.0

    std::atomic<bool> writing{true};
    std::atomic<int> appended{0};
    std::thread writer([&] {
        for (int i = 0; writing; ++i) {
            REQUIRE((*store)->append(
                {{fmt::format("s-{}", i % 11), ExpectedRevision::any(), {ev(i)}}}));
            ++appended;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    });
    auto wait_until = [](auto done) {
        for (int i = 0; i < 1200 && !done(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        return done();
    };
    REQUIRE(wait_until([&] { return (*runner)->events_applied() > 0; }));

    // A second member of the same group (a read-only store's first subscription).
    auto reader_options = options;
    reader_options.read_only = true;
    auto other = kafka::open_kafka_event_store(reader_options);
    REQUIRE(other);
    std::atomic<int> other_seen{0};
    auto member = (*other)->subscribe(Checkpoint{}, [&](std::span<const RecordedEvent> batch) {
        other_seen += static_cast<int>(batch.size());
    });
    // It only receives events from partitions the group took away from the read models.
    CHECK(wait_until([&] { return other_seen > 0; }));
    const auto applied_while_split = (*runner)->events_applied();
    member->stop();  // leaves the group: the partitions go back
    member.reset();
    REQUIRE(wait_until([&] { return (*runner)->events_applied() > applied_while_split + 50; }));
    writing = false;
    writer.join();

    auto all = (*store)->read_all(Checkpoint{}, 1000000);
    REQUIRE(all);
    REQUIRE(static_cast<int>(all->size()) == appended.load());
    std::vector<Position> last;
    const auto head = (*store)->head();
    for (const auto& [key, next] : head.entries())
        last.push_back(Position{key.second, next - 1, key.first});
    REQUIRE((*runner)->wait_for(last, std::chrono::seconds(60)));
    MESSAGE("appended ", all->size(), "; the second member received ", other_seen.load());
    // Every event was projected exactly once: one audit row each, and the count agrees.
    CHECK((*runner)->events_applied() == static_cast<std::int64_t>(all->size()));
    (*runner)->stop();
    projections::AuditQuery q;
    q.limit = 100000;
    auto rows = projections::query_audit(*(*runner)->view(projections::kAuditTrail), q);
    REQUIRE(rows);
    CHECK(rows->rows.size() == all->size());
    std::set<std::string> row_ids, ids;
    for (const auto& r : rows->rows) row_ids.insert(r.substr(r.find("\"event_id\":\"") + 12, 36));
    for (const auto& e : *all) ids.insert(e.id);
    CHECK(row_ids == ids);
}

TEST_CASE(
    "when topics appear mid-stream the index re-assigns its partitions without gap or duplicate") {
    // A module's first event creates its topic: the index assigns the new partitions, and
    // subscriptions (consumer-group members with a regex subscription) rebalance to take them.
    KafkaBackend k;
    std::mutex mu;
    std::vector<RecordedEvent> seen;
    auto sub = k.get().subscribe(Checkpoint{}, [&](std::span<const RecordedEvent> batch) {
        std::lock_guard lock(mu);
        seen.insert(seen.end(), batch.begin(), batch.end());
    });
    core::DecisionContext ctx;
    ctx.now = core::from_unix_seconds(1'790'000'000);
    std::set<std::string> appended;
    for (int i = 0; i < 300; ++i) {
        std::vector<StreamWrite> writes{
            {fmt::format("a-{}", i % 5),
             ExpectedRevision::any(),
             {make_new_event("alpha.thing.happened", 1, "{}", ctx, "op")}}};
        if (i >= 100) {  // a second topic appears while the subscription runs; a third later
            writes.push_back({fmt::format("b-{}", i % 3),
                              ExpectedRevision::any(),
                              {make_new_event("beta.thing.happened", 1, "{}", ctx, "op")}});
        }
        if (i >= 200) {
            writes.push_back({fmt::format("c-{}", i % 2),
                              ExpectedRevision::any(),
                              {make_new_event("gamma.thing.happened", 1, "{}", ctx, "op")}});
        }
        for (const auto& w : writes) appended.insert(w.events[0].id);
        REQUIRE(k.get().append(std::move(writes)));
    }
    // Each new topic makes the group rebalance: on the mock that takes up to a session timeout.
    for (int i = 0; i < 3000; ++i) {
        {
            std::lock_guard lock(mu);
            if (seen.size() >= appended.size()) break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    sub->stop();
    std::lock_guard lock(mu);
    std::set<std::string> ids;
    std::map<std::string, std::int64_t> next;
    int out_of_order = 0;
    for (const auto& e : seen) {
        ids.insert(e.id);
        if (e.revision != next[e.stream]) ++out_of_order;
        next[e.stream] = e.revision + 1;
    }
    CHECK(seen.size() == appended.size());  // no duplicate
    CHECK(ids == appended);                 // no gap
    CHECK(out_of_order == 0);
    CHECK(next.size() == 10);
}
