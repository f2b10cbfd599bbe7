#include "api/routes/identity/identity_api.hpp"

#include "api/routes/identity/identity_support.hpp"

namespace switchyard::api {

void add_identity_routes(Router& router, IdentityApi& api) {
    for (auto table : {identity::session_routes, identity::two_factor_routes,
                       identity::api_key_routes, identity::user_routes})
        add_routes(router, api, "identity", table());
}

}  // namespace switchyard::api
