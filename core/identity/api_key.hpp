#pragma once
/// API keys: bearer credentials of the `/v1` API for programs (panels, billing, FreeRADIUS).
/// Only a hash of the key is ever stored; the key itself is shown once, when it is created or
/// rotated. A key is the aggregate `api_key-<id>`.

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/identity/user.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace switchyard::core::identity {

/// A key was created.
struct ApiKeyCreated {
    static constexpr std::string_view kType = "identity.api_key.created";
    std::string key_id;  ///< Stable id, e.g. `k_01J...`.
    std::string name;    ///< Operator-given label, e.g. `bootstrap admin`.
    std::string prefix;  ///< First characters of the key, shown in listings to recognise it.
    std::string hash;    ///< Lower-case hex SHA-256 of the whole key.
    std::string role;    ///< The role the key acts with (at most its creator's).
    std::string owner_path = "/";  ///< The scope it acts in: `/` or a reseller's subtree.
    std::string user_id;           ///< The user who created it; empty for the bootstrap key.
    std::vector<std::string>
        route_prefixes;                   ///< Paths it may call (`/v1/iptv/lines`); empty = all.
    std::optional<Timestamp> expires_at;  ///< None = never.
};
/// The key's secret was replaced: the old key stops working at once.
struct ApiKeyRotated {
    static constexpr std::string_view kType = "identity.api_key.rotated";
    std::string key_id, prefix, hash;
};
struct ApiKeyRevoked {
    static constexpr std::string_view kType = "identity.api_key.revoked";
    std::string key_id;
};
/// The key was used (recorded at most once an hour per key, for `last_used_at`).
struct ApiKeyUsed {
    static constexpr std::string_view kType = "identity.api_key.used";
    std::string key_id;
    Timestamp at;
};
using ApiKeyEvent = std::variant<ApiKeyCreated, ApiKeyRotated, ApiKeyRevoked, ApiKeyUsed>;

struct ApiKeyState {
    bool exists = false, revoked = false;
    ApiKeyCreated key;  ///< With the current prefix and hash.
};
void evolve(ApiKeyState& state, const ApiKeyEvent& event);

/// Stream of a key.
inline std::string api_key_stream(const std::string& key_id) { return "api_key-" + key_id; }

/// What a principal asks for when creating a key.
struct CreateApiKey {
    std::string name;                         ///< 1 to 100 characters.
    std::optional<Role> role;                 ///< Default: the creator's role.
    std::vector<std::string> route_prefixes;  ///< Each starts with `/v1/`; default: the creator's.
    std::optional<Timestamp> expires_at;  ///< Must lie in the future; default: the creator's end.
};

/// The rule of every key a credential creates, rotates, revokes or sees: the key has no right
/// beyond the credential's own. Its role is covered by the credential's (role_covers), its
/// owner path lies in the credential's scope, its route prefixes each lie within one of the
/// credential's when the credential is confined to some, and it ends no later than the
/// credential when the credential ends.
/// @errors Forbidden naming `role`, `owner_path`, `route_prefixes` or `expires_at`: the first
///         right of the key beyond the credential's.
Result<void> check_key_within(const Principal& credential, const ApiKeyCreated& key);

/// Checks a key request against its creator (check_key_within: a key created by a key is no
/// stronger than its creator, by role, scope, route prefixes and end); a key with admin rights
/// created by an admin's session also needs require_fresh_second_factor. The key acts in the
/// creator's scope. Fills everything but the id, prefix and hash.
/// @errors Invalid naming `name`, `route_prefixes` or `expires_at`; Forbidden naming `role`,
///         `route_prefixes`, `expires_at` or `totp`.
Result<ApiKeyCreated> decide_create_key(const Principal& creator, const CreateApiKey& c,
                                        Timestamp now);

/// May `principal` manage (rotate, revoke, see) the key? Its owner's credentials, or an admin's
/// or reseller's whose scope holds the key; in every case only a key within the principal's
/// own rights (check_key_within).
bool may_manage_key(const Principal& principal, const ApiKeyCreated& key);

/// Checks that `principal` may change the key in `state`: it exists, is live and may be
/// managed (may_manage_key); a new secret for a key with admin rights also needs
/// require_fresh_second_factor.
/// @param new_secret true for a rotation, false for a revocation.
/// @errors NotFound naming `id` for a key that is unknown, revoked or beyond the principal's
///         rights; Forbidden naming `totp`.
Result<void> check_key_change(const Principal& principal, const ApiKeyState& state, bool new_secret,
                              Timestamp now);

}  // namespace switchyard::core::identity
