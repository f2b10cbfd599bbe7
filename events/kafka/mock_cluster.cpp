#include "events/kafka/mock_cluster.hpp"

#include <librdkafka/rdkafka.h>
// rdkafka_mock.h must come after rdkafka.h.
#include <librdkafka/rdkafka_mock.h>

#include <fmt/format.h>

namespace switchyard::events::kafka {

namespace {

class Cluster final : public MockKafkaCluster {
  public:
    Cluster(rd_kafka_t* owner, rd_kafka_mock_cluster_t* cluster)
        : owner_(owner), cluster_(cluster) {}
    ~Cluster() override {
        rd_kafka_mock_cluster_destroy(cluster_);
        rd_kafka_destroy(owner_);
    }
    std::string bootstrap_servers() const override {
        return rd_kafka_mock_cluster_bootstraps(cluster_);
    }
    void set_broker_down(std::int32_t id) override { rd_kafka_mock_broker_set_down(cluster_, id); }
    void set_broker_up(std::int32_t id) override { rd_kafka_mock_broker_set_up(cluster_, id); }
    core::Result<void> create_topic(const std::string& topic, int partitions,
                                    int replication_factor) override {
        auto err =
            rd_kafka_mock_topic_create(cluster_, topic.c_str(), partitions, replication_factor);
        if (err) return core::fail(core::Errc::Unavailable, "topic", rd_kafka_err2str(err));
        return {};
    }

  private:
    rd_kafka_t* owner_;
    rd_kafka_mock_cluster_t* cluster_;
};

}  // namespace

core::Result<std::unique_ptr<MockKafkaCluster>> MockKafkaCluster::start(int brokers) {
    char errstr[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr);
    rd_kafka_t* owner = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (!owner)
        return core::fail(core::Errc::Unavailable, "kafka",
                          fmt::format("cannot create the mock's owner: {}", errstr));
    rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(owner, brokers);
    if (!cluster) {
        rd_kafka_destroy(owner);
        return core::fail(core::Errc::Unavailable, "kafka", "cannot create the mock cluster");
    }
    return std::unique_ptr<MockKafkaCluster>(new Cluster(owner, cluster));
}

}  // namespace switchyard::events::kafka
