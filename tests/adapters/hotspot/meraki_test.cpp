// The Meraki adapter against an HTTP server on loopback answering as the Dashboard API v1
// reference documents (developer.cisco.com/meraki/api-v1: Meraki auth users, client splash
// authorization status, network clients). No Meraki cloud runs here; the answers are
// transcripts of the reference's examples.
#include "adapters/hotspot/meraki.hpp"

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

MerakiOptions options(const HttpServer& server) {
    return {.name = "meraki-lobby",
            .base_url = server.base_url() + "/api/v1",
            .api_key = "6bec40cf957de430a6f1f2baa056b99a4fac9ea0",
            .network_id = "N_24329156",
            .ssid_number = 1,
            .timeout_ms = 3000};
}

}  // namespace

TEST_CASE("a Meraki auth user is created with its time limit as the SSID authorization's expiry") {
    HttpServer meraki([](const HttpExchange&) -> HttpAnswer {
        return {
            201,
            R"({"id":"aGlAaGkuY29t","email":"testuser@hotspot.invalid","name":"testuser","createdAt":"2026-11-30T12:00:00.000000Z","accountType":"Guest","authorizations":[{"ssidNumber":1,"authorizedZone":"Hotel Guest","expiresAt":"2026-11-30T13:00:00.000000Z","authorizedByName":"API","authorizedByEmail":"api@meraki.com"}],"isAdmin":false})"};
    });
    testing::FixedClock clock(kNow);
    MerakiController controller(options(meraki), clock);
    REQUIRE(controller.create_user(
        {.name = "testuser", .password = "testpass", .limit_uptime_seconds = 3600}));
    const auto got = meraki.received();
    REQUIRE(got.size() == 1);
    CHECK(got[0].method == "POST");
    CHECK(got[0].target == "/api/v1/networks/N_24329156/merakiAuthUsers");
    CHECK(got[0].headers.at("x-cisco-meraki-api-key") ==
          "6bec40cf957de430a6f1f2baa056b99a4fac9ea0");
    const auto body = json::parse(got[0].body).as_object();
    CHECK(body.at("email") == "testuser@hotspot.invalid");
    CHECK(body.at("name") == "testuser");
    CHECK(body.at("password") == "testpass");
    CHECK(body.at("accountType") == "Guest");
    CHECK(body.at("emailPasswordToUser") == false);
    CHECK(body.at("isAdmin") == false);
    const auto& auth = body.at("authorizations").as_array().at(0).as_object();
    CHECK(auth.at("ssidNumber") == 1);
    CHECK(auth.at("expiresAt") == "2026-11-30T13:00:00.000000Z");
}

TEST_CASE("limits Meraki auth users cannot carry are refused naming the field, before any call") {
    HttpServer meraki([](const HttpExchange&) -> HttpAnswer { return {201, "{}"}; });
    testing::FixedClock clock(kNow);
    MerakiController controller(options(meraki), clock);
    CHECK(testing::error_of(
              controller.create_user({.name = "u", .password = "p", .limit_bytes_total = 1048576}))
              .field == "limit_bytes_total");
    CHECK(testing::error_of(
              controller.create_user({.name = "u", .password = "p", .upload_kbps = 512}))
              .field == "upload_kbps");
    CHECK(meraki.received().empty());
}

TEST_CASE("a taken e-mail is a Conflict carrying Meraki's errors") {
    HttpServer meraki([](const HttpExchange&) -> HttpAnswer {
        return {400, R"({"errors":["Email has already been taken"]})"};
    });
    testing::FixedClock clock(kNow);
    MerakiController controller(options(meraki), clock);
    const auto r = controller.create_user({.name = "testuser", .password = "p"});
    CHECK(testing::error_of(r).code == Errc::Conflict);
    CHECK(testing::error_of(r).message.find("HTTP 400") != std::string::npos);
    CHECK(testing::error_of(r).message.find("Email has already been taken") != std::string::npos);
}

TEST_CASE("a client is authorized by MAC through its splash authorization status") {
    HttpServer meraki([](const HttpExchange&) -> HttpAnswer {
        return {
            200,
            R"({"ssids":{"1":{"isAuthorized":true,"authorizedAt":"2026-11-30 12:00:00 UTC","expiresAt":"2026-12-01 12:00:00 UTC"}}})"};
    });
    testing::FixedClock clock(kNow);
    MerakiController controller(options(meraki), clock);
    REQUIRE(controller.authorize_mac({.mac = "AA-BB-CC-DD-EE-FF", .duration_seconds = 3600}));
    const auto got = meraki.received();
    REQUIRE(got.size() == 1);
    CHECK(got[0].method == "PUT");
    CHECK(got[0].target ==
          "/api/v1/networks/N_24329156/clients/aa%3Abb%3Acc%3Add%3Aee%3Aff/"
          "splashAuthorizationStatus");
    CHECK(json::parse(got[0].body) == json::parse(R"({"ssids":{"1":{"isAuthorized":true}}})"));
}

