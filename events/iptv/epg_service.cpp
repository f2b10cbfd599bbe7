#include "events/iptv/epg_service.hpp"

#include <fmt/format.h>

#include "events/iptv/epg_codec.hpp"
#include "events/uuid.hpp"

namespace switchyard::events::iptv {

using namespace core::iptv;

struct EpgService::Impl {
    Impl(EventStore& s, std::string t)
        : store(s), tenant(std::move(t)), sources(s, decode_epg_event) {}
    EventStore& store;
    std::string tenant;
    AggregateLoader<EpgSourceState, EpgEvent> sources;
    AggregateLoader<EpgMappingState, EpgEvent> mappings{store, decode_epg_event};
};

EpgService::EpgService(EventStore& store, std::string tenant)
    : impl_(std::make_unique<Impl>(store, std::move(tenant))) {}
EpgService::~EpgService() = default;

std::string EpgService::source_stream(const std::string& source) const {
    return fmt::format("iptv_epg-{}-{}", impl_->tenant, sha256_hex(source).substr(0, 40));
}

core::Result<CommandOutcome<EpgDetail>> EpgService::execute(const ImportGuide& c,
                                                            const core::DecisionContext& ctx) {
    SY_TRY(validate_epg_source(c.source));
    const auto stream = source_stream(c.source);
    EpgDecision decision;
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            auto [state, revision] = SY_TRY(impl_->sources.snapshot(stream));
            decision = SY_TRY(decide(*state, c, ctx));
            if (decision.events.empty()) return std::vector<StreamWrite>{};
            return std::vector<StreamWrite>{
                {stream, ExpectedRevision::at(revision),
                 to_new_events(decision.events, encode, ctx, impl_->tenant)}};
        }));
    return outcome_of(appended, EpgDetail{decision.summary});
}

namespace {

template <class Command>
core::Result<AppendResult> edit(EventStore& store,
                                AggregateLoader<EpgSourceState, EpgEvent>& sources,
                                const std::string& stream, const Command& c,
                                const core::DecisionContext& ctx, const std::string& tenant) {
    return execute_command(store, [&]() -> core::Result<std::vector<StreamWrite>> {
        auto [state, revision] = SY_TRY(sources.snapshot(stream));
        auto events = SY_TRY(decide(*state, c, ctx));
        if (events.empty()) return std::vector<StreamWrite>{};
        return std::vector<StreamWrite>{
            {stream, ExpectedRevision::at(revision), to_new_events(events, encode, ctx, tenant)}};
    });
}

}  // namespace

core::Result<CommandOutcome<>> EpgService::execute(const SaveProgramme& c,
                                                   const core::DecisionContext& ctx) {
    SY_TRY(validate_epg_source(c.source));
    return outcome_of(
        SY_TRY(edit(impl_->store, impl_->sources, source_stream(c.source), c, ctx, impl_->tenant)));
}

core::Result<CommandOutcome<>> EpgService::execute(const DeleteProgramme& c,
                                                   const core::DecisionContext& ctx) {
    SY_TRY(validate_epg_source(c.source));
    return outcome_of(
        SY_TRY(edit(impl_->store, impl_->sources, source_stream(c.source), c, ctx, impl_->tenant)));
}

core::Result<CommandOutcome<>> EpgService::execute(const SetEpgMapping& c,
                                                   const core::DecisionContext& ctx) {
    const auto stream = fmt::format("iptv_epg_mapping-{}-{}", impl_->tenant, c.stream_id);
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            auto [state, revision] = SY_TRY(impl_->mappings.load(stream));
            auto events = SY_TRY(decide(state, c, ctx));
            if (events.empty()) return std::vector<StreamWrite>{};
            return std::vector<StreamWrite>{{stream, ExpectedRevision::at(revision),
                                             to_new_events(events, encode, ctx, impl_->tenant)}};
        }));
    return outcome_of(appended);
}

}  // namespace switchyard::events::iptv
