// The hotspot_nas, hotspot_plans, hotspot_accounts and hotspot_vouchers read models fed through
// a ProjectionRunner from what HotspotService appends: their queries (filters, scopes, cursor
// pages), and a rebuild from the log equal to the live models.
#include <doctest/doctest.h>

#include <chrono>

#include "events/hotspot/hotspot_service.hpp"
#include "events/memory_event_store.hpp"
#include "projections/hotspot/hotspot_accounts.hpp"
#include "projections/hotspot/hotspot_catalog.hpp"
#include "projections/hotspot/hotspot_vouchers.hpp"
#include "projections/projection_runner.hpp"
#include "tests/core/hotspot/hotspot_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard;
using namespace switchyard::core::hotspot;
using namespace switchyard::projections::hotspot;
using switchyard::testing::TempDir;
using switchyard::testing::hotspot::at;

namespace {

std::vector<std::unique_ptr<projections::Projector>> hotspot_projectors() {
    std::vector<std::unique_ptr<projections::Projector>> out;
    out.push_back(make_hotspot_nas_projector());
    out.push_back(make_hotspot_plans_projector());
    out.push_back(make_hotspot_accounts_projector());
    out.push_back(make_hotspot_vouchers_projector());
    return out;
}

struct History {
    std::vector<std::string> codes;  ///< Of batch `dec` (4 vouchers of plan 1d).
};

/// Writes a small tenant: two NAS (one of reseller u_7, one disabled), three plans (one
/// retired), accounts in every status, a batch with a redeemed, an expired-with-its-account and
/// revoked vouchers.
History write_history(events::EventStore& store, const events::MasterKeyring& keyring) {
    events::hotspot::HotspotService s(store, "op", keyring);
    auto ok = [](const auto& r) {
        REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().field + " " + r.error().message));
    };
    auto lobby = switchyard::testing::hotspot::lobby();
    lobby.secret_sealed.clear();
    ok(s.execute(DefineNas{lobby, "radius-secret-1", DefineMode::Create, "n1"}, at()));
    auto pool = lobby;
    pool.nas_id = "pool";
    pool.address = "198.51.100.0/24";
    pool.vendor = Vendor::Omada;
    pool.coa_port = 0;
    pool.owner_path = "/u_7/";
    ok(s.execute(DefineNas{pool, "radius-secret-2", DefineMode::Create, "n2"}, at()));
    ok(s.execute(DisableNas{"lobby", "moved", "n3"}, at()));
    ok(s.execute(DefinePlan{switchyard::testing::hotspot::hour(), DefineMode::Create, "p1"}, at()));
    ok(s.execute(DefinePlan{switchyard::testing::hotspot::day(), DefineMode::Create, "p2"}, at()));
    auto week = switchyard::testing::hotspot::day();
    week.plan_id = "1w";
    week.name = "1 week";
    week.duration_seconds = 7 * 86400;
    week.owner_path = "/u_7/";
    ok(s.execute(DefinePlan{week, DefineMode::Create, "p3"}, at()));
    ok(s.execute(RetirePlan{"1h", "p4"}, at()));
    for (const auto* name : {"ann", "ben", "cid", "dee"}) {
        CreateAccount c;
        c.account.username = name;
        c.account.plan_id = "1d";
        c.password = "password";
        c.command_id = std::string("a-") + name;
        if (std::string(name) == "dee") {
            c.account.plan_id = "1w";
            c.account.owner_path = "/u_7/";
        }
        ok(s.execute(c, at()));
    }
    ok(s.execute(DisableAccount{"ben", "abuse", "b1"}, at(10)));
    ok(s.execute(MarkExhausted{"cid", ExhaustedLimit::Data, "c1"}, at(20)));
    ok(s.execute(BindMac{"ann", "AA-BB-CC-DD-EE-FF", "m1"}, at(30)));
    VoucherBatch b;
    b.batch_id = "dec";
    b.plan_id = "1d";
    b.count = 4;
    b.prefix = "HX";
    b.length = 6;
    auto gen = s.execute(GenerateVoucherBatch{b, {}, "g1"}, at(40));
    ok(gen);
    History h{gen->codes};
    std::sort(h.codes.begin(), h.codes.end());
    ok(s.execute(RedeemVoucher{h.codes[0], "", "", "r1"}, at(50)));
    ok(s.execute(RedeemVoucher{h.codes[1], "", "", "r2"}, at(60)));
    ok(s.execute(ExpireAccount{h.codes[1], "x1"}, at(86460)));
    ok(s.execute(RevokeVoucherBatch{"dec", "lost", "v1"}, at(86500)));
    b.batch_id = "jan";
    b.count = 2;
    b.owner_path = "/u_7/";
    b.plan_id = "1w";
    ok(s.execute(GenerateVoucherBatch{b, {}, "g2"}, at(86600)));
    return h;
}

