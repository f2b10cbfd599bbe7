#pragma once
/// A projector turns one event into key/value writes of its own read model (STYLE.md rule 5).
/// Only the runner touches RocksDB.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/bytes.hpp"
#include "events/envelope.hpp"

namespace switchyard::projections {

/// The writes of one projector for a batch; reads see the earlier writes of the same batch.
class ProjectionWrites {
  public:
    virtual ~ProjectionWrites() = default;
    /// The current value of `key` in this projector's model, or nullopt.
    virtual std::optional<std::string> get(std::string_view key) = 0;
    virtual void put(std::string_view key, std::string_view value) = 0;
    virtual void erase(std::string_view key) = 0;
};

/// A pure function from events to writes; it uses the event time, never the wall clock, so a
/// rebuild is byte-identical to the live model.
class Projector {
  public:
    virtual ~Projector() = default;
    /// Versioned name `<name>.v<N>`; bumping N rebuilds the model from the start of the log.
    virtual std::string name() const = 0;
    /// Applies one event. Events this projector does not use are ignored.
    /// @errors Invalid when the event cannot be decoded (the runner stops and logs it).
    virtual core::Result<void> project(const events::RecordedEvent& event,
                                       ProjectionWrites& writes) = 0;
    /// False when project() ignores every event of `type` (the runner then does not call it).
    /// Must not change over the projector's life. Default: true for every type.
    virtual bool accepts(std::string_view type) const {
        (void)type;
        return true;
    }
};

/// Read access to one read model for queries.
/// @thread safe; each call sees a consistent snapshot of at least the last committed batch.
class ReadModelView {
  public:
    virtual ~ReadModelView() = default;
    virtual std::optional<std::string> get(std::string_view key) const = 0;
    /// Calls `fn(key, value)` for keys with `prefix`, from `start` (inclusive; empty = from the
    /// prefix) in key order, until `fn` returns false.
    virtual void scan(std::string_view prefix, std::string_view start,
                      const std::function<bool(std::string_view, std::string_view)>& fn) const = 0;
};

using core::be64;
using core::from_be64;

}  // namespace switchyard::projections
