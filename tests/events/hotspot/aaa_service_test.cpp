// AaaService on the memory log: the rlm_rest decisions of authorize, authenticate, post-auth and
// accounting for a MikroTik NAS and a 1 hour / 1 GB plan, answered with the status codes and
// bodies rlm_rest maps to its results; the first login recorded after an Accept; a quota
// crossing found from interim accounting recorded as MarkExhausted, after which authorize
// refuses; unknown NAS and bad bodies refused naming the attribute.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "events/hotspot/aaa_service.hpp"
#include "events/memory_event_store.hpp"
#include "tests/core/hotspot/hotspot_fixtures.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::hotspot;
using namespace switchyard::events::hotspot;
using switchyard::testing::hotspot::at;

namespace {

struct Fixture {
    std::unique_ptr<events::EventStore> store = events::make_memory_event_store();
    events::MasterKeyring keyring = events::MasterKeyring::generate();
    HotspotService hotspot{*store, "op", keyring};
    SessionService sessions{*store, "op"};
    VendorProfiles profiles = *load_vendor_profiles(std::string(SY_CONFIG_DIR) + "/hotspot/vendors",
                                                    [](std::string_view) { return true; });
    AaaService aaa{hotspot, sessions, profiles};

    Fixture() {
        auto n = switchyard::testing::hotspot::lobby();
        n.secret_sealed.clear();
        REQUIRE(
            hotspot.execute(DefineNas{n, "radius-s3cret-16ch", DefineMode::Create, "n1"}, at()));
        REQUIRE(hotspot.execute(
            DefinePlan{switchyard::testing::hotspot::hour(), DefineMode::Create, "p1"}, at()));
        Account a;
        a.username = "alice";
        a.plan_id = "1h";
        REQUIRE(hotspot.execute(CreateAccount{a, "wonderland1", "a1"}, at()));
        REQUIRE(aaa.start());
    }

    AaaAnswer call(RestAction action, const std::string& body, std::int64_t seconds = 10) {
        return aaa.handle(action, body, "alice", at(seconds));
    }
};

std::string access_body(const std::string& user, const std::string& nas_ip,
                        const std::string& password = "") {
    std::string b = R"({"User-Name":{"type":"string","value":[")" + user +
                    R"("]},"NAS-IP-Address":{"type":"ipaddr","value":[")" + nas_ip +
                    R"("]},"Calling-Station-Id":{"type":"string","value":["AA-BB-CC-DD-EE-01"]})";
    if (!password.empty())
        b += R"(,"User-Password":{"type":"string","value":[")" + password + R"("]})";
    return b + "}";
}

std::string acct_body(const std::string& status, const std::string& id, std::int64_t out_octets,
                      std::int64_t out_gigawords, std::int64_t seconds,
                      const std::string& nas_ip = "192.0.2.10") {
    return R"({"User-Name":{"type":"string","value":["alice"]},)"
           R"("Acct-Status-Type":{"type":"integer","value":[")" +
           status +
           R"("]},"Acct-Session-Id":{"type":"string","value":["81000001"]},)"
           R"("Acct-Unique-Session-Id":{"type":"string","value":[")" +
           id + R"("]},"NAS-IP-Address":{"type":"ipaddr","value":[")" + nas_ip +
           R"("]},"Acct-Input-Octets":{"type":"integer","value":[1000]},)"
           R"("Acct-Output-Octets":{"type":"integer","value":[)" +
           std::to_string(out_octets) +
           R"(]},"Acct-Output-Gigawords":{"type":"integer","value":[)" +
           std::to_string(out_gigawords) + R"(]},"Acct-Session-Time":{"type":"integer","value":[)" +
           std::to_string(seconds) + "]}}";
}

boost::json::value json(const std::string& text) { return boost::json::parse(text); }

}  // namespace

