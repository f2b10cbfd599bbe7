#pragma once
/// librdkafka's mock cluster (rdkafka_mock.h): the real Kafka protocol over loopback TCP, brokers
/// in this process. The stand-in for a Kafka cluster in tests and demos; no Kafka broker package
/// exists on these machines. librdkafka stays inside the .cpp.

#include <cstdint>
#include <memory>
#include <string>

#include "core/result.hpp"

namespace switchyard::events::kafka {

/// A running mock cluster; destroying it stops the brokers.
/// What it cannot show: it keeps its data in memory (about 5 MB per partition before it drops
/// old segments), and read_committed consumers still see records of aborted transactions.
class MockKafkaCluster {
  public:
    /// Starts `brokers` brokers (ids 1..brokers) on loopback ports chosen by the OS.
    /// @errors Unavailable when librdkafka cannot create the cluster.
    static core::Result<std::unique_ptr<MockKafkaCluster>> start(int brokers);
    virtual ~MockKafkaCluster() = default;
    /// Comma-separated `host:port` list for `bootstrap.servers`.
    virtual std::string bootstrap_servers() const = 0;
    /// Takes a broker down (connections refused) or brings it back; ids start at 1.
    virtual void set_broker_down(std::int32_t broker_id) = 0;
    virtual void set_broker_up(std::int32_t broker_id) = 0;
    /// Creates a topic with `partitions` partitions (auto-created topics get the mock's default).
    virtual core::Result<void> create_topic(const std::string& topic, int partitions,
                                            int replication_factor) = 0;
};

}  // namespace switchyard::events::kafka
