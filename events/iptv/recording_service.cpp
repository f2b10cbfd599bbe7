#include "events/iptv/recording_service.hpp"

#include "events/id_allocator.hpp"
#include "events/iptv/recording_codec.hpp"

namespace switchyard::events::iptv {

using namespace core::iptv;

struct RecordingService::Impl {
    Impl(EventStore& s, std::string t)
        : store(s),
          tenant(std::move(t)),
          states(s, decode_recording_event),
          ids(s, "iptv", tenant, "recording") {}

    template <class Command>
    core::Result<CommandOutcome<RecordingDetail>> run(const Command& c,
                                                      const core::DecisionContext& ctx) {
        const auto stream = recording_stream(c.recording_id);
        auto appended =
            SY_TRY(execute_command(store, [&]() -> core::Result<std::vector<StreamWrite>> {
                auto [state, revision] = SY_TRY(states.load(stream));
                auto events = SY_TRY(decide(state, c, ctx));
                if (events.empty()) return std::vector<StreamWrite>{};
                return std::vector<StreamWrite>{
                    {stream, ExpectedRevision::at(revision),
                     to_new_events<RecordingEvent>(events, encode, ctx, tenant)}};
            }));
        return outcome_of(appended, RecordingDetail{c.recording_id});
    }

    EventStore& store;
    std::string tenant;
    AggregateLoader<RecordingState, RecordingEvent> states;
    IdAllocator ids;
};

RecordingService::RecordingService(EventStore& store, std::string tenant)
    : impl_(std::make_unique<Impl>(store, std::move(tenant))) {}
RecordingService::~RecordingService() = default;

core::Result<CommandOutcome<RecordingDetail>> RecordingService::execute(
    ScheduleRecording c, const core::DecisionContext& ctx) {
    if (c.recording_id == 0) {
        // Check the rules before an id is spent on a request they refuse.
        SY_TRY(decide(RecordingState{}, c, ctx));
        c.recording_id = SY_TRY(impl_->ids.take(1, ctx));
    }
    return impl_->run(c, ctx);
}

template <OneOf<StartRecording, CompleteRecording, FailRecording, DeleteRecording> Command>
core::Result<CommandOutcome<RecordingDetail>> RecordingService::execute(
    const Command& c, const core::DecisionContext& ctx) {
    return impl_->run(c, ctx);
}

template core::Result<CommandOutcome<RecordingDetail>> RecordingService::execute(
    const StartRecording&, const core::DecisionContext&);
template core::Result<CommandOutcome<RecordingDetail>> RecordingService::execute(
    const CompleteRecording&, const core::DecisionContext&);
template core::Result<CommandOutcome<RecordingDetail>> RecordingService::execute(
    const FailRecording&, const core::DecisionContext&);
template core::Result<CommandOutcome<RecordingDetail>> RecordingService::execute(
    const DeleteRecording&, const core::DecisionContext&);

core::Result<RecordingState> RecordingService::recording(std::int64_t id) {
    return SY_TRY(impl_->states.load(recording_stream(id))).first;
}

}  // namespace switchyard::events::iptv
