#pragma once
/// Restricted sessions: a sign-in that succeeded but may only lift what holds the account back
/// (an expired password, a second factor the role requires) before it does anything else.
/// The restriction is recorded on `identity.session.started` (wire names below, unchanged since
/// v1) and enforced on every request by the API's guard (api/access.hpp) with check_restriction.

#include <optional>
#include <string_view>

#include "core/result.hpp"

namespace switchyard::core::identity {

/// What a session may do beyond lifting its restriction: everything (None) or almost nothing.
enum class SessionRestriction {
    None,             ///< A full session.
    PasswordExpired,  ///< The password is older than the policy allows: change it first.
    TotpEnrollment,   ///< The role requires two-factor authentication that is not on yet.
};

/// Wire name: `` (empty) for None, `password_expired`, `totp_enrollment`
/// (@source schemas/events/identity/identity.session.started.v1.json).
const char* to_string(SessionRestriction restriction) noexcept;

/// Parses a wire name; the empty string is None.
/// @returns nullopt for a name this build does not know.
std::optional<SessionRestriction> parse_session_restriction(std::string_view text) noexcept;

/// The restriction of the session a sign-in starts: an expired password first (it must be
/// changed before anything else), then a second factor the role requires but the user has not
/// turned on; else None.
/// @param password_expired the password is older than the policy's maximum age.
/// @param totp_required the user's role must use two-factor authentication.
/// @param totp_enabled the user has two-factor authentication on.
SessionRestriction sign_in_restriction(bool password_expired, bool totp_required,
                                       bool totp_enabled) noexcept;

/// Whether a session with `restriction` may call the route `method pattern` (the route's
/// pattern as registered, e.g. `/v1/auth/me`, not the request path). A full session may call
/// every route; every restricted session may see who it is (`GET /v1/auth/me`) and sign out
/// (`POST /v1/auth/logout`); PasswordExpired may also change the password
/// (`POST /v1/auth/password`); TotpEnrollment may also set up and enable two-factor
/// authentication (`POST /v1/auth/2fa/setup`, `POST /v1/auth/2fa/enable`).
bool restriction_allows(SessionRestriction restriction, std::string_view method,
                        std::string_view pattern) noexcept;

/// The refusal of a route a restricted session may not call (restriction_allows), saying how to
/// lift the restriction.
/// @errors Forbidden naming `password` (PasswordExpired) or `totp` (TotpEnrollment).
Result<void> check_restriction(SessionRestriction restriction, std::string_view method,
                               std::string_view pattern);

}  // namespace switchyard::core::identity
