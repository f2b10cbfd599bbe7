// What only the Kafka backend must show: single-writer fencing and broker failures.
#include <doctest/doctest.h>

#include <librdkafka/rdkafka.h>

#include <algorithm>
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
#include "tests/support/wait_until.hpp"

using namespace switchyard;
using namespace switchyard::events;
using namespace std::chrono_literals;
using switchyard::testing::KafkaBackend;
using switchyard::testing::wait_until;

namespace {

NewEvent ev(int i) {
    core::DecisionContext ctx;
    ctx.now = core::from_unix_seconds(1'790'000'000);
    return make_new_event("test.thing.happened", 1, fmt::format(R"({{"i":{}}})", i), ctx, "op");
}

/// The broker leading each partition of `topic`, by partition, as the cluster's metadata says.
std::map<std::int32_t, std::int32_t> partition_leaders(const std::string& brokers,
                                                       const std::string& topic) {
    char error[512];
    auto* conf = rd_kafka_conf_new();
    REQUIRE(rd_kafka_conf_set(conf, "bootstrap.servers", brokers.c_str(), error, sizeof error) ==
            RD_KAFKA_CONF_OK);
    auto* client = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
    REQUIRE_MESSAGE(client, error);
    auto* handle = rd_kafka_topic_new(client, topic.c_str(), nullptr);
    const rd_kafka_metadata_t* metadata = nullptr;
    std::map<std::int32_t, std::int32_t> leaders;
    if (rd_kafka_metadata(client, 0, handle, &metadata, 10000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        for (int t = 0; t < metadata->topic_cnt; ++t) {
            const auto& tm = metadata->topics[t];
            for (int p = 0; p < tm.partition_cnt; ++p)
                leaders[tm.partitions[p].id] = tm.partitions[p].leader;
        }
        rd_kafka_metadata_destroy(metadata);
    }
    rd_kafka_topic_destroy(handle);
    rd_kafka_destroy(client);
    return leaders;
}

/// The position of the last event of each partition `head` covers.
std::vector<Position> last_positions(const Checkpoint& head) {
    std::vector<Position> last;
    for (const auto& [key, next] : head.entries())
        last.push_back(Position{key.second, next - 1, key.first});
    return last;
}

/// The event ids of the audit trail's rows, one per row (a duplicate row would be lost in the
/// set: compare the row count too).
std::pair<std::size_t, std::set<std::string>> audit_event_ids(
    const projections::ProjectionRunner& runner) {
    projections::AuditQuery q;
    q.limit = 1000;  // a page at most; the trail is read page by page
    std::size_t rows = 0;
    std::set<std::string> ids;
    do {
        auto page = projections::query_audit(*runner.view(projections::kAuditTrail), q);
        REQUIRE(page);
        rows += page->rows.size();
        for (const auto& r : page->rows) ids.insert(r.substr(r.find("\"event_id\":\"") + 12, 36));
        q.cursor = page->next_cursor;
    } while (!q.cursor.empty());
    return {rows, ids};
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
    // 32 partitions: broker 2 leads some of them (leaders are drawn at random), and the 30
    // streams reach some of those. Broker 2 is not the transaction coordinator (the mock hashes
    // the transactional id to broker 1), so appends to the other brokers' partitions go on
    // while it is down, and an append to one of its partitions waits for it.
    constexpr std::int32_t kDownBroker = 2;
    constexpr int kStreams = 30, kEvents = 150;
    REQUIRE(k.cluster->create_topic("switchyard.test.events", 32, 1));
    testing::TempDir models;
    auto runner = projections::ProjectionRunner::open(models.path(), app::all_projectors());
    REQUIRE(runner);
    (*runner)->start(k.get());

    // One writer appends; the test takes the broker down and brings it back when the writer's
    // state calls for it, not after fixed times.
    std::mutex mu;
    std::set<std::string> acked;
    std::map<std::string, std::int32_t> partition_of;  // stream -> partition, from acknowledgements
    std::string topic;
    std::string in_flight;  // the stream of the append under way; empty between appends
    int attempts = 0, failed = 0, acked_during_outage = 0;
    bool outage = false;
    std::jthread writer([&] {
        for (int i = 0; i < kEvents; ++i) {
            auto e = ev(i);
            const auto stream = fmt::format("s-{}", i % kStreams);
            {
                std::lock_guard lock(mu);
                in_flight = stream;
                ++attempts;
            }
            auto r = k.get().append({{stream, ExpectedRevision::any(), {e}}});
            if (!r) {
                std::lock_guard lock(mu);
                ++failed;
            }
            // A failed append may be retried with the same id: it is stored once at most.
            if (!r) r = k.get().append({{stream, ExpectedRevision::any(), {e}}});
            std::lock_guard lock(mu);
            in_flight.clear();
            if (!r) continue;
            acked.insert(e.id);
            const auto& at = r->writes.at(0).positions.at(0);
            partition_of[stream] = at.partition;
            topic = at.topic;
            acked_during_outage += outage ? 1 : 0;
        }
    });
    auto holds = [&](auto condition) {
        return wait_until(
            [&] {
                std::lock_guard lock(mu);
                return condition();
            },
            60s);
    };
    // The outage begins once an append went through to every stream.
    REQUIRE(holds([&] { return partition_of.size() == kStreams; }));
    const auto leaders = partition_leaders(k.cluster->bootstrap_servers(), topic);
    auto needs_down_broker = [&](const std::string& stream) {
        auto p = partition_of.find(stream);
        if (p == partition_of.end()) return false;
        auto l = leaders.find(p->second);
        return l != leaders.end() && l->second == kDownBroker;
    };
    {
        std::lock_guard lock(mu);
        REQUIRE_MESSAGE(std::any_of(partition_of.begin(), partition_of.end(),
                                    [&](const auto& sp) { return needs_down_broker(sp.first); }),
                        "broker ", kDownBroker, " leads no partition of the streams written");
        k.cluster->set_broker_down(kDownBroker);
        outage = true;
    }
    // It ends once an append waits for the broker: one to a partition the broker leads, or one
    // that has not finished over 20 polls (10 ms apart) while the broker holds up its
    // transaction (healthy appends take a few ms).
    int last_attempt = -1, polls_waiting = 0;
    CHECK(holds([&] {
        if (in_flight.empty() || attempts != last_attempt) polls_waiting = 0;
        last_attempt = attempts;
        return !in_flight.empty() && (needs_down_broker(in_flight) || ++polls_waiting >= 20);
    }));
    {
        std::lock_guard lock(mu);
        k.cluster->set_broker_up(kDownBroker);
        outage = false;
    }
    writer.join();

    auto all = k.get().read_all(Checkpoint{}, 100000);
    REQUIRE(all);
    std::multiset<std::string> stored;
    for (const auto& e : *all) stored.insert(e.id);
    for (const auto& id : acked) CHECK_MESSAGE(stored.count(id) == 1, id);
    CHECK(stored.size() == std::set<std::string>(stored.begin(), stored.end()).size());
    MESSAGE("acknowledged ", acked.size(), " of ", kEvents, " (", acked_during_outage,
            " during the outage), first attempts failed: ", failed);
    CHECK(acked.size() >= kEvents - 10);
    // The read models hold each event once: the audit trail has one row per stored event.
    REQUIRE((*runner)->wait_for(last_positions(k.get().head()), 20s));
    (*runner)->stop();
    const auto [rows, row_ids] = audit_event_ids(**runner);
    CHECK(rows == all->size());
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
    std::atomic<int> appended{0}, append_errors{0};
    std::atomic<bool> gave_up{false};
    // No REQUIRE on this thread (a failure there would end the process, not the test). An
    // append that fails (a transaction timing out on a loaded machine) is retried with the same
    // event, which the store stores once whatever became of the first try.
    std::thread writer([&] {
        for (int i = 0; writing; ++i) {
            const auto e = ev(i);
            for (int attempt = 0;; ++attempt) {
                if ((*store)->append({{fmt::format("s-{}", i % 11), ExpectedRevision::any(), {e}}}))
                    break;
                ++append_errors;
                if (attempt == 20) {
                    gave_up = true;
                    return;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
            ++appended;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    });
    REQUIRE(wait_until([&] { return (*runner)->events_applied() > 0; }, 60s));

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
    CHECK(wait_until([&] { return other_seen > 0; }, 60s));
    const auto applied_while_split = (*runner)->events_applied();
    member->stop();  // leaves the group: the partitions go back
    member.reset();
    const bool resumed = wait_until(
        [&] { return gave_up || (*runner)->events_applied() > applied_while_split + 50; }, 60s);
    writing = false;
    writer.join();
    REQUIRE_FALSE_MESSAGE(gave_up.load(), "an append failed 21 times in a row");
    REQUIRE(resumed);
    MESSAGE("appends retried: ", append_errors.load());

    auto all = (*store)->read_all(Checkpoint{}, 1000000);
    REQUIRE(all);
    REQUIRE(static_cast<int>(all->size()) == appended.load());
    REQUIRE((*runner)->wait_for(last_positions((*store)->head()), 60s));
    MESSAGE("appended ", all->size(), "; the second member received ", other_seen.load());
    // Every event was projected exactly once: one audit row each, and the count agrees.
    CHECK((*runner)->events_applied() == static_cast<std::int64_t>(all->size()));
    (*runner)->stop();
    const auto [rows, row_ids] = audit_event_ids(**runner);
    CHECK(rows == all->size());
    std::set<std::string> ids;
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
    wait_until(
        [&] {
            std::lock_guard lock(mu);
            return seen.size() >= appended.size();
        },
        60s, 20ms);
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
