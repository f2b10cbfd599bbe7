#include "events/iptv/iptv_service.hpp"

#include <fmt/format.h>

#include "events/command_handler.hpp"
#include "events/iptv/iptv_codec.hpp"

namespace switchyard::events::iptv {

using namespace core::iptv;

struct IptvService::Impl {
    Impl(EventStore& s, std::string t)
        : store(s),
          tenant(std::move(t)),
          catalogue(s, decode_catalogue_event),
          registry(s, decode_line_registry_event),
          lines(s, decode_line_event) {}

    template <class Events>
    std::vector<NewEvent> to_new(const Events& events, const core::DecisionContext& ctx) const {
        std::vector<NewEvent> out;
        out.reserve(events.size());
        for (const auto& e : events) {
            auto enc = encode(e);
            out.push_back(
                make_new_event(std::move(enc.type), enc.schema, std::move(enc.data), ctx, tenant));
        }
        return out;
    }

    EventStore& store;
    std::string tenant;
    AggregateLoader<CatalogueState, CatalogueEvent> catalogue;
    AggregateLoader<LineRegistryState, LineRegistryEvent> registry;
    AggregateLoader<LineState, LineEvent> lines;
};

IptvService::IptvService(EventStore& store, std::string tenant)
    : impl_(std::make_unique<Impl>(store, std::move(tenant))) {}
IptvService::~IptvService() = default;

namespace {

CommandOutcome outcome_of(const AppendResult& r, std::int64_t id) {
    CommandOutcome o;
    o.id = id;
    o.positions = r.last_positions();
    o.changed = !r.writes.empty() && !r.deduplicated;
    return o;
}

}  // namespace

template <class Command>
core::Result<CommandOutcome> IptvService::run_catalogue(const Command& c,
                                                        const core::DecisionContext& ctx) {
    const auto stream = catalogue_stream(impl_->tenant);
    CatalogueDecision decision;
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            auto [state, revision] = SY_TRY(impl_->catalogue.load(stream));
            decision = SY_TRY(decide(state, c, ctx));
            if (decision.events.empty()) return std::vector<StreamWrite>{};
            return std::vector<StreamWrite>{
                {stream, ExpectedRevision::at(revision), impl_->to_new(decision.events, ctx)}};
        }));
    auto out = outcome_of(appended, decision.id);
    out.summary = decision.summary;
    return out;
}

core::Result<CommandOutcome> IptvService::execute(const CreateCategory& c,
                                                  const core::DecisionContext& ctx) {
    return run_catalogue(c, ctx);
}
core::Result<CommandOutcome> IptvService::execute(const RenameCategory& c,
                                                  const core::DecisionContext& ctx) {
    return run_catalogue(c, ctx);
}
core::Result<CommandOutcome> IptvService::execute(const DeleteCategory& c,
                                                  const core::DecisionContext& ctx) {
    return run_catalogue(c, ctx);
}
core::Result<CommandOutcome> IptvService::execute(const AddStream& c,
                                                  const core::DecisionContext& ctx) {
    return run_catalogue(c, ctx);
}
core::Result<CommandOutcome> IptvService::execute(const UpdateStream& c,
                                                  const core::DecisionContext& ctx) {
    return run_catalogue(c, ctx);
}
core::Result<CommandOutcome> IptvService::execute(const RemoveStream& c,
                                                  const core::DecisionContext& ctx) {
    return run_catalogue(c, ctx);
}
core::Result<CommandOutcome> IptvService::execute(const CreateBouquet& c,
                                                  const core::DecisionContext& ctx) {
    return run_catalogue(c, ctx);
}
core::Result<CommandOutcome> IptvService::execute(const UpdateBouquet& c,
                                                  const core::DecisionContext& ctx) {
    return run_catalogue(c, ctx);
}
core::Result<CommandOutcome> IptvService::execute(const DeleteBouquet& c,
                                                  const core::DecisionContext& ctx) {
    return run_catalogue(c, ctx);
}
core::Result<CommandOutcome> IptvService::execute(const ImportPlaylist& c,
                                                  const core::DecisionContext& ctx) {
    return run_catalogue(c, ctx);
}

