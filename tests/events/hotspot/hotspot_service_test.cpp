// HotspotService on the memory log: secrets sealed at rest and opened for the RADIUS side,
// voucher codes drawn from the CSPRNG and unique in the tenant, redemption appended with the
// account atomically (two concurrent redemptions of one code make one account), tenants kept
// apart, every command idempotent by command id. The events it writes are kept for the schema
// check (schema:hotspot_events_match_schemas).
#include <doctest/doctest.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "events/envelope_codec.hpp"
#include "events/hotspot/hotspot_codec.hpp"
#include "events/hotspot/hotspot_service.hpp"
#include "events/memory_event_store.hpp"
#include "tests/core/hotspot/hotspot_fixtures.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::hotspot;
using events::hotspot::HotspotService;
using switchyard::testing::error_of;
using switchyard::testing::hotspot::at;

namespace {

struct Fixture {
    std::unique_ptr<events::EventStore> store = events::make_memory_event_store();
    events::MasterKeyring keyring = events::MasterKeyring::generate();
    HotspotService op{*store, "op", keyring};

    Fixture() {
        auto n = switchyard::testing::hotspot::lobby();
        n.secret_sealed.clear();
        REQUIRE(op.execute(DefineNas{n, "radius-s3cret-16ch", DefineMode::Create, "nas1"}, at()));
        REQUIRE(op.execute(
            DefinePlan{switchyard::testing::hotspot::hour(), DefineMode::Create, "p1"}, at()));
        REQUIRE(op.execute(
            DefinePlan{switchyard::testing::hotspot::day(), DefineMode::Create, "p2"}, at()));
    }

    /// Generates a batch of `count` vouchers of `plan_id`; its codes.
    std::vector<std::string> generate(const std::string& batch_id, std::int64_t count,
                                      const std::string& plan_id = "1d") {
        VoucherBatch b;
        b.batch_id = batch_id;
        b.plan_id = plan_id;
        b.count = count;
        b.prefix = "HX";
        b.length = 8;
        auto r = op.execute(GenerateVoucherBatch{b, {}, "gen-" + batch_id}, at());
        REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().field + " " + r.error().message));
        return r->codes;
    }

    /// Every recorded event of the log.
    std::vector<events::RecordedEvent> all() {
        auto r = store->read_all(events::Checkpoint{}, 100'000);
        REQUIRE(r);
        return *r;
    }
    /// The log's events of `type`.
    std::vector<events::RecordedEvent> of_type(std::string_view type) {
        std::vector<events::RecordedEvent> out;
        for (auto& e : all())
            if (e.type == type) out.push_back(e);
        return out;
    }
};

}  // namespace

TEST_CASE("a NAS secret is sealed in the log and opens only for its NAS and tenant") {
    Fixture f;
    const auto defined = f.of_type("hotspot.nas.defined");
    REQUIRE(defined.size() == 1);
    CHECK(defined[0].data.find("radius-s3cret-16ch") == std::string::npos);
    CHECK(defined[0].data.find("\"secret_sealed\":\"sy1:") != std::string::npos);
    CHECK(f.op.nas_secret("lobby").value() == "radius-s3cret-16ch");
    CHECK(error_of(f.op.nas_secret("ghost")).code == core::Errc::NotFound);
    // The sealed text is bound to tenant and NAS: another context does not open it.
    const auto sealed = f.op.nas("lobby")->secret_sealed;
    CHECK_FALSE(f.keyring.open(sealed, events::hotspot::nas_secret_context("op2", "lobby")));
    CHECK_FALSE(f.keyring.open(sealed, events::hotspot::nas_secret_context("op", "pool")));
    // The RADIUS side finds it by source address; the CoA port is MikroTik's default.
    auto nas = f.op.nas_by_address("192.0.2.10");
    REQUIRE(nas);
    CHECK(nas->nas_id == "lobby");
    CHECK(nas->coa_port == 1700);
    CHECK(error_of(f.op.nas_by_address("192.0.2.99")).field == "address");
    // Updating without a secret keeps it.
    auto renamed = *nas;
    renamed.name = "Lobby 2";
    renamed.secret_sealed.clear();
    REQUIRE(f.op.execute(DefineNas{renamed, "", DefineMode::Update, "nas2"}, at()));
    CHECK(f.op.nas_secret("lobby").value() == "radius-s3cret-16ch");
    CHECK(f.op.nas("lobby")->name == "Lobby 2");
}

