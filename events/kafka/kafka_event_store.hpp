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
    /// Extra librdkafka properties for both clients (e.g. `socket.timeout.ms`).
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
