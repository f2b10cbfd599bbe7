#include "events/voice/voice_service.hpp"

#include <fmt/format.h>

#include "events/voice/customer_codec.hpp"
#include "events/voice/reference_codec.hpp"

namespace switchyard::events::voice {

using namespace core::voice;

struct VoiceService::Impl {
    Impl(EventStore& s, std::string t)
        : store(s),
          tenant(std::move(t)),
          directory(s, decode_directory_event),
          reference(s, decode_reference_event) {}

    EventStore& store;
    std::string tenant;
    AggregateLoader<DirectoryState, DirectoryEvent> directory;
    AggregateLoader<ReferenceState, ReferenceEvent> reference;
};

VoiceService::VoiceService(EventStore& store, std::string tenant)
    : impl_(std::make_unique<Impl>(store, std::move(tenant))) {}

VoiceService::~VoiceService() = default;

core::Result<CommandOutcome<DirectoryDetail>> VoiceService::on_directory(
    const core::DecisionContext& ctx, const DirectoryDecide& decide, bool with_reference) {
    const auto stream = directory_stream(impl_->tenant);
    const auto reference = reference_stream(impl_->tenant);
    DirectoryDetail detail;
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            auto [state, rev] = SY_TRY(impl_->directory.load(stream));
            std::vector<StreamWrite> writes;
            DirectoryDecision decision;
            if (with_reference) {
                auto [ref, ref_rev] = SY_TRY(impl_->reference.load(reference));
                decision = SY_TRY(decide(state, &ref));
                // What was decided against this revision of the reference data holds only
                // while it stands.
                writes.push_back({reference, ExpectedRevision::at(ref_rev), {}});
            } else {
                decision = SY_TRY(decide(state, nullptr));
            }
            detail.id = decision.id;
            if (decision.events.empty()) return std::vector<StreamWrite>{};
            writes.insert(writes.begin(),
                          StreamWrite{stream, ExpectedRevision::at(rev),
                                      to_new_events(decision.events, encode, ctx, impl_->tenant)});
            return writes;
        }));
    return outcome_of(appended, detail);
}

core::Result<CommandOutcome<>> VoiceService::on_reference(const core::DecisionContext& ctx,
                                                          const ReferenceDecide& decide) {
    const auto stream = reference_stream(impl_->tenant);
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            auto [state, rev] = SY_TRY(impl_->reference.load(stream));
            auto events = SY_TRY(decide(state));
            if (events.empty()) return std::vector<StreamWrite>{};
            return std::vector<StreamWrite>{{stream, ExpectedRevision::at(rev),
                                             to_new_events(events, encode, ctx, impl_->tenant)}};
        }));
    return outcome_of(appended);
}

core::Result<CommandOutcome<DirectoryDetail>> VoiceService::execute(
    const CreateAssignment& c, const core::DecisionContext& ctx) {
    return on_directory(
        ctx,
        [&](const DirectoryState& s, const ReferenceState* r) { return decide(s, *r, c, ctx); },
        true);
}

core::Result<DirectoryState> VoiceService::directory() {
    return *SY_TRY(directory_snapshot()).state;
}

core::Result<ReferenceState> VoiceService::reference() {
    return *SY_TRY(reference_snapshot()).state;
}

core::Result<VoiceService::Snapshot<DirectoryState>> VoiceService::directory_snapshot() {
    auto [state, rev] = SY_TRY(impl_->directory.snapshot(directory_stream(impl_->tenant)));
    return Snapshot<DirectoryState>{std::move(state), rev};
}

core::Result<VoiceService::Snapshot<ReferenceState>> VoiceService::reference_snapshot() {
    auto [state, rev] = SY_TRY(impl_->reference.snapshot(reference_stream(impl_->tenant)));
    return Snapshot<ReferenceState>{std::move(state), rev};
}

core::Result<CustomerConfig> VoiceService::effective_config(std::int64_t customer_id) {
    const auto snap = SY_TRY(directory_snapshot());
    const auto& d = *snap.state;
    auto it = d.customers.find(customer_id);
    if (it == d.customers.end())
        return core::fail(core::Errc::NotFound, "customer_id",
                          fmt::format("customer {} does not exist", customer_id));
    return CustomerConfig{it->second, resolve(d.assignments, d.ref_of(it->second))};
}

}  // namespace switchyard::events::voice
