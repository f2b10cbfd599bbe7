// Hotspot controllers of a tenant: given events / when command / then events or an error naming
// the field (400) or the clash (409), and the idempotency of definitions by command id.
#include <doctest/doctest.h>

#include "core/hotspot/controller_decider.hpp"
#include "tests/core/hotspot/hotspot_fixtures.hpp"
#include "tests/support/decider_checks.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::hotspot;
using core::Errc;
using core::Result;
using switchyard::testing::check_idempotent;
using switchyard::testing::error_of;
using switchyard::testing::given;
using switchyard::testing::hotspot::at;

namespace {

ControllerDefinition router(std::string id = "lobby", std::string address = "10.0.0.1") {
    ControllerDefinition c;
    c.controller_id = std::move(id);
    c.name = "Lobby router";
    c.vendor = ControllerVendor::Mikrotik;
    c.address = std::move(address);
    c.username = "admin";
    c.password_sealed = "sy1:k:sealed";
    return c;
}

ControllerDefinition omada() {
    ControllerDefinition c;
    c.controller_id = "pool";
    c.name = "Pool";
    c.vendor = ControllerVendor::Omada;
    c.base_url = "https://10.0.0.2:8043";
    c.omadac_id = "de382a0e78f4deb681f3128c3e75dbd1";
    c.site_id = "640effd1b3f2ae5b912275ec";
    c.client_id = "185586e0df424f5ea938de13cba91e01";
    return c;
}

DefineController define(ControllerDefinition c, ControllerSecrets s = {.password = "secret"},
                        std::string command_id = "c1") {
    return {std::move(c), std::move(s), DefineMode::Create, std::move(command_id)};
}

Result<std::vector<ControllerEvent>> when(const ControllerState& s, const DefineController& c,
                                          const CatalogState& catalog = {}) {
    return decide(s, catalog, c, at());
}

}  // namespace

TEST_CASE("the controller vendor wire names and the RouterOS API ports") {
    ControllerVendor v{};
    CHECK(parse_controller_vendor("omada", v));
    CHECK(v == ControllerVendor::Omada);
    CHECK_FALSE(parse_controller_vendor("ruijie", v));
    auto c = router();
    CHECK(api_port(c) == 8728);  // RouterOS `api` service
    c.tls = true;
    CHECK(api_port(c) == 8729);  // `api-ssl`
    c.port = 18728;
    CHECK(api_port(c) == 18728);
}

TEST_CASE("a controller is defined once per command id") {
    auto twice = check_idempotent(
        ControllerState{}, [](const ControllerState& s) { return when(s, define(router())); });
    REQUIRE(twice.first.size() == 1);
    CHECK(std::get<ControllerDefined>(twice.first[0]).controller == router());
    CHECK(twice.state.controllers.count("lobby") == 1);
}

TEST_CASE("bad definitions name their field") {
    auto field = [](ControllerDefinition c, ControllerSecrets s = {.password = "secret"}) {
        return error_of(when(ControllerState{}, define(std::move(c), std::move(s)))).field;
    };
    auto c = router();
    c.controller_id = "Lobby!";
    CHECK(field(c) == "controller_id");
    c = router();
    c.address.clear();
    CHECK(field(c) == "address");
    c.address = "bad address";
    CHECK(field(c) == "address");
    CHECK(field(router(), {}) == "password");
    c = router();
    c.username.clear();
    CHECK(field(c) == "username");
    c = router();
    c.timeout_ms = 200000;
    CHECK(field(c) == "timeout_ms");
    c = router();
    c.nas_id = "nope";
    CHECK(field(c) == "nas_id");
    auto o = omada();
    o.base_url = "10.0.0.2:8043";
    CHECK(field(o, {.client_secret = "s"}) == "base_url");
    o = omada();
    o.omadac_id = "not-hex";
    CHECK(field(o, {.client_secret = "s"}) == "omadac_id");
    CHECK(field(omada(), {}) == "client_secret");
    o = omada();
    o.operator_name = "operator";
    CHECK(field(o, {.client_secret = "s"}) == "operator_password");
    ControllerDefinition m;
    m.controller_id = "m";
    m.name = "M";
    m.vendor = ControllerVendor::Meraki;
    m.network_id = "N_24329156";
    CHECK(field(m, {}) == "api_key");
    m.ssid_number = 15;
    CHECK(field(m, {.api_key = "k"}) == "ssid_number");
}

