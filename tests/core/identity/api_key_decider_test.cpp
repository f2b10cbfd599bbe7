// The rule of credentials: a key created, rotated, revoked or listed through a credential has no
// right beyond the credential's own (role, scope, route prefixes, end), and an admin's session
// hands out admin keys only with a fresh second factor.
#include <doctest/doctest.h>

#include "core/identity/api_key.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard::core;
using namespace switchyard::core::identity;
using namespace std::chrono_literals;
using switchyard::testing::error_of;

namespace {

const Timestamp kNow = from_unix_seconds(1'790'000'000);

Principal session(Role role, std::string scope = "/") {
    Principal p;
    p.id = "u_1";
    p.role = role;
    p.scope = std::move(scope);
    p.user_id = "u_1";
    return p;
}

Principal key(Role role, std::vector<std::string> prefixes = {},
              std::optional<Timestamp> expires_at = std::nullopt) {
    Principal p = session(role);
    p.id = "k_1";
    p.api_key = true;
    p.route_prefixes = std::move(prefixes);
    p.expires_at = expires_at;
    return p;
}

ApiKeyCreated target(const char* role, std::vector<std::string> prefixes = {},
                     std::optional<Timestamp> expires_at = std::nullopt) {
    ApiKeyCreated k;
    k.key_id = "k_2";
    k.role = role;
    k.owner_path = "/";
    k.user_id = "u_1";
    k.route_prefixes = std::move(prefixes);
    k.expires_at = expires_at;
    return k;
}

std::string refused_field(const Result<void>& r) { return r ? std::string() : r.error().field; }

}  // namespace

TEST_CASE("roles cover themselves, admin covers all, reseller covers customer, no other pair") {
    const Role all[] = {Role::Admin, Role::Reseller, Role::Support, Role::Customer, Role::Carrier};
    for (Role a : all) {
        for (Role b : all) {
            const bool want =
                a == b || a == Role::Admin || (a == Role::Reseller && b == Role::Customer);
            CAPTURE(to_string(a));
            CAPTURE(to_string(b));
            CHECK(role_covers(a, b) == want);
        }
    }
}

TEST_CASE("a key beyond its credential's role, scope, route prefixes or end is refused naming it") {
    CHECK(refused_field(check_key_within(key(Role::Customer), target("reseller"))) == "role");
    CHECK(refused_field(check_key_within(key(Role::Support), target("customer"))) == "role");
    CHECK(refused_field(check_key_within(key(Role::Reseller), target("customer"))).empty());
    auto outside = target("customer");
    outside.owner_path = "/u_9/";
    CHECK(refused_field(check_key_within(session(Role::Reseller, "/u_1/"), outside)) ==
          "owner_path");
    const auto confined = key(Role::Reseller, {"/v1/api-keys", "/v1/iptv/lines"});
    CHECK(refused_field(check_key_within(confined, target("reseller"))) == "route_prefixes");
    CHECK(refused_field(check_key_within(confined, target("reseller", {"/v1/"}))) ==
          "route_prefixes");
    CHECK(refused_field(check_key_within(confined, target("reseller", {"/v1/iptv/lines/4"})))
              .empty());
    CHECK(refused_field(
              check_key_within(confined, target("reseller", {"/v1/api-keys", "/v1/iptv/lines"})))
              .empty());
    const auto ending = key(Role::Reseller, {}, kNow + 1h);
    CHECK(refused_field(check_key_within(ending, target("reseller"))) == "expires_at");
    CHECK(refused_field(check_key_within(ending, target("reseller", {}, kNow + 2h))) ==
          "expires_at");
    CHECK(refused_field(check_key_within(ending, target("reseller", {}, kNow + 1h))).empty());
    // A session is not confined and does not bound the end of the keys it creates.
    CHECK(refused_field(
              check_key_within(session(Role::Reseller), target("customer", {}, std::nullopt)))
              .empty());
}

TEST_CASE("a key created by a key inherits its role, prefixes and end and cannot widen them") {
    CreateApiKey c;
    c.name = "child";
    const auto parent = key(Role::Reseller, {"/v1/api-keys"}, kNow + 1h);
    auto child = decide_create_key(parent, c, kNow);
    REQUIRE(child);
    CHECK(child->role == "reseller");
    CHECK(child->route_prefixes == std::vector<std::string>{"/v1/api-keys"});
    CHECK(child->expires_at == kNow + 1h);
    c.route_prefixes = {"/v1/iptv/lines"};
    CHECK(error_of(decide_create_key(parent, c, kNow)).field == "route_prefixes");
    c.route_prefixes = {};
    c.expires_at = kNow + 2h;
    CHECK(error_of(decide_create_key(parent, c, kNow)).field == "expires_at");
    c.expires_at.reset();
    c.role = Role::Admin;
    CHECK(error_of(decide_create_key(parent, c, kNow)).field == "role");
}

TEST_CASE("an admin session gives out admin keys within 10 minutes of a second factor only") {
    CreateApiKey c;
    c.name = "deploy";
    auto admin = session(Role::Admin);
    CHECK(error_of(decide_create_key(admin, c, kNow)).field == "totp");  // no second factor
    admin.second_factor_at = kNow - 10min;
    CHECK(decide_create_key(admin, c, kNow));
    CHECK(error_of(decide_create_key(admin, c, kNow + 1s)).field == "totp");
    c.role = Role::Support;  // less than admin rights: no second factor needed
    CHECK(decide_create_key(admin, c, kNow + 1h));
    // Rotating an admin key hands out its rights again; revoking it does not.
    ApiKeyState state;
    evolve(state, ApiKeyEvent{target("admin")});
    CHECK(check_key_change(admin, state, true, kNow));
    CHECK(error_of(check_key_change(admin, state, true, kNow + 1h)).field == "totp");
    CHECK(check_key_change(admin, state, false, kNow + 1h));
    // An admin key holds admin rights itself: it needs no second factor.
    c.role.reset();
    CHECK(decide_create_key(key(Role::Admin), c, kNow));
    CHECK(check_key_change(key(Role::Admin), state, true, kNow));
}

TEST_CASE("rotating or revoking needs rights over the key, else the key does not exist") {
    ApiKeyState state;
    evolve(state, ApiKeyEvent{target("reseller")});
    for (bool rotate : {true, false}) {
        auto weak = check_key_change(key(Role::Customer), state, rotate, kNow);
        REQUIRE_FALSE(weak);
        CHECK(weak.error().code == Errc::NotFound);
        CHECK(weak.error().field == "id");
        CHECK_FALSE(check_key_change(key(Role::Reseller, {"/v1/api-keys"}), state, rotate, kNow));
        CHECK(check_key_change(key(Role::Reseller), state, rotate, kNow));
    }
    evolve(state, ApiKeyEvent{ApiKeyRevoked{"k_2"}});
    CHECK_FALSE(check_key_change(key(Role::Reseller), state, false, kNow));
}

TEST_CASE("an API key does not set its owner's allowlist, nor anyone's above its role") {
    UserState owner;
    owner.exists = true;
    owner.user_id = "u_1";
    owner.role = Role::Reseller;
    owner.owner_path = "/";
    auto by_key = decide_set_allowlist(key(Role::Reseller), owner, {"192.0.2.0/24"});
    REQUIRE_FALSE(by_key);
    CHECK(by_key.error().code == Errc::Forbidden);
    CHECK(by_key.error().field == "authorization");
    CHECK(decide_set_allowlist(session(Role::Reseller), owner, {"192.0.2.0/24"}));
    UserState admin = owner;
    admin.user_id = "u_2";
    admin.role = Role::Admin;
    CHECK_FALSE(decide_set_allowlist(key(Role::Reseller), admin, {}));
    CHECK(decide_set_allowlist(key(Role::Admin), admin, {}));
}
