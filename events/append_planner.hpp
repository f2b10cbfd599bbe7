#pragma once
/// The append rules every backend shares: validation, event-id dedupe, expected revisions and
/// assignment of revisions and positions. Backends supply lookups into their committed state
/// (plus whatever their current group commit has planned already).

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "events/envelope.hpp"

namespace switchyard::events {

/// Lookups the planner needs from a backend.
struct AppendLookups {
    /// Revision of the stream's last event, or -1 when the stream does not exist.
    std::function<core::Result<std::int64_t>(const std::string& stream)> current_revision;
    /// The stored event with this id, if any.
    std::function<core::Result<std::optional<RecordedEvent>>(const std::string& id)> find_event;
    /// Assigns the position of the next event of `stream`; called only once validation passed.
    std::function<Position(const std::string& stream)> assign_position;
};

/// What one append request will write.
struct AppendPlan {
    std::vector<RecordedEvent> records;  ///< Events to store, in append order; empty on dedupe.
    AppendResult result;                 ///< The answer to give once the records are durable.
};

/// Plans one append request.
/// @errors Invalid for a malformed request; Conflict for an expected revision that does not
///         hold or for a request whose event ids are only partly stored already.
core::Result<AppendPlan> plan_append(const std::vector<StreamWrite>& writes,
                                     const AppendLookups& lookups);

}  // namespace switchyard::events