TEST_CASE("an answer that does not confirm the authorization is Rejected") {
    HttpServer meraki([](const HttpExchange&) -> HttpAnswer {
        return {200, R"({"ssids":{"1":{"isAuthorized":false}}})"};
    });
    testing::FixedClock clock(kNow);
    MerakiController controller(options(meraki), clock);
    CHECK(testing::error_of(controller.authorize_mac({.mac = "aa:bb:cc:dd:ee:ff"})).code ==
          Errc::Rejected);
}

TEST_CASE(
    "online clients are the active sessions and ending one revokes its splash authorization") {
    HttpServer meraki([](const HttpExchange& ex) -> HttpAnswer {
        if (ex.method == "GET")
            return {
                200,
                R"([{"id":"k74272e","mac":"22:33:44:55:66:77","ip":"1.2.3.4","description":"Hayg's Phone","user":"milesmeraki","firstSeen":"2026-11-30T11:00:00Z","lastSeen":"2026-11-30T12:00:00Z","ssid":"Hotel Guest","status":"Online","usage":{"sent":138,"recv":61}},
                             {"id":"k74272f","mac":"22:33:44:55:66:78","ip":"1.2.3.5","status":"Offline","usage":{"sent":1,"recv":1}}])"};
        return {200, R"({"ssids":{"1":{"isAuthorized":false}}})"};
    });
    testing::FixedClock clock(kNow);
    MerakiController controller(options(meraki), clock);
    const auto active = controller.list_active();
    REQUIRE(active);
    REQUIRE(active->size() == 1);
    CHECK(active->at(0).id == "k74272e");
    CHECK(active->at(0).user == "milesmeraki");
    CHECK(active->at(0).mac == "22:33:44:55:66:77");
    CHECK(active->at(0).bytes_in == 138 * 1024);
    CHECK(active->at(0).bytes_out == 61 * 1024);
    CHECK(meraki.received().at(0).target ==
          "/api/v1/networks/N_24329156/clients?timespan=86400&perPage=1000");
    REQUIRE(controller.end_session("k74272e"));
    CHECK(json::parse(meraki.received().back().body) ==
          json::parse(R"({"ssids":{"1":{"isAuthorized":false}}})"));
}

TEST_CASE("Meraki sync adds the missing guests and deletes the extra ones") {
    HttpServer meraki([](const HttpExchange& ex) -> HttpAnswer {
        if (ex.method == "GET")
            return {
                200,
                R"([{"id":"aWQx","email":"keep@hotspot.invalid","name":"keep","accountType":"Guest","authorizations":[]},
                             {"id":"aWQy","email":"stale@hotspot.invalid","name":"stale","accountType":"Guest","authorizations":[]},
                             {"id":"aWQz","email":"admin@example.com","name":"radius admin","accountType":"802.1X","authorizations":[]}])"};
        if (ex.method == "DELETE") return {204, ""};
        return {201, "{}"};
    });
    testing::FixedClock clock(kNow);
    MerakiController controller(options(meraki), clock);
    const auto report =
        controller.sync({{.name = "keep", .password = "k"}, {.name = "new", .password = "n"}});
    REQUIRE(report);
    CHECK(report->added == std::vector<std::string>{"new"});
    CHECK(report->removed == std::vector<std::string>{"stale"});
    CHECK(report->changed.empty());
    CHECK(report->unchanged == 1);
    const auto got = meraki.received();
    CHECK(got.back().method == "DELETE");
    CHECK(got.back().target == "/api/v1/networks/N_24329156/merakiAuthUsers/aWQy");
}

TEST_CASE("Meraki's 429 is TooMany with its Retry-After") {
    HttpServer meraki([](const HttpExchange&) -> HttpAnswer {
        return {
            429, R"({"errors":["API rate limit exceeded for organization"]})", {"Retry-After: 2"}};
    });
    testing::FixedClock clock(kNow);
    MerakiController controller(options(meraki), clock);
    const auto r = controller.list_users();
    CHECK(testing::error_of(r).code == Errc::TooMany);
    CHECK(testing::error_of(r).message.find("Retry-After: 2") != std::string::npos);
}

TEST_CASE("malformed Meraki answers are Invalid errors, never a crash") {
    for (const std::string body :
         {"not json", "{}", R"([1,"x",{"status":"Online","usage":{"sent":9.9e300,"recv":-5}}])"}) {
        HttpServer meraki([&](const HttpExchange&) -> HttpAnswer { return {200, body}; });
        testing::FixedClock clock(kNow);
        MerakiController controller(options(meraki), clock);
        const auto active = controller.list_active();
        if (active) {
            REQUIRE(active->size() == 1);
            CHECK(active->at(0).bytes_in == 0);  // 9.9e300 kB is no count: read as 0
            CHECK(active->at(0).bytes_out == 0);
            continue;
        }
        CHECK(active.error().code == Errc::Invalid);
        // Unreadable: Invalid; readable without the confirmation: Rejected.
        const auto code =
            testing::error_of(controller.authorize_mac({.mac = "aa:bb:cc:dd:ee:ff"})).code;
        CHECK((code == Errc::Invalid || code == Errc::Rejected));
    }
}
