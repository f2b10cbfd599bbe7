#include "events/hotspot/controller_service.hpp"

#include "events/hotspot/controller_codec.hpp"

namespace switchyard::events::hotspot {

using namespace core::hotspot;

std::string controller_secret_context(const std::string& tenant, const std::string& controller_id,
                                      std::string_view field) {
    return "hotspot_controller_secret:" + tenant + ":" + controller_id + ":" + std::string(field);
}

struct ControllerService::Impl {
    Impl(EventStore& s, HotspotService& h, const MasterKeyring& k)
        : store(s), hotspot(h), keyring(k), controllers(s, decode_controller_event) {}
    EventStore& store;
    HotspotService& hotspot;
    const MasterKeyring& keyring;
    AggregateLoader<ControllerState, ControllerEvent> controllers;

    std::string stream() const { return controller_stream(hotspot.tenant()); }
    std::string context(const std::string& id, std::string_view field) const {
        return controller_secret_context(hotspot.tenant(), id, field);
    }
};

ControllerService::ControllerService(EventStore& store, HotspotService& hotspot,
                                     const MasterKeyring& keyring)
    : impl_(std::make_unique<Impl>(store, hotspot, keyring)) {}
ControllerService::~ControllerService() = default;

core::Result<CommandOutcome<>> ControllerService::on_controllers(
    const core::DecisionContext& ctx,
    const std::function<core::Result<std::vector<ControllerEvent>>(const ControllerState&,
                                                                   const CatalogState&)>& decide) {
    const auto stream = impl_->stream();
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            auto [state, rev] = SY_TRY(impl_->controllers.load(stream));
            const auto catalog = SY_TRY(impl_->hotspot.catalog());
            auto events = SY_TRY(decide(state, catalog));
            if (events.empty()) return std::vector<StreamWrite>{};
            return std::vector<StreamWrite>{
                {stream, ExpectedRevision::at(rev),
                 to_new_events(events, encode, ctx, impl_->hotspot.tenant())}};
        }));
    return outcome_of(appended);
}

core::Result<CommandOutcome<>> ControllerService::execute(DefineController c,
                                                          const core::DecisionContext& ctx) {
    const auto& id = c.controller.controller_id;
    auto seal = [&](const std::optional<std::string>& clear, std::string& sealed,
                    std::string_view field) {
        if (clear && !clear->empty())
            sealed = impl_->keyring.seal(*clear, impl_->context(id, field));
    };
    seal(c.secrets.password, c.controller.password_sealed, "password");
    seal(c.secrets.client_secret, c.controller.client_secret_sealed, "client_secret");
    seal(c.secrets.operator_password, c.controller.operator_password_sealed, "operator_password");
    seal(c.secrets.api_key, c.controller.api_key_sealed, "api_key");
    return on_controllers(ctx, [&](const ControllerState& s, const CatalogState& catalog) {
        return decide(s, catalog, c, ctx);
    });
}

core::Result<CommandOutcome<>> ControllerService::execute(const RemoveController& c,
                                                          const core::DecisionContext& ctx) {
    return on_controllers(
        ctx, [&](const ControllerState& s, const CatalogState&) { return decide(s, c, ctx); });
}
core::Result<CommandOutcome<>> ControllerService::execute(const RecordControllerOperation& c,
                                                          const core::DecisionContext& ctx) {
    return on_controllers(
        ctx, [&](const ControllerState& s, const CatalogState&) { return decide(s, c, ctx); });
}
core::Result<CommandOutcome<>> ControllerService::execute(const RecordControllerSync& c,
                                                          const core::DecisionContext& ctx) {
    return on_controllers(
        ctx, [&](const ControllerState& s, const CatalogState&) { return decide(s, c, ctx); });
}

core::Result<int> ControllerService::reseal_secrets(const core::DecisionContext& ctx) {
    const auto s = SY_TRY(state());
    int count = 0;
    for (const auto& [id, c] : s.controllers) {
        ControllerDefinition next = c;
        bool stale = false;
        for (auto [sealed, field] : {std::pair{&next.password_sealed, "password"},
                                     std::pair{&next.client_secret_sealed, "client_secret"},
                                     std::pair{&next.operator_password_sealed, "operator_password"},
                                     std::pair{&next.api_key_sealed, "api_key"}}) {
            if (sealed->empty() || impl_->keyring.sealed_with_current(*sealed)) continue;
            const auto clear = SY_TRY(impl_->keyring.open(*sealed, impl_->context(id, field)));
            *sealed = impl_->keyring.seal(clear, impl_->context(id, field));
            stale = true;
        }
        if (!stale) continue;
        const auto command_id = "reseal:" + impl_->keyring.current_id() + ":" + id;
        const auto stream = impl_->stream();
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            auto [st, rev] = SY_TRY(impl_->controllers.load(stream));
            if (st.command_ids.count(command_id) || !st.controllers.count(id))
                return std::vector<StreamWrite>{};
            std::vector<ControllerEvent> events{ControllerChanged{next, command_id}};
            return std::vector<StreamWrite>{
                {stream, ExpectedRevision::at(rev),
                 to_new_events(events, encode, ctx, impl_->hotspot.tenant())}};
        }));
        ++count;
    }
    return count;
}

core::Result<ControllerState> ControllerService::state() {
    auto [s, rev] = SY_TRY(impl_->controllers.load(impl_->stream()));
    return std::move(s);
}

core::Result<ControllerDefinition> ControllerService::controller(const std::string& id) {
    auto s = SY_TRY(state());
    auto it = s.controllers.find(id);
    if (it == s.controllers.end())
        return core::fail(core::Errc::NotFound, "controller_id",
                          "controller '" + id + "' does not exist");
    return it->second;
}

core::Result<ControllerSecrets> ControllerService::secrets(const ControllerDefinition& c) const {
    ControllerSecrets out;
    auto open = [&](const std::string& sealed, std::optional<std::string>& clear,
                    std::string_view field) -> core::Result<void> {
        if (sealed.empty()) return {};
        clear = SY_TRY(impl_->keyring.open(sealed, impl_->context(c.controller_id, field)));
        return {};
    };
    SY_TRY(open(c.password_sealed, out.password, "password"));
    SY_TRY(open(c.client_secret_sealed, out.client_secret, "client_secret"));
    SY_TRY(open(c.operator_password_sealed, out.operator_password, "operator_password"));
    SY_TRY(open(c.api_key_sealed, out.api_key, "api_key"));
    return out;
}

}  // namespace switchyard::events::hotspot