core::Result<CommandOutcome> IptvService::execute(const CreateLine& c,
                                                  const core::DecisionContext& ctx) {
    const auto registry_stream = line_registry_stream(impl_->tenant);
    const auto cat_stream = catalogue_stream(impl_->tenant);
    LineDecision decision;
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            auto [registry, registry_rev] = SY_TRY(impl_->registry.load(registry_stream));
            auto [catalogue, catalogue_rev] = SY_TRY(impl_->catalogue.load(cat_stream));
            decision = SY_TRY(decide(registry, catalogue, c, ctx));
            if (decision.line_events.empty()) return std::vector<StreamWrite>{};
            return std::vector<StreamWrite>{
                {registry_stream, ExpectedRevision::at(registry_rev),
                 impl_->to_new(decision.registry_events, ctx)},
                {line_stream(decision.line_id), ExpectedRevision::no_stream(),
                 impl_->to_new(decision.line_events, ctx)},
                // Bouquets were checked against this catalogue revision: hold it (no events).
                {cat_stream, ExpectedRevision::at(catalogue_rev), {}},
            };
        }));
    auto out = outcome_of(appended, decision.line_id);
    out.password = decision.password;
    return out;
}

template <class Command>
core::Result<CommandOutcome> IptvService::run_line(std::int64_t line_id, const Command& c,
                                                   const core::DecisionContext& ctx) {
    const auto stream = line_stream(line_id);
    const auto registry_stream = line_registry_stream(impl_->tenant);
    const auto cat_stream = catalogue_stream(impl_->tenant);
    LineDecision decision;
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            auto [line, revision] = SY_TRY(impl_->lines.load(stream));
            std::vector<StreamWrite> writes;
            if constexpr (std::is_same_v<Command, UpdateLine>) {
                auto [catalogue, catalogue_rev] = SY_TRY(impl_->catalogue.load(cat_stream));
                decision = SY_TRY(decide(line, catalogue, c, ctx));
                if (c.bouquets)
                    writes.push_back({cat_stream, ExpectedRevision::at(catalogue_rev), {}});
            } else {
                decision = SY_TRY(decide(line, c, ctx));
            }
            if (decision.line_events.empty()) return std::vector<StreamWrite>{};
            writes.push_back(
                {stream, ExpectedRevision::at(revision), impl_->to_new(decision.line_events, ctx)});
            if (!decision.registry_events.empty()) {
                auto [registry, registry_rev] = SY_TRY(impl_->registry.load(registry_stream));
                writes.push_back({registry_stream, ExpectedRevision::at(registry_rev),
                                  impl_->to_new(decision.registry_events, ctx)});
            }
            return writes;
        }));
    auto out = outcome_of(appended, line_id);
    out.password = decision.password;
    return out;
}

core::Result<CommandOutcome> IptvService::execute(const UpdateLine& c,
                                                  const core::DecisionContext& ctx) {
    return run_line(c.line_id, c, ctx);
}
core::Result<CommandOutcome> IptvService::execute(const DeleteLine& c,
                                                  const core::DecisionContext& ctx) {
    return run_line(c.line_id, c, ctx);
}

core::Result<CatalogueState> IptvService::catalogue() {
    auto [state, rev] = SY_TRY(impl_->catalogue.load(catalogue_stream(impl_->tenant)));
    return std::move(state);
}

core::Result<LineState> IptvService::line(std::int64_t line_id) {
    auto [state, rev] = SY_TRY(impl_->lines.load(line_stream(line_id)));
    if (!state.exists)
        return core::fail(core::Errc::NotFound, "line_id",
                          fmt::format("line {} does not exist", line_id));
    return std::move(state);
}

}  // namespace switchyard::events::iptv
