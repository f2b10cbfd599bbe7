// The user rules as given / when / then: who creates whom where, sessions and their cap,
// second factors (each TOTP step once, backup codes once), allowlists and password changes.
#include <doctest/doctest.h>

#include "core/identity/user.hpp"
#include "tests/support/decider_checks.hpp"
#include "tests/support/same_fields.hpp"

using namespace switchyard::core;
using namespace switchyard::core::identity;
using namespace std::chrono_literals;
using switchyard::testing::check_idempotent;
using switchyard::testing::check_same_events;

namespace {

const Timestamp kNow = from_unix_seconds(1'790'000'000);

DecisionContext ctx(Timestamp now = kNow) {
    DecisionContext c;
    c.now = now;
    return c;
}

UserState given(const std::vector<UserEvent>& events) {
    return switchyard::testing::given<UserState>(events);
}

Principal session_of(Role role, std::string user_id, std::string scope = "/") {
    Principal p;
    p.id = user_id;
    p.user_id = std::move(user_id);
    p.role = role;
    p.scope = std::move(scope);
    return p;
}

const Principal kAdmin = session_of(Role::Admin, "u_admin");

UserCreated created(std::string id, Role role, std::string owner_path = "/",
                    std::string parent = {}) {
    return UserCreated{std::move(id), "user_" + std::to_string(static_cast<int>(role)),
                       role,          std::move(parent),
                       owner_path,    "hash-0",
                       kNow - 24h};
}

/// A reseller `u_r` at the operator's top, and a reseller `u_sub` below it.
const UserCreated kReseller = created("u_r", Role::Reseller);
const UserCreated kSubReseller = created("u_sub", Role::Reseller, "/u_r/", "u_r");
const Principal kResellerSession = session_of(Role::Reseller, "u_r", "/u_r/");

CreateUser create(std::string username, Role role) {
    CreateUser c;
    c.user_id = "u_new";
    c.username = std::move(username);
    c.role = role;
    c.password_hash = "hash-new";
    return c;
}

/// Decides CreateUser by `creator` under `parent` (none: the operator's top).
Result<std::vector<UserEvent>> when_created_by(const Principal& creator, const CreateUser& c,
                                               const std::vector<UserEvent>& parent = {}) {
    if (parent.empty()) return decide(creator, nullptr, c, ctx());
    const auto state = given(parent);
    return decide(creator, &state, c, ctx());
}

void check_refused(const Result<std::vector<UserEvent>>& r, Errc code, const char* field) {
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == code);
    CHECK(r.error().field == field);
}

SessionStarted started(std::string id, Timestamp at) {
    return SessionStarted{std::move(id), "u_r", "t-" + id, at, at + 12h, "192.0.2.1", "", false};
}

}  // namespace

TEST_CASE("an admin creates a user at the operator's top, a reseller's users go below it") {
    auto top = when_created_by(kAdmin, create("acme", Role::Reseller));
    REQUIRE(top);
    check_same_events(*top,
                      {UserCreated{"u_new", "acme", Role::Reseller, "", "/", "hash-new", kNow}});

    auto below = when_created_by(kResellerSession, create("bob", Role::Customer), {kReseller});
    REQUIRE(below);
    check_same_events(
        *below, {UserCreated{"u_new", "bob", Role::Customer, "u_r", "/u_r/", "hash-new", kNow}});
    // A reseller of its own subtree is a parent too.
    auto deeper =
        when_created_by(kResellerSession, create("carol", Role::Reseller), {kSubReseller});
    REQUIRE(deeper);
    CHECK(std::get<UserCreated>(deeper->at(0)).owner_path == "/u_r/u_sub/");
}

TEST_CASE("a username is 3 to 64 characters of letters, digits and . _ - @") {
    for (const char* bad : {"ab", "with space", "semi;colon", "ünï"})
        check_refused(when_created_by(kAdmin, create(bad, Role::Customer)), Errc::Invalid,
                      "username");
    check_refused(when_created_by(kAdmin, create(std::string(65, 'a'), Role::Customer)),
                  Errc::Invalid, "username");
    CHECK(when_created_by(kAdmin, create("a.b_c-d@e", Role::Customer)));
}

