#pragma once
/// Where a log stood at a time: the checkpoint that `switchyard replay --until <RFC 3339 time>`
/// rebuilds up to (the books as they stood at month end).

#include "core/result.hpp"
#include "core/time.hpp"
#include "events/envelope.hpp"
#include "events/event_store.hpp"

namespace switchyard::events {

/// The checkpoint that covers, in each partition, every event before the first one whose
/// `time` is after `until` (events at `until` itself are covered). Event times follow the
/// append order up to the clock skew of concurrent commands (microseconds); the first later
/// event ends its partition, so the result is a prefix of the log, as replay needs.
/// Reads the log from the start. @errors the store's read errors.
core::Result<Checkpoint> checkpoint_at_time(EventStore& store, core::Timestamp until);

}  // namespace switchyard::events
