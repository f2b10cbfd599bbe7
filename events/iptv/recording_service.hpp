#pragma once
/// The command side of recordings: loads one recording's stream, runs the pure deciders
/// (core/iptv/recording.hpp) and appends their events with the expected revision.

#include <memory>
#include <string>

#include "core/decision_context.hpp"
#include "core/iptv/recording.hpp"
#include "core/result.hpp"
#include "events/command_handler.hpp"
#include "events/event_store.hpp"

namespace switchyard::events::iptv {

/// What a recording command gives back: the recording's id.
struct RecordingDetail {
    std::int64_t id = 0;
};

/// Recording commands of one tenant. @thread safe.
class RecordingService {
  public:
    RecordingService(EventStore& store, std::string tenant);
    ~RecordingService();

    /// Schedules a recording; a `recording_id` of 0 takes a new one from the tenant's
    /// `recording` id allocator. Errors as the decider, plus the store's errors.
    core::Result<CommandOutcome<RecordingDetail>> execute(core::iptv::ScheduleRecording c,
                                                          const core::DecisionContext& ctx);
    /// Start, complete, fail, delete; errors as the deciders, plus the store's errors.
    template <OneOf<core::iptv::StartRecording, core::iptv::CompleteRecording,
                    core::iptv::FailRecording, core::iptv::DeleteRecording>
                  Command>
    core::Result<CommandOutcome<RecordingDetail>> execute(const Command& c,
                                                          const core::DecisionContext& ctx);
    /// A recording as the log tells it (`exists` false when it never did).
    core::Result<core::iptv::RecordingState> recording(std::int64_t id);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::iptv
