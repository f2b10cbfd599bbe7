// The controller command side: secrets sealed per controller and field under the master key,
// kept on a change that gives none, sealed again after a key rotation; operations recorded.
#include "events/hotspot/controller_service.hpp"

#include <doctest/doctest.h>

#include "events/memory_event_store.hpp"
#include "tests/core/hotspot/hotspot_fixtures.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::hotspot;
using namespace switchyard::events::hotspot;
using switchyard::testing::hotspot::at;

namespace {

ControllerDefinition omada() {
    ControllerDefinition c;
    c.controller_id = "pool";
    c.name = "Pool Omada";
    c.vendor = ControllerVendor::Omada;
    c.base_url = "https://10.0.0.2:8043";
    c.omadac_id = "de382a0e78f4deb681f3128c3e75dbd1";
    c.site_id = "640effd1b3f2ae5b912275ec";
    c.client_id = "185586e0df424f5ea938de13cba91e01";
    c.operator_name = "operator";
    return c;
}

}  // namespace

TEST_CASE("controller secrets are sealed per field, kept on a change, sealed again on rotation") {
    auto store = events::make_memory_event_store();
    auto keyring = events::MasterKeyring::generate();
    HotspotService hotspot(*store, "op", keyring);
    ControllerService service(*store, hotspot, keyring);
    REQUIRE(service.execute(DefineController{omada(),
                                             {.client_secret = "767372a5258a4fc1a03c57f3d071fc35",
                                              .operator_password = "op-pass"},
                                             DefineMode::Create,
                                             "c1"},
                            at()));
    auto d = service.controller("pool").value();
    CHECK(d.client_secret_sealed.starts_with("sy1:"));
    CHECK(d.client_secret_sealed.find("767372a5") == std::string::npos);
    CHECK(service.secrets(d).value().client_secret == "767372a5258a4fc1a03c57f3d071fc35");
    CHECK(service.secrets(d).value().operator_password == "op-pass");
    CHECK_FALSE(service.secrets(d).value().api_key);
    // Bound to its field: it does not open as another field's secret.
    CHECK_FALSE(keyring.open(d.client_secret_sealed,
                             controller_secret_context("op", "pool", "operator_password")));

    // A change without secrets keeps the sealed ones.
    auto changed = d;
    changed.site = "Annex";
    REQUIRE(service.execute(DefineController{changed, {}, DefineMode::Update, "c2"}, at()));
    d = service.controller("pool").value();
    CHECK(d.site == "Annex");
    CHECK(service.secrets(d).value().operator_password == "op-pass");

    keyring.rotate();
    CHECK(service.reseal_secrets(at()).value() == 1);
    CHECK(service.reseal_secrets(at()).value() == 0);  // all under the current key now
    keyring.retire_old_keys();
    d = service.controller("pool").value();
    CHECK(keyring.sealed_with_current(d.client_secret_sealed));
    CHECK(service.secrets(d).value().client_secret == "767372a5258a4fc1a03c57f3d071fc35");

    ControllerOperationRun run{"pool", "test_connection", "", {}, 5, ""};
    REQUIRE(service.execute(RecordControllerOperation{run}, at()));
    CHECK(service.state().value().last.at("pool").operation == "test_connection");
    CHECK(testing::error_of(service.execute(RemoveController{"gone", "r"}, at())).code ==
          core::Errc::NotFound);
}
