#pragma once
/// The API key command side: create (shown once), rotate (a new secret, shown once), revoke,
/// and the throttled record of use. The log keeps only SHA-256 hashes of keys.

#include <memory>
#include <string>
#include <vector>

#include "core/decision_context.hpp"
#include "core/identity/api_key.hpp"
#include "core/result.hpp"
#include "events/command_handler.hpp"
#include "events/event_store.hpp"

namespace switchyard::events::identity {

/// A new or rotated key (in a CommandOutcome, with where it sits in the log).
struct CreatedApiKey {
    std::string key;     ///< `sy_` + 43 URL-safe characters (256 random bits). Show once.
    std::string key_id;  ///< `k_` + UUIDv7.
};

/// The bootstrap key of a new installation: role `admin`, the operator's scope, all routes,
/// no expiry. @errors the store's errors.
core::Result<CommandOutcome<CreatedApiKey>> create_api_key(EventStore& store,
                                                           const std::string& name,
                                                           const std::string& role,
                                                           const core::DecisionContext& ctx,
                                                           const std::string& tenant);

/// @thread safe.
class ApiKeyService {
  public:
    ApiKeyService(EventStore& store, std::string tenant);
    ~ApiKeyService();
    /// Creates a key for `creator` (core::identity::decide_create_key).
    core::Result<CommandOutcome<CreatedApiKey>> create(const core::identity::Principal& creator,
                                                       const core::identity::CreateApiKey& request,
                                                       const core::DecisionContext& ctx);
    /// Replaces the key's secret. @errors as core::identity::check_key_change: NotFound naming
    /// `id` for an unknown or revoked key, or one beyond the principal's rights; Forbidden
    /// naming `totp` for an admin key rotated by an admin's session without a fresh second factor.
    core::Result<CommandOutcome<CreatedApiKey>> rotate(const core::identity::Principal& principal,
                                                       const std::string& key_id,
                                                       const core::DecisionContext& ctx);
    /// Revokes the key (no fresh second factor needed). @errors NotFound as rotate.
    core::Result<CommandOutcome<>> revoke(const core::identity::Principal& principal,
                                          const std::string& key_id,
                                          const core::DecisionContext& ctx);
    /// Records that the key was used at `ctx.now`.
    core::Result<CommandOutcome<>> record_use(const std::string& key_id,
                                              const core::DecisionContext& ctx);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::identity
