// The authorize decision: every reject reason with its Reply-Message, the accept with the
// password for PAP/CHAP and the vendor's reply attributes, the expired pool, first login.
#include "core/hotspot/authorize.hpp"

#include <doctest/doctest.h>

using namespace switchyard::core;
using namespace switchyard::core::hotspot;

namespace {

Timestamp at(std::int64_t s) { return from_unix_seconds(s); }

struct Fixture {
    Nas nas;
    VendorProfile profile;
    Account account;
    Plan plan;
    Fixture() {
        nas.nas_id = "lobby";
        nas.vendor = Vendor::Mikrotik;
        profile.vendor = "mikrotik";
        profile.speed_format = SpeedFormat::MikrotikRateLimit;
        profile.rate_limit_attribute = "Mikrotik-Rate-Limit";
        profile.total_quota = {"Mikrotik-Total-Limit", "Mikrotik-Total-Limit-Gigawords"};
        profile.acct_interim_interval_seconds = 0;
        account.username = "bob";
        account.plan_id = "day";
        plan.plan_id = "day";
        plan.duration_seconds = 86400;
        plan.data_limit_bytes = 1'000'000'000;
        plan.download_kbps = 2048;
        plan.upload_kbps = 512;
        plan.shared_users = 1;
    }
    AuthorizeInput input(Timestamp now = at(1'000'000)) const {
        AuthorizeInput in;
        in.nas = &nas;
        in.profile = &profile;
        in.account = &account;
        in.plan = &plan;
        in.cleartext_password = "s3cret";
        in.calling_station_id = "AA-BB-CC-DD-EE-FF";
        in.now = now;
        return in;
    }
};

}  // namespace