TEST_CASE("an account's password is sealed in the log and opened for authorize") {
    Fixture f;
    CreateAccount c;
    c.account.username = "alice";
    c.account.plan_id = "1h";
    c.password = "correct horse";
    c.command_id = "acc-1";
    auto r = f.op.execute(c, at());
    REQUIRE(r);
    CHECK(r->changed);
    const auto created = f.of_type("hotspot.account.created");
    REQUIRE(created.size() == 1);
    CHECK(created[0].stream == "hotspot_account-op-alice");
    CHECK(created[0].data.find("correct horse") == std::string::npos);
    CHECK(f.op.account_password("alice").value() == "correct horse");
    CHECK(error_of(f.op.account_password("bob")).field == "username");
    // The same request again changes nothing.
    auto again = f.op.execute(c, at());
    REQUIRE(again);
    CHECK_FALSE(again->changed);
    CHECK(f.of_type("hotspot.account.created").size() == 1);
    // A password change, sealed too.
    REQUIRE(f.op.execute(ChangePassword{"alice", "battery staple", "", "pw-1"}, at()));
    CHECK(f.op.account_password("alice").value() == "battery staple");
    CHECK(f.of_type("hotspot.account.password_changed")[0].data.find("battery") ==
          std::string::npos);
    // A username that cannot be a stream name is refused naming it.
    CHECK(error_of(f.op.execute(BindMac{"a b", "", "m"}, at())).field == "username");
}

TEST_CASE(
    "a batch's codes are drawn from the alphabet, unique in the tenant, answered again on "
    "a retry") {
    Fixture f;
    const auto codes = f.generate("dec", 500);
    REQUIRE(codes.size() == 500);
    std::set<std::string> unique(codes.begin(), codes.end());
    CHECK(unique.size() == 500);
    std::map<char, int> seen;
    for (const auto& code : codes) {
        REQUIRE(valid_voucher_code(code, "HX", 8));
        for (char ch : code.substr(2)) ++seen[ch];
    }
    // 4,000 draws over 25 characters: every character shows (the chance that one is missing is
    // 25 x (24/25)^4000, about 1e-69).
    CHECK(seen.size() == 25);
    // A retry with the same command id answers the same batch and codes, appending nothing.
    const auto before = f.all().size();
    VoucherBatch b;
    b.batch_id = "ignored";
    b.plan_id = "1d";
    b.count = 500;
    b.prefix = "HX";
    b.length = 8;
    auto retry = f.op.execute(GenerateVoucherBatch{b, {}, "gen-dec"}, at());
    REQUIRE(retry);
    CHECK_FALSE(retry->changed);
    CHECK(retry->batch_id == "dec");
    std::set<std::string> again(retry->codes.begin(), retry->codes.end());
    CHECK(again == unique);
    CHECK(f.all().size() == before);
    // A second batch shares no code with the first.
    const auto second = f.generate("jan", 500);
    for (const auto& code : second) CHECK_FALSE(unique.count(code));
    // A batch without an id gets one.
    b.batch_id.clear();
    b.count = 1;
    auto named = f.op.execute(GenerateVoucherBatch{b, {}, "gen-x"}, at());
    REQUIRE(named);
    CHECK(named->batch_id.size() == 9);
    CHECK(named->batch_id[0] == 'b');
    CHECK(f.op.batch(named->batch_id)->vouchers.size() == 1);
    // Refusals name the field.
    b.count = 10'001;
    CHECK(error_of(f.op.execute(GenerateVoucherBatch{b, {}, "gen-y"}, at())).field == "count");
    b.count = 1;
    b.length = 5;
    CHECK(error_of(f.op.execute(GenerateVoucherBatch{b, {}, "gen-z"}, at())).field == "length");
}

