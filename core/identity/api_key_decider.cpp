#include <fmt/format.h>

#include "core/identity/api_key.hpp"

namespace switchyard::core::identity {

void evolve(ApiKeyState& s, const ApiKeyEvent& event) {
    if (auto* c = std::get_if<ApiKeyCreated>(&event)) {
        s.exists = true;
        s.key = *c;
    } else if (auto* r = std::get_if<ApiKeyRotated>(&event)) {
        s.key.prefix = r->prefix;
        s.key.hash = r->hash;
    } else if (std::holds_alternative<ApiKeyRevoked>(event)) {
        s.revoked = true;
    }
}

Result<ApiKeyCreated> decide_create_key(const Principal& creator, const CreateApiKey& c,
                                        Timestamp now) {
    if (c.name.empty() || c.name.size() > 100)
        return fail(Errc::Invalid, "name", "must have 1 to 100 characters");
    const Role role = c.role.value_or(creator.role);
    const bool allowed =
        creator.role == Role::Admin ||
        (creator.role == Role::Reseller && (role == Role::Reseller || role == Role::Customer)) ||
        role == creator.role;
    if (!allowed)
        return fail(Errc::Forbidden, "role",
                    fmt::format("a {} may not create a key with role {}", to_string(creator.role),
                                to_string(role)));
    for (const auto& p : c.route_prefixes) {
        if (!p.starts_with("/v1/") || p.size() > 200)
            return fail(Errc::Invalid, "route_prefixes",
                        fmt::format("'{}' is not a /v1/ path prefix", p));
    }
    if (c.expires_at && *c.expires_at <= now)
        return fail(Errc::Invalid, "expires_at", "must lie in the future");
    ApiKeyCreated k;
    k.name = c.name;
    k.role = to_string(role);
    k.owner_path = creator.scope;
    k.user_id = creator.user_id;
    k.route_prefixes = c.route_prefixes;
    k.expires_at = c.expires_at;
    return k;
}

bool may_manage_key(const Principal& principal, const ApiKeyCreated& key) {
    if (!principal.user_id.empty() && principal.user_id == key.user_id) return true;
    if (principal.role != Role::Admin && principal.role != Role::Reseller) return false;
    return in_scope(principal.scope, key.owner_path);
}

}  // namespace switchyard::core::identity