TEST_CASE("a NAS of the controller's own reach may be named") {
    CatalogState catalog;
    Nas n;
    n.nas_id = "lobby-ap";
    n.owner_path = "/r1/";
    catalog.nas[n.nas_id] = n;
    auto c = router();
    c.nas_id = "lobby-ap";
    c.owner_path = "/r2/";
    CHECK(error_of(when(ControllerState{}, define(c), catalog)).field == "nas_id");
    c.owner_path = "/r1/";
    CHECK(when(ControllerState{}, define(c), catalog));
}

TEST_CASE("a taken id or a router another controller drives is a conflict") {
    const auto s =
        given<ControllerState>(std::vector<ControllerEvent>{ControllerDefined{router(), "c0"}});
    auto same_id = when(s, define(router("lobby", "10.0.0.9")));
    CHECK(error_of(same_id).code == Errc::Conflict);
    CHECK(error_of(same_id).field == "controller_id");
    auto same_router = when(s, define(router("other")));
    CHECK(error_of(same_router).code == Errc::Conflict);
    CHECK(error_of(same_router).field == "address");
    auto other_port = router("other");
    other_port.port = 8729;  // another API service of the same address is another endpoint
    CHECK(when(s, define(other_port)));
}

TEST_CASE("a change replaces the definition, and the same one changes nothing") {
    const auto s =
        given<ControllerState>(std::vector<ControllerEvent>{ControllerDefined{router(), "c0"}});
    auto changed = router();
    changed.site = "Annex";
    auto r =
        decide(s, CatalogState{}, DefineController{changed, {}, DefineMode::Update, "c2"}, at());
    REQUIRE(r);
    REQUIRE(r->size() == 1);
    CHECK(std::get<ControllerChanged>((*r)[0]).controller.site == "Annex");
    auto same =
        decide(s, CatalogState{}, DefineController{router(), {}, DefineMode::Update, "c3"}, at());
    REQUIRE(same);
    CHECK(same->empty());
    auto missing = decide(s, CatalogState{},
                          DefineController{router("nope"), {}, DefineMode::Update, "c4"}, at());
    CHECK(error_of(missing).code == Errc::NotFound);
}

TEST_CASE("operations and syncs are recorded for known controllers and folded as the last") {
    auto s =
        given<ControllerState>(std::vector<ControllerEvent>{ControllerDefined{router(), "c0"}});
    ControllerOperationRun run{"lobby", "create_user",
                               "guest", {false, "conflict", "", "failure: already have user"},
                               12,      ""};
    auto r = decide(s, RecordControllerOperation{run}, at());
    REQUIRE(r);
    evolve(s, (*r)[0]);
    CHECK(s.last.at("lobby").operation == "create_user");
    CHECK_FALSE(s.last.at("lobby").outcome.ok);
    run.controller_id = "gone";
    CHECK(error_of(decide(s, RecordControllerOperation{run}, at())).code == Errc::NotFound);
    run.controller_id = "lobby";
    run.operation = "reboot";
    CHECK(error_of(decide(s, RecordControllerOperation{run}, at())).field == "operation");
    ControllerSynced sync;
    sync.controller_id = "lobby";
    sync.added = {"guest"};
    auto synced = decide(s, RecordControllerSync{sync}, at());
    REQUIRE(synced);
    evolve(s, (*synced)[0]);
    CHECK(s.last.at("lobby").operation == "sync");
}

TEST_CASE("a removed controller is gone, and removing it again is NotFound") {
    auto s =
        given<ControllerState>(std::vector<ControllerEvent>{ControllerDefined{router(), "c0"}});
    auto twice = check_idempotent(s, [](const ControllerState& st) {
        return decide(st, RemoveController{"lobby", "r1"}, at());
    });
    CHECK(twice.state.controllers.empty());
    CHECK(error_of(decide(twice.state, RemoveController{"lobby", "r2"}, at())).code ==
          Errc::NotFound);
    // Its id may be defined again.
    CHECK(when(twice.state, define(router(), {.password = "secret"}, "c9")));
}
