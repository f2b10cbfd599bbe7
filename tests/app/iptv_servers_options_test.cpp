// The IPTV module's server and GeoIP options: `--geoip-db` and the health check settings are
// read by `switchyard serve` into IptvModule::options; start() opens the database, or refuses
// a bad one naming `geoip-db`.
#include <doctest/doctest.h>

#include <CLI/CLI.hpp>

#include "tests/api/routes/iptv/servers_fixture.hpp"

using namespace switchyard;
using switchyard::testing::ServersFixture;

TEST_CASE("serve reads --geoip-db and the server check options into the IPTV module") {
    app::IptvModule m;
    CLI::App serve;
    m.add_serve_options(serve);
    const auto db = std::string(SY_SHARED_DATA) + "/geoip/GeoLite2-Country-Test.mmdb";
    serve.parse("--geoip-db " + db +
                    " --server-check-timeout-ms 1000 --server-check-fall 3 --server-check-rise 4",
                false);
    CHECK(m.options.geoip_db == db);
    CHECK(m.options.server_check_timeout_ms == 1000);
    CHECK(m.options.server_check_fall == 3);
    CHECK(m.options.server_check_rise == 4);
    CHECK(m.options.server_check_interval_ms == 10000);
    app::IptvModule bad;
    CLI::App serve2;
    bad.add_serve_options(serve2);
    CHECK_THROWS(serve2.parse("--server-check-fall 0", false));
}

TEST_CASE("the IPTV module opens the --geoip-db database at start, or names a bad one") {
    ServersFixture f;
    app::IptvModule with_db;
    with_db.options.geoip_db = std::string(SY_SHARED_DATA) + "/geoip/GeoLite2-Country-Test.mmdb";
    auto started = with_db.start(*f.host);
    REQUIRE_MESSAGE(started, (started ? "" : started.error().message));
    REQUIRE(with_db.geoip());
    CHECK(with_db.geoip()->database_type() == "GeoLite2-Country");
    app::IptvModule without;
    REQUIRE(without.start(*f.host));
    CHECK(without.geoip() == nullptr);
    app::IptvModule missing;
    missing.options.geoip_db = std::string(SY_SHARED_DATA) + "/geoip/missing.mmdb";
    auto refused = missing.start(*f.host);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().field == "geoip-db");
}
