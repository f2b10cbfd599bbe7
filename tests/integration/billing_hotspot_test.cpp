// An unpaid hotspot subscription ends the session on the NAS, end to end with real components:
// a RocksDB log, the hotspot enforcer sending RFC 5176 requests to a real FreeRADIUS 3.2
// playing the NAS's Dynamic Authorization listener, the ledger and subscriptions, and the
// billing enforcer with the hotspot's service switch. The renewal the wallet cannot pay
// suspends the subscription (grace 0); the account is disabled and its open session gets a
// Disconnect-Request the NAS acknowledges; paying enables the account again. The time from the
// suspension event to the NAS's acknowledgement is printed (bench/README.md).
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>

#include <fmt/format.h>

#include "adapters/radius/dictionary_loader.hpp"
#include "adapters/radius/enforcer.hpp"
#include "adapters/radius/nas_health.hpp"
#include "app/modules/billing_enforcer.hpp"
#include "app/modules/service_switches.hpp"
#include "core/hotspot/account_decider.hpp"
#include "core/hotspot/catalog_decider.hpp"
#include "core/hotspot/dae.hpp"
#include "core/hotspot/session.hpp"
#include "events/billing/ledger_service.hpp"
#include "events/billing/subscription_service.hpp"
#include "events/command_handler.hpp"
#include "events/hotspot/dae_codec.hpp"
#include "events/hotspot/session_codec.hpp"
#include "events/rocksdb/rocksdb_event_store.hpp"
#include "tests/support/freeradius_nas.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/wait_until.hpp"

using namespace switchyard;
using namespace switchyard::core::hotspot;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
namespace billing = switchyard::core::billing;

namespace {

core::DecisionContext ctx_at(core::Timestamp now) {
    core::DecisionContext c;
    c.now = now;
    c.actor = core::Actor{core::ActorKind::User, "staff", ""};
    c.correlation_id = "billing-hotspot-test";
    return c;
}

}  // namespace

