#pragma once
/// What the identity routes (`/v1/auth/...`, `/v1/users`, `/v1/api-keys`) work with: the
/// shared ApiContext, users and sessions, API keys. Built by the identity module's registration
/// (app/modules).

#include "api/api_context.hpp"
#include "events/identity/api_key_service.hpp"
#include "events/identity/identity_service.hpp"

namespace switchyard::api {

/// The identity module's API state.
struct IdentityApi {
    ApiContext& ctx;
    events::identity::IdentityService& identity;
    events::identity::ApiKeyService& api_keys;
};

/// Adds sign-in, sessions, second factors, users and API keys.
void add_identity_routes(Router& router, IdentityApi& api);

}  // namespace switchyard::api
