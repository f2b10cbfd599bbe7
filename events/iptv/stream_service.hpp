#pragma once
/// The command side of stream worker lifecycles: records what a worker reported (started,
/// stopped, failed, probed) in the stream's `stream_lifecycle-<id>` log stream, with expected
/// revisions, dropping what the log already says (core/iptv/stream_lifecycle.hpp).

#include <memory>
#include <string>

#include "core/decision_context.hpp"
#include "core/iptv/stream_lifecycle.hpp"
#include "core/result.hpp"
#include "events/command_handler.hpp"
#include "events/event_store.hpp"

namespace switchyard::events::iptv {

/// Stream lifecycle commands of one tenant. @thread safe.
class StreamService {
  public:
    StreamService(EventStore& store, std::string tenant);
    ~StreamService();

    /// Appends `observed` unless the stream's log already says it (then `changed` is false).
    /// @errors the store's errors; Conflict when other writers kept winning.
    core::Result<CommandOutcome<>> record(const core::iptv::StreamLifecycleEvent& observed,
                                          const core::DecisionContext& ctx);
    /// The lifecycle of a stream as the log tells it. @errors the store's read errors.
    core::Result<core::iptv::StreamLifecycleState> lifecycle(std::int64_t stream_id);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::iptv
