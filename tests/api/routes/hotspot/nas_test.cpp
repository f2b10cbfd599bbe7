// /v1/hotspot/nas through the router: define, list, change, disable and enable a NAS; the
// secret is sealed and never shown; bad input names the field; a retried POST creates nothing;
// a reseller reaches its own NAS only.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "tests/api/routes/hotspot/hotspot_fixture.hpp"
#include "tests/support/skip.hpp"

using namespace switchyard;
using switchyard::testing::HotspotFixture;
using switchyard::testing::num;
using switchyard::testing::parse_json;
using switchyard::testing::str;

namespace {
const char* kLobby =
    R"({"name":"Lobby AP","vendor":"mikrotik","address":"10.0.0.1","secret":"s3cret-radius",)"
    R"("site":"Hotel Aurora","timezone":"Europe/Berlin"})";
}

TEST_CASE("a NAS is defined without showing its secret, listed, changed, disabled, enabled") {
    HotspotFixture f;
    auto r = f.call("POST", "/v1/hotspot/nas", kLobby);
    REQUIRE_MESSAGE(r.status == 201, r.body);
    CHECK(r.body.find("s3cret-radius") == std::string::npos);
    CHECK(r.body.find("secret") == std::string::npos);
    {
        simdjson::dom::parser p;
        auto doc = parse_json(p, r.body);
        CHECK(str(doc, "nas_id") == "lobby-ap");  // from the name
        CHECK(str(doc, "vendor") == "mikrotik");
        CHECK(num(doc, "coa_port") == 1700);  // RouterOS /radius incoming default
        CHECK(str(doc, "owner_path") == "/");
        CHECK(str(doc, "timezone") == "Europe/Berlin");
    }
    // Sealed at rest, opened for the RADIUS side.
    CHECK(f.hotspot->service().nas_secret("lobby-ap").value() == "s3cret-radius");

    auto list = f.call("GET", "/v1/hotspot/nas");
    REQUIRE(list.status == 200);
    CHECK(list.body.find("\"lobby-ap\"") != std::string::npos);
    CHECK(list.body.find("secret") == std::string::npos);
    auto one = f.call("GET", "/v1/hotspot/nas/lobby-ap");
    REQUIRE(one.status == 200);

    auto patch = f.call("PATCH", "/v1/hotspot/nas/lobby-ap",
                        R"({"site":"Annex","coa_port":3799,"secret":"n3w-secret-value"})");
    REQUIRE_MESSAGE(patch.status == 200, patch.body);
    {
        simdjson::dom::parser p;
        auto doc = parse_json(p, patch.body);
        CHECK(str(doc, "site") == "Annex");
        CHECK(num(doc, "coa_port") == 3799);
        CHECK(str(doc, "address") == "10.0.0.1");  // unnamed fields stay
    }
    CHECK(f.hotspot->service().nas_secret("lobby-ap").value() == "n3w-secret-value");

    auto off = f.call("POST", "/v1/hotspot/nas/lobby-ap/disable", R"({"reason":"moved"})");
    REQUIRE_MESSAGE(off.status == 200, off.body);
    simdjson::dom::parser p1;
    CHECK(parse_json(p1, off.body)["disabled"].get_bool().value() == true);
    // A disabled NAS is unknown to RADIUS.
    CHECK_FALSE(f.hotspot->service().nas_by_address("10.0.0.1"));
    auto on = f.call("POST", "/v1/hotspot/nas/lobby-ap/enable");
    REQUIRE_MESSAGE(on.status == 200, on.body);
    simdjson::dom::parser p2;
    CHECK(parse_json(p2, on.body)["disabled"].get_bool().value() == false);
    CHECK(f.hotspot->service().nas_by_address("10.0.0.1").value().nas_id == "lobby-ap");

    CHECK(f.call("GET", "/v1/hotspot/nas/nope").status == 404);
}

