// mock-kafka, the server and the relay as separate processes. The relay is killed with SIGKILL
// mid-flight and restarted while the server keeps writing: every event of the embedded log
// reaches the topics, once in effect (deduped by event id), each stream in order.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include <boost/json.hpp>

#include "events/kafka/kafka_event_store.hpp"
#include "events/kafka/relay.hpp"
#include "tests/integration/processes.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace switchyard;
using namespace switchyard::testing;

namespace {

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
    "relay, server and mock-kafka as processes: a SIGKILLed relay loses nothing, once in effect, "
    "in order") {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    TempDir tmp;
    const auto data = tmp.path() / "data";
    MockKafka kafka;
    Server server(data, free_port());
    const auto key_text = slurp(data / "admin.key");
    const auto key = key_text.substr(0, key_text.find('\n'));
    const fs::path m3u = fs::path(SY_SHARED_DATA) / "iptv" / "m3u";
    REQUIRE(
        run(fmt::format("'{}' import m3u '{}' '{}' '{}' --server {} --data-dir '{}' 2>/dev/null",
                        SY_SWITCHYARD, (m3u / "us.m3u").string(), (m3u / "cn.m3u").string(),
                        (m3u / "de.m3u").string(), server.base, data.string())) == 0);

    // First run, killed once it has published part of the log.
    const auto log = tmp.path() / "relay.log";
    pid_t relay = start_relay(data, kafka.bootstrap, false, log);
    std::int64_t at_kill = 0;
    for (int i = 0; i < 6000 && at_kill == 0; ++i) {
        auto c = events::kafka::load_relay_checkpoint(data / "relay" / "checkpoint");
        if (c && c->total() > 0)
            at_kill = c->total();
        else
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    REQUIRE(kill(relay, SIGKILL) == 0);
    waitpid(relay, nullptr, 0);
    MESSAGE("killed the relay with its checkpoint at ", at_kill);
    CHECK(at_kill > 0);

    // The server keeps writing while the relay is down.
    for (int i = 0; i < 20; ++i) {
        REQUIRE(http("POST", server.base + "/v1/iptv/lines",
                     fmt::format(R"({{"username":"viewer{}"}})", i), key)
                    .status == 201);
    }
    REQUIRE(run(fmt::format("'{}' import m3u '{}' --server {} --data-dir '{}' 2>/dev/null",
                            SY_SWITCHYARD, (m3u / "uk.m3u").string(), server.base,
                            data.string())) == 0);
    relay = start_relay(data, kafka.bootstrap, true, log);
    int status = 0;
    waitpid(relay, &status, 0);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);

    // The server's log, as `events export` reads it while the server runs.
    std::string exported;
    REQUIRE(run(fmt::format("'{}' events export --data-dir '{}' 2>/dev/null", SY_SWITCHYARD,
                            data.string()),
                &exported) == 0);
    std::set<std::string> expected;
    std::istringstream lines(exported);
    for (std::string line; std::getline(lines, line);) {
        expected.insert(std::string(json::parse(line).as_object().at("id").as_string()));
    }
    CHECK(expected.size() > 1500);

    // What a consumer of the topics sees, deduped by event id.
    events::kafka::KafkaEventStoreOptions options;
    options.brokers = kafka.bootstrap;
    options.read_only = true;
    auto topics = events::kafka::open_kafka_event_store(options);
    REQUIRE(topics);
    auto records = (*topics)->read_all(events::Checkpoint{}, 1'000'000);
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
    MESSAGE(expected.size(), " events in the log, ", records->size(), " records on the topics, ",
            duplicates, " duplicates removed by event id");
    CHECK(seen == expected);
    CHECK(out_of_order == 0);
    CHECK(server.stop() == 0);
    curl_global_cleanup();
}
