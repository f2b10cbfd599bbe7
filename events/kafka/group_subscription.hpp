#pragma once
/// Subscriptions on the Kafka log as consumer-group members (events/kafka/README.md,
/// "Subscriptions"). librdkafka stays inside the .cpp.

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "events/event_store.hpp"

namespace switchyard::events::kafka {

/// How a subscription joins its consumer group.
struct GroupSubscriptionOptions {
    std::string brokers;   ///< `bootstrap.servers`.
    std::string group_id;  ///< The consumer group (`group.id`) this subscription joins.
    /// Topics to follow, as a librdkafka regex subscription (must start with `^`); topics
    /// created later are picked up at the next metadata refresh (1 s) and cause a rebalance.
    std::string topic_pattern;
    /// `session.timeout.ms`: how long the group coordinator waits for a silent member before it
    /// rebalances without it. Tests lower it so rebalances happen within seconds.
    std::chrono::milliseconds session_timeout{10000};
    /// Extra librdkafka properties (the log's `config`).
    std::vector<std::pair<std::string, std::string>> config;
};

/// Starts a subscription that consumes the event topics read_committed as a member of
/// `group_id`, and delivers batches of at most `max_batch` events, in order within each
/// partition, from `from` on. Group offsets are never used or committed: when the group
/// assigns a partition (first join or any rebalance), reading resumes at this subscription's own
/// position (`from` advanced by every delivered batch), so a rebalance neither skips nor repeats
/// an event. Partitions revoked from this member are not read until they come back.
/// A handler that throws stops the subscription. Errors of the cluster are logged and retried.
/// @errors Invalid for a bad librdkafka property (checked before the thread starts).
core::Result<std::unique_ptr<Subscription>> subscribe_group(const GroupSubscriptionOptions& options,
                                                            Checkpoint from, BatchHandler handler,
                                                            std::size_t max_batch);

}  // namespace switchyard::events::kafka
