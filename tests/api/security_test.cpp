// Request-level defences: CIDR allowlists (IPv4 and IPv6), trusted proxies, rate limits with
// Retry-After, and the lockout of sources after failed sign-ins (API and Xtream), with its expiry.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "api/json_body.hpp"
#include "api/security.hpp"
#include "tests/api/sign_in.hpp"

using namespace switchyard;
using namespace switchyard::testing;
using namespace std::chrono_literals;

namespace {

api::Cidr cidr(const char* text) {
    auto c = api::Cidr::parse(text);
    REQUIRE_MESSAGE(c, text);
    return *c;
}

std::string retry_after(const api::HttpResponse& r) {
    for (const auto& [k, v] : r.headers) {
        if (k == "Retry-After") return v;
    }
    return {};
}

}  // namespace

TEST_CASE("CIDR networks match IPv4 and IPv6 addresses, hits and misses") {
    CHECK(cidr("10.0.0.0/8").contains("10.255.1.2"));
    CHECK_FALSE(cidr("10.0.0.0/8").contains("11.0.0.1"));
    CHECK(cidr("192.168.1.0/24").contains("192.168.1.255"));
    CHECK_FALSE(cidr("192.168.1.0/24").contains("192.168.2.0"));
    CHECK(cidr("203.0.113.7").contains("203.0.113.7"));  // a bare address is a /32
    CHECK_FALSE(cidr("203.0.113.7").contains("203.0.113.8"));
    CHECK(cidr("0.0.0.0/0").contains("8.8.8.8"));
    CHECK(cidr("10.0.0.0/8").contains("::ffff:10.1.2.3"));  // IPv4-mapped
    CHECK(cidr("2001:db8::/32").contains("2001:db8:ffff::1"));
    CHECK_FALSE(cidr("2001:db8::/32").contains("2001:db9::1"));
    CHECK(cidr("2001:db8:abcd:12::/63").contains("2001:db8:abcd:13::1"));
    CHECK_FALSE(cidr("2001:db8:abcd:12::/63").contains("2001:db8:abcd:14::1"));
    CHECK(cidr("::1").contains("[::1]"));
    CHECK_FALSE(cidr("::/0").contains("10.0.0.1") == false);  // ::/0 holds mapped IPv4 too
    CHECK_FALSE(cidr("10.0.0.0/8").contains("2001:db8::1"));
    CHECK_FALSE(cidr("10.0.0.0/8").contains("not an address"));
    for (const char* bad :
         {"10.0.0.0/33", "2001:db8::/129", "10.0.0/8", "x", "10.0.0.0/", "1.2.3.4/-1"}) {
        auto r = api::Cidr::parse(bad, "cidrs");
        CHECK_MESSAGE(!r, bad);
        if (!r) CHECK(r.error().field == "cidrs");
    }
}

TEST_CASE("X-Forwarded-For is believed only from trusted proxies, right to left") {
    const std::vector<api::Cidr> proxies{cidr("127.0.0.1"), cidr("10.0.0.0/8")};
    CHECK(api::client_address("127.0.0.1", "203.0.113.9", proxies) == "203.0.113.9");
    // A client that forges a first entry gets the address our proxy saw.
    CHECK(api::client_address("127.0.0.1", "6.6.6.6, 203.0.113.9", proxies) == "203.0.113.9");
    CHECK(api::client_address("127.0.0.1", "203.0.113.9, 10.1.1.1", proxies) == "203.0.113.9");
    CHECK(api::client_address("198.51.100.1", "203.0.113.9", proxies) == "198.51.100.1");
    CHECK(api::client_address("127.0.0.1", "", proxies) == "127.0.0.1");
    CHECK(api::client_address("127.0.0.1", "garbage", proxies) == "127.0.0.1");
}

