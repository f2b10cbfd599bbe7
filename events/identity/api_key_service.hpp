#pragma once
/// Creating API keys: a random key shown once; the log keeps only its SHA-256.

#include <string>

#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "events/event_store.hpp"

namespace switchyard::events::identity {

/// A new key and where its creation sits in the log.
struct CreatedApiKey {
    std::string key;     ///< `sy_` + 43 URL-safe characters (256 random bits). Show once.
    std::string key_id;  ///< `k_` + UUIDv7.
    std::vector<Position> positions;
};

/// Creates a key with `name` and `role` and appends `identity.api_key.created`.
/// @errors the store's errors.
core::Result<CreatedApiKey> create_api_key(EventStore& store, const std::string& name,
                                           const std::string& role,
                                           const core::DecisionContext& ctx,
                                           const std::string& tenant);

}  // namespace switchyard::events::identity
