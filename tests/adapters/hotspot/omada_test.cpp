// The Omada adapter against an HTTP server on loopback answering as TP-Link documents: the
// Open API Access Guide (client credentials token, `AccessToken=` header, the errorCode
// envelope, Hotspot > Local User create/list/modify/delete and error -42013) and FAQ 3231 (the
// external portal server's hotspot operator login and extPortal/auth). No Omada controller
// runs here; the answers are transcripts from those documents.
#include "adapters/hotspot/omada.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "tests/adapters/hotspot/loopback_servers.hpp"
#include "tests/support/fixed_clock.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::adapters::hotspot;
using core::Errc;
using testing::HttpAnswer;
using testing::HttpExchange;
using testing::HttpServer;
namespace json = boost::json;

namespace {

const core::Timestamp kNow = *core::parse_rfc3339("2026-11-30T12:00:00Z");
constexpr std::string_view kOmadacId = "de382a0e78f4deb681f3128c3e75dbd1";
constexpr std::string_view kSite = "640effd1b3f2ae5b912275ec";
const std::string kUsersPath =
    "/openapi/v1/de382a0e78f4deb681f3128c3e75dbd1/sites/640effd1b3f2ae5b912275ec/hotspot/"
    "localusers";
// From the guide's client credentials example.
const std::string kTokenAnswer =
    R"({"errorCode":0,"msg":"Open API Get Access Token successfully.","result":{"accessToken":"AT-bjaJkIMIiekZY6NBufoQO4hdmJTswlwU","tokenType":"bearer","expiresIn":7200,"refreshToken":"RT-3ZjJgcORJSh76UCh7pj0rs5VRISIpagV"}})";

OmadaOptions options(const HttpServer& server) {
    return {.name = "omada-lobby",
            .base_url = server.base_url(),
            .omadac_id = std::string(kOmadacId),
            .site_id = std::string(kSite),
            .client_id = "185586e0df424f5ea938de13cba91e01",
            .client_secret = "767372a5258a4fc1a03c57f3d071fc35",
            .operator_name = "operator",
            .operator_password = "op-pass",
            .timeout_ms = 3000};
}

bool is_token_request(const HttpExchange& ex) {
    return ex.method == "POST" &&
           ex.target == "/openapi/authorize/token?grant_type=client_credentials";
}

json::object body_of(const HttpExchange& ex) { return json::parse(ex.body).as_object(); }

}  // namespace

TEST_CASE("an Omada local user with time, data and rate limits is created through the Open API") {
    HttpServer omada([](const HttpExchange& ex) -> HttpAnswer {
        if (is_token_request(ex)) return {200, kTokenAnswer};
        return {200, R"({"errorCode":0,"msg":"","result":{"id":"6405a4c6b3f2ae5b91227611"}})"};
    });
    testing::FixedClock clock(kNow);
    OmadaController controller(options(omada), clock);
    REQUIRE(controller.create_user({.name = "testuser",
                                    .password = "testpass",
                                    .limit_uptime_seconds = 3600,
                                    .limit_bytes_total = 1048576,
                                    .download_kbps = 2048,
                                    .upload_kbps = 1024}));
    const auto got = omada.received();
    REQUIRE(got.size() == 2);
    const auto token = body_of(got[0]);
    CHECK(token.at("omadacId") == "de382a0e78f4deb681f3128c3e75dbd1");
    CHECK(token.at("client_id") == "185586e0df424f5ea938de13cba91e01");
    CHECK(token.at("client_secret") == "767372a5258a4fc1a03c57f3d071fc35");
    CHECK(got[1].method == "POST");
    CHECK(got[1].target == kUsersPath);
    CHECK(got[1].headers.at("authorization") == "AccessToken=AT-bjaJkIMIiekZY6NBufoQO4hdmJTswlwU");
    CHECK(got[1].headers.at("content-type") == "application/json");
    const auto user = body_of(got[1]);
    CHECK(user.at("userName") == "testuser");
    CHECK(user.at("password") == "testpass");
    CHECK(user.at("enable") == true);
    CHECK(user.at("expirationTime") == 1796043600000);  // 2026-11-30T13:00:00Z in ms
    CHECK(user.at("bindingType") == 0);
    CHECK(user.at("maxUsers") == 1);
    CHECK(user.at("trafficLimitEnable") == true);
    CHECK(user.at("trafficLimit") == 1);  // MB
    CHECK(user.at("trafficLimitFrequency") == 0);
    const auto& rate = user.at("rateLimit").as_object();
    CHECK(rate.at("mode") == 0);
    CHECK(rate.at("customRateLimit").at("downLimitEnable") == true);
    CHECK(rate.at("customRateLimit").at("downLimit") == 2048);
    CHECK(rate.at("customRateLimit").at("upLimit") == 1024);
    CHECK(user.at("applyToAllPortals") == true);
}

