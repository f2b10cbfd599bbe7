#pragma once
/// A module's routes as a table: method, path pattern, who may call it, a named handler
/// function, one sentence. Each module keeps its table in its resource files under
/// `api/routes/<module>/` and registers it with `add_routes`; the roles live here, on the route,
/// and the router's guard (api/access.hpp) enforces them before the handler runs.

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "api/http_types.hpp"
#include "api/problem.hpp"
#include "api/router.hpp"
#include "core/identity/user.hpp"
#include "core/result.hpp"

namespace switchyard::api {

/// Role sets the route tables share.
namespace roles {
using core::identity::Role;
inline const std::vector<Role> everyone{Role::Admin, Role::Reseller, Role::Support, Role::Customer,
                                        Role::Carrier};
inline const std::vector<Role> admin{Role::Admin};
/// The operator's staff and resellers: the catalogue, lines and users they may see.
inline const std::vector<Role> staff_read{Role::Admin, Role::Support, Role::Reseller};
/// Those who sell: admins and resellers.
inline const std::vector<Role> sellers{Role::Admin, Role::Reseller};
}  // namespace roles

/// One route of a module whose handlers take the module's API state `Api` (its services and
/// the shared ApiContext). The handler is a plain named function; its error becomes a
/// problem+json answer (api/problem.hpp).
template <class Api>
struct RouteDef {
    const char* method;                       ///< `GET`, `POST`, `PATCH`, `PUT`, `DELETE`.
    const char* pattern;                      ///< e.g. `/v1/vpn/devices/{id}`.
    std::vector<core::identity::Role> roles;  ///< Who may call it; ignored for Reach::Public.
    core::Result<HttpResponse> (*handler)(Api& api, HttpRequest& request);
    const char* summary;  ///< One sentence: what it does.
    Reach reach = Reach::Roles;
    bool non_blocking = false;  ///< Lookups only: may run on the I/O thread.
    /// Reach::Public routes that check their caller themselves (a signed webhook): no
    /// anonymous rate limit (Route::self_authenticated).
    bool self_authenticated = false;
};

/// The caller the router's guard stored in the request. Only for routes that are not
/// Reach::Public (the guard has authenticated them before the handler runs).
inline const Caller& caller_of(const HttpRequest& request) { return *request.caller; }

/// Adds every route of `table`, bound to `api`, tagged with `module`. A route that is not
/// public and finds no caller in the request (a router without the guard) answers 401.
template <class Api>
void add_routes(Router& router, Api& api, const char* module,
                const std::vector<RouteDef<Api>>& table) {
    for (const auto& def : table) {
        Route route;
        route.method = def.method;
        route.pattern = def.pattern;
        route.non_blocking = def.non_blocking;
        route.reach = def.reach;
        route.roles = def.roles;
        route.summary = def.summary;
        route.module = module;
        route.self_authenticated = def.self_authenticated;
        route.handler = [&api, fn = def.handler,
                         open = def.reach == Reach::Public](HttpRequest& request) -> HttpResponse {
            if (!open && !request.caller)
                return problem(core::Errc::Unauthorized, "authorization",
                               "send 'Authorization: Bearer <API key or session token>'");
            auto out = fn(api, request);
            return out ? std::move(*out) : problem(out.error());
        };
        router.add(std::move(route));
    }
}

}  // namespace switchyard::api
