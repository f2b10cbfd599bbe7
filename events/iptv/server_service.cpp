#include "events/iptv/server_service.hpp"

#include "events/iptv/server_codec.hpp"

namespace switchyard::events::iptv {

using namespace core::iptv;

struct ServerService::Impl {
    Impl(EventStore& s, std::string t)
        : store(s), tenant(std::move(t)), states(s, decode_server_event) {}
    EventStore& store;
    std::string tenant;
    AggregateLoader<ServerState, ServerEvent> states;
};

ServerService::ServerService(EventStore& store, std::string tenant)
    : impl_(std::make_unique<Impl>(store, std::move(tenant))) {}
ServerService::~ServerService() = default;

std::string ServerService::stream() const { return "iptv_servers-" + impl_->tenant; }

core::Result<std::shared_ptr<const ServerState>> ServerService::state() {
    return SY_TRY(impl_->states.snapshot(stream())).first;
}

template <class Command>
core::Result<CommandOutcome<ServerDetail>> ServerService::run(const Command& c,
                                                              const core::DecisionContext& ctx) {
    const auto name = stream();
    ServerDecision decision;
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            auto [state, revision] = SY_TRY(impl_->states.snapshot(name));
            decision = SY_TRY(decide(*state, c, ctx));
            if (decision.events.empty()) return std::vector<StreamWrite>{};
            return std::vector<StreamWrite>{
                {name, ExpectedRevision::at(revision),
                 to_new_events(decision.events, encode, ctx, impl_->tenant)}};
        }));
    return outcome_of(appended, ServerDetail{decision.id});
}

core::Result<CommandOutcome<ServerDetail>> ServerService::execute(
    const RegisterServer& c, const core::DecisionContext& ctx) {
    return run(c, ctx);
}
core::Result<CommandOutcome<ServerDetail>> ServerService::execute(
    const ChangeServer& c, const core::DecisionContext& ctx) {
    return run(c, ctx);
}
core::Result<CommandOutcome<ServerDetail>> ServerService::execute(
    const RemoveServer& c, const core::DecisionContext& ctx) {
    return run(c, ctx);
}
core::Result<CommandOutcome<ServerDetail>> ServerService::execute(
    const SetServerHealth& c, const core::DecisionContext& ctx) {
    return run(c, ctx);
}
core::Result<CommandOutcome<ServerDetail>> ServerService::execute(
    const CreateServerGroup& c, const core::DecisionContext& ctx) {
    return run(c, ctx);
}
core::Result<CommandOutcome<ServerDetail>> ServerService::execute(
    const ChangeServerGroup& c, const core::DecisionContext& ctx) {
    return run(c, ctx);
}
core::Result<CommandOutcome<ServerDetail>> ServerService::execute(
    const RemoveServerGroup& c, const core::DecisionContext& ctx) {
    return run(c, ctx);
}
core::Result<CommandOutcome<ServerDetail>> ServerService::execute(
    const AssignStreamServers& c, const core::DecisionContext& ctx) {
    return run(c, ctx);
}

}  // namespace switchyard::events::iptv