TEST_CASE("authorize accepts with Cleartext-Password and the MikroTik plan attributes") {
    Fixture f;
    auto r = f.call(RestAction::Authorize, access_body("alice", "192.0.2.10"));
    CHECK(r.answer.status == 200);
    const auto body = json(r.answer.body).as_object();
    CHECK(body.at("control:Cleartext-Password").at("value") == "wonderland1");
    CHECK(body.at("reply:Mikrotik-Rate-Limit").at("value") == "512k/2048k");
    CHECK(body.at("reply:Session-Timeout").at("value") == 3600);
    CHECK(body.at("reply:Mikrotik-Total-Limit").at("value") == 1'000'000'000);
}

TEST_CASE("refusals answer 401 with the Reply-Message saying why") {
    Fixture f;
    auto unknown_nas = f.call(RestAction::Authorize, access_body("alice", "198.51.100.7"));
    CHECK(unknown_nas.answer.status == 401);
    CHECK(json(unknown_nas.answer.body).at("reply:Reply-Message").at("value") ==
          "This access point is not registered.");
    auto unknown_user = f.call(RestAction::Authorize, access_body("mallory", "192.0.2.10"));
    CHECK(unknown_user.answer.status == 401);
    CHECK(unknown_user.decision.reason == RejectReason::UnknownUser);
    auto wrong = f.call(RestAction::Authenticate, access_body("alice", "192.0.2.10", "guess"));
    CHECK(wrong.answer.status == 401);
    CHECK(json(wrong.answer.body).at("reply:Reply-Message").at("value") == "Wrong password.");
    auto right =
        f.call(RestAction::Authenticate, access_body("alice", "192.0.2.10", "wonderland1"));
    CHECK(right.answer.status == 204);
}

TEST_CASE("post-auth records the first login once, starting the plan's hour") {
    Fixture f;
    auto r = f.call(RestAction::PostAuth, access_body("alice", "192.0.2.10"), 100);
    CHECK(r.answer.status == 204);
    auto a = f.hotspot.account("alice");
    REQUIRE(a);
    REQUIRE(a->first_login_at);
    CHECK(*a->first_login_at == at(100).now);
    REQUIRE(a->expires_at);
    CHECK(*a->expires_at == at(100 + 3600).now);
    // A second login does not move the clock.
    REQUIRE(f.call(RestAction::PostAuth, access_body("alice", "192.0.2.10"), 200).answer.status ==
            204);
    CHECK(*f.hotspot.account("alice")->first_login_at == at(100).now);
}

TEST_CASE("an interim update reaching 1 GB marks the account exhausted and authorize refuses") {
    Fixture f;
    REQUIRE(f.call(RestAction::Accounting, acct_body("Start", "s1", 0, 0, 0), 10).answer.status ==
            204);
    // 999,998,999 out + 1,000 in = 1 byte short of 1 GB: not crossed yet.
    auto at_limit =
        f.call(RestAction::Accounting, acct_body("Interim-Update", "s1", 999'998'999, 0, 60), 70);
    CHECK(at_limit.answer.status == 204);
    CHECK(at_limit.crossed.empty());
    // Exactly 1 GB: nothing left (enforcement.cpp: remaining <= 0 is used up).
    auto past =
        f.call(RestAction::Accounting, acct_body("Interim-Update", "s1", 999'999'000, 0, 120), 130);
    CHECK(past.answer.status == 204);
    CHECK(past.crossed == std::vector<std::string>{"data_used"});
    CHECK(f.hotspot.account("alice")->status == AccountStatus::Exhausted);
    auto refused = f.call(RestAction::Authorize, access_body("alice", "192.0.2.10"), 140);
    CHECK(refused.answer.status == 401);
    CHECK(json(refused.answer.body).at("reply:Reply-Message").at("value") ==
          "Your data quota is used up.");
}

TEST_CASE("accounting: gigawords count, a repeat appends nothing, backwards counters are 400") {
    Fixture f;
    REQUIRE(f.call(RestAction::Accounting, acct_body("Start", "s1", 0, 0, 0)).answer.status == 204);
    auto a = f.call(RestAction::Accounting, acct_body("Interim-Update", "s1", 7, 0, 60));
    CHECK(a.accounting.events.size() == 1);
    auto repeat = f.call(RestAction::Accounting, acct_body("Interim-Update", "s1", 7, 0, 60));
    CHECK(repeat.answer.status == 204);
    CHECK(repeat.accounting.events.empty());
    auto back = f.call(RestAction::Accounting, acct_body("Interim-Update", "s1", 3, 0, 90));
    CHECK(back.answer.status == 400);
    CHECK(json(back.answer.body).at("field") == "Acct-Output-Octets");
    CHECK(f.sessions.usage("alice").usage == Usage{1000, 7, 60});
}

TEST_CASE("bad bodies and an unknown NAS are refused naming why") {
    Fixture f;
    auto not_json = f.call(RestAction::Authorize, "{nope");
    CHECK(not_json.answer.status == 400);
    CHECK(json(not_json.answer.body).at("field") == "body");
    auto no_user = f.call(RestAction::Authorize,
                          R"({"NAS-IP-Address":{"type":"ipaddr","value":["192.0.2.10"]}})");
    CHECK(no_user.answer.status == 400);
    CHECK(json(no_user.answer.body).at("field") == "User-Name");
    auto wrong_type = f.call(RestAction::Accounting,
                             R"({"Acct-Status-Type":{"type":"integer","value":[{"x":1}]}})");
    CHECK(wrong_type.answer.status == 400);
    CHECK(json(wrong_type.answer.body).at("field") == "Acct-Status-Type");
    auto nas = f.call(RestAction::Accounting, acct_body("Start", "s9", 0, 0, 0, "203.0.113.9"));
    CHECK(nas.answer.status == 401);
    CHECK(json(nas.answer.body).at("reply:Reply-Message").at("value") ==
          "This access point is not registered.");
    CHECK(f.sessions.usage("alice").active_sessions == 0);
}

TEST_CASE("a GET authorize of a stock configuration (no body) answers from the User-Name") {
    Fixture f;
    auto r = f.aaa.handle(RestAction::Authorize, "", "alice", at(10));
    CHECK(r.answer.status == 200);
    CHECK(json(r.answer.body).at("control:Cleartext-Password").at("value") == "wonderland1");
    auto none = f.aaa.handle(RestAction::Accounting, "", "alice", at(10));
    CHECK(none.answer.status == 400);
}

TEST_CASE("a voucher's code logs in as username and password, and post-auth redeems it once") {
    Fixture f;
    VoucherBatch b;
    b.batch_id = "dec";
    b.plan_id = "1h";
    b.count = 2;
    b.prefix = "HT";
    b.length = 8;
    auto gen = f.hotspot.execute(GenerateVoucherBatch{b, {}, "g1"}, at());
    REQUIRE(gen);
    REQUIRE(gen->codes.size() == 2);
    const auto code = gen->codes[0];

    // Before anything is redeemed, authorize answers the plan's attributes with the code as
    // its password, and appends nothing.
    const auto before = f.store->head();
    auto r = f.aaa.handle(RestAction::Authorize, access_body(code, "192.0.2.10"), code, at(20));
    CHECK(r.answer.status == 200);
    const auto body = json(r.answer.body).as_object();
    CHECK(body.at("control:Cleartext-Password").at("value").as_string() == code);
    CHECK(body.at("reply:Mikrotik-Rate-Limit").at("value") == "512k/2048k");
    CHECK(f.store->head() == before);
    CHECK(f.hotspot.voucher(code)->voucher.state == VoucherState::Unused);
    CHECK_FALSE(f.hotspot.account(code));

    // A wrong password typed with the code is refused (authenticate).
    auto wrong = f.aaa.handle(RestAction::Authenticate, access_body(code, "192.0.2.10", "NOPE"),
                              code, at(20));
    CHECK(wrong.answer.status == 401);

    // post-auth (the Access-Accept went out) redeems it: an account named after the code,
    // whose hour starts now; a retransmitted post-auth changes nothing.
    REQUIRE(f.aaa.handle(RestAction::PostAuth, access_body(code, "192.0.2.10"), code, at(30))
                .answer.status == 204);
    CHECK(f.hotspot.voucher(code)->voucher.state == VoucherState::Active);
    auto a = f.hotspot.account(code);
    REQUIRE(a);
    CHECK(a->voucher_code == code);
    REQUIRE(a->expires_at);
    CHECK(*a->expires_at == at(30 + 3600).now);
    const auto after = f.store->head();
    REQUIRE(f.aaa.handle(RestAction::PostAuth, access_body(code, "192.0.2.10"), code, at(31))
                .answer.status == 204);
    CHECK(f.store->head() == after);
    // The next login is the account's: its password is still the code.
    auto again = f.aaa.handle(RestAction::Authorize, access_body(code, "192.0.2.10"), code, at(40));
    CHECK(again.answer.status == 200);
    CHECK(json(again.answer.body).at("control:Cleartext-Password").at("value").as_string() == code);

    // A revoked batch's unused code is refused with the reason.
    REQUIRE(f.hotspot.execute(RevokeVoucherBatch{"dec", "lost", "r1"}, at(50)));
    const auto other = gen->codes[1];
    auto revoked =
        f.aaa.handle(RestAction::Authorize, access_body(other, "192.0.2.10"), other, at(60));
    CHECK(revoked.answer.status == 401);
    CHECK(json(revoked.answer.body).at("reply:Reply-Message").at("value").as_string() ==
          "Voucher '" + other + "' is revoked.");
    // A code of no batch is an unknown user.
    auto none = f.aaa.handle(RestAction::Authorize, access_body("HT3333333", "192.0.2.10"),
                             "HT3333333", at(60));
    CHECK(none.answer.status == 401);
    CHECK(none.decision.reason == RejectReason::UnknownUser);
}