std::vector<std::string> usernames(const std::vector<Account>& list) {
    std::vector<std::string> out;
    for (const auto& a : list) out.push_back(a.username);
    return out;
}

}  // namespace

TEST_CASE("the hotspot read models answer lists and lookups in the command side's terms") {
    auto store = events::make_memory_event_store();
    const auto keyring = events::MasterKeyring::generate();
    const auto h = write_history(*store, keyring);
    TempDir dir;
    auto runner = projections::ProjectionRunner::open(dir.path(), hotspot_projectors());
    REQUIRE(runner);
    REQUIRE((*runner)->catch_up(*store, std::nullopt));
    const auto& nas = *(*runner)->view(kHotspotNas);
    const auto& plans = *(*runner)->view(kHotspotPlans);
    const auto& accounts = *(*runner)->view(kHotspotAccounts);
    const auto& vouchers = *(*runner)->view(kHotspotVouchers);

    // NAS: no secret in the model, disabled shown, a reseller sees its own only.
    auto lobby = find_nas(nas, "lobby");
    REQUIRE(lobby);
    CHECK(lobby->disabled);
    CHECK(lobby->secret_sealed.empty());
    CHECK(lobby->coa_port == 1700);
    CHECK(find_nas(nas, "pool")->coa_port == 3799);
    CHECK(list_nas(nas, "", 10).size() == 2);
    REQUIRE(list_nas(nas, "", 10, "/u_7/").size() == 1);
    CHECK(list_nas(nas, "", 10, "/u_7/")[0].nas_id == "pool");
    // Cursor pages: one at a time.
    auto first = list_nas(nas, "", 1);
    REQUIRE(first.size() == 1);
    CHECK(first[0].nas_id == "lobby");
    auto second = list_nas(nas, first[0].nas_id, 1);
    REQUIRE(second.size() == 1);
    CHECK(second[0].nas_id == "pool");
    CHECK(list_nas(nas, "pool", 1).empty());

    // Plans: retired ones on request.
    CHECK(find_plan(plans, "1h")->retired);
    CHECK(list_plans(plans, "", 10).size() == 2);
    CHECK(list_plans(plans, "", 10, "/", true).size() == 3);
    CHECK(list_plans(plans, "", 10, "/u_7/").size() == 1);
    CHECK(find_plan(plans, "1d")->price_micros == 5'000'000);

    // Accounts: every status, the MAC in canonical form, filters and scope.
    CHECK(find_account(accounts, "ann")->mac == "aa:bb:cc:dd:ee:ff");
    CHECK(find_account(accounts, "ann")->password_sealed.empty());
    CHECK(find_account(accounts, "ben")->status == AccountStatus::Disabled);
    CHECK(find_account(accounts, "cid")->status == AccountStatus::Exhausted);
    CHECK(find_account(accounts, h.codes[1])->status == AccountStatus::Expired);
    CHECK(find_account(accounts, h.codes[0])->voucher_code == h.codes[0]);
    CHECK(list_accounts(accounts, "", 100).size() == 6);
    AccountFilter f;
    f.status = AccountStatus::Active;
    CHECK(usernames(list_accounts(accounts, "", 100, f)) ==
          std::vector<std::string>{h.codes[0], "ann", "dee"});
    f = {};
    f.plan_id = "1w";
    CHECK(usernames(list_accounts(accounts, "", 100, f)) == std::vector<std::string>{"dee"});
    f = {};
    f.scope = "/u_7/";
    CHECK(usernames(list_accounts(accounts, "", 100, f)) == std::vector<std::string>{"dee"});
    CHECK(usernames(list_accounts(accounts, "ben", 2)) == std::vector<std::string>{"cid", "dee"});

    // Vouchers: by batch with counts, by code with state, by batch and state.
    auto dec = find_batch(vouchers, "dec");
    REQUIRE(dec);
    CHECK(dec->revoked);
    CHECK(dec->batch.count == 4);
    CHECK(dec->unused == 0);
    CHECK(dec->active == 1);
    CHECK(dec->expired == 1);
    CHECK(dec->revoked_count == 2);
    auto redeemed = find_voucher(vouchers, h.codes[0]);
    REQUIRE(redeemed);
    CHECK(redeemed->state == VoucherState::Active);
    CHECK(redeemed->username == h.codes[0]);
    CHECK(redeemed->redeemed_at == core::from_unix_seconds(1'790'000'050));
    CHECK(find_voucher(vouchers, h.codes[1])->state == VoucherState::Expired);
    CHECK(find_voucher(vouchers, h.codes[3])->state == VoucherState::Revoked);
    auto all = list_vouchers(vouchers, "dec", "", 10);
    REQUIRE(all.size() == 4);
    CHECK(all[0].code == h.codes[0]);
    CHECK(all[3].code == h.codes[3]);
    CHECK(list_vouchers(vouchers, "dec", h.codes[1], 10).size() == 2);
    CHECK(list_vouchers(vouchers, "dec", "", 10, VoucherState::Revoked).size() == 2);
    CHECK(list_vouchers(vouchers, "jan", "", 10, VoucherState::Unused).size() == 2);
    CHECK(list_batches(vouchers, "", 10).size() == 2);
    REQUIRE(list_batches(vouchers, "", 10, "/u_7/").size() == 1);
    CHECK(list_batches(vouchers, "", 10, "/u_7/")[0].batch.batch_id == "jan");
    CHECK(list_batches(vouchers, "dec", 10).size() == 1);
}

TEST_CASE("a rebuild of the hotspot read models from the log equals the live models") {
    auto store = events::make_memory_event_store();
    const auto keyring = events::MasterKeyring::generate();
    TempDir live_dir, rebuilt_dir;
    auto live = projections::ProjectionRunner::open(live_dir.path(), hotspot_projectors());
    REQUIRE(live);
    (*live)->start(*store);
    write_history(*store, keyring);
    const auto head = store->head();
    std::vector<events::Position> last{{0, head.next_offset(0) - 1}};
    REQUIRE((*live)->wait_for(last, std::chrono::seconds(10)));
    (*live)->stop();
    CHECK_FALSE((*live)->failed());

    auto rebuilt = projections::ProjectionRunner::open(rebuilt_dir.path(), hotspot_projectors());
    REQUIRE(rebuilt);
    REQUIRE((*rebuilt)->catch_up(*store, std::nullopt));
    for (const auto& name : (*live)->names()) {
        auto a = (*live)->digest(name);
        auto b = (*rebuilt)->digest(name);
        REQUIRE(a);
        REQUIRE(b);
        CHECK_MESSAGE(*a == *b, name);
    }
    // The digests see the content: a model built only halfway differs.
    TempDir half_dir;
    auto half = projections::ProjectionRunner::open(half_dir.path(), hotspot_projectors());
    REQUIRE(half);
    events::Checkpoint mid;
    mid.advance(events::Position{0, head.next_offset(0) / 2});
    REQUIRE((*half)->catch_up(*store, mid));
    CHECK(*(*half)->digest(kHotspotAccounts) != *(*live)->digest(kHotspotAccounts));
}
