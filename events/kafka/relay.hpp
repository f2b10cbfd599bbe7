#pragma once
/// The relay: publishes the embedded log to the Kafka event topics (an outbox), so that an
/// operator can keep the embedded log and still feed analysts.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "core/result.hpp"
#include "events/event_store.hpp"
#include "events/kafka/transactional_producer.hpp"

namespace switchyard::events::kafka {

struct RelayOptions {
    std::filesystem::path checkpoint_file;     ///< Where the relay checkpoint is kept.
    std::string topic_prefix = "switchyard.";  ///< Topics are `<prefix><module>.events`.
    std::size_t batch = 1000;                  ///< Most events per Kafka transaction.
    bool follow = true;                        ///< Keep running when caught up (else return).
};

/// Publishes every event after the stored checkpoint, in log order, one Kafka transaction per
/// batch, then stores the checkpoint (temp file, fsync, rename). Records are those of the Kafka
/// log: key = stream, value = envelope without position, headers `type`, `schema`, `event_id`.
///
/// Exactly once in effect: after a crash between a commit and the checkpoint write, the next
/// run publishes that batch again; consumers dedupe by event id (a real cluster also aborts a
/// transaction left open by a killed relay, since the relay reuses its transactional id).
/// Each stream stays in order: one key, one partition, and batches go out in log order.
/// @param progress called after each batch with the events relayed so far and the checkpoint.
/// @returns the number of events published by this call.
/// @errors the source's and the producer's errors; Internal when the checkpoint cannot be stored.
core::Result<std::int64_t> relay(
    EventStore& source, TransactionalProducer& producer, const RelayOptions& options,
    const std::atomic<bool>& stop,
    const std::function<void(std::int64_t, const Checkpoint&)>& progress = {});

/// The checkpoint stored in `file`, or an empty one when the file does not exist.
/// @errors Internal when the file exists but is not a checkpoint.
core::Result<Checkpoint> load_relay_checkpoint(const std::filesystem::path& file);

}  // namespace switchyard::events::kafka
