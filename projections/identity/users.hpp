#pragma once
/// The `users` read model: users by id and by owner path (for subtree listings), and live
/// sessions by token hash (for authenticating `Authorization: Bearer syt_...`).
///
/// Keys: `u/<user_id>` -> user JSON; `o/<owner_path><user_id>` -> user id;
/// `n/<lower-case username>` -> user id;
/// `t/<token_hash>` -> session JSON; `s/<session_id>` -> token hash.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/identity/session_restriction.hpp"
#include "core/identity/user.hpp"
#include "core/time.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::identity {

inline constexpr const char* kUsers = "users.v1";

/// Creates the projector of `users.v1`.
std::unique_ptr<Projector> make_users_projector();

/// A user as the model holds it (never the password hash).
struct UserRow {
    std::string user_id, username, role, parent_id, owner_path;
    std::string created_at;              ///< RFC 3339.
    std::string json;                    ///< The row as stored: the API's representation of a user.
    std::vector<std::string> allowlist;  ///< CIDR text; empty = anywhere.
};

/// A live session (not logged out, revoked or evicted; its times are for the caller to check).
struct SessionRow {
    std::string session_id, user_id, role;
    std::string scope;  ///< What the user may reach: `/` for operator staff, else its subtree.
    core::Timestamp started_at, expires_at;
    /// Its restriction, from the wire name the row stores (core::identity::SessionStarted).
    core::identity::SessionRestriction restriction = core::identity::SessionRestriction::None;
    bool second_factor = false;  ///< The sign-in proved a second factor.
};

std::optional<UserRow> find_user(const ReadModelView& view, const std::string& user_id);
/// The user with this username (any case), or nullopt.
std::optional<UserRow> find_user_by_username(const ReadModelView& view,
                                             const std::string& username);
/// The live session of this token hash, or nullopt (also for a row whose restriction this build
/// does not know: such a session is not honoured).
std::optional<SessionRow> find_session(const ReadModelView& view, const std::string& token_hash);

/// Calls `fn` for the users whose owner path lies in `scope`, in owner-path order, from the
/// key `after` (exclusive; empty = from the start), until `fn` returns false.
void scan_users(const ReadModelView& view, const std::string& scope, const std::string& after,
                const std::function<bool(const UserRow&, const std::string& key)>& fn);

}  // namespace switchyard::projections::identity
