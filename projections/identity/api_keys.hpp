#pragma once
/// The `api_keys` read model: key hash -> key id, name, prefix and role, for authenticating
/// `Authorization: Bearer <key>` on `/v1` routes.

#include <memory>
#include <optional>
#include <string>

#include "projections/projector.hpp"

namespace switchyard::projections::identity {

inline constexpr const char* kApiKeys = "api_keys.v1";

/// Creates the projector of `api_keys.v1`.
std::unique_ptr<Projector> make_api_keys_projector();

/// A key as the model holds it (never the key itself).
struct ApiKeyRow {
    std::string key_id, name, prefix, role;
};

/// The key whose SHA-256 (lower-case hex) is `hash`, or nullopt.
std::optional<ApiKeyRow> find_api_key(const ReadModelView& view, const std::string& hash);

}  // namespace switchyard::projections::identity
