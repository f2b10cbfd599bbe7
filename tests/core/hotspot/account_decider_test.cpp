// Hotspot and PPPoE accounts: creation against the catalog's plans, expiry from purchase or
// first login, MAC binding, disable/enable, expiry and exhaustion, extension; each command's
// idempotency by command id.
#include <doctest/doctest.h>

#include "core/hotspot/account_decider.hpp"
#include "core/hotspot/vendor_profile.hpp"
#include "tests/core/hotspot/hotspot_fixtures.hpp"
#include "tests/support/decider_checks.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::hotspot;
using switchyard::testing::check_idempotent;
using switchyard::testing::error_of;
using switchyard::testing::given;
using switchyard::testing::hotspot::at;
using switchyard::testing::hotspot::catalog_with_plans;

namespace {

const auto kT0 = core::from_unix_seconds(1'790'000'000);

CreateAccount create(std::string username, std::string plan_id, std::string id = "a1") {
    CreateAccount c;
    c.account.username = std::move(username);
    c.account.plan_id = std::move(plan_id);
    c.account.password_sealed = "sy1:mk_test:sealed";
    c.password = "secret-pass";
    c.command_id = std::move(id);
    return c;
}

/// An account `alice` on `plan_id`, created at kT0.
AccountState alice(const std::string& plan_id = "1h") {
    auto d = decide(AccountState{}, catalog_with_plans(), create("alice", plan_id, "a0"), at());
    REQUIRE(d);
    AccountState s;
    for (const auto& e : *d) evolve(s, e);
    return s;
}

}  // namespace

TEST_CASE("an account on a first-login plan has no expiry until its first login") {
    const auto cat = catalog_with_plans();
    auto r = check_idempotent(AccountState{}, [&](const AccountState& s) {
        return decide(s, cat, create("alice", "1h"), at());
    });
    const auto& a = std::get<AccountCreated>(r.first[0]).account;
    CHECK(a.username == "alice");
    CHECK(a.status == AccountStatus::Active);
    CHECK(a.created_at == kT0);
    CHECK_FALSE(a.expires_at);
    CHECK(a.service == ServiceType::Hotspot);
    // The first login starts the hour: 1,790,000,100 + 3,600.
    auto login = check_idempotent(r.state, [&](const AccountState& s) {
        return decide(s, cat, RecordFirstLogin{"alice", kT0 + std::chrono::seconds(100), "l1"},
                      at(100));
    });
    CHECK(login.state.account.first_login_at == kT0 + std::chrono::seconds(100));
    CHECK(login.state.account.expires_at == core::from_unix_seconds(1'790'003'700));
    // A second login by another request moves nothing.
    CHECK(decide(login.state, cat, RecordFirstLogin{"alice", kT0 + std::chrono::hours(1), "l2"},
                 at(3600))
              ->empty());
}

TEST_CASE("an account on a purchase plan expires a plan's duration after its creation") {
    auto s = alice("1d");
    CHECK(s.account.expires_at == core::from_unix_seconds(1'790'086'400));
}

TEST_CASE("an account is refused naming the field: username, password, MAC, plan") {
    const auto cat = catalog_with_plans();
    CHECK(error_of(decide(AccountState{}, cat, create("al ice", "1h"), at())).field == "username");
    CHECK(error_of(decide(AccountState{}, cat, create(std::string(65, 'a'), "1h"), at())).field ==
          "username");
    auto c = create("alice", "1h");
    c.password = "abc";
    CHECK(error_of(decide(AccountState{}, cat, c, at())).field == "password");
    c = create("alice", "1h");
    c.account.mac = "aa:bb:cc:dd:ee";
    CHECK(error_of(decide(AccountState{}, cat, c, at())).field == "mac");
    auto e = error_of(decide(AccountState{}, cat, create("alice", "2h"), at()));
    CHECK(e.code == core::Errc::NotFound);
    CHECK(e.field == "plan_id");
    auto retired = cat;
    retired.plans["1h"].retired = true;
    e = error_of(decide(AccountState{}, retired, create("alice", "1h"), at()));
    CHECK(e.code == core::Errc::Rejected);
    CHECK(e.field == "plan_id");
    auto ended = cat;
    ended.plans["1h"].valid_until = kT0;
    CHECK(error_of(decide(AccountState{}, ended, create("alice", "1h"), at())).field == "plan_id");
    auto reseller = cat;
    reseller.plans["1h"].owner_path = "/u_7/";
    e = error_of(decide(AccountState{}, reseller, create("alice", "1h"), at()));
    CHECK(e.code == core::Errc::Rejected);
    // The reseller's own account may use it.
    auto own = create("alice", "1h");
    own.account.owner_path = "/u_7/";
    CHECK(decide(AccountState{}, reseller, own, at()).has_value());
    // An existing account under another command id is a conflict.
    e = error_of(decide(alice(), cat, create("alice", "1h", "a9"), at()));
    CHECK(e.code == core::Errc::Conflict);
    CHECK(e.field == "username");
}

TEST_CASE("a MAC is bound in canonical form from the usual notations, and unbound") {
    CHECK(normalize_mac("AA-BB-CC-DD-EE-0F") == "aa:bb:cc:dd:ee:0f");
    CHECK(normalize_mac("aa:bb:cc:dd:ee:0f") == "aa:bb:cc:dd:ee:0f");
    CHECK(normalize_mac("aabb.ccdd.ee0f") == "aa:bb:cc:dd:ee:0f");
    CHECK(normalize_mac("AABBCCDDEE0F") == "aa:bb:cc:dd:ee:0f");
    CHECK_FALSE(normalize_mac("aa:bb-cc:dd:ee:0f"));
    CHECK_FALSE(normalize_mac("gg:bb:cc:dd:ee:0f"));
    CHECK_FALSE(normalize_mac(""));
    auto bound = check_idempotent(alice(), [](const AccountState& s) {
        return decide(s, BindMac{"alice", "AA-BB-CC-DD-EE-0F", "m1"}, at());
    });
    CHECK(bound.state.account.mac == "aa:bb:cc:dd:ee:0f");
    CHECK(decide(bound.state, BindMac{"alice", "aabb.ccdd.ee0f", "m2"}, at())->empty());
    CHECK(error_of(decide(bound.state, BindMac{"alice", "nope", "m3"}, at())).field == "mac");
    auto unbound = check_idempotent(bound.state, [](const AccountState& s) {
        return decide(s, BindMac{"alice", "", "m4"}, at());
    });
    CHECK(unbound.state.account.mac.empty());
    CHECK(error_of(decide(AccountState{}, BindMac{"bob", "", "m5"}, at())).field == "username");
}

TEST_CASE("a password change carries the sealed password, once per command id") {
    auto r = check_idempotent(alice(), [](const AccountState& s) {
        return decide(s, ChangePassword{"alice", "new-pass", "sy1:mk_test:new", "p1"}, at());
    });
    CHECK(r.state.account.password_sealed == "sy1:mk_test:new");
    CHECK(error_of(decide(alice(), ChangePassword{"alice", "no", "sy1:x", "p2"}, at())).field ==
          "password");
}

TEST_CASE("disable holds the account, enable gives back the status time and usage say") {
    auto off = check_idempotent(alice("1d"), [](const AccountState& s) {
        return decide(s, DisableAccount{"alice", "abuse", "d1"}, at());
    });
    CHECK(off.state.account.status == AccountStatus::Disabled);
    CHECK(decide(off.state, DisableAccount{"alice", "", "d2"}, at())->empty());
    // Enabled within the day: active again.
    auto on = check_idempotent(off.state, [](const AccountState& s) {
        return decide(s, EnableAccount{"alice", "e1"}, at(60));
    });
    CHECK(on.state.account.status == AccountStatus::Active);
    // Enabled after the day ran out: expired.
    auto late = decide(off.state, EnableAccount{"alice", "e2"}, at(86400));
    REQUIRE(late);
    CHECK(std::get<AccountEnabled>(late->at(0)).status == AccountStatus::Expired);
    CHECK(decide(alice(), EnableAccount{"alice", "e3"}, at())->empty());
}

TEST_CASE("an account expires only once its expires_at has passed") {
    auto s = alice("1d");
    auto e = error_of(decide(s, ExpireAccount{"alice", "x1"}, at(86399)));
    CHECK(e.code == core::Errc::Rejected);
    CHECK(e.field == "expires_at");
    auto r = check_idempotent(s, [](const AccountState& st) {
        return decide(st, ExpireAccount{"alice", "x2"}, at(86400));
    });
    CHECK(std::get<AccountExpired>(r.first[0]).expires_at ==
          core::from_unix_seconds(1'790'086'400));
    CHECK(r.state.account.status == AccountStatus::Expired);
    CHECK(decide(r.state, ExpireAccount{"alice", "x3"}, at(90000))->empty());
    CHECK(error_of(decide(alice("1h"), ExpireAccount{"alice", "x4"}, at(1))).field == "expires_at");
}

TEST_CASE("an exhausted account is active again once data is added") {
    auto r = check_idempotent(alice("1d"), [](const AccountState& s) {
        return decide(s, MarkExhausted{"alice", ExhaustedLimit::Data, "q1"}, at(10));
    });
    CHECK(r.state.account.status == AccountStatus::Exhausted);
    CHECK(
        decide(r.state, MarkExhausted{"alice", ExhaustedLimit::SessionTime, "q2"}, at())->empty());
    auto more = check_idempotent(r.state, [](const AccountState& s) {
        return decide(s, ExtendAccount{"alice", 0, 1'000'000'000, 0, "", "x1"}, at(20));
    });
    CHECK(more.state.account.status == AccountStatus::Active);
    CHECK(more.state.account.extra_data_bytes == 1'000'000'000);
}

TEST_CASE("extending adds time from the later of now and the expiry") {
    auto s = alice("1d");  // expires at 1,790,086,400
    auto r = check_idempotent(s, [](const AccountState& st) {
        return decide(st, ExtendAccount{"alice", 3600, 0, 600, "", "x1"}, at(100));
    });
    CHECK(r.state.account.expires_at == core::from_unix_seconds(1'790'090'000));
    CHECK(r.state.account.extra_session_seconds == 600);
    // After it ran out, the hour counts from now: 1,790,100,000 + 3,600.
    evolve(s, AccountExpired{"alice", core::from_unix_seconds(1'790'086'400), "e"});
    auto late = decide(s, ExtendAccount{"alice", 3600, 0, 0, "", "x2"}, at(100'000));
    REQUIRE(late);
    const auto& e = std::get<AccountExtended>(late->at(0));
    CHECK(e.expires_at == core::from_unix_seconds(1'790'103'600));
    CHECK(e.status == AccountStatus::Active);
    CHECK(error_of(decide(s, ExtendAccount{"alice", 0, 0, 0, "", "x3"}, at())).field ==
          "add_seconds");
    CHECK(error_of(decide(s, ExtendAccount{"alice", 0, -1, 0, "", "x4"}, at())).field ==
          "add_data_bytes");
}

TEST_CASE("time added before the first login counts when the time starts") {
    const auto cat = catalog_with_plans();
    auto s = alice("1h");
    auto ext = decide(s, ExtendAccount{"alice", 1800, 0, 0, "", "x1"}, at());
    REQUIRE(ext);
    for (const auto& e : *ext) evolve(s, e);
    CHECK_FALSE(s.account.expires_at);
    auto login = decide(s, cat, RecordFirstLogin{"alice", kT0, "l1"}, at());
    REQUIRE(login);
    CHECK(std::get<AccountStarted>(login->at(0)).expires_at ==
          core::from_unix_seconds(1'790'005'400));
}

TEST_CASE("a plan change starts a fresh allowance, the same plan renews only a spent account") {
    const auto cat = catalog_with_plans();
    auto r = check_idempotent(alice("1h"), [&](const AccountState& s) {
        return decide(s, cat, ChangePlan{"alice", "1d", "c1"}, at(50));
    });
    const auto& e = std::get<AccountPlanChanged>(r.first[0]);
    CHECK(e.plan_id == "1d");
    CHECK(e.expires_at == core::from_unix_seconds(1'790'086'450));
    CHECK(decide(r.state, cat, ChangePlan{"alice", "1d", "c2"}, at())->empty());
    auto spent = r.state;
    evolve(spent, AccountExhausted{"alice", ExhaustedLimit::Data, "q"});
    auto renewed = decide(spent, cat, ChangePlan{"alice", "1d", "c3"}, at(60));
    REQUIRE(renewed);
    REQUIRE(renewed->size() == 1);
    AccountState after = spent;
    evolve(after, renewed->at(0));
    CHECK(after.account.status == AccountStatus::Active);
    CHECK_FALSE(after.exhausted);
    CHECK(error_of(decide(r.state, cat, ChangePlan{"alice", "9d", "c4"}, at())).field == "plan_id");
    CHECK(error_of(decide(AccountState{}, cat, ChangePlan{"bob", "1d", "c5"}, at())).field ==
          "username");
}

TEST_CASE("a plan change records the usage at the change as the base of the new allowance") {
    const auto cat = catalog_with_plans();
    ChangePlan c{"alice", "1d", "c1"};
    c.usage = Usage{1'000, 1'200'000'000, 3'600};
    auto r = check_idempotent(alice("1h"),
                              [&](const AccountState& s) { return decide(s, cat, c, at(50)); });
    const auto& e = std::get<AccountPlanChanged>(r.first[0]);
    CHECK(e.usage_base_input_bytes == 1'000);
    CHECK(e.usage_base_output_bytes == 1'200'000'000);
    CHECK(e.usage_base_online_seconds == 3'600);
    CHECK(r.state.account.usage_base == Usage{1'000, 1'200'000'000, 3'600});
    // 5 GB plan "1d", 1.2 GB before the change: 5 GB - 0.3 GB used since = 4.7 GB left.
    const auto left = remaining(cat.plans.at("1d"), r.state.account,
                                Usage{1'000, 1'500'000'000, 3'600}, at(60).now);
    CHECK(left.data_bytes == 5'000'000'000 - 300'000'000);
    // A later change with a stale (lower) reading keeps the base in force.
    ChangePlan back{"alice", "1h", "c2"};
    back.usage = Usage{0, 1'100'000'000, 4'000};
    auto again = decide(r.state, cat, back, at(70));
    REQUIRE(again);
    const auto& e2 = std::get<AccountPlanChanged>(again->at(0));
    CHECK(e2.usage_base_output_bytes == 1'200'000'000);
    CHECK(e2.usage_base_online_seconds == 4'000);
}