TEST_CASE("a NAS body with a bad field is refused naming it, and nothing is appended") {
    HotspotFixture f;
    const auto before = f.log_size();
    auto post = [&](const std::string& body) { return f.call("POST", "/v1/hotspot/nas", body); };
    using switchyard::testing::check_problem;
    check_problem(f, post(R"({"vendor":"mikrotik","address":"10.0.0.1","secret":"s3cret-radius"})"),
                  400, "name", before);
    check_problem(
        f,
        post(R"({"name":"A","vendor":"fritzbox","address":"10.0.0.1","secret":"s3cret-radius"})"),
        400, "vendor", before);
    check_problem(f,
                  post(R"({"name":"A","vendor":"mikrotik","address":"10.0.0.1","secret":"short"})"),
                  400, "secret", before);
    check_problem(
        f, post(R"({"name":"A","vendor":"omada","address":"not-an-ip","secret":"s3cret-radius"})"),
        400, "address", before);
    check_problem(f,
                  post(R"({"name":"A","vendor":"omada","address":"10.0.0.2",)"
                       R"("secret":"s3cret-radius","coa_port":70000})"),
                  400, "coa_port", before);
    check_problem(f,
                  post(R"({"name":"A","vendor":"omada","address":"10.0.0.2",)"
                       R"("secret":"s3cret-radius","colour":"red"})"),
                  400, "colour", before);
    check_problem(f,
                  post(R"({"name":"A","vendor":"omada","address":"10.0.0.2",)"
                       R"("secret":"s3cret-radius","timezone":"berlin"})"),
                  400, "timezone", before);
    check_problem(f, post(R"({"name":42})"), 400, "name", before);
    // A second NAS with the same address clashes.
    REQUIRE(post(kLobby).status == 201);
    const auto after_one = f.log_size();
    check_problem(f,
                  post(R"({"name":"Other","vendor":"omada","address":"10.0.0.1",)"
                       R"("secret":"s3cret-radius"})"),
                  409, "address", after_one);
    check_problem(f, f.call("PATCH", "/v1/hotspot/nas/lobby-ap", R"({"nas_id":"x"})"), 400,
                  "nas_id", after_one);
    check_problem(f, f.call("PATCH", "/v1/hotspot/nas/lobby-ap", R"({"secret":""})"), 400, "secret",
                  after_one);
}

TEST_CASE("a NAS POST retried with the same Idempotency-Key defines nothing new") {
    HotspotFixture f;
    auto first = f.post_once("/v1/hotspot/nas", kLobby, "nas-1");
    REQUIRE_MESSAGE(first.status == 201, first.body);
    const auto size = f.log_size();
    auto again = f.post_once("/v1/hotspot/nas", kLobby, "nas-1");
    CHECK_MESSAGE(again.status == 200, again.body);
    CHECK(f.log_size() == size);
    simdjson::dom::parser p;
    CHECK(str(parse_json(p, again.body), "nas_id") == "lobby-ap");
    // Another request with the same id is a clash, not a retry.
    CHECK(f.post_once("/v1/hotspot/nas", kLobby, "nas-2").status == 409);
    CHECK(f.log_size() == size);
}

TEST_CASE("a reseller manages its own NAS, which another reseller does not see") {
    HotspotFixture f;
    const auto r1 = f.user("res1", "reseller");
    const auto r2 = f.user("res2", "reseller");
    const auto cust = f.user("cust", "customer");
    auto mine = f.as(r1, "POST", "/v1/hotspot/nas",
                     R"({"nas_id":"r1-ap","name":"R1 AP","vendor":"omada","address":"10.1.0.0/24",)"
                     R"("secret":"r1-secret-123"})");
    REQUIRE_MESSAGE(mine.status == 201, mine.body);
    simdjson::dom::parser p;
    const auto owner = str(parse_json(p, mine.body), "owner_path");
    CHECK(owner != "/");
    CHECK(num(parse_json(p, mine.body), "coa_port") == 3799);  // RFC 5176 for Omada
    REQUIRE(f.call("POST", "/v1/hotspot/nas", kLobby).status == 201);

    CHECK(f.as(r1, "GET", "/v1/hotspot/nas/r1-ap").status == 200);
    CHECK(f.as(r2, "GET", "/v1/hotspot/nas/r1-ap").status == 404);
    CHECK(f.as(r2, "PATCH", "/v1/hotspot/nas/r1-ap", R"({"site":"x"})").status == 404);
    CHECK(f.as(r2, "POST", "/v1/hotspot/nas/r1-ap/disable").status == 404);
    CHECK(f.as(r1, "GET", "/v1/hotspot/nas/lobby-ap").status == 404);  // the operator's
    CHECK(f.as(cust, "GET", "/v1/hotspot/nas").status == 403);
    auto l1 = f.as(r1, "GET", "/v1/hotspot/nas");
    CHECK(l1.body.find("r1-ap") != std::string::npos);
    CHECK(l1.body.find("lobby-ap") == std::string::npos);
    auto l2 = f.as(r2, "GET", "/v1/hotspot/nas");
    CHECK(l2.body.find("r1-ap") == std::string::npos);
    auto all = f.call("GET", "/v1/hotspot/nas");
    CHECK(all.body.find("r1-ap") != std::string::npos);
    CHECK(all.body.find("lobby-ap") != std::string::npos);
    CHECK(f.as(r1, "PATCH", "/v1/hotspot/nas/r1-ap", R"({"site":"Cafe"})").status == 200);
}

