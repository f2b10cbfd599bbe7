#pragma once
/// The `api_keys` read model: key hash -> key, for authenticating `Authorization: Bearer <key>`,
/// and the keys by id and by owner path for listings.
///
/// Keys: `h/<hash>` -> key id (live keys only); `k/<key_id>` -> key JSON (the API's
/// representation, with `revoked`); `x/<key_id>` -> its current hash; `o/<owner_path><key_id>`
/// -> key id (live keys only).

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::identity {

inline constexpr const char* kApiKeys = "api_keys.v2";

/// Creates the projector of `api_keys.v2` (v2: owners, route prefixes, expiry, rotation,
/// revocation, last use).
std::unique_ptr<Projector> make_api_keys_projector();

/// A key as the model holds it (never the key itself).
struct ApiKeyRow {
    std::string key_id, name, prefix, role, owner_path, user_id;
    std::vector<std::string> route_prefixes;  ///< Empty = all routes.
    std::optional<core::Timestamp> expires_at;
    bool revoked = false;
    std::string json;  ///< The API's representation.
};

/// The live key whose SHA-256 (lower-case hex) is `hash`, or nullopt.
std::optional<ApiKeyRow> find_api_key(const ReadModelView& view, const std::string& hash);
/// The key with this id (live or revoked), or nullopt.
std::optional<ApiKeyRow> find_api_key_by_id(const ReadModelView& view, const std::string& key_id);
/// Calls `fn` for the live keys whose owner path lies in `scope`, until it returns false.
void scan_api_keys(const ReadModelView& view, const std::string& scope,
                   const std::function<bool(const ApiKeyRow&)>& fn);

}  // namespace switchyard::projections::identity
