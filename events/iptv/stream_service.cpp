#include "events/iptv/stream_service.hpp"

#include "events/iptv/stream_lifecycle_codec.hpp"

namespace switchyard::events::iptv {

using namespace core::iptv;

struct StreamService::Impl {
    Impl(EventStore& s, std::string t)
        : store(s), tenant(std::move(t)), states(s, decode_stream_lifecycle_event) {}
    EventStore& store;
    std::string tenant;
    AggregateLoader<StreamLifecycleState, StreamLifecycleEvent> states;
};

StreamService::StreamService(EventStore& store, std::string tenant)
    : impl_(std::make_unique<Impl>(store, std::move(tenant))) {}
StreamService::~StreamService() = default;

core::Result<CommandOutcome<>> StreamService::record(const StreamLifecycleEvent& observed,
                                                     const core::DecisionContext& ctx) {
    const auto stream =
        stream_lifecycle_stream(std::visit([](const auto& e) { return e.stream_id; }, observed));
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            auto [state, revision] = SY_TRY(impl_->states.load(stream));
            auto events = decide(state, observed);
            if (events.empty()) return std::vector<StreamWrite>{};
            return std::vector<StreamWrite>{
                {stream, ExpectedRevision::at(revision),
                 to_new_events<StreamLifecycleEvent>(events, encode, ctx, impl_->tenant)}};
        }));
    return outcome_of(appended);
}

core::Result<StreamLifecycleState> StreamService::lifecycle(std::int64_t stream_id) {
    return SY_TRY(impl_->states.load(stream_lifecycle_stream(stream_id))).first;
}

}  // namespace switchyard::events::iptv
