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
