// Reply attributes of a plan for a vendor: speed formats, quota split into octets and
// gigawords (RFC 2869 5.1), Session-Timeout from time left, pools.
#include "core/hotspot/vendor_profile.hpp"

#include <doctest/doctest.h>

using namespace switchyard::core;
using namespace switchyard::core::hotspot;

namespace {

Timestamp at(std::int64_t s) { return from_unix_seconds(s); }

VendorProfile mikrotik() {
    VendorProfile p;
    p.vendor = "mikrotik";
    p.speed_format = SpeedFormat::MikrotikRateLimit;
    p.rate_limit_attribute = "Mikrotik-Rate-Limit";
    p.total_quota = {"Mikrotik-Total-Limit", "Mikrotik-Total-Limit-Gigawords"};
    p.pool_attribute = "Framed-Pool";
    p.acct_interim_interval_seconds = 60;
    return p;
}

VendorProfile chilli() {
    VendorProfile p;
    p.vendor = "chillispot";
    p.speed_format = SpeedFormat::KilobitsPerSecond;
    p.download_speed_attribute = "ChilliSpot-Bandwidth-Max-Down";
    p.upload_speed_attribute = "ChilliSpot-Bandwidth-Max-Up";
    p.total_quota = {"ChilliSpot-Max-Total-Octets", ""};
    p.acct_interim_interval_seconds = 0;
    return p;
}

const ReplyAttribute* find(const std::vector<ReplyAttribute>& v, std::string_view name) {
    for (const auto& a : v)
        if (a.name == name) return &a;
    return nullptr;
}

}  // namespace

TEST_CASE("Mikrotik-Rate-Limit is rx/tx from the router's side: upload first, then download") {
    Plan plan;
    plan.download_kbps = 2048;
    plan.upload_kbps = 512;
    CHECK(mikrotik_rate_limit(plan) == "512k/2048k");
    plan.burst = {4096, 1024, 1536, 384, 10};
    // RouterOS order: rate, burst-rate, burst-threshold, burst-time, each rx/tx.
    CHECK(mikrotik_rate_limit(plan) == "512k/2048k 1024k/4096k 384k/1536k 10/10");
    Plan none;
    CHECK_FALSE(mikrotik_rate_limit(none).has_value());
}

TEST_CASE("WISPr speeds are bit/s and ChilliSpot speeds kbit/s") {
    Plan plan;
    plan.download_kbps = 2000;
    plan.upload_kbps = 500;
    VendorProfile wispr;
    wispr.speed_format = SpeedFormat::BitsPerSecond;
    wispr.download_speed_attribute = "WISPr-Bandwidth-Max-Down";
    wispr.upload_speed_attribute = "WISPr-Bandwidth-Max-Up";
    const auto w = speed_attributes(wispr, plan);
    REQUIRE(w.size() == 2);
    CHECK(w[0] == ReplyAttribute{"WISPr-Bandwidth-Max-Down", std::int64_t{2000000}});
    CHECK(w[1] == ReplyAttribute{"WISPr-Bandwidth-Max-Up", std::int64_t{500000}});
    const auto c = speed_attributes(chilli(), plan);
    REQUIRE(c.size() == 2);
    CHECK(c[0] == ReplyAttribute{"ChilliSpot-Bandwidth-Max-Down", std::int64_t{2000}});
    CHECK(c[1] == ReplyAttribute{"ChilliSpot-Bandwidth-Max-Up", std::int64_t{500}});
}

