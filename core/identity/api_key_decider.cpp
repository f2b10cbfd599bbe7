#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

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
    k.route_prefixes = c.route_prefixes.empty() ? creator.route_prefixes : c.route_prefixes;
    k.expires_at = c.expires_at ? c.expires_at : creator.expires_at;
    SY_TRY(check_key_within(creator, k));
    if (role == Role::Admin) SY_TRY(require_fresh_second_factor(creator, now));
    return k;
}

Result<void> check_key_within(const Principal& c, const ApiKeyCreated& key) {
    Role role{};
    if (!parse_role(key.role, role) || !role_covers(c.role, role))
        return fail(Errc::Forbidden, "role",
                    fmt::format("a {} may not create or manage a key with role {}",
                                to_string(c.role), key.role));
    if (!in_scope(c.scope, key.owner_path))
        return fail(
            Errc::Forbidden, "owner_path",
            fmt::format("the key's owner_path {} lies outside {}", key.owner_path, c.scope));
    if (!c.route_prefixes.empty()) {
        auto within = [&](const std::string& p) {
            return std::any_of(c.route_prefixes.begin(), c.route_prefixes.end(),
                               [&](const std::string& own) { return p.starts_with(own); });
        };
        if (key.route_prefixes.empty() ||
            !std::all_of(key.route_prefixes.begin(), key.route_prefixes.end(), within))
            return fail(Errc::Forbidden, "route_prefixes",
                        fmt::format("the key's route_prefixes must lie within this key's own: {}",
                                    fmt::join(c.route_prefixes, ", ")));
    }
    if (c.expires_at && (!key.expires_at || *key.expires_at > *c.expires_at))
        return fail(Errc::Forbidden, "expires_at",
                    fmt::format("the key's expires_at may not be later than this key's own ({})",
                                format_rfc3339(*c.expires_at)));
    return {};
}

bool may_manage_key(const Principal& principal, const ApiKeyCreated& key) {
    const bool own = !principal.user_id.empty() && principal.user_id == key.user_id;
    if (!own && principal.role != Role::Admin && principal.role != Role::Reseller) return false;
    return check_key_within(principal, key).has_value();
}

Result<void> check_key_change(const Principal& principal, const ApiKeyState& state, bool new_secret,
                              Timestamp now) {
    if (!state.exists || state.revoked || !may_manage_key(principal, state.key))
        return fail(Errc::NotFound, "id", "no such API key");
    if (new_secret && state.key.role == to_string(Role::Admin))
        SY_TRY(require_fresh_second_factor(principal, now));
    return {};
}

}  // namespace switchyard::core::identity
