// API keys: GET /v1/api-keys, POST /v1/api-keys, POST /v1/api-keys/{id}/rotate,
// DELETE /v1/api-keys/{id}.
#include <boost/json.hpp>

#include "api/route_support.hpp"
#include "api/routes/identity/identity_support.hpp"
#include "core/identity/api_key.hpp"
#include "projections/identity/api_keys.hpp"

namespace switchyard::api::identity {

namespace {

/// What may_manage_key needs to know of a listed key.
core::identity::ApiKeyCreated key_of(const projections::identity::ApiKeyRow& row) {
    return {.role = row.role,
            .owner_path = row.owner_path,
            .user_id = row.user_id,
            .route_prefixes = row.route_prefixes,
            .expires_at = row.expires_at};
}

/// GET /v1/api-keys -> {"items":[...]}: the live keys the caller may manage (at most 1000).
core::Result<HttpResponse> list_keys(IdentityApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto* view = SY_TRY(api_keys_view(api.ctx));
    json::array items;
    const auto& p = caller_of(r).principal;
    projections::identity::scan_api_keys(*view, p.scope,
                                         [&](const projections::identity::ApiKeyRow& k) {
                                             if (core::identity::may_manage_key(p, key_of(k)))
                                                 items.push_back(json::parse(k.json));
                                             return items.size() < 1000;
                                         });
    return json_response(200, json::serialize(json::object{{"items", std::move(items)}}));
}

/// The key of a POST /v1/api-keys body {name, role?, route_prefixes?, expires_at?}.
core::Result<core::identity::CreateApiKey> new_key_of(const HttpRequest& r) {
    auto b = SY_TRY(body_of(r, {"name", "role", "route_prefixes", "expires_at"}));
    core::identity::CreateApiKey c;
    c.name = SY_TRY(b.string("name"));
    if (auto role = SY_TRY(b.opt_string("role"))) c.role = SY_TRY(role_field(*role));
    c.route_prefixes =
        SY_TRY(b.opt_string_list("route_prefixes")).value_or(std::vector<std::string>{});
    if (auto t = SY_TRY(b.opt_string("expires_at"))) {
        c.expires_at = core::parse_rfc3339(*t);
        if (!c.expires_at)
            return core::fail(Errc::Invalid, "expires_at", "must be an RFC 3339 time");
    }
    return c;
}

/// POST /v1/api-keys -> 201 with the key as listed, plus the key itself (shown once).
core::Result<HttpResponse> create_key(IdentityApi& api, HttpRequest& r) {
    const auto c = SY_TRY(new_key_of(r));
    auto created = SY_TRY(api.api_keys.create(caller_of(r).principal, c, caller_context(api, r)));
    SY_TRY(settle(api.ctx, created.positions));
    auto row =
        projections::identity::find_api_key_by_id(*SY_TRY(api_keys_view(api.ctx)), created.key_id);
    if (!row) return core::fail(Errc::Internal, "key_id", "the new key is not visible");
    auto body = json::parse(row->json).as_object();
    body["key"] = created.key;  // shown once
    return answer(201, std::move(body), created.positions);
}

/// POST /v1/api-keys/{id}/rotate -> a new secret for the key (shown once); the old one ends.
core::Result<HttpResponse> rotate_key(IdentityApi& api, HttpRequest& r) {
    auto rotated = SY_TRY(
        api.api_keys.rotate(caller_of(r).principal, r.params.at("id"), caller_context(api, r)));
    json::object body{
        {"key_id", rotated.key_id}, {"key", rotated.key}, {"prefix", rotated.key.substr(0, 10)}};
    return settled_answer(api.ctx, 200, std::move(body), rotated.positions);
}

/// DELETE /v1/api-keys/{id}: revokes the key at once.
core::Result<HttpResponse> revoke_key(IdentityApi& api, HttpRequest& r) {
    const auto& id = r.params.at("id");
    auto positions =
        SY_TRY(api.api_keys.revoke(caller_of(r).principal, id, caller_context(api, r))).positions;
    return settled_answer(api.ctx, 200, {{"key_id", id}, {"revoked", true}}, positions);
}

}  // namespace

std::vector<IdentityRoute> api_key_routes() {
    // Every role manages keys, each only within its own rights (core::identity::may_manage_key).
    const auto& any_role = roles::everyone;
    return {
        {"GET", "/v1/api-keys", any_role, list_keys, "The live API keys the caller may manage."},
        {"POST", "/v1/api-keys", any_role, create_key,
         "Creates an API key within the caller's own rights; the key is shown once."},
        {"POST", "/v1/api-keys/{id}/rotate", any_role, rotate_key,
         "Replaces a key's secret (shown once); the old secret stops working at once."},
        {"DELETE", "/v1/api-keys/{id}", any_role, revoke_key,
         "Revokes a key; it stops working at once."},
    };
}

}  // namespace switchyard::api::identity