TEST_CASE("a ten-thousand voucher batch is generated with distinct codes") {
    Fixture f;
    const auto codes = f.generate("big", 10'000);
    CHECK(std::set<std::string>(codes.begin(), codes.end()).size() == 10'000);
    CHECK(f.op.voucher(codes.back())->voucher.state == VoucherState::Unused);
}

TEST_CASE("redeeming makes the account with username = password = code, once") {
    Fixture f;
    const auto codes = f.generate("dec", 3);
    std::string lower = codes[0];
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(ch));
    auto r = f.op.execute(RedeemVoucher{lower, "", "", "red-1"}, at(5));
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
    CHECK(r->changed);
    CHECK(r->username == codes[0]);
    auto a = f.op.account(codes[0]);
    REQUIRE(a);
    CHECK(a->voucher_code == codes[0]);
    CHECK(a->expires_at == core::from_unix_seconds(1'790'086'405));
    CHECK(f.op.account_password(codes[0]).value() == codes[0]);
    CHECK(f.op.voucher(codes[0])->voucher.state == VoucherState::Active);
    // The redemption and the account were one append.
    const auto redeemed = f.of_type("hotspot.voucher.redeemed");
    const auto created = f.of_type("hotspot.account.created");
    REQUIRE(redeemed.size() == 1);
    REQUIRE(created.size() == 1);
    CHECK(created[0].position.offset == redeemed[0].position.offset + 1);
    // Retried: the same answer, nothing appended. Another request: refused naming the code.
    auto again = f.op.execute(RedeemVoucher{codes[0], "", "", "red-1"}, at(6));
    REQUIRE(again);
    CHECK_FALSE(again->changed);
    CHECK(again->username == codes[0]);
    auto twice = error_of(f.op.execute(RedeemVoucher{codes[0], "", "", "red-2"}, at(7)));
    CHECK(twice.code == core::Errc::Rejected);
    CHECK(twice.field == "code");
    // Stacking the second voucher of the stackable day plan onto it.
    auto stacked = f.op.execute(RedeemVoucher{codes[1], codes[0], "", "red-3"}, at(8));
    REQUIRE(stacked);
    CHECK(stacked->stacked);
    CHECK(f.op.account(codes[0])->expires_at == core::from_unix_seconds(1'790'172'805));
    CHECK(f.op.voucher(codes[1])->voucher.username == codes[0]);
}

TEST_CASE("two concurrent redemptions of one code create one account") {
    Fixture f;
    const auto codes = f.generate("dec", 2);
    constexpr int kThreads = 8;
    std::atomic<int> ok{0}, refused{0}, other{0};
    std::vector<std::thread> threads;
    std::atomic<bool> go{false};
    std::mutex mu;
    std::vector<std::string> others;  // what no thread should answer
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            while (!go.load()) std::this_thread::yield();
            auto r =
                f.op.execute(RedeemVoucher{codes[0], "", "", "thread-" + std::to_string(i)}, at(i));
            if (r && r->changed)
                ++ok;
            else if (!r && r.error().code == core::Errc::Rejected && r.error().field == "code")
                ++refused;
            else {
                ++other;
                std::lock_guard lock(mu);
                others.push_back(r ? std::string("unchanged")
                                   : r.error().field + " " + r.error().message);
            }
        });
    }
    go = true;
    for (auto& t : threads) t.join();
    CHECK(ok.load() == 1);
    CHECK(refused.load() == kThreads - 1);
    CHECK(other.load() == 0);
    for (const auto& o : others) MESSAGE(o);
    CHECK(f.of_type("hotspot.account.created").size() == 1);
    CHECK(f.of_type("hotspot.voucher.redeemed").size() == 1);
}

TEST_CASE(
    "a code of another tenant, a revoked voucher and an unknown code are refused naming "
    "the code") {
    Fixture f;
    const auto codes = f.generate("dec", 3);
    HotspotService other(*f.store, "op-2", f.keyring);
    auto e = error_of(other.execute(RedeemVoucher{codes[0], "", "", "x-1"}, at()));
    CHECK(e.code == core::Errc::NotFound);
    CHECK(e.field == "code");
    CHECK_FALSE(f.op.account(codes[0]));
    REQUIRE(f.op.execute(RedeemVoucher{codes[0], "", "", "r-1"}, at()));
    auto revoked = f.op.execute(RevokeVoucherBatch{"dec", "lost", "v-1"}, at());
    REQUIRE(revoked);
    CHECK(revoked->changed);
    CHECK_FALSE(f.op.execute(RevokeVoucherBatch{"dec", "lost", "v-1"}, at())->changed);
    CHECK(f.op.voucher(codes[1])->voucher.state == VoucherState::Revoked);
    CHECK(f.op.voucher(codes[0])->voucher.state == VoucherState::Active);
    e = error_of(f.op.execute(RedeemVoucher{codes[1], "", "", "r-2"}, at()));
    CHECK(e.code == core::Errc::Rejected);
    CHECK(e.field == "code");
    e = error_of(f.op.execute(RedeemVoucher{"HXAAAAAAAA", "", "", "r-3"}, at()));
    CHECK(e.code == core::Errc::NotFound);
    CHECK(e.field == "code");
    CHECK(error_of(f.op.execute(RevokeVoucherBatch{"nov", "", "v-2"}, at())).field == "batch_id");
}

TEST_CASE("an account that expires takes its vouchers along, in one append") {
    Fixture f;
    const auto codes = f.generate("dec", 2);
    const auto other = f.generate("jan", 1);
    REQUIRE(f.op.execute(RedeemVoucher{codes[0], "", "", "r-1"}, at()));
    REQUIRE(f.op.execute(RedeemVoucher{codes[1], codes[0], "", "r-s1"}, at()));
    REQUIRE(f.op.execute(RedeemVoucher{other[0], codes[0], "", "r-s2"}, at()));
    CHECK(error_of(f.op.execute(ExpireAccount{codes[0], "x-0"}, at(100))).field == "expires_at");
    const auto before = f.all().size();
    auto r = f.op.execute(ExpireAccount{codes[0], "x-1"}, at(3 * 86400));
    REQUIRE(r);
    CHECK(r->changed);
    // One account event and three voucher events, on three streams, at consecutive offsets.
    const auto after = f.all();
    REQUIRE(after.size() == before + 4);
    CHECK(f.op.account(codes[0])->status == AccountStatus::Expired);
    CHECK(f.op.voucher(codes[0])->voucher.state == VoucherState::Expired);
    CHECK(f.op.voucher(codes[1])->voucher.state == VoucherState::Expired);
    CHECK(f.op.voucher(other[0])->voucher.state == VoucherState::Expired);
    CHECK_FALSE(f.op.execute(ExpireAccount{codes[0], "x-1"}, at(3 * 86400 + 1))->changed);
    // A redeemed-then-expired voucher is refused naming the code.
    CHECK(error_of(f.op.execute(RedeemVoucher{codes[0], "", "", "r-2"}, at())).field == "code");
}

TEST_CASE("after a master key rotation every NAS secret and password is sealed again, once") {
    Fixture f;
    CreateAccount c;
    c.account.username = "alice";
    c.account.plan_id = "1h";
    c.password = "correct horse";
    c.command_id = "acc-1";
    REQUIRE(f.op.execute(c, at()));
    const auto codes = f.generate("dec", 1);
    REQUIRE(f.op.execute(RedeemVoucher{codes[0], "", "", "r-1"}, at()));
    // Another tenant's account in the same log is not this service's to reseal.
    HotspotService other(*f.store, "op-2", f.keyring);
    REQUIRE(other.execute(DefinePlan{switchyard::testing::hotspot::hour(), DefineMode::Create, "p"},
                          at()));
    c.command_id = "acc-2";
    REQUIRE(other.execute(c, at()));
    CHECK(f.op.reseal_secrets(at()).value() == 0);  // all under the current key

    f.keyring.rotate();
    CHECK(f.op.reseal_secrets(at(10)).value() == 3);  // lobby, alice, the voucher's account
    CHECK(f.keyring.sealed_with_current(f.op.nas("lobby")->secret_sealed));
    CHECK(f.keyring.sealed_with_current(f.op.account("alice")->password_sealed));
    CHECK_FALSE(f.keyring.sealed_with_current(other.account("alice")->password_sealed));
    CHECK(f.op.reseal_secrets(at(20)).value() == 0);
    // Once the old key is retired, the secrets still open.
    f.keyring.retire_old_keys();
    CHECK(f.op.nas_secret("lobby").value() == "radius-s3cret-16ch");
    CHECK(f.op.account_password("alice").value() == "correct horse");
    CHECK(f.op.account_password(codes[0]).value() == codes[0]);
    CHECK_FALSE(other.account_password("alice"));
}

TEST_CASE("each service command retried with its command id changes nothing") {
    Fixture f;
    auto twice = [&](auto command) {
        auto first = f.op.execute(command, at(10));
        REQUIRE_MESSAGE(first.has_value(),
                        (first ? "" : first.error().field + " " + first.error().message));
        CHECK(first->changed);
        auto second = f.op.execute(command, at(20));
        REQUIRE(second);
        CHECK_FALSE(second->changed);
    };
    auto n = switchyard::testing::hotspot::lobby();
    n.nas_id = "pool";
    n.address = "198.51.100.0/24";
    twice(DefineNas{n, "another-secret-1", DefineMode::Create, "c-nas"});
    twice(DisableNas{"pool", "", "c-dis"});
    twice(EnableNas{"pool", "c-en"});
    auto p = switchyard::testing::hotspot::hour();
    p.plan_id = "2h";
    p.duration_seconds = 7200;
    twice(DefinePlan{p, DefineMode::Create, "c-plan"});
    twice(RetirePlan{"2h", "c-ret"});
    CreateAccount c;
    c.account.username = "bob";
    c.account.plan_id = "1h";
    c.password = "pass-word";
    c.command_id = "c-acc";
    twice(c);
    twice(BindMac{"bob", "aa:bb:cc:dd:ee:ff", "c-mac"});
    twice(ChangePassword{"bob", "new-pass", "", "c-pw"});
    twice(RecordFirstLogin{"bob", core::from_unix_seconds(1'790'000'000), "c-login"});
    twice(MarkExhausted{"bob", ExhaustedLimit::Data, "c-exh"});
    twice(ExtendAccount{"bob", 60, 1000, 0, "", "c-ext"});
    twice(ChangePlan{"bob", "1d", "c-chg"});
    twice(DisableAccount{"bob", "", "c-off"});
    twice(EnableAccount{"bob", "c-on"});
    f.generate("dec", 2);
    twice(RedeemVoucher{f.op.batch("dec")->vouchers.begin()->first, "", "", "c-red"});
    twice(RevokeVoucherBatch{"dec", "", "c-rev"});
    auto acc = f.op.account_state("bob");
    REQUIRE(acc);
    CHECK(acc->first.account.status == AccountStatus::Active);
    CHECK(acc->first.account.plan_id == "1d");

    // Keep the events for the schema check (schema:hotspot_events_match_schemas).
    std::string ndjson;
    for (const auto& e : f.all()) ndjson += events::encode_envelope(e) + "\n";
    std::set<std::string> types;
    for (const auto& e : f.all()) types.insert(e.type);
    CHECK(types.size() >= 17);
#ifdef SY_EVENTS_OUT_HOTSPOT
    std::ofstream(SY_EVENTS_OUT_HOTSPOT) << ndjson;
#endif
}