TEST_CASE("Omada's errorCode -42013 is a Conflict with its own message") {
    HttpServer omada([](const HttpExchange& ex) -> HttpAnswer {
        if (is_token_request(ex)) return {200, kTokenAnswer};
        return {200, R"({"errorCode":-42013,"msg":"Local user already exists."})"};
    });
    testing::FixedClock clock(kNow);
    OmadaController controller(options(omada), clock);
    const auto r = controller.create_user({.name = "testuser", .password = "p"});
    CHECK(testing::error_of(r).code == Errc::Conflict);
    CHECK(testing::error_of(r).message.find("Local user already exists.") != std::string::npos);
    CHECK(testing::error_of(
              controller.create_user({.name = "x", .password = "p", .limit_bytes_total = 1000}))
              .field == "limit_bytes_total");
}

TEST_CASE("an expired access token (-44112) is replaced once and the call repeated") {
    int calls = 0;
    HttpServer omada([&](const HttpExchange& ex) -> HttpAnswer {
        if (is_token_request(ex)) return {200, kTokenAnswer};
        if (++calls == 1)
            return {
                200,
                R"({"errorCode":-44112,"msg":"The access token has expired. Please re-initiate the refreshToken process to obtain the access token."})"};
        return {
            200,
            R"({"errorCode":0,"msg":"","result":{"totalRows":0,"currentPage":1,"currentSize":100,"data":[]}})"};
    });
    testing::FixedClock clock(kNow);
    OmadaController controller(options(omada), clock);
    REQUIRE(controller.list_users());
    int tokens = 0;
    for (const auto& ex : omada.received()) tokens += is_token_request(ex) ? 1 : 0;
    CHECK(tokens == 2);
}

TEST_CASE("Omada local users are listed, matched by name and removed by id") {
    HttpServer omada([](const HttpExchange& ex) -> HttpAnswer {
        if (is_token_request(ex)) return {200, kTokenAnswer};
        if (ex.method == "GET")
            return {
                200,
                R"({"errorCode":0,"msg":"","result":{"totalRows":2,"currentPage":1,"currentSize":100,"data":[
                {"id":"61","userName":"testuser","enable":true,"expirationTime":4102444800000,"bindingType":1,
                 "macAddress":"AA-BB-CC-DD-EE-FF","maxUsers":1,"rateLimit":{"mode":0,"customRateLimit":{"downLimitEnable":true,"downLimit":2048,"upLimitEnable":false,"upLimit":0}},
                 "trafficLimitEnable":true,"trafficLimit":100,"trafficLimitFrequency":0},
                {"id":"62","userName":"testuser2","enable":true,"expirationTime":4102444800000,"bindingType":0,"maxUsers":1,
                 "rateLimit":{"mode":0,"customRateLimit":{"downLimitEnable":false,"upLimitEnable":false}},"trafficLimitEnable":false}]}})"};
        return {200, R"({"errorCode":0,"msg":""})"};
    });
    testing::FixedClock clock(kNow);
    OmadaController controller(options(omada), clock);
    const auto users = controller.list_users();
    REQUIRE(users);
    REQUIRE(users->size() == 2);
    CHECK(users->at(0).name == "testuser");
    CHECK(users->at(0).mac == "aa:bb:cc:dd:ee:ff");
    CHECK(users->at(0).limit_bytes_total == 100 * 1048576);
    CHECK(users->at(0).download_kbps == 2048);
    CHECK_FALSE(users->at(0).upload_kbps);
    CHECK_FALSE(users->at(0).limit_uptime_seconds);  // expires 2100-01-01: no time limit
    REQUIRE(controller.remove_user("testuser2"));
    const auto got = omada.received();
    CHECK(got.back().method == "DELETE");
    CHECK(got.back().target == kUsersPath + "/62");
    CHECK(testing::error_of(controller.remove_user("ghost")).code == Errc::NotFound);
}

