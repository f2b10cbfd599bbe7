// Rotating the master key with the real binary: the server stopped, a new key, the TOTP seed
// sealed again, the old key gone, and two-factor sign-in working after the restart.
#include <doctest/doctest.h>

#include <chrono>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "events/identity/totp.hpp"
#include "tests/integration/processes.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard;
using namespace switchyard::testing;
namespace json = boost::json;

TEST_CASE("admin rotate-master-key seals the TOTP seeds again and 2FA works after the restart") {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    TempDir tmp;
    const auto data_dir = tmp.path() / "data";
    std::string seed;
    {
        Server server(data_dir, free_port());
        const auto key = slurp(data_dir / "admin.key").substr(0, 46);
        REQUIRE(http("POST", server.base + "/v1/users",
                     R"({"username":"acme","password":"Corr3ct-Horse","role":"reseller"})", key)
                    .status == 201);
        auto login = http("POST", server.base + "/v1/auth/login",
                          R"({"username":"acme","password":"Corr3ct-Horse"})");
        REQUIRE(login.status == 200);
        const std::string token(json::parse(login.body).as_object().at("token").as_string());
        auto setup = http("POST", server.base + "/v1/auth/2fa/setup", {}, token);
        REQUIRE(setup.status == 200);
        seed = events::identity::base32_decode(
                   json::parse(setup.body).as_object().at("secret").as_string())
                   .value();
        REQUIRE(http("POST", server.base + "/v1/auth/2fa/enable",
                     fmt::format(R"({{"code":"{}"}})",
                                 events::identity::totp_code(seed, now_seconds())),
                     token)
                    .status == 200);
        // A hotspot NAS secret and an account password are sealed too.
        REQUIRE(http("POST", server.base + "/v1/hotspot/nas",
                     R"({"name":"Lobby","vendor":"mikrotik","address":"192.0.2.10",)"
                     R"("secret":"s3cret-radius"})",
                     key)
                    .status == 201);
        REQUIRE(http("POST", server.base + "/v1/hotspot/plans",
                     R"({"name":"Hour","duration_seconds":3600})", key)
                    .status == 201);
        REQUIRE(http("POST", server.base + "/v1/hotspot/accounts",
                     R"({"username":"alice","password":"wonderland1","plan_id":"hour"})", key)
                    .status == 201);
        // While the server runs, the log is in use: the command refuses.
        std::string out;
        CHECK(run(fmt::format("'{}' admin rotate-master-key --data-dir '{}' 2>&1", SY_SWITCHYARD,
                              data_dir.string()),
                  &out) == 1);
        CHECK(out.find("stop the server first") != std::string::npos);
        CHECK(server.stop() == 0);
    }
    const auto before = slurp(data_dir / "master.key");
    std::string out;
    REQUIRE(run(fmt::format("'{}' admin rotate-master-key --data-dir '{}'", SY_SWITCHYARD,
                            data_dir.string()),
                &out) == 0);
    // The TOTP seed, the NAS secret and the account password.
    CHECK_MESSAGE(out.find("3 secrets sealed again") != std::string::npos, out);
    const auto after = slurp(data_dir / "master.key");
    CHECK(after != before);
    CHECK(std::count(after.begin(), after.end(), '\n') == 1);  // the old key is retired
    CHECK(after.substr(0, 11) != before.substr(0, 11));

    Server again(data_dir, free_port());
    // The next step's code (one step of drift is allowed) opens only with the resealed seed.
    auto signed_in =
        http("POST", again.base + "/v1/auth/login",
             fmt::format(R"({{"username":"acme","password":"Corr3ct-Horse","totp":"{}"}})",
                         events::identity::totp_code(seed, now_seconds() + 30)));
    CHECK_MESSAGE(signed_in.status == 200, signed_in.body);
    // The account's password opens under the new key: FreeRADIUS gets it from authorize.
    const auto key = slurp(data_dir / "admin.key").substr(0, 46);
    auto authorize = http("POST", again.base + "/radius/user/alice/mac/x?action=authorize",
                          R"({"User-Name":{"type":"string","value":["alice"]},)"
                          R"("NAS-IP-Address":{"type":"ipaddr","value":["192.0.2.10"]}})",
                          key);
    CHECK_MESSAGE(authorize.status == 200, authorize.body);
    CHECK(authorize.body.find("wonderland1") != std::string::npos);
}
