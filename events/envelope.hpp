#pragma once
/// The event envelope of DESIGN.md (Events) and the positions the log assigns.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/actor.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace switchyard::events {

/// Where one event sits in the log: a topic, a partition there and its offset (0-based).
/// The embedded log has the single partition 0 of the unnamed topic ""; Kafka has one per
/// topic partition (`switchyard.<module>.events`).
struct Position {
    std::int32_t partition = 0;
    std::int64_t offset = -1;  ///< -1 means "before the first event".
    std::string topic;         ///< Empty for the embedded log.
    friend bool operator==(const Position&, const Position&) = default;
};

/// How far a reader has come: for each topic partition, the offset of the next event to read.
/// A checkpoint `covers` a position when that event has already been read.
class Checkpoint {
  public:
    using Key = std::pair<std::string, std::int32_t>;  ///< (topic, partition)

    Checkpoint() = default;
    /// A checkpoint with partitions 0..n-1 of the unnamed topic, each at offset 0.
    explicit Checkpoint(std::size_t partitions);

    /// Records that the event at `p` has been read.
    void advance(const Position& p);
    /// Sets the next offset of a partition (ignored when lower than the current one).
    void set_next(const Key& key, std::int64_t next);
    /// True when the event at `p` has been read.
    bool covers(const Position& p) const;
    /// True when every position in `positions` is covered.
    bool covers(const std::vector<Position>& positions) const;
    /// True when every partition of `other` is covered as far as `other` reaches.
    bool covers(const Checkpoint& other) const;
    /// Offset of the next event to read in a partition (0 when never read).
    std::int64_t next_offset(const std::string& topic, std::int32_t partition) const;
    /// `next_offset("", partition)`: the embedded log's form.
    std::int64_t next_offset(std::int32_t partition) const {
        return next_offset(std::string(), partition);
    }
    /// Every partition with its next offset, in (topic, partition) order.
    const std::map<Key, std::int64_t>& entries() const { return next_; }
    /// Total events (offsets) read over all partitions: the sum of next offsets.
    std::int64_t total() const;
    /// The partition-wise minimum of two checkpoints (a partition missing in one counts as 0).
    static Checkpoint min(const Checkpoint& a, const Checkpoint& b);

    /// Text form: `p:next` per partition of the embedded log (e.g. `0:2607`), `topic/p:next` for
    /// named topics, joined by commas; empty text for an empty checkpoint.
    std::string to_string() const;
    /// Parses the text form. @errors Invalid naming `checkpoint`.
    static core::Result<Checkpoint> parse(std::string_view text);

    friend bool operator==(const Checkpoint&, const Checkpoint&) = default;

  private:
    std::map<Key, std::int64_t> next_;
};

/// Formats positions as `p:offset` (or `topic/p:offset`) joined by commas; `position` fields of
/// command answers use it.
std::string format_positions(const std::vector<Position>& positions);
/// Parses what `format_positions` writes; a bare `offset` means partition 0 of the embedded log.
/// @errors Invalid naming `after` when the text is not of that form or an offset is negative.
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
