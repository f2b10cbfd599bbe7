#include "app/modules/identity_module.hpp"

#include "projections/identity/api_keys.hpp"
#include "projections/identity/users.hpp"

namespace switchyard::app {

void IdentityModule::add_projectors(
    std::vector<std::unique_ptr<projections::Projector>>& out) const {
    out.push_back(projections::identity::make_api_keys_projector());
    out.push_back(projections::identity::make_users_projector());
}

core::Result<void> IdentityModule::start(ModuleHost& host) {
    identity_ = std::make_unique<events::identity::IdentityService>(host.store, host.tenant,
                                                                    host.keyring, options);
    api_keys_ = std::make_unique<events::identity::ApiKeyService>(host.store, host.tenant);
    api_ = std::make_unique<api::IdentityApi>(api::IdentityApi{host.api, *identity_, *api_keys_});
    auto& hooks = host.api.identity;
    hooks.session_idle_timeout = options.session.idle_timeout;
    hooks.record_key_use = [keys = api_keys_.get()](const std::string& key_id,
                                                    const core::DecisionContext& d) {
        return keys->record_use(key_id, d).map([](auto&&) {});
    };
    hooks.record_lockout = [identity = identity_.get()](const events::identity::SourceLocked& lock,
                                                        const core::DecisionContext& d) {
        return identity->record_lockout(lock, d).map([](auto&&) {});
    };
    return {};
}

void IdentityModule::add_routes(api::Router& router) { api::add_identity_routes(router, *api_); }

}  // namespace switchyard::app