TEST_CASE("a token bucket allows its rate, then answers how long to wait") {
    api::RateLimiter limiter;
    const auto t0 = core::from_unix_seconds(1'790'000'000);
    for (int i = 0; i < 60; ++i) CHECK_FALSE(limiter.take("ip:a", 60, t0));
    auto wait = limiter.take("ip:a", 60, t0);
    REQUIRE(wait);
    CHECK(*wait == 1);
    CHECK_FALSE(limiter.take("ip:b", 60, t0));  // another key has its own bucket
    CHECK_FALSE(limiter.take("ip:a", 60, t0 + 1s));
    CHECK(limiter.take("ip:a", 60, t0 + 1s));
    CHECK_FALSE(limiter.take("ip:a", 0, t0));  // 0 = no limit
}

TEST_CASE("/v1 rate limits answer 429 with Retry-After, per address and per credential") {
    ApiFixture f;
    f.ctx->security.anonymous_per_minute = 60;
    f.ctx->security.authenticated_per_minute = 120;
    f.remote_ip = "198.51.100.20";
    for (int i = 0; i < 60; ++i) CHECK(f.call("GET", "/v1/iptv/lines", "", false).status == 401);
    auto limited = f.call("GET", "/v1/iptv/lines", "", false);
    CHECK(limited.status == 429);
    CHECK(retry_after(limited) == "1");
    CHECK(limited.body.find(R"("field":"ip")") != std::string::npos);
    // The key has its own bucket of 120.
    for (int i = 0; i < 120; ++i) REQUIRE(f.call("GET", "/v1/iptv/lines").status == 200);
    auto key_limited = f.call("GET", "/v1/iptv/lines");
    CHECK(key_limited.status == 429);
    CHECK(key_limited.body.find(R"("field":"authorization")") != std::string::npos);
    f.clock.advance(1s);
    CHECK(f.call("GET", "/v1/iptv/lines").status == 200);
    // Operations and the Xtream surface are not limited by these buckets.
    CHECK(f.call("GET", "/healthz", "", false).status == 200);
}

TEST_CASE(
    "10 failed sign-ins in 15 minutes lock the source for an hour and then it may try again") {
    ApiFixture f;
    create_user(f, f.key, "acme", "reseller");
    f.remote_ip = "203.0.113.50";
    for (int i = 0; i < 9; ++i) {
        CHECK(login(f, "acme", "Wrong-pass1").status == 401);
        f.clock.advance(1min);
    }
    CHECK(login(f, "acme").status == 200);                 // 9 failures: not locked
    CHECK(login(f, "acme", "Wrong-pass1").status == 401);  // the 10th
    auto locked = login(f, "acme");  // the right password, but the source is locked
    CHECK(locked.status == 429);
    CHECK(std::stoi(retry_after(locked)) == 3600);
    CHECK(locked.body.find("locked") != std::string::npos);
    // Another source is not locked.
    f.remote_ip = "203.0.113.51";
    CHECK(login(f, "acme").status == 200);
    // The lockout is an event.
    auto failures = f.store->read_stream("auth_failures-op", 0, 100);
    REQUIRE(failures);
    CHECK(failures->back().type == "identity.source.locked");
    CHECK(failures->back().data.find("203.0.113.50") != std::string::npos);
    // Failures spread over more than 15 minutes do not lock.
    f.remote_ip = "203.0.113.52";
    for (int i = 0; i < 12; ++i) {
        CHECK(login(f, "acme", "Wrong-pass1").status == 401);
        f.clock.advance(2min);
    }
    CHECK(login(f, "acme").status == 200);
    // An hour later the first source may sign in again.
    f.remote_ip = "203.0.113.50";
    CHECK(login(f, "acme").status == 429);
    f.clock.advance(61min);
    CHECK(login(f, "acme").status == 200);
}

TEST_CASE("failed Xtream line sign-ins lock the source too, for players and the API alike") {
    ApiFixture f;
    auto line = f.call("POST", "/v1/iptv/lines", R"({"username":"viewer1"})");
    REQUIRE(line.status == 201);
    simdjson::dom::parser p;
    const auto password = str(parse_json(p, line.body), "password");
    const auto good = "/player_api.php?username=viewer1&password=" + password;
    f.settle();
    f.remote_ip = "198.51.100.77";
    CHECK(f.call("GET", good, "", false).body.find(R"("auth":1)") != std::string::npos);
    for (int i = 0; i < 10; ++i)
        CHECK(f.call("GET", "/player_api.php?username=viewer1&password=nope", "", false)
                  .body.find(R"("auth":0)") != std::string::npos);
    CHECK(f.call("GET", good, "", false).body.find(R"("auth":0)") != std::string::npos);
    create_user(f, f.key, "acme", "reseller");
    CHECK(login(f, "acme").status == 429);
    f.remote_ip = "198.51.100.78";
    CHECK(f.call("GET", good, "", false).body.find(R"("auth":1)") != std::string::npos);
}

TEST_CASE("the admin allowlist lets admins in from listed networks only, IPv4 and IPv6") {
    ApiFixture f;
    create_user(f, f.key, "acme", "reseller");
    f.ctx->security.admin_allowlist = {cidr("10.0.0.0/8"), cidr("2001:db8::/32")};
    for (const char* ip : {"10.20.30.40", "2001:db8:1::5", "::ffff:10.0.0.1"}) {
        f.remote_ip = ip;
        CHECK_MESSAGE(f.call("GET", "/v1/iptv/lines").status == 200, ip);
    }
    for (const char* ip : {"192.168.1.1", "2001:dba::1", "127.0.0.1"}) {
        f.remote_ip = ip;
        auto r = f.call("GET", "/v1/iptv/lines");
        CHECK_MESSAGE(r.status == 403, ip);
        CHECK(r.body.find(R"("field":"ip")") != std::string::npos);
    }
    // Other roles are not bound by the admin allowlist.
    f.remote_ip = "192.168.1.1";
    CHECK(as(f, sign_in(f, "acme"), "GET", "/v1/iptv/lines").status == 200);
    // Behind a trusted proxy, the forwarded address is the one checked.
    f.ctx->security.trusted_proxies = {cidr("127.0.0.1")};
    f.remote_ip = "127.0.0.1";
    CHECK(f.call("GET", "/v1/iptv/lines", "", true, {{"x-forwarded-for", "10.9.9.9"}}).status ==
          200);
    CHECK(f.call("GET", "/v1/iptv/lines", "", true, {{"x-forwarded-for", "192.168.9.9"}}).status ==
          403);
    f.remote_ip = "192.168.1.1";  // not a trusted proxy: its X-Forwarded-For is ignored
    CHECK(f.call("GET", "/v1/iptv/lines", "", true, {{"x-forwarded-for", "10.9.9.9"}}).status ==
          403);
}

TEST_CASE("a user's allowlist binds its sign-ins and its sessions and bad networks are 400") {
    ApiFixture f;
    create_user(f, f.key, "acme", "reseller");
    f.remote_ip = "198.51.100.7";
    auto session = login(f, "acme");
    REQUIRE(session.status == 200);
    simdjson::dom::parser p;
    auto doc = parse_json(p, session.body);
    const auto token = str(doc, "token");
    const auto user_id = str(doc, "user_id");
    const auto allowlist = "/v1/users/" + user_id + "/allowlist";
    const auto before = f.log_size();
    check_problem(f,
                  as(f, token, "PUT", allowlist, R"({"cidrs":["198.51.100.0/24","10.0.0.0/33"]})"),
                  400, "cidrs", before);
    REQUIRE(
        as(f, token, "PUT", allowlist, R"({"cidrs":["198.51.100.0/24","2001:db8::/48"]})").status ==
        200);
    CHECK(as(f, token, "GET", "/v1/auth/me").status == 200);
    f.remote_ip = "2001:db8:0:1::9";
    CHECK(as(f, token, "GET", "/v1/auth/me").status == 200);
    f.remote_ip = "203.0.113.1";
    auto refused = as(f, token, "GET", "/v1/auth/me");
    CHECK(refused.status == 403);
    CHECK(refused.body.find(R"("field":"ip")") != std::string::npos);
    CHECK(login(f, "acme").status == 403);
    f.remote_ip = "2001:db8:1::9";  // outside the /48
    CHECK(login(f, "acme").status == 403);
    f.remote_ip = "198.51.100.200";
    CHECK(login(f, "acme").status == 200);
}

namespace {

/// Sends a request as a client wrote it: no Content-Type unless `headers` hold one.
api::HttpResponse raw(ApiFixture& f, const std::string& method, const std::string& target,
                      const std::string& body, std::map<std::string, std::string> headers = {}) {
    api::HttpRequest r;
    r.method = method;
    r.target = target;
    r.body = body;
    r.remote_ip = f.remote_ip;
    r.headers = std::move(headers);
    if (!r.headers.count("authorization")) r.headers["authorization"] = "Bearer " + f.key;
    REQUIRE(api::parse_target(r));
    return f.router->dispatch(r);
}

}  // namespace

TEST_CASE("duplicate JSON keys are refused with 400 naming the key, nested ones by their path") {
    auto field_of = [](const std::string& body) {
        auto b = api::JsonBody::parse(body);
        REQUIRE_FALSE(b);
        CHECK(b.error().code == core::Errc::Invalid);
        return b.error().field;
    };
    CHECK(field_of(R"({"status":"active","status":"disabled"})") == "status");
    CHECK(field_of(R"({"policy":{"vip_only":false,"vip_only":true}})") == "policy.vip_only");
    CHECK(field_of(R"({"devices":[{"id":"a"},{"id":"b","mac":"x","mac":"y"}]})") ==
          "devices[1].mac");
    CHECK(field_of(R"({"a":[[{"b":1,"b":2}]]})") == "a[0][0].b");
    CHECK(
        api::JsonBody::parse(R"({"a":{"b":1},"c":[{"b":1},{"b":2}]})"));  // no repeat in one object

    ApiFixture f;
    const auto before = f.log_size();
    check_problem(f,
                  f.call("POST", "/v1/iptv/lines",
                         R"({"username":"first","password":"Line-pass-01","username":"second"})"),
                  400, "username", before);
    check_problem(f,
                  f.call("PUT", "/v1/vpn/servers/nyc",
                         R"({"name":"New York","endpoint_host":"nyc.vpn.example.net",
                             "ipv4_pool":"10.8.1.0/24",
                             "policy":{"vip_only":false,"vip_only":true}})"),
                  400, "policy.vip_only", before);
}

