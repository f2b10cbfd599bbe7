// Restricted sessions: what a sign-in with an expired password or without a required second
// factor may still do, and the wire names the log and the read model keep.
#include <doctest/doctest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/identity/session_restriction.hpp"

using namespace switchyard::core;
using namespace switchyard::core::identity;

namespace {

/// Routes (method, pattern) to ask about: the identity routes and a few of other modules.
const std::vector<std::pair<std::string, std::string>> kRoutes{
    {"POST", "/v1/auth/login"},         {"GET", "/v1/auth/me"},
    {"POST", "/v1/auth/logout"},        {"POST", "/v1/auth/sessions/revoke"},
    {"POST", "/v1/auth/password"},      {"GET", "/v1/auth/password"},
    {"POST", "/v1/auth/2fa/setup"},     {"POST", "/v1/auth/2fa/enable"},
    {"POST", "/v1/auth/2fa/disable"},   {"GET", "/v1/users"},
    {"GET", "/v1/users/{id}"},          {"GET", "/v1/users/u_1"},
    {"POST", "/v1/api-keys"},           {"GET", "/v1/iptv/lines"},
    {"DELETE", "/v1/vpn/devices/{id}"}, {"GET", "/v1/events"}};

/// The routes of kRoutes a session with `restriction` may call, as `METHOD pattern`.
std::set<std::string> allowed(SessionRestriction restriction) {
    std::set<std::string> out;
    for (const auto& [method, pattern] : kRoutes) {
        if (restriction_allows(restriction, method, pattern)) out.insert(method + " " + pattern);
        // The refusal agrees with the answer.
        CHECK(check_restriction(restriction, method, pattern).has_value() ==
              restriction_allows(restriction, method, pattern));
    }
    return out;
}

/// The refusal of `method pattern` for `restriction`.
Error refusal(SessionRestriction restriction, const char* method, const char* pattern) {
    auto r = check_restriction(restriction, method, pattern);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == Errc::Forbidden);
    return r.error();
}

}  // namespace

TEST_CASE("session restrictions keep the wire names of identity.session.started") {
    CHECK(std::string(to_string(SessionRestriction::None)).empty());
    CHECK(std::string(to_string(SessionRestriction::PasswordExpired)) == "password_expired");
    CHECK(std::string(to_string(SessionRestriction::TotpEnrollment)) == "totp_enrollment");
    for (auto r : {SessionRestriction::None, SessionRestriction::PasswordExpired,
                   SessionRestriction::TotpEnrollment}) {
        auto parsed = parse_session_restriction(to_string(r));
        REQUIRE(parsed);
        CHECK(*parsed == r);
    }
    CHECK_FALSE(parse_session_restriction("locked"));
    CHECK_FALSE(parse_session_restriction("PASSWORD_EXPIRED"));
}

TEST_CASE("a sign-in's restriction: an expired password before a required second factor") {
    CHECK(sign_in_restriction(false, false, false) == SessionRestriction::None);
    CHECK(sign_in_restriction(false, true, true) == SessionRestriction::None);
    CHECK(sign_in_restriction(false, false, true) == SessionRestriction::None);
    CHECK(sign_in_restriction(false, true, false) == SessionRestriction::TotpEnrollment);
    CHECK(sign_in_restriction(true, true, false) == SessionRestriction::PasswordExpired);
    CHECK(sign_in_restriction(true, false, true) == SessionRestriction::PasswordExpired);
}

TEST_CASE("a full session may call every route") {
    CHECK(allowed(SessionRestriction::None).size() == kRoutes.size());
}

TEST_CASE("a session with an expired password may only change it, see who it is, sign out") {
    CHECK(
        allowed(SessionRestriction::PasswordExpired) ==
        std::set<std::string>{"GET /v1/auth/me", "POST /v1/auth/password", "POST /v1/auth/logout"});
    auto e = refusal(SessionRestriction::PasswordExpired, "GET", "/v1/users");
    CHECK(e.field == "password");
    CHECK(e.message.find("POST /v1/auth/password") != std::string::npos);
}

TEST_CASE("a session whose role needs a second factor may only turn it on, see who, sign out") {
    // Patterns, not paths: `GET /v1/users/u_1` is no route a restriction lets through.
    CHECK(allowed(SessionRestriction::TotpEnrollment) ==
          std::set<std::string>{"GET /v1/auth/me", "POST /v1/auth/2fa/setup",
                                "POST /v1/auth/2fa/enable", "POST /v1/auth/logout"});
    auto e = refusal(SessionRestriction::TotpEnrollment, "POST", "/v1/api-keys");
    CHECK(e.field == "totp");
    CHECK(e.message.find("/v1/auth/2fa/enable") != std::string::npos);
}
