#pragma once
/// The identity module: users, passwords, sessions, second factors and API keys
/// (core/identity, events/identity, projections/identity, api/routes/identity). The other
/// modules' routes are authenticated through its read models (api/access.hpp).

#include <memory>

#include "api/routes/identity/identity_api.hpp"
#include "app/modules/module.hpp"
#include "events/identity/identity_service.hpp"

namespace switchyard::app {

class IdentityModule final : public Module {
  public:
    /// Policies (password rules, argon2id cost, sessions, who must use 2FA). Tests lower the
    /// hash cost before `start`.
    events::identity::IdentityOptions options;

    std::string name() const override { return "identity"; }
    void add_projectors(std::vector<std::unique_ptr<projections::Projector>>& out) const override;
    core::Result<void> start(ModuleHost& host) override;
    void add_routes(api::Router& router) override;

  private:
    std::unique_ptr<events::identity::IdentityService> identity_;
    std::unique_ptr<events::identity::ApiKeyService> api_keys_;
    std::unique_ptr<api::IdentityApi> api_;
};

}  // namespace switchyard::app
