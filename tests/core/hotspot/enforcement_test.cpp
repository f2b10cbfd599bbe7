// Enforcement decisions: which crossing cuts a session, with which attributes for the vendor,
// a CoA for a speed change, and the next timer deadline.
#include "core/hotspot/enforcement.hpp"

#include <doctest/doctest.h>

using namespace switchyard::core;
using namespace switchyard::core::hotspot;

namespace {

Timestamp at(std::int64_t s) { return from_unix_seconds(s); }

SessionTarget mikrotik_session() {
    SessionTarget t;
    t.session.unique_id = "u1";
    t.session.acct_session_id = "81000001";
    t.session.username = "bob";
    t.session.nas_ip = "192.0.2.1";
    t.session.framed_ip = "10.5.50.7";
    t.session.active = true;
    t.nas.nas_id = "lobby";
    t.nas.address = "192.0.2.1";
    t.nas.coa_port = 1700;
    t.profile.vendor = "mikrotik";
    t.profile.speed_format = SpeedFormat::MikrotikRateLimit;
    t.profile.rate_limit_attribute = "Mikrotik-Rate-Limit";
    t.profile.disconnect_attributes = {"User-Name", "Acct-Session-Id", "Framed-IP-Address",
                                       "Calling-Station-Id"};
    return t;
}

}  // namespace

TEST_CASE("a used-up quota sends a Disconnect-Request with the vendor's identifying attributes") {
    Plan plan;
    plan.data_limit_bytes = 1000;
    Account account;
    EnforcementInput in;
    in.account = &account;
    in.plan = &plan;
    in.usage = {600, 400, 50};
    in.sessions = {mikrotik_session()};
    in.now = at(100);
    const auto d = enforce(in);
    REQUIRE(d.reason == EnforcementReason::DataUsed);
    REQUIRE(d.actions.size() == 1);
    const auto& a = d.actions[0];
    CHECK(a.kind == DynamicAuthorization::Disconnect);
    CHECK(a.address == "192.0.2.1");
    CHECK(a.port == 1700);
    // Calling-Station-Id is empty in the session, so it is left out.
    REQUIRE(a.attributes.size() == 3);
    CHECK(a.attributes[0] == ReplyAttribute{"User-Name", std::string("bob")});
    CHECK(a.attributes[1] == ReplyAttribute{"Acct-Session-Id", std::string("81000001")});
    CHECK(a.attributes[2] == ReplyAttribute{"Framed-IP-Address", std::string("10.5.50.7")});
    CHECK_FALSE(d.next_deadline.has_value());
}

TEST_CASE("below every limit nothing is sent and the next deadline is the nearer time limit") {
    Plan plan;
    plan.duration_seconds = 3600;
    plan.session_time_seconds = 1200;
    Account account;
    account.first_login_at = at(0);
    account.expires_at = at(3600);
    EnforcementInput in;
    in.account = &account;
    in.plan = &plan;
    in.usage = {0, 0, 600};
    in.sessions = {mikrotik_session(), mikrotik_session()};
    in.now = at(1000);
    auto d = enforce(in);
    CHECK_FALSE(d.reason.has_value());
    CHECK(d.actions.empty());
    // 600 s of online time left, consumed by two open sessions: 300 s from now.
    CHECK(d.next_deadline == at(1300));
    in.sessions.pop_back();
    in.now = at(3300);
    d = enforce(in);
    // 600 s online left but only 300 s to the wall-clock expiry.
    CHECK(d.next_deadline == at(3600));
}

TEST_CASE("wall-clock expiry, used-up time and staff ending each give a Disconnect") {
    Plan plan;
    plan.session_time_seconds = 100;
    Account account;
    account.expires_at = at(500);
    CHECK(limit_crossed(plan, account, Usage{}, at(500)) == EnforcementReason::Expired);
    CHECK(limit_crossed(plan, account, Usage{0, 0, 100}, at(400)) == EnforcementReason::TimeUsed);
    CHECK_FALSE(limit_crossed(plan, account, Usage{0, 0, 99}, at(499)).has_value());
    account.status = AccountStatus::Disabled;
    CHECK(limit_crossed(plan, account, Usage{}, at(0)) == EnforcementReason::Disabled);

    Account fine;
    EnforcementInput in;
    in.account = &fine;
    in.plan = &plan;
    in.staff_ended = true;
    in.sessions = {mikrotik_session()};
    const auto d = enforce(in);
    CHECK(d.reason == EnforcementReason::StaffEnded);
    REQUIRE(d.actions.size() == 1);
    CHECK(d.actions[0].kind == DynamicAuthorization::Disconnect);
}

TEST_CASE("a plan speed change sends a CoA-Request with the new Mikrotik-Rate-Limit") {
    Plan before;
    before.download_kbps = 1024;
    before.upload_kbps = 256;
    Plan after = before;
    after.download_kbps = 4096;
    Account account;
    EnforcementInput in;
    in.account = &account;
    in.plan = &after;
    in.previous_plan = before;
    in.sessions = {mikrotik_session()};
    in.sessions[0].nas.coa_address = "198.51.100.9";
    const auto d = enforce(in);
    REQUIRE(d.reason == EnforcementReason::SpeedChanged);
    REQUIRE(d.actions.size() == 1);
    CHECK(d.actions[0].kind == DynamicAuthorization::Coa);
    CHECK(d.actions[0].address == "198.51.100.9");
    CHECK(d.actions[0].attributes.back() ==
          ReplyAttribute{"Mikrotik-Rate-Limit", std::string("256k/4096k")});
    in.previous_plan = after;
    CHECK_FALSE(enforce(in).reason.has_value());
}

TEST_CASE("stopped sessions get no request") {
    Plan plan;
    plan.data_limit_bytes = 10;
    Account account;
    EnforcementInput in;
    in.account = &account;
    in.plan = &plan;
    in.usage = {10, 0, 0};
    in.sessions = {mikrotik_session()};
    in.sessions[0].session.active = false;
    const auto d = enforce(in);
    CHECK(d.reason == EnforcementReason::DataUsed);
    CHECK(d.actions.empty());
}

TEST_CASE("a speed change on a vendor without speed attributes disconnects instead") {
    Plan before;
    before.download_kbps = 1024;
    Plan after = before;
    after.download_kbps = 2048;
    Account account;
    EnforcementInput in;
    in.account = &account;
    in.plan = &after;
    in.previous_plan = before;
    in.sessions = {mikrotik_session()};
    in.sessions[0].profile.speed_format = SpeedFormat::None;
    const auto d = enforce(in);
    CHECK(d.reason == EnforcementReason::SpeedChanged);
    REQUIRE(d.actions.size() == 1);
    CHECK(d.actions[0].kind == DynamicAuthorization::Disconnect);
    CHECK(d.actions[0].attributes.size() == 3);
}
