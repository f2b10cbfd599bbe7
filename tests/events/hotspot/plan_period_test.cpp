// The allowance of an account counts from its current plan period: usage before a plan change
// (or a renewal of a spent account on the same plan) no longer counts against the new plan, an
// exhausted account moved to another plan logs in again, and the same answers come back after
// the services are rebuilt from the log (the base is in the plan-changed event, not the clock).
#include <doctest/doctest.h>

#include "events/hotspot/aaa_service.hpp"
#include "events/memory_event_store.hpp"
#include "tests/core/hotspot/hotspot_fixtures.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::hotspot;
using namespace switchyard::events::hotspot;
using switchyard::testing::hotspot::at;

namespace {

/// The services of one tenant over a given log.
struct Services {
    explicit Services(events::EventStore& store, const events::MasterKeyring& keyring)
        : hotspot(store, "op", keyring), sessions(store, "op") {
        hotspot.set_usage_source(
            [this](const std::string& username) { return sessions.usage(username).usage; });
    }
    HotspotService hotspot;
    SessionService sessions;
    VendorProfiles profiles = *load_vendor_profiles(std::string(SY_CONFIG_DIR) + "/hotspot/vendors",
                                                    [](std::string_view) { return true; });
    AaaService aaa{hotspot, sessions, profiles};
};

/// 1 hour / 1 GB ("1h") and a 2 GB plan without a time limit ("2g").
struct Fixture {
    std::unique_ptr<events::EventStore> store = events::make_memory_event_store();
    events::MasterKeyring keyring = events::MasterKeyring::generate();
    std::unique_ptr<Services> s = std::make_unique<Services>(*store, keyring);

    Fixture() {
        auto n = switchyard::testing::hotspot::lobby();
        n.secret_sealed.clear();
        REQUIRE(
            s->hotspot.execute(DefineNas{n, "radius-s3cret-16ch", DefineMode::Create, "n1"}, at()));
        REQUIRE(s->hotspot.execute(
            DefinePlan{switchyard::testing::hotspot::hour(), DefineMode::Create, "p1"}, at()));
        auto two = switchyard::testing::hotspot::hour();
        two.plan_id = "2g";
        two.name = "2 GB";
        two.duration_seconds.reset();
        two.data_limit_bytes = 2'000'000'000;
        REQUIRE(s->hotspot.execute(DefinePlan{two, DefineMode::Create, "p2"}, at()));
        Account a;
        a.username = "alice";
        a.plan_id = "1h";
        REQUIRE(s->hotspot.execute(CreateAccount{a, "wonderland1", "a1"}, at()));
        REQUIRE(s->aaa.start());
    }

    /// Rebuilds every service from the log, as a restart does.
    void restart() {
        s = std::make_unique<Services>(*store, keyring);
        REQUIRE(s->aaa.start());
    }

    AaaAnswer authorize(std::int64_t seconds) {
        return s->aaa.handle(RestAction::Authorize,
                             R"({"User-Name":{"type":"string","value":["alice"]},)"
                             R"("NAS-IP-Address":{"type":"ipaddr","value":["192.0.2.10"]}})",
                             "alice", at(seconds));
    }

    /// An accounting request for session `id` with `out` bytes downloaded (no upload).
    AaaAnswer acct(const std::string& status, const std::string& id, std::int64_t out,
                   std::int64_t seconds) {
        const auto body = R"({"User-Name":{"type":"string","value":["alice"]},)"
                          R"("Acct-Status-Type":{"type":"integer","value":[")" +
                          status + R"("]},"Acct-Session-Id":{"type":"string","value":[")" + id +
                          R"("]},"Acct-Unique-Session-Id":{"type":"string","value":[")" + id +
                          R"("]},"NAS-IP-Address":{"type":"ipaddr","value":["192.0.2.10"]},)"
                          R"("Acct-Input-Octets":{"type":"integer","value":[0]},)"
                          R"("Acct-Output-Octets":{"type":"integer","value":[)" +
                          std::to_string(out % 4294967296) +
                          R"(]},"Acct-Output-Gigawords":{"type":"integer","value":[)" +
                          std::to_string(out / 4294967296) +
                          R"(]},"Acct-Session-Time":{"type":"integer","value":[60]}})";
        return s->aaa.handle(RestAction::Accounting, body, "alice", at(seconds));
    }
};

}  // namespace

TEST_CASE("a plan change counts the new allowance from the usage at the change") {
    Fixture f;
    REQUIRE(f.acct("Start", "s1", 0, 10).answer.status == 204);
    // 1.2 GB used under the 1 GB plan: crossed, exhausted, refused.
    CHECK(f.acct("Interim-Update", "s1", 1'200'000'000, 70).crossed ==
          std::vector<std::string>{"data_used"});
    CHECK(f.acct("Stop", "s1", 1'200'000'000, 80).answer.status == 204);
    CHECK(f.authorize(90).answer.status == 401);
    CHECK(f.s->hotspot.account("alice")->status == AccountStatus::Exhausted);

    // Moved to the 2 GB plan: active again, 2 GB left (not 2 - 1.2 GB).
    REQUIRE(f.s->hotspot.execute(ChangePlan{"alice", "2g", "c1"}, at(100)));
    CHECK(f.s->hotspot.account("alice")->status == AccountStatus::Active);
    auto accepted = f.authorize(110);
    CHECK(accepted.answer.status == 200);
    INFO(accepted.answer.body);
    CHECK(accepted.answer.body.find(
              R"("reply:Mikrotik-Total-Limit":{"op":":=","do_xlat":false,"value":2000000000})") !=
          std::string::npos);

    // A second session: 1.9 GB under the new plan does not cross; 2 GB does.
    REQUIRE(f.acct("Start", "s2", 0, 120).answer.status == 204);
    CHECK(f.acct("Interim-Update", "s2", 1'900'000'000, 180).crossed.empty());
    CHECK(f.authorize(190).answer.status == 200);

    // Rebuilt from the log: the same base, the same answers.
    f.restart();
    CHECK(f.authorize(200).answer.status == 200);
    CHECK(f.acct("Interim-Update", "s2", 2'000'000'000, 240).crossed ==
          std::vector<std::string>{"data_used"});
    CHECK(f.authorize(250).answer.status == 401);
}

TEST_CASE("renewing a spent account on the same plan gives it the whole plan again") {
    Fixture f;
    REQUIRE(f.acct("Start", "s1", 0, 10).answer.status == 204);
    REQUIRE(f.acct("Stop", "s1", 1'000'000'000, 70).crossed ==
            std::vector<std::string>{"data_used"});
    REQUIRE(f.s->hotspot.execute(ChangePlan{"alice", "1h", "renew"}, at(100)));
    CHECK(f.authorize(110).answer.status == 200);
    REQUIRE(f.acct("Start", "s2", 0, 120).answer.status == 204);
    CHECK(f.acct("Interim-Update", "s2", 999'000'000, 180).crossed.empty());
    // Stacking 0.5 GB on top extends the period's allowance, it does not reset it.
    REQUIRE(f.s->hotspot.execute(ExtendAccount{"alice", 0, 500'000'000, 0, "", "x1"}, at(190)));
    CHECK(f.acct("Interim-Update", "s2", 1'499'000'000, 240).crossed.empty());
    CHECK(f.acct("Interim-Update", "s2", 1'500'000'000, 300).crossed ==
          std::vector<std::string>{"data_used"});
}
