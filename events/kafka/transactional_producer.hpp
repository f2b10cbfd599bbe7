#pragma once
/// A transactional Kafka producer: every call to `commit` writes its records in one transaction
/// (all visible to read_committed consumers, or none). Shared by the Kafka log and the relay.
/// librdkafka stays inside the .cpp.

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::kafka {

/// One record to produce.
struct OutRecord {
    std::string topic, key, value;
    std::vector<std::pair<std::string, std::string>> headers;
};

/// @thread not thread-safe: one thread commits at a time.
class TransactionalProducer {
  public:
    /// Connects and runs `init_transactions`, fencing an earlier producer with the same id.
    /// `config` adds librdkafka properties. @errors Unavailable when the cluster cannot be
    /// reached in `timeout`; Invalid for a bad property.
    static core::Result<std::unique_ptr<TransactionalProducer>> open(
        const std::string& brokers, const std::string& transactional_id,
        std::chrono::milliseconds timeout,
        const std::vector<std::pair<std::string, std::string>>& config = {});
    virtual ~TransactionalProducer() = default;

    /// Produces `records` in one transaction and commits it.
    /// @returns each record's position, in order.
    /// @errors Conflict when this producer was fenced by a newer one (it stays fenced);
    ///         Unavailable when the transaction failed and was aborted (nothing is visible).
    virtual core::Result<std::vector<Position>> commit(const std::vector<OutRecord>& records) = 0;

    /// The high watermark of a partition (the offset after the last record or marker).
    virtual core::Result<std::int64_t> high_watermark(const std::string& topic,
                                                      std::int32_t partition) = 0;

    /// Makes sure the topics exist, asking the cluster to create missing ones with its default
    /// partition count (a Metadata request with auto-creation, as a first produce would).
    /// @errors Unavailable when a topic is still unknown after `timeout`, e.g. because the
    ///         brokers run with `auto.create.topics.enable=false` (create the topics by hand).
    virtual core::Result<void> ensure_topics(const std::vector<std::string>& topics) = 0;
};

/// librdkafka properties from a list, applied to a new configuration with `bootstrap.servers`.
/// Exposed for the consumers of the Kafka log; returns an `rd_kafka_conf_t*` as `void*`.
core::Result<void*> make_kafka_conf(const std::string& brokers,
                                    const std::vector<std::pair<std::string, std::string>>& config);

}  // namespace switchyard::events::kafka