TEST_CASE("only admins and resellers create users, and resellers only resellers and customers") {
    for (Role role : {Role::Support, Role::Customer, Role::Carrier})
        check_refused(when_created_by(session_of(role, "u_x"), create("bob", Role::Customer)),
                      Errc::Forbidden, "role");
    for (Role role : {Role::Admin, Role::Support, Role::Carrier})
        check_refused(when_created_by(kResellerSession, create("bob", role), {kReseller}),
                      Errc::Forbidden, "role");
}

TEST_CASE("a parent must exist, be a reseller, and lie in the creator's subtree") {
    check_refused(when_created_by(kResellerSession, create("bob", Role::Customer)), Errc::Invalid,
                  "parent_id");
    UserState nobody;
    check_refused(decide(kAdmin, &nobody, create("bob", Role::Customer), ctx()), Errc::NotFound,
                  "parent_id");
    check_refused(
        when_created_by(kAdmin, create("bob", Role::Customer), {created("u_c", Role::Customer)}),
        Errc::Invalid, "parent_id");
    const auto other = session_of(Role::Reseller, "u_other", "/u_other/");
    check_refused(when_created_by(other, create("bob", Role::Customer), {kReseller}),
                  Errc::Forbidden, "parent_id");
}

TEST_CASE("admins and support belong to the operator, never below a reseller") {
    for (Role role : {Role::Admin, Role::Support}) {
        auto fresh = kAdmin;
        fresh.second_factor_at = kNow;
        check_refused(when_created_by(fresh, create("staff", role), {kReseller}), Errc::Invalid,
                      "role");
    }
}

TEST_CASE("an admin's session creates admins only within 10 minutes of a second factor") {
    check_refused(when_created_by(kAdmin, create("root2", Role::Admin)), Errc::Forbidden, "totp");
    auto fresh = kAdmin;
    fresh.second_factor_at = kNow - 10min;
    CHECK(when_created_by(fresh, create("root2", Role::Admin)));
    fresh.second_factor_at = kNow - 11min;
    check_refused(when_created_by(fresh, create("root2", Role::Admin)), Errc::Forbidden, "totp");
    auto key = kAdmin;
    key.api_key = true;  // an admin key holds admin rights itself
    CHECK(when_created_by(key, create("root2", Role::Admin)));
}

TEST_CASE("a new session at the cap evicts the oldest live ones, expired ones do not count") {
    const auto user = given({kReseller, started("s_old", kNow - 13h), started("s_1", kNow - 3h),
                             started("s_2", kNow - 2h), started("s_3", kNow - 1h)});
    SessionPolicy policy;  // 3 per user, 12 hours
    auto d = decide_start_session(user, "s_new", "t-new", "198.51.100.7", policy, ctx(),
                                  "password_expired", true);
    check_same_events(d, {SessionEnded{"s_1", "u_r", "evicted", kNow},
                          SessionStarted{"s_new", "u_r", "t-new", kNow, kNow + 12h, "198.51.100.7",
                                         "password_expired", true}});
    policy.max_sessions = 5;
    CHECK(decide_start_session(user, "s_new", "t-new", "198.51.100.7", policy, ctx()).size() == 1);
}

TEST_CASE("ending one session is a logout, ending all a revocation, ending again decides nothing") {
    const auto user = given({kReseller, started("s_1", kNow - 2h), started("s_2", kNow - 1h)});
    auto one = check_idempotent(
        user, [](const UserState& s) { return decide_end_sessions(s, std::string("s_2"), ctx()); });
    check_same_events(one.first, {SessionEnded{"s_2", "u_r", "logout", kNow}});
    auto all = check_idempotent(
        user, [](const UserState& s) { return decide_end_sessions(s, std::nullopt, ctx()); });
    check_same_events(all.first, {SessionEnded{"s_1", "u_r", "revoked", kNow},
                                  SessionEnded{"s_2", "u_r", "revoked", kNow}});
    CHECK(decide_end_sessions(user, std::string("s_unknown"), ctx()).empty());
}