TEST_CASE("a byte count splits into octets and gigawords as RFC 2869 5.1 carries it") {
    CHECK(split_octets(0) == OctetsGigawords{0, 0});
    CHECK(split_octets(4294967295) == OctetsGigawords{4294967295, 0});
    CHECK(split_octets(4294967296) == OctetsGigawords{0, 1});
    // 10 GB = 2 x 4294967296 + 1410065408.
    CHECK(split_octets(10'000'000'000) == OctetsGigawords{1410065408, 2});
    CHECK(split_octets(-5) == OctetsGigawords{0, 0});
}

TEST_CASE("the remaining quota of a 5 GB plan after 1 GB goes out as octets plus gigawords") {
    Plan plan;
    plan.data_limit_bytes = 5'000'000'000;
    plan.address_pool = "hs-pool";
    plan.idle_timeout_seconds = 300;
    Account account;
    Usage usage{400'000'000, 600'000'000, 0};
    const auto reply = reply_attributes(mikrotik(), plan, account, usage, at(1000));
    // 4,000,000,000 left: less than 2^32, so 0 gigawords.
    REQUIRE(find(reply, "Mikrotik-Total-Limit"));
    CHECK(find(reply, "Mikrotik-Total-Limit")->value ==
          std::variant<std::int64_t, std::string>(std::int64_t{4000000000}));
    CHECK(find(reply, "Mikrotik-Total-Limit-Gigawords")->value ==
          std::variant<std::int64_t, std::string>(std::int64_t{0}));
    CHECK(find(reply, "Framed-Pool")->value ==
          std::variant<std::int64_t, std::string>(std::string("hs-pool")));
    CHECK(find(reply, "Idle-Timeout")->value ==
          std::variant<std::int64_t, std::string>(std::int64_t{300}));
    CHECK(find(reply, "Acct-Interim-Interval")->value ==
          std::variant<std::int64_t, std::string>(std::int64_t{60}));
    CHECK(find(reply, "Session-Timeout") == nullptr);      // no time limit
    CHECK(find(reply, "Mikrotik-Rate-Limit") == nullptr);  // no speed
}

TEST_CASE("a vendor without gigawords gets the quota capped at 2^32 - 1 octets") {
    Plan plan;
    plan.data_limit_bytes = 10'000'000'000;
    const auto reply = reply_attributes(chilli(), plan, Account{}, Usage{}, at(0));
    REQUIRE(find(reply, "ChilliSpot-Max-Total-Octets"));
    CHECK(find(reply, "ChilliSpot-Max-Total-Octets")->value ==
          std::variant<std::int64_t, std::string>(std::int64_t{4294967295}));
}

TEST_CASE("Session-Timeout is the smaller of online time left and wall-clock time left") {
    Plan plan;
    plan.duration_seconds = 3600;
    plan.time_from = TimeFrom::FirstLogin;
    plan.session_time_seconds = 1800;
    Account account;
    account.first_login_at = at(10'000);
    // 1000 s online so far: 800 s of online time left; wall clock: 3600 - 100 = 3500 s.
    auto reply = reply_attributes(mikrotik(), plan, account, Usage{0, 0, 1000}, at(10'100));
    CHECK(find(reply, "Session-Timeout")->value ==
          std::variant<std::int64_t, std::string>(std::int64_t{800}));
    // 3000 s into the hour: 600 s of wall clock left, less than the 800 s online.
    reply = reply_attributes(mikrotik(), plan, account, Usage{0, 0, 1000}, at(13'000));
    CHECK(find(reply, "Session-Timeout")->value ==
          std::variant<std::int64_t, std::string>(std::int64_t{600}));
}

TEST_CASE("a first-login plan not started yet counts its whole duration from now") {
    Plan plan;
    plan.duration_seconds = 86400;
    const auto left = remaining(plan, Account{}, Usage{}, at(500));
    CHECK(left.expires_at == at(500 + 86400));
    CHECK(left.seconds_left == 86400);
    plan.time_from = TimeFrom::Purchase;
    Account bought;
    bought.created_at = at(100);
    CHECK(remaining(plan, bought, Usage{}, at(500)).seconds_left == 86400 - 400);
}

TEST_CASE("a download-only quota counts Acct-Output bytes and goes to the download attribute") {
    Plan plan;
    plan.data_limit_bytes = 1000;
    plan.data_direction = DataDirection::Download;
    auto p = mikrotik();
    p.download_quota = {"Mikrotik-Xmit-Limit", "Mikrotik-Xmit-Limit-Gigawords"};
    const auto reply = reply_attributes(p, plan, Account{}, Usage{900, 300, 0}, at(0));
    CHECK(find(reply, "Mikrotik-Xmit-Limit")->value ==
          std::variant<std::int64_t, std::string>(std::int64_t{700}));
    CHECK(find(reply, "Mikrotik-Total-Limit") == nullptr);
}

TEST_CASE("the expired pool reply carries only the pool and the interim interval") {
    Plan plan;
    plan.expired_pool = "expired";
    plan.download_kbps = 1000;
    const auto reply = expired_pool_attributes(mikrotik(), plan);
    REQUIRE(reply.size() == 2);
    CHECK(reply[0] == ReplyAttribute{"Framed-Pool", std::string("expired")});
    CHECK(reply[1] == ReplyAttribute{"Acct-Interim-Interval", std::int64_t{60}});
}

TEST_CASE("speed formats read back from their wire names and refuse others") {
    SpeedFormat f{};
    CHECK(parse_speed_format("mikrotik_rate_limit", f));
    CHECK(f == SpeedFormat::MikrotikRateLimit);
    CHECK(parse_speed_format("kilobits_per_second", f));
    CHECK(f == SpeedFormat::KilobitsPerSecond);
    CHECK_FALSE(parse_speed_format("kbps", f));
}
