#include "core/identity/session_restriction.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace switchyard::core::identity {

namespace {

constexpr std::pair<SessionRestriction, const char*> kNames[] = {
    {SessionRestriction::None, ""},
    {SessionRestriction::PasswordExpired, "password_expired"},
    {SessionRestriction::TotpEnrollment, "totp_enrollment"}};

struct RouteKey {
    std::string_view method, pattern;
};

constexpr RouteKey kMe{"GET", "/v1/auth/me"};
constexpr RouteKey kLogout{"POST", "/v1/auth/logout"};
constexpr std::array kPasswordExpiredMay{kMe, RouteKey{"POST", "/v1/auth/password"}, kLogout};
constexpr std::array kTotpEnrollmentMay{kMe, RouteKey{"POST", "/v1/auth/2fa/setup"},
                                        RouteKey{"POST", "/v1/auth/2fa/enable"}, kLogout};

template <std::size_t N>
bool listed(const std::array<RouteKey, N>& routes, std::string_view method,
            std::string_view pattern) {
    return std::any_of(routes.begin(), routes.end(), [&](const RouteKey& r) {
        return r.method == method && r.pattern == pattern;
    });
}

}  // namespace

const char* to_string(SessionRestriction restriction) noexcept {
    for (const auto& [r, name] : kNames) {
        if (r == restriction) return name;
    }
    return "";
}

std::optional<SessionRestriction> parse_session_restriction(std::string_view text) noexcept {
    for (const auto& [r, name] : kNames) {
        if (text == name) return r;
    }
    return std::nullopt;
}

SessionRestriction sign_in_restriction(bool password_expired, bool totp_required,
                                       bool totp_enabled) noexcept {
    if (password_expired) return SessionRestriction::PasswordExpired;
    if (totp_required && !totp_enabled) return SessionRestriction::TotpEnrollment;
    return SessionRestriction::None;
}

bool restriction_allows(SessionRestriction restriction, std::string_view method,
                        std::string_view pattern) noexcept {
    switch (restriction) {
        case SessionRestriction::None:
            return true;
        case SessionRestriction::PasswordExpired:
            return listed(kPasswordExpiredMay, method, pattern);
        case SessionRestriction::TotpEnrollment:
            return listed(kTotpEnrollmentMay, method, pattern);
    }
    return false;
}

Result<void> check_restriction(SessionRestriction restriction, std::string_view method,
                               std::string_view pattern) {
    if (restriction_allows(restriction, method, pattern)) return {};
    if (restriction == SessionRestriction::PasswordExpired)
        return fail(Errc::Forbidden, "password",
                    "your password has expired: change it with POST /v1/auth/password, then sign "
                    "in again");
    return fail(Errc::Forbidden, "totp",
                "your role requires two-factor authentication: enable it with POST "
                "/v1/auth/2fa/setup and /v1/auth/2fa/enable, then sign in again");
}

}  // namespace switchyard::core::identity
