// `switchyard mock-kafka`: librdkafka's mock cluster as a process, for tests and demos.
#include <csignal>
#include <cstdio>

#include "app/commands.hpp"
#include "events/kafka/mock_cluster.hpp"

namespace switchyard::app {

int run_mock_kafka(const MockKafkaOptions& options) {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    auto cluster = events::kafka::MockKafkaCluster::start(options.brokers);
    if (!cluster) {
        std::fprintf(stderr, "error: %s\n", cluster.error().message.c_str());
        return 1;
    }
    std::printf("%s\n", (*cluster)->bootstrap_servers().c_str());
    std::fflush(stdout);
    std::fprintf(
        stderr,
        "librdkafka mock cluster with %d brokers; use --log kafka://%s\n"
        "It keeps data in memory only, about 5 MB per partition, and read_committed consumers\n"
        "still see records of aborted transactions. Stop with Ctrl-C.\n",
        options.brokers, (*cluster)->bootstrap_servers().c_str());
    int sig = 0;
    sigwait(&signals, &sig);
    return 0;
}

}  // namespace switchyard::app