TEST_CASE("a JSON body needs Content-Type application/json (else 415), a playlist its own types") {
    ApiFixture f;
    const auto before = f.log_size();
    const std::string line = R"({"username":"typed","password":"Line-pass-01"})";
    check_problem(f, raw(f, "POST", "/v1/iptv/lines", line), 415, "content-type", before);
    for (const char* type : {"text/plain", "application/x-www-form-urlencoded",
                             "application/json-seq", "application/json; charset=latin1"}) {
        auto r = raw(f, "POST", "/v1/iptv/lines", line, {{"content-type", type}});
        check_problem(f, r, 415, "content-type", before);
    }
    // An unauthenticated caller learns about its credentials first.
    CHECK(raw(f, "POST", "/v1/iptv/lines", line, {{"authorization", "Bearer nope"}}).status == 401);
    // No body, no type needed: the handler names the missing field.
    check_problem(f, raw(f, "POST", "/v1/iptv/lines", ""), 400, "username", before);
    CHECK(raw(f, "POST", "/v1/iptv/lines", line,
              {{"content-type", "Application/JSON ; Charset=\"UTF-8\""}})
              .status == 201);

    const std::string playlist = "#EXTM3U\n#EXTINF:-1,One\nhttp://a/1\n";
    const std::string import = "/v1/iptv/imports/m3u?source=us";
    f.settle();
    const auto after = f.log_size();
    for (const char* type : {"application/json", "application/x-www-form-urlencoded"}) {
        check_problem(f, raw(f, "POST", import, playlist, {{"content-type", type}}), 415,
                      "content-type", after);
    }
    for (const char* type : {"audio/x-mpegurl", "application/vnd.apple.mpegurl",
                             "audio/mpegurl; charset=utf-8", "text/plain", ""}) {
        std::map<std::string, std::string> h;
        if (*type) h["content-type"] = type;
        CHECK_MESSAGE(raw(f, "POST", import, playlist, h).status == 200, type);
    }
    // Xtream players POST forms to player_api.php: not a /v1 JSON route.
    CHECK(raw(f, "POST", "/player_api.php", "username=a&password=b",
              {{"content-type", "application/x-www-form-urlencoded"}})
              .status == 200);
}

TEST_CASE("an Idempotency-Key over 255 characters or with control characters is 400 everywhere") {
    ApiFixture f;
    const auto before = f.log_size();
    const std::string line = R"({"username":"idem","password":"Line-pass-01"})";
    for (const auto& key : {std::string(256, 'k'), std::string(10 * 1024, 'k'),
                            std::string("abc\ndef"), std::string("tab\there"), std::string()}) {
        check_problem(f, f.call("POST", "/v1/iptv/lines", line, true, {{"idempotency-key", key}}),
                      400, "idempotency-key", before);
        check_problem(f, f.call("GET", "/v1/iptv/lines", {}, true, {{"idempotency-key", key}}), 400,
                      "idempotency-key", before);
    }
    CHECK(f.call("POST", "/v1/iptv/lines", line, true, {{"idempotency-key", std::string(255, 'k')}})
              .status == 201);
}
