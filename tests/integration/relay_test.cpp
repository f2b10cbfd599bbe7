// The relay as a separate process, killed with SIGKILL mid-flight and restarted: every event of
// the embedded log reaches the topics, once in effect (deduped by event id), each stream in order.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "events/command_handler.hpp"
#include "events/kafka/kafka_event_store.hpp"
#include "events/kafka/mock_cluster.hpp"
#include "events/kafka/relay.hpp"
#include "events/rocksdb/rocksdb_event_store.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace switchyard;
using namespace switchyard::events;

namespace {

void append_many(EventStore& store, int appends, int salt) {
    core::DecisionContext ctx;
    ctx.now = core::from_unix_seconds(1'790'000'000);
    for (int i = 0; i < appends; ++i) {
        auto a = make_new_event("test.relay.appended", 1,
                                fmt::format(R"({{"i":{},"salt":{}}})", i, salt), ctx, "op");
        auto b = make_new_event("iptv.relay.appended", 1,
                                fmt::format(R"({{"i":{},"salt":{}}})", i, salt), ctx, "op");
        REQUIRE(store.append({{fmt::format("s-{}", i % 30), ExpectedRevision::any(), {a}},
                              {fmt::format("t-{}", i % 11), ExpectedRevision::any(), {b}}}));
    }
}

pid_t start_relay(const fs::path& data, const std::string& brokers, bool once,
                  const fs::path& log) {
    pid_t pid = fork();
    if (pid == 0) {
        freopen(log.c_str(), "a", stderr);
        const auto to = "kafka://" + brokers;
        if (once) {
            execl(SY_SWITCHYARD, SY_SWITCHYARD, "relay", "--data-dir", data.c_str(), "--to",
                  to.c_str(), "--once", static_cast<char*>(nullptr));
        } else {
            execl(SY_SWITCHYARD, SY_SWITCHYARD, "relay", "--data-dir", data.c_str(), "--to",
                  to.c_str(), static_cast<char*>(nullptr));
        }
        _exit(127);
    }
    return pid;
}

}  // namespace

TEST_CASE(
    "the relay survives SIGKILL: every event reaches the topics once in effect, each stream in "
    "order") {
    testing::TempDir tmp;
    const auto data = tmp.path() / "data";
    auto cluster = kafka::MockKafkaCluster::start(3);
    REQUIRE(cluster);
    RocksDbEventStoreOptions fast;
    fast.sync = false;  // test setup only
    auto primary = open_rocksdb_event_store(data / "log", fast);
    REQUIRE(primary);
    append_many(**primary, 10000, 1);

    // First run: killed once it has published part of the log.
    const auto log = tmp.path() / "relay.log";
    pid_t relay = start_relay(data, (*cluster)->bootstrap_servers(), false, log);
    std::int64_t at_kill = 0;
    for (int i = 0; i < 6000; ++i) {
        auto c = kafka::load_relay_checkpoint(data / "relay" / "checkpoint");
        if (c && c->total() >= 3000) {
            at_kill = c->total();
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    REQUIRE(kill(relay, SIGKILL) == 0);
    waitpid(relay, nullptr, 0);
    MESSAGE("killed the relay with its checkpoint at ", at_kill, " of 20000 events");
    CHECK(at_kill > 0);

    // The server goes on appending; the relay restarts and catches up.
    append_many(**primary, 1000, 2);
    relay = start_relay(data, (*cluster)->bootstrap_servers(), true, log);
    int status = 0;
    waitpid(relay, &status, 0);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    auto done = kafka::load_relay_checkpoint(data / "relay" / "checkpoint");
    REQUIRE(done);
    CHECK(*done == (*primary)->head());

    // What a consumer of the topics sees.
    kafka::KafkaEventStoreOptions options;
    options.brokers = (*cluster)->bootstrap_servers();
    options.read_only = true;
    auto topics = kafka::open_kafka_event_store(options);
    REQUIRE(topics);
    auto records = (*topics)->read_all(Checkpoint{}, 1'000'000);
    REQUIRE(records);
    std::set<std::string> seen;
    std::map<std::string, std::int64_t> next_revision;
    std::size_t duplicates = 0, out_of_order = 0;
    for (const auto& e : *records) {
        if (!seen.insert(e.id).second) {
            ++duplicates;
            continue;
        }
        auto& next = next_revision[e.stream];
        if (e.revision != next) ++out_of_order;
        next = e.revision + 1;
    }
    auto source = (*primary)->read_all(Checkpoint{}, 1'000'000);
    REQUIRE(source);
    std::set<std::string> expected;
    for (const auto& e : *source) expected.insert(e.id);
    MESSAGE(records->size(), " records on the topics, ", duplicates,
            " duplicates removed by event id");
    CHECK(expected.size() == 22000);
    CHECK(seen == expected);
    CHECK(out_of_order == 0);
    CHECK(next_revision.size() == 41);
}