TEST_CASE("a TOTP step is good once, and only after the last one used, a backup code once") {
    const std::vector<UserEvent> on = {kReseller, TotpSetupStarted{"u_r", "sealed", kNow},
                                       TotpEnabled{"u_r", 100, {"b0", "b1"}, kNow}};
    auto user = given(on);
    CHECK(user.totp_enabled());
    CHECK(user.last_totp_step == 100);
    check_refused(decide_second_factor(user, {100, std::nullopt}), Errc::Unauthorized, "totp");
    auto next = decide_second_factor(user, {101, std::nullopt});
    REQUIRE(next);
    check_same_events(*next, {TotpUsed{"u_r", 101}});
    evolve(user, next->at(0));
    check_refused(decide_second_factor(user, {101, std::nullopt}), Errc::Unauthorized, "totp");

    auto backup = decide_second_factor(user, {std::nullopt, 1});
    REQUIRE(backup);
    check_same_events(*backup, {BackupCodeUsed{"u_r", 1}});
    evolve(user, backup->at(0));
    CHECK(user.backup_code_hashes == std::vector<std::string>{"b0", ""});
    check_refused(decide_second_factor(user, {}), Errc::Unauthorized, "totp");
}

TEST_CASE("two-factor: set up, enabled with a matching code, disabled with one") {
    auto user = given({kReseller});
    check_refused(decide_totp_enable(user, 5, {}, ctx()), Errc::Rejected, "totp");
    auto setup = decide_totp_setup(user, "sealed-seed", ctx());
    REQUIRE(setup);
    check_same_events(*setup, {TotpSetupStarted{"u_r", "sealed-seed", kNow}});
    evolve(user, setup->at(0));
    check_refused(decide_totp_enable(user, std::nullopt, {}, ctx()), Errc::Unauthorized, "code");
    auto enable = decide_totp_enable(user, 7, {"b0"}, ctx());
    REQUIRE(enable);
    check_same_events(*enable, {TotpEnabled{"u_r", 7, {"b0"}, kNow}});
    evolve(user, enable->at(0));
    CHECK(user.totp_sealed == "sealed-seed");
    check_refused(decide_totp_setup(user, "another", ctx()), Errc::Rejected, "totp");
    check_refused(decide_totp_enable(user, 8, {}, ctx()), Errc::Rejected, "totp");

    check_refused(decide_totp_disable(user, {7, std::nullopt}, ctx()), Errc::Unauthorized, "totp");
    auto disable = decide_totp_disable(user, {8, std::nullopt}, ctx());
    REQUIRE(disable);
    check_same_events(*disable, {TotpUsed{"u_r", 8}, TotpDisabled{"u_r", kNow}});
    for (const auto& e : *disable) evolve(user, e);
    CHECK_FALSE(user.totp_enabled());
    CHECK(user.backup_code_hashes.empty());
    check_refused(decide_totp_disable(user, {9, std::nullopt}, ctx()), Errc::Rejected, "totp");
}

TEST_CASE("an allowlist is set by the user's session or by an admin or reseller above it") {
    const auto customer = given({created("u_c", Role::Customer, "/u_r/", "u_r")});
    const std::vector<std::string> nets = {"192.0.2.0/24", "2001:db8::/32"};
    for (const auto& editor :
         {session_of(Role::Customer, "u_c", "/u_r/u_c/"), kResellerSession, kAdmin}) {
        auto d = decide_set_allowlist(editor, customer, nets);
        REQUIRE(d);
        check_same_events(*d, {AllowlistSet{"u_c", nets}});
    }
    for (const auto& editor :
         {session_of(Role::Reseller, "u_other", "/u_other/"), session_of(Role::Support, "u_s"),
          session_of(Role::Customer, "u_c2", "/u_r/u_c2/")})
        check_refused(decide_set_allowlist(editor, customer, nets), Errc::NotFound, "id");
    check_refused(decide_set_allowlist(kAdmin, UserState{}, nets), Errc::NotFound, "id");
    // A reseller reaches the resellers of its subtree (its role covers theirs).
    CHECK(decide_set_allowlist(kResellerSession, given({kSubReseller}), nets));
}

TEST_CASE("a password change keeps the old hash in the history, a reused one is refused") {
    auto user = given({kReseller});
    auto d = decide_change_password(user, "hash-1", false, ctx());
    REQUIRE(d);
    check_same_events(*d, {PasswordChanged{"u_r", "hash-1", kNow}});
    evolve(user, d->at(0));
    CHECK(user.password_hash == "hash-1");
    CHECK(user.previous_hashes == std::vector<std::string>{"hash-0"});
    CHECK(user.password_changed_at == kNow);
    check_refused(decide_change_password(user, "hash-0", true, ctx()), Errc::Invalid, "password");
    check_refused(decide_change_password(UserState{}, "hash-2", false, ctx()), Errc::NotFound,
                  "user_id");
}
