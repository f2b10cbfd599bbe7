#pragma once
/// The event envelope of DESIGN.md (Events) and the positions the log assigns.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/actor.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace switchyard::events {

/// Where one event sits in the log: a partition and its offset there (both 0-based).
/// The embedded log has the single partition 0; Kafka has one per topic partition.
struct Position {
    std::int32_t partition = 0;
    std::int64_t offset = -1;  ///< -1 means "before the first event".
    friend bool operator==(const Position&, const Position&) = default;
};

/// How far a reader has come: for each partition, the offset of the next event to read.
/// A checkpoint `covers` a position when that event has already been read.
class Checkpoint {
  public:
    Checkpoint() = default;
    /// A checkpoint with `partitions` partitions, each at offset 0 (nothing read).
    explicit Checkpoint(std::size_t partitions) : next_(partitions, 0) {}

    /// Records that the event at `p` has been read; grows the vector when needed.
    void advance(const Position& p);
    /// True when the event at `p` has been read.
    bool covers(const Position& p) const;
    /// True when every position in `positions` is covered.
    bool covers(const std::vector<Position>& positions) const;
    /// Offset of the next event to read in `partition` (0 when never read).
    std::int64_t next_offset(std::int32_t partition) const;
    /// Per-partition next offsets, index = partition.
    const std::vector<std::int64_t>& next_offsets() const { return next_; }
    /// Total events read over all partitions (sum of next offsets).
    std::int64_t total() const;

    /// Text form `p:next,p:next` (e.g. `0:2607`); empty text for an empty checkpoint.
    std::string to_string() const;
    /// Parses the text form.
    static core::Result<Checkpoint> parse(std::string_view text);

    friend bool operator==(const Checkpoint&, const Checkpoint&) = default;

  private:
    std::vector<std::int64_t> next_;
};

/// Formats positions as `p:offset,...`; `position` fields of command answers use it.
std::string format_positions(const std::vector<Position>& positions);
/// Parses `p:offset,...`; a bare `offset` means partition 0.
/// @errors Invalid when the text is not of that form.
core::Result<std::vector<Position>> parse_positions(std::string_view text);

/// What an append's expectation about a stream's current revision is.
struct ExpectedRevision {
    enum class Kind { Any, NoStream, Exact };
    Kind kind = Kind::Any;
    std::int64_t revision = -1;  ///< With Exact: the revision of the stream's last event.

    /// Any revision: only for tools and migrations.
    static ExpectedRevision any() { return {Kind::Any, -1}; }
    /// The stream must not exist yet.
    static ExpectedRevision no_stream() { return {Kind::NoStream, -1}; }
    /// The stream's last event must have revision `n` (a stream with n+1 events).
    static ExpectedRevision exact(std::int64_t n) { return {Kind::Exact, n}; }
    /// `exact(n)` for n >= 0, else `no_stream()`: the expectation of a freshly loaded stream.
    static ExpectedRevision at(std::int64_t n) { return n < 0 ? no_stream() : exact(n); }
};

/// An event about to be appended; the log adds stream, revision and position.
struct NewEvent {
    std::string id;        ///< UUIDv7 text; appends are idempotent on it.
    std::string type;      ///< `<module>.<aggregate>.<past_tense>`, e.g. `iptv.line.created`.
    int schema = 1;        ///< Payload schema version (schemas/events/<module>/<type>.v<N>.json).
    core::Timestamp time;  ///< Decided once, from the injected clock.
    core::Actor actor;
    std::string correlation_id;
    std::string causation_id;
    std::string tenant;  ///< Owning operator and reseller path, e.g. `op` or `op/r12`.
    std::string data;    ///< The payload as a JSON object text.
};

/// An event as stored: the new event plus what the log assigned.
struct RecordedEvent : NewEvent {
    std::string stream;       ///< `<aggregate>-<id>`, the unit of consistency.
    std::int64_t revision{};  ///< 0-based position inside the stream.
    Position position;        ///< Assigned by the log.
};

/// The module of an event type: the text before the first dot (`iptv` for `iptv.line.created`).
std::string_view module_of(std::string_view type);

/// One stream's part of an append.
struct StreamWrite {
    std::string stream;
    ExpectedRevision expected;
    std::vector<NewEvent> events;  ///< May be empty: then the write only checks `expected`.
};

/// What an append produced, per write in the order given.
struct WriteResult {
    std::string stream;
    std::int64_t last_revision = -1;  ///< Revision of the stream's last event after the append.
    std::vector<Position> positions;  ///< One per event of the write.
};

/// The result of a successful append.
struct AppendResult {
    std::vector<WriteResult> writes;
    /// The last position per partition touched (empty when nothing was written).
    std::vector<Position> last_positions() const;
    /// True when the append found every event already stored and wrote nothing.
    bool deduplicated = false;
};

/// Validates a stream name: 1 to 200 bytes, printable ASCII without spaces.
/// @errors Invalid naming `stream`.
core::Result<void> validate_stream_name(std::string_view stream);

}  // namespace switchyard::events