TEST_CASE("an unpaid hotspot subscription disconnects the session on the NAS, paying restores") {
    if (!fs::exists(testing::freeradius_binary()) ||
        !fs::exists("/usr/share/freeradius/dictionary")) {
        testing::skip("freeradius is not installed (apt-get install freeradius)");
        return;
    }
    testing::TempDir dir;
    testing::FakeNas nas{dir.path()};
    fs::create_directories(dir.path() / "log");
    auto opened = events::open_rocksdb_event_store(dir.path() / "log");
    REQUIRE(opened);
    auto& store = **opened;
    core::SystemClock clock;
    auto now = [&] { return ctx_at(clock.now()); };
    auto dictionary = adapters::radius::load_dictionary();
    REQUIRE(dictionary);
    events::MasterKeyring keyring = events::MasterKeyring::generate();
    events::hotspot::HotspotService hotspot(store, "op", keyring);
    auto profiles = events::hotspot::load_vendor_profiles(
        fs::path(SY_CONFIG_DIR) / "hotspot/vendors",
        [&](std::string_view n) { return dictionary->attribute(n) != nullptr; });
    REQUIRE(profiles);

    // The NAS, a one-day plan, the account and its open session.
    Nas n;
    n.nas_id = "lobby";
    n.name = "Lobby";
    n.vendor = Vendor::Generic;
    n.address = "127.0.0.1";
    n.coa_port = nas.port();
    REQUIRE(hotspot.execute(DefineNas{n, testing::kSecret, DefineMode::Create, "nas"}, now()));
    Plan day;
    day.plan_id = "day";
    day.name = "Day pass";
    day.duration_seconds = 86'400;
    REQUIRE(hotspot.execute(DefinePlan{day, DefineMode::Create, "plan-day"}, now()));
    CreateAccount account;
    account.account.username = "gina";
    account.account.plan_id = "day";
    account.password = "pw-gina-123";
    account.command_id = "acc-gina";
    REQUIRE(hotspot.execute(account, now()));
    adapters::radius::DaeClient dae(*dictionary);
    adapters::radius::NasHealth health;
    adapters::radius::EnforcerOptions o;
    o.workers = 2;
    o.max_timer_wait = 50ms;
    o.health = &health;
    adapters::radius::Enforcer radius_enforcer(store, hotspot, *profiles, dae, clock, o);
    radius_enforcer.start();
    Session s;
    s.unique_id = fmt::format("{:032x}", 0xb111);
    s.acct_session_id = "81000001";
    s.username = "gina";
    s.nas_id = "lobby";
    s.nas_ip = "192.0.2.10";
    s.framed_ip = "10.5.0.21";
    s.calling_station_id = "aa:bb:cc:dd:ee:01";
    s.started_at = s.updated_at = clock.now();
    s.counters = {1000, 2000, 10};
    REQUIRE(store.append(
        {{"hotspot_sessions-lobby",
          events::ExpectedRevision::any(),
          {events::make_new_event(events::hotspot::encode(SessionEvent{SessionStarted{s}}), now(),
                                  "op")}}}));
    REQUIRE(radius_enforcer.wait_idle(10s));

    // Billing: the day pass sold monthly from a wallet holding one month, no grace.
    events::billing::LedgerService ledger(store, "op");
    events::billing::SubscriptionService subscriptions(store, ledger, "op");
    billing::Plan plan;
    plan.plan_id = "hotspot-monthly";
    plan.name = "Hotspot monthly";
    plan.line = "hotspot";
    plan.grace_days = 0;
    plan.prices = {{"EUR", 9'000'000, 0}};
    REQUIRE(subscriptions.define_plan(plan, now()));
    REQUIRE(ledger.open_account({"wallet:gina", "EUR", 0}, now()));
    REQUIRE(ledger.post({"top-up-1",
                         "EUR",
                         "top-up",
                         "",
                         "",
                         {{"gateway_clearing:bank", 9'000'000, 0}, {"wallet:gina", 0, 9'000'000}}},
                        now()));
    billing::CreateSubscription c;
    c.terms = {"sub-gina", "gina", "EUR", "wallet:gina", "gina"};
    c.plan_id = "hotspot-monthly";
    REQUIRE(subscriptions.create(c, now()));

    std::map<std::string, app::ServiceSwitch> switches{
        {"hotspot", app::hotspot_service_switch(hotspot)}};
    app::ServiceEnforcer enforcer(store, subscriptions, switches, nullptr, clock);
    enforcer.start();

    // The period end, as the renewal worker sees it: the wallet is empty, so suspended.
    const auto period_end = subscriptions.subscription("sub-gina")->first.period_end;
    REQUIRE(subscriptions.advance("sub-gina", ctx_at(period_end)));
    const auto suspended_at = clock.now();  // the event's time in the log (advance's ctx) is
                                            // the period end; latency counts from its append
    CHECK(subscriptions.subscription("sub-gina")->first.status ==
          billing::SubscriptionStatus::Suspended);

    // The NAS receives a Disconnect-Request for the session and acknowledges it.
    auto completed = [&] {
        auto r = store.read_stream(dae_stream("op", s.unique_id), 0, 100);
        REQUIRE(r);
        for (const auto& e : *r)
            if (e.type == DaeCompleted::kType) return std::optional<core::Timestamp>{e.time};
        return std::optional<core::Timestamp>{};
    };
    REQUIRE(testing::wait_until([&] { return completed().has_value(); }, 10'000ms));
    const auto acked = *completed();
    const auto received = nas.received();
    REQUIRE(received.size() == 1);
    CHECK(received[0].get("Acct-Session-Id") == s.acct_session_id);
    CHECK(received[0].get("User-Name") == "gina");
    CHECK(hotspot.account("gina")->status == AccountStatus::Disabled);
    MESSAGE("suspension to Disconnect-ACK: ",
            std::chrono::duration_cast<std::chrono::microseconds>(acked - suspended_at).count(),
            " us");

    // Paying: the account is enabled again (FreeRADIUS accepts its next Access-Request).
    REQUIRE(ledger.post({"top-up-2",
                         "EUR",
                         "top-up",
                         "",
                         "",
                         {{"gateway_clearing:bank", 9'000'000, 0}, {"wallet:gina", 0, 9'000'000}}},
                        now()));
    REQUIRE(subscriptions.renew("sub-gina", now()));
    CHECK(testing::wait_until(
        [&] { return hotspot.account("gina")->status == AccountStatus::Active; }, 10'000ms));
    enforcer.stop();
    radius_enforcer.stop();
}