TEST_CASE("an active account is accepted with its password and its plan's reply attributes") {
    Fixture f;
    const auto d = authorize(f.input());
    REQUIRE(d.accept);
    CHECK(d.cleartext_password == "s3cret");
    REQUIRE(d.reply.size() == 4);
    CHECK(d.reply[0] == ReplyAttribute{"Mikrotik-Rate-Limit", std::string("512k/2048k")});
    CHECK(d.reply[1] == ReplyAttribute{"Mikrotik-Total-Limit", std::int64_t{1'000'000'000}});
    CHECK(d.reply[2] == ReplyAttribute{"Mikrotik-Total-Limit-Gigawords", std::int64_t{0}});
    CHECK(d.reply[3] == ReplyAttribute{"Session-Timeout", std::int64_t{86400}});
    CHECK(d.first_login);
    CHECK(d.expires_at == at(1'000'000 + 86400));
}

TEST_CASE("a returning account is not a first login and keeps its expiry") {
    Fixture f;
    f.account.first_login_at = at(999'000);
    f.account.expires_at = at(999'000 + 86400);
    const auto d = authorize(f.input());
    REQUIRE(d.accept);
    CHECK_FALSE(d.first_login);
    CHECK_FALSE(d.expires_at.has_value());
    CHECK(d.reply.back() == ReplyAttribute{"Session-Timeout", std::int64_t{86400 - 1000}});
}

TEST_CASE("each refusal has its reason and a Reply-Message in plain words") {
    Fixture f;
    auto in = f.input();
    in.nas = nullptr;
    auto d = authorize(in);
    CHECK_FALSE(d.accept);
    CHECK(d.reason == RejectReason::UnknownNas);
    CHECK(d.reply_message == "This access point is not registered.");

    Nas disabled = f.nas;
    disabled.disabled = true;
    in = f.input();
    in.nas = &disabled;
    CHECK(authorize(in).reason == RejectReason::UnknownNas);

    in = f.input();
    in.account = nullptr;
    d = authorize(in);
    CHECK(d.reason == RejectReason::UnknownUser);
    CHECK(d.reply_message == "Unknown username or voucher.");

    in = f.input();
    in.plan = nullptr;
    CHECK(authorize(in).reason == RejectReason::UnknownPlan);

    Fixture off;
    off.account.status = AccountStatus::Disabled;
    d = authorize(off.input());
    CHECK(d.reason == RejectReason::Disabled);
    CHECK(reject_reason_name(d.reason) == "disabled");
}

TEST_CASE("an account past its expiry is rejected as expired") {
    Fixture f;
    f.account.first_login_at = at(0);
    f.account.expires_at = at(86400);
    const auto d = authorize(f.input(at(86400)));
    CHECK_FALSE(d.accept);
    CHECK(d.reason == RejectReason::Expired);
    CHECK(d.reply_message == "Your time has expired.");
}

TEST_CASE("used-up data and used-up online time are rejected with their own reasons") {
    Fixture f;
    auto in = f.input();
    in.usage = {400'000'000, 600'000'000, 0};  // exactly the 1 GB limit
    auto d = authorize(in);
    CHECK(d.reason == RejectReason::QuotaUsed);
    CHECK(d.reply_message == "Your data quota is used up.");

    Fixture t;
    t.plan.session_time_seconds = 3600;
    in = t.input();
    in.usage.online_seconds = 3600;
    d = authorize(in);
    CHECK(d.reason == RejectReason::TimeUsed);
    // An extra allowance from a stacked voucher lets it in again.
    t.account.extra_session_seconds = 600;
    in = t.input();
    in.usage.online_seconds = 3600;
    CHECK(authorize(in).accept);
}

TEST_CASE("a second device is refused when the plan allows one session") {
    Fixture f;
    auto in = f.input();
    in.active_sessions = 1;
    const auto d = authorize(in);
    CHECK(d.reason == RejectReason::TooManySessions);
    f.plan.shared_users = 2;
    in = f.input();
    in.active_sessions = 1;
    CHECK(authorize(in).accept);
}

TEST_CASE("a MAC-bound account accepts its device in any MAC notation and refuses another") {
    Fixture f;
    f.account.mac = "aa:bb:cc:dd:ee:ff";
    auto in = f.input();
    in.calling_station_id = "AA-BB-CC-DD-EE-FF";
    CHECK(authorize(in).accept);
    in.calling_station_id = "aabb.ccdd.eeff";
    CHECK(authorize(in).accept);
    in.calling_station_id = "AA:BB:CC:DD:EE:00";
    CHECK(authorize(in).reason == RejectReason::MacMismatch);
    in.calling_station_id = "";
    CHECK(authorize(in).reason == RejectReason::MacMismatch);
}

TEST_CASE("a plan outside its validity window refuses logins") {
    Fixture f;
    f.plan.valid_from = at(2'000'000);
    CHECK(authorize(f.input()).reason == RejectReason::PlanNotValidYet);
    f.plan.valid_from.reset();
    f.plan.valid_until = at(1'000'000);
    CHECK(authorize(f.input()).reason == RejectReason::PlanNotValidAnymore);
}

TEST_CASE("an expired account whose plan has an expired pool is accepted into that pool") {
    Fixture f;
    f.plan.expired_pool = "expired";
    f.profile.pool_attribute = "Framed-Pool";
    f.account.expires_at = at(10);
    const auto d = authorize(f.input());
    REQUIRE(d.accept);
    CHECK(d.expired_pool);
    CHECK(d.reason == RejectReason::Expired);
    REQUIRE(d.reply.size() == 1);
    CHECK(d.reply[0] == ReplyAttribute{"Framed-Pool", std::string("expired")});
}

TEST_CASE("MAC addresses normalise to lower-case colon form and refuse non-MACs") {
    CHECK(normalize_mac("AA-BB-CC-DD-EE-FF") == "aa:bb:cc:dd:ee:ff");
    CHECK(normalize_mac("aabb.ccdd.eeff") == "aa:bb:cc:dd:ee:ff");
    CHECK(normalize_mac("AABBCCDDEEFF") == "aa:bb:cc:dd:ee:ff");
    CHECK_FALSE(normalize_mac("AA-BB-CC-DD-EE").has_value());
    CHECK_FALSE(normalize_mac("AA-BB-CC-DD-EE-FF-00").has_value());
    CHECK_FALSE(normalize_mac("GG-BB-CC-DD-EE-FF").has_value());
}

TEST_CASE("the PAP check compares the whole password") {
    CHECK(password_matches("s3cret", "s3cret"));
    CHECK_FALSE(password_matches("s3cre", "s3cret"));
    CHECK_FALSE(password_matches("s3cret!", "s3cret"));
    CHECK_FALSE(password_matches("S3cret", "s3cret"));
    CHECK_FALSE(password_matches("", "s3cret"));
}

TEST_CASE("the authenticate decision rejects a wrong password and keeps authorize's refusals") {
    Fixture f;
    auto d = authenticate(f.input(), "s3cret");
    CHECK(d.accept);
    CHECK_FALSE(d.reply.empty());
    d = authenticate(f.input(), "guess");
    CHECK_FALSE(d.accept);
    CHECK(d.reason == RejectReason::WrongPassword);
    CHECK(d.reply_message == "Wrong password.");
    CHECK(d.reply.empty());
    f.account.status = AccountStatus::Disabled;
    CHECK(authenticate(f.input(), "s3cret").reason == RejectReason::Disabled);
}