TEST_CASE("a client is authorized through the external portal API with the operator's CSRF token") {
    HttpServer omada([](const HttpExchange& ex) -> HttpAnswer {
        if (ex.target == "/de382a0e78f4deb681f3128c3e75dbd1/api/v2/hotspot/login")
            return {
                200,
                R"({"errorCode":0,"msg":"Hotspot log in successfully.","result":{"token":"5a5ba5f2c6e44f2c9a2e2a0b1b0c0d0e"}})",
                {"Set-Cookie: TPOMADA_SESSIONID=9cb86bf3a99e48a59e4f3bb464a3c443; Path=/; "
                 "HttpOnly"}};
        if (ex.target == "/de382a0e78f4deb681f3128c3e75dbd1/api/v2/hotspot/extPortal/auth")
            return {200, R"({"errorCode":0,"msg":"Success."})"};
        return {404, "{}"};
    });
    testing::FixedClock clock(kNow);
    OmadaController controller(options(omada), clock);
    REQUIRE(controller.authorize_mac({.mac = "aa:bb:cc:dd:ee:ff",
                                      .duration_seconds = 3600,
                                      .ap_mac = "AC-84-C6-00-00-01",
                                      .ssid = "Hotel Guest",
                                      .radio_id = 1,
                                      .site = "Default"}));
    const auto got = omada.received();
    REQUIRE(got.size() == 2);
    const auto login = body_of(got[0]);
    CHECK(login.at("name") == "operator");
    CHECK(login.at("password") == "op-pass");
    CHECK(got[1].headers.at("csrf-token") == "5a5ba5f2c6e44f2c9a2e2a0b1b0c0d0e");
    CHECK(got[1].headers.at("cookie") == "TPOMADA_SESSIONID=9cb86bf3a99e48a59e4f3bb464a3c443");
    const auto auth = body_of(got[1]);
    CHECK(auth.at("clientMac") == "AA-BB-CC-DD-EE-FF");
    CHECK(auth.at("apMac") == "AC-84-C6-00-00-01");
    CHECK(auth.at("ssidName") == "Hotel Guest");
    CHECK(auth.at("radioId") == 1);
    CHECK(auth.at("site") == "Default");
    CHECK(auth.at("time") == 3600000000);  // microseconds
    CHECK(auth.at("authType") == 4);
}

TEST_CASE("a refused operator login is Unauthorized and no authorization is sent") {
    HttpServer omada([](const HttpExchange&) -> HttpAnswer {
        return {200, R"({"errorCode":-30109,"msg":"Invalid username or password."})"};
    });
    testing::FixedClock clock(kNow);
    OmadaController controller(options(omada), clock);
    const auto r = controller.authorize_mac(
        {.mac = "aa:bb:cc:dd:ee:ff", .duration_seconds = 60, .ap_mac = "AC-84-C6-00-00-01"});
    CHECK(testing::error_of(r).code == Errc::Unauthorized);
    CHECK(testing::error_of(r).message.find("Invalid username or password.") != std::string::npos);
    CHECK(omada.received().size() == 1);
}

TEST_CASE("an HTTP failure carries Omada's status and body") {
    HttpServer omada([](const HttpExchange&) -> HttpAnswer {
        return {503, "controller is starting"};
    });
    testing::FixedClock clock(kNow);
    OmadaController controller(options(omada), clock);
    const auto r = controller.test_connection();
    CHECK(testing::error_of(r).code == Errc::Unavailable);
    CHECK(testing::error_of(r).message.find("HTTP 503: controller is starting") !=
          std::string::npos);
    // The client secret in the token URL's body is never in the message.
    CHECK(testing::error_of(r).message.find("767372a5") == std::string::npos);
}

TEST_CASE("malformed Omada answers are Invalid errors naming the field, never a crash") {
    for (
        const std::string body :
        {"not json", "[]", R"({"msg":"no code"})", R"({"errorCode":"0"})",
         R"({"errorCode":0,"result":[]})", R"({"errorCode":0,"result":{"data":{}}})",
         R"({"errorCode":0,"result":{"totalRows":1,"data":[{"userName":"x","trafficLimitEnable":true,"trafficLimit":9223372036854775807}]}})",
         R"({"errorCode":0,"result":{"totalRows":1,"data":[7,{"expirationTime":-9223372036854775807}]}})"}) {
        HttpServer omada([&](const HttpExchange& ex) -> HttpAnswer {
            if (is_token_request(ex)) return {200, kTokenAnswer};
            return {200, body};
        });
        testing::FixedClock clock(kNow);
        OmadaController controller(options(omada), clock);
        const auto r = controller.list_users();
        if (r) continue;  // the last body is a readable (if odd) list
        CHECK_MESSAGE(r.error().code == Errc::Invalid, body);
        CHECK_FALSE(r.error().field.empty());
    }
}
