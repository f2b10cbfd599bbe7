#pragma once
/// The append rules every backend shares: validation, event-id dedupe, expected revisions and
/// assignment of revisions and positions. Backends supply lookups into their committed state
/// (plus whatever their current group commit has planned already).

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "events/envelope.hpp"

namespace switchyard::events {

/// Where a stored event is: what deduplication answers with.
struct StoredEvent {
    std::string stream;
    std::int64_t revision = -1;
    Position position;
};

/// Lookups the planner needs from a backend.
struct AppendLookups {
    /// Revision of the stream's last event, or -1 when the stream does not exist.
    std::function<core::Result<std::int64_t>(const std::string& stream)> current_revision;
    /// Where the stored event with this id is, if there is one.
    std::function<core::Result<std::optional<StoredEvent>>(const std::string& id)> find_event;
    /// Assigns the position of the next event of `stream`; called only once validation passed.
    std::function<Position(const std::string& stream)> assign_position;
};

/// One event of a plan: event `event` of write `write` gets `revision` and `position`.
struct PlannedEvent {
    std::size_t write = 0;
    std::size_t event = 0;
    std::int64_t revision = 0;
    Position position;
};

/// What one append request will write.
struct AppendPlan {
    std::vector<PlannedEvent> records;  ///< Events to store, in append order; empty on dedupe.
    AppendResult result;                ///< The answer to give once the records are durable.
};

/// Checks a request's shape: at least one write, valid and distinct stream names, event ids of
/// 1-64 bytes unique in the request, `<module>.<aggregate>.<verb>` types, data a JSON object.
/// Needs no state of the log, so appenders run it on their own thread.
/// @errors Invalid naming `writes`, `stream`, `id`, `type` or `data`.
core::Result<void> validate_append(const std::vector<StreamWrite>& writes);

/// Plans one append request (validate_append, then plan_validated_append).
/// @errors Invalid for a malformed request; Conflict for an expected revision that does not
///         hold or for a request whose event ids are only partly stored already.
core::Result<AppendPlan> plan_append(const std::vector<StreamWrite>& writes,
                                     const AppendLookups& lookups);

/// Plans a request validate_append accepted: deduplication by event id, expected revisions,
/// revisions and positions. @errors Conflict as plan_append.
core::Result<AppendPlan> plan_validated_append(const std::vector<StreamWrite>& writes,
                                               const AppendLookups& lookups);

/// The recorded event a planned event becomes (its NewEvent moved out of `writes`).
RecordedEvent take_record(std::vector<StreamWrite>& writes, const PlannedEvent& planned);

/// Reads a stream for a backend that keeps, per stream name, the locators of its events in
/// revision order (`streams`: a map to vectors of locators): the events from `from_revision`
/// (negative: from 0), at most `max`, each fetched by `at(locator)`. Empty for an unknown stream.
template <class StreamIndex, class At>
std::vector<RecordedEvent> read_stream_index(const StreamIndex& streams, const std::string& stream,
                                             std::int64_t from_revision, std::size_t max, At at) {
    std::vector<RecordedEvent> out;
    auto it = streams.find(stream);
    if (it == streams.end()) return out;
    const auto& locators = it->second;
    for (auto r = static_cast<std::size_t>(std::max<std::int64_t>(from_revision, 0));
         r < locators.size() && out.size() < max; ++r) {
        out.push_back(at(locators[r]));
    }
    return out;
}

}  // namespace switchyard::events
