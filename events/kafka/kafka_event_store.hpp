#pragma once
/// The log on a Kafka cluster (events/kafka/README.md). librdkafka stays inside the .cpp.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "events/event_store.hpp"
#include "events/kafka/group_subscription.hpp"

namespace switchyard::events::kafka {

/// Options of the Kafka backend.
struct KafkaEventStoreOptions {
    std::string brokers;  ///< `bootstrap.servers`, e.g. `127.0.0.1:9092,127.0.0.1:9093`.
    /// The writer's `transactional.id`. Every writer of one log uses the same id, so that a new
    /// writer fences the old one. Default: `switchyard-log-writer`.
    std::string transactional_id = "switchyard-log-writer";
    std::string topic_prefix = "switchyard.";  ///< Topics are `<prefix><module>.events`.
    /// Bound of every blocking call (open, commit, catching up). Default: 30 s.
    std::chrono::milliseconds timeout{30000};
    /// Read without a producer (tools, export); append answers Unavailable. Default: false.
    bool read_only = false;
    /// Consumer group prefix of subscriptions (read models): subscription n of this store joins
    /// `<consumer_group>.<n>`. Every server keeps its own read models and so needs every
    /// partition: the default is unique per process (`switchyard-read-models-<random>`).
    std::string consumer_group;
    /// `session.timeout.ms` of the subscriptions' group membership. Default: 10 s.
    std::chrono::milliseconds session_timeout{10000};
    /// Modules whose topics a writer creates when it opens (if missing), so that a module's
    /// first event does not make every subscription rebalance. Other modules' topics are
    /// created by their first event.
    std::vector<std::string> modules{"identity", "iptv", "vpn"};
    /// Extra librdkafka properties for all clients (e.g. `socket.timeout.ms`).
    std::vector<std::pair<std::string, std::string>> config;
};

/// Connects, reads every `<prefix>*.events` topic to its end (read_committed) to build the
/// stream-revision and event-id index, and (unless read_only) initialises the transactional
/// producer, fencing any earlier writer with the same transactional id.
/// @errors Unavailable when the cluster cannot be reached or the index cannot catch up within
///         the timeout; Invalid for a bad librdkafka property.
core::Result<std::unique_ptr<EventStore>> open_kafka_event_store(
    const KafkaEventStoreOptions& options);

/// Parses `kafka://host:port[,host:port...]` into a bootstrap list.
/// @errors Invalid naming `log` when the URL is not of that form.
core::Result<std::string> parse_kafka_url(std::string_view url);

/// The topic of an event type: `<prefix><module>.events` (module = text before the first dot).
std::string topic_for(std::string_view prefix, std::string_view type);

}  // namespace switchyard::events::kafka