TEST_CASE(
    "the module reads the RADIUS dictionary and the vendor profiles, and starts without a "
    "dictionary") {
    HotspotFixture f;
    REQUIRE(f.hotspot->vendors());
    for (const char* vendor :
         {"mikrotik", "omada", "ruijie", "meraki", "chillispot", "cisco", "generic"})
        CHECK(f.hotspot->vendors()->find(vendor) != nullptr);
    if (!std::filesystem::exists("/usr/share/freeradius/dictionary")) {
        switchyard::testing::skip("freeradius-common is not installed (/usr/share/freeradius)");
        return;
    }
    REQUIRE(f.hotspot->dictionary());
    CHECK(f.hotspot->dictionary()->attribute("Mikrotik-Rate-Limit") != nullptr);
    CHECK(f.hotspot->dictionary()->attribute("WISPr-Bandwidth-Max-Up") != nullptr);
    CHECK(f.hotspot->api_state().dictionary == f.hotspot->dictionary());

    // Without a dictionary the module starts (and logs a warning); profiles are not checked.
    app::ModuleHost host{*f.store, *f.runner, f.clock, f.keyring, *f.ctx, "op"};
    app::HotspotModule bare;
    bare.options.dictionary = (f.dir.path() / "no-dictionary").string();
    auto started = bare.start(host);
    REQUIRE_MESSAGE(started, (started ? "" : started.error().message));
    CHECK_FALSE(bare.dictionary());
    CHECK(bare.vendors()->find("mikrotik") != nullptr);

    // Missing vendor profiles stop the start, naming the file.
    app::HotspotModule empty;
    empty.options.config_dir = f.dir.path().string();
    auto failed = empty.start(host);
    REQUIRE_FALSE(failed);
    CHECK((failed.error().field + " " + failed.error().message).find("mikrotik.json") !=
          std::string::npos);
}

TEST_CASE("/readyz lists each NAS's reachability, heard from its accounting, without failing") {
    HotspotFixture f;
    REQUIRE(f.call("POST", "/v1/hotspot/nas",
                   R"({"name":"Lobby AP","vendor":"mikrotik","address":"192.0.2.10",)"
                   R"("secret":"s3cret-radius"})")
                .status == 201);
    // /readyz answers 503 while a read model is behind the log (the append just made); it
    // turns 200 once they caught up.
    auto ready = [&f] {
        auto r = f.call("GET", "/readyz", {}, false);
        for (int i = 0; i < 100 && r.status == 503; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            r = f.call("GET", "/readyz", {}, false);
        }
        REQUIRE_MESSAGE(r.status == 200, r.body);
        return r.body;
    };
    {
        const auto body = ready();
        simdjson::dom::parser p;
        auto nas = parse_json(p, body)["hotspot_nas"].get_array();
        REQUIRE(nas.error() == simdjson::SUCCESS);
        REQUIRE(nas.value().size() == 1);
        auto first = nas.value().at(0);
        CHECK(str(first, "nas_id") == "lobby-ap");
        CHECK(str(first, "state") == "unknown");  // never heard, never tried
        CHECK(first["last_heard_at"].is_null());
    }
    // The enforcer follows the log and hears the NAS in its accounting.
    if (!std::filesystem::exists("/usr/share/freeradius/dictionary")) {
        switchyard::testing::skip("no FreeRADIUS dictionary (Debian freeradius-common)");
        return;
    }
    REQUIRE(f.hotspot->start_workers(*f.host));
    REQUIRE(
        f.call("POST", "/v1/hotspot/plans", R"({"name":"Hour","duration_seconds":3600})").status ==
        201);
    REQUIRE(f.call("POST", "/v1/hotspot/accounts",
                   R"({"username":"alice","password":"wonderland1","plan_id":"hour"})")
                .status == 201);
    auto start = f.call("POST", "/radius/user/alice/sessions/u1?action=accounting",
                        R"({"User-Name":{"type":"string","value":["alice"]},)"
                        R"("Acct-Status-Type":{"type":"integer","value":["Start"]},)"
                        R"("Acct-Session-Id":{"type":"string","value":["81000001"]},)"
                        R"("Acct-Unique-Session-Id":{"type":"string","value":["u1"]},)"
                        R"("NAS-IP-Address":{"type":"ipaddr","value":["192.0.2.10"]}})");
    REQUIRE_MESSAGE(start.status == 204, start.body);
    std::string state;
    for (int i = 0; i < 100 && state != "reachable"; ++i) {
        const auto body = ready();
        simdjson::dom::parser p;
        state = std::string(str(parse_json(p, body)["hotspot_nas"].at(0), "state"));
        if (state != "reachable") std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(state == "reachable");
    const auto body = ready();
    simdjson::dom::parser p;
    CHECK(str(parse_json(p, body)["hotspot_nas"].at(0), "last_heard_from") == "accounting");
}
