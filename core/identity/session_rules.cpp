#include "core/identity/session_rules.hpp"

namespace switchyard::core::identity {

Result<std::string> sessions_to_revoke(const Principal& caller,
                                       const std::optional<std::string>& named_user_id) {
    std::string user_id = caller.user_id;
    if (named_user_id) {
        if (caller.role != Role::Admin)
            return fail(Errc::Forbidden, "user_id", "only an admin ends another user's sessions");
        user_id = *named_user_id;
    }
    if (user_id.empty())
        return fail(Errc::Invalid, "user_id", "an API key has no sessions; name ?user_id=");
    return user_id;
}

Result<void> check_password_change(const Principal& caller, SessionRestriction restriction,
                                   Timestamp now) {
    if (restriction == SessionRestriction::PasswordExpired) return {};
    return require_fresh_second_factor(caller, now);
}

}  // namespace switchyard::core::identity
