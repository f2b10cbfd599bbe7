#pragma once
/// Rules of a user's own sign-in security that the identity routes apply before they call the
/// identity service: whose sessions a revocation ends, and when a password change needs a fresh
/// second factor. Pure functions of the caller (the Principal the API's guard authenticated).

#include <optional>
#include <string>

#include "core/identity/session_restriction.hpp"
#include "core/identity/user.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace switchyard::core::identity {

/// The user whose sessions a revocation ends: the caller's own, or the user an admin names.
/// @param named_user_id the user named in the request (`?user_id=`), when it names one (it may
///        name the empty string).
/// @returns the user id.
/// @errors Forbidden naming `user_id` when a caller other than an admin names a user; Invalid
///         naming `user_id` when the result would be empty (an operator's API key stands for no
///         user and names none, or the name is empty).
Result<std::string> sessions_to_revoke(const Principal& caller,
                                       const std::optional<std::string>& named_user_id);

/// Whether `caller` may change its password now: an admin's session needs a fresh second
/// factor (require_fresh_second_factor), except a session restricted to changing an expired
/// password (SessionRestriction::PasswordExpired): the change is its way out, and it signed in
/// with the second factor if the user has one on.
/// @errors Forbidden naming `totp` as require_fresh_second_factor.
Result<void> check_password_change(const Principal& caller, SessionRestriction restriction,
                                   Timestamp now);

}  // namespace switchyard::core::identity
