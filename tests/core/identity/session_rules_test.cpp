// A user's own sign-in security as the identity routes decide it before calling the service:
// whose sessions a revocation ends, and when a password change needs a fresh second factor.
#include <doctest/doctest.h>

#include "core/identity/session_rules.hpp"

using namespace switchyard::core;
using namespace switchyard::core::identity;
using namespace std::chrono_literals;

namespace {

const Timestamp kNow = from_unix_seconds(1'790'000'000);

Principal user_session(Role role, std::string user_id) {
    Principal p;
    p.id = user_id;
    p.role = role;
    p.user_id = std::move(user_id);
    return p;
}

/// The error of a result that must have failed.
Error refusal(const Result<std::string>& r) {
    REQUIRE_FALSE(r.has_value());
    return r.error();
}

}  // namespace

TEST_CASE("a revocation ends the caller's own sessions unless an admin names another user") {
    const auto reseller = user_session(Role::Reseller, "u_7");
    auto own = sessions_to_revoke(reseller, std::nullopt);
    REQUIRE(own);
    CHECK(*own == "u_7");
    auto named = sessions_to_revoke(user_session(Role::Admin, "u_1"), std::string("u_7"));
    REQUIRE(named);
    CHECK(*named == "u_7");
    auto e = refusal(sessions_to_revoke(reseller, std::string("u_9")));
    CHECK(e.code == Errc::Forbidden);
    CHECK(e.field == "user_id");
    // Naming oneself is still naming a user.
    CHECK(refusal(sessions_to_revoke(reseller, std::string("u_7"))).code == Errc::Forbidden);
}

TEST_CASE("a revocation by a credential of no user must name one") {
    Principal operator_key;  // an operator's API key: admin, no user behind it
    operator_key.id = "k_1";
    operator_key.api_key = true;
    auto e = refusal(sessions_to_revoke(operator_key, std::nullopt));
    CHECK(e.code == Errc::Invalid);
    CHECK(e.field == "user_id");
    CHECK(refusal(sessions_to_revoke(operator_key, std::string())).code == Errc::Invalid);
    auto named = sessions_to_revoke(operator_key, std::string("u_7"));
    REQUIRE(named);
    CHECK(*named == "u_7");
}

TEST_CASE("an admin changes its password with a fresh second factor unless it has expired") {
    auto admin = user_session(Role::Admin, "u_1");
    auto stale = check_password_change(admin, SessionRestriction::None, kNow);
    REQUIRE_FALSE(stale.has_value());
    CHECK(stale.error().code == Errc::Forbidden);
    CHECK(stale.error().field == "totp");
    CHECK(check_password_change(admin, SessionRestriction::PasswordExpired, kNow));
    admin.second_factor_at = kNow - 5min;
    CHECK(check_password_change(admin, SessionRestriction::None, kNow));
    // Other roles need no second factor for it.
    CHECK(
        check_password_change(user_session(Role::Reseller, "u_7"), SessionRestriction::None, kNow));
}
