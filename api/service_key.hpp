#pragma once
/// Who may call the routes a piece of equipment calls with an API key (Kamailio, FreeRADIUS's
/// rlm_rest, a streaming server process): routes that authenticate the key themselves.

#include <algorithm>
#include <string>
#include <string_view>

#include "core/identity/user.hpp"

namespace switchyard::api {

/// True for an API key that is an unrestricted admin key (role admin, scope `/`, no route
/// prefixes) or whose route prefixes include `scope` (e.g. `/v1/voice/kamailio`); false for a
/// user's session and for any other key.
inline bool service_key_may_call(const core::identity::Principal& principal,
                                 std::string_view scope) {
    if (!principal.api_key) return false;
    const auto& p = principal.route_prefixes;
    if (p.empty()) return principal.role == core::identity::Role::Admin && principal.scope == "/";
    return std::find(p.begin(), p.end(), std::string(scope)) != p.end();
}

}  // namespace switchyard::api
