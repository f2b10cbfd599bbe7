// Voucher batches: generation with drawn codes checked against the tenant's index, redemption
// onto a new account or stacked onto an existing one, revocation and expiry; each command's
// idempotency by command id.
#include <doctest/doctest.h>

#include "core/hotspot/voucher_decider.hpp"
#include "tests/core/hotspot/hotspot_fixtures.hpp"
#include "tests/support/decider_checks.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::hotspot;
using switchyard::testing::error_of;
using switchyard::testing::hotspot::at;
using switchyard::testing::hotspot::catalog_with_plans;

namespace {

VoucherBatch batch(std::string plan_id = "1d", std::int64_t count = 3) {
    VoucherBatch b;
    b.batch_id = "dec";
    b.plan_id = std::move(plan_id);
    b.count = count;
    b.prefix = "HX";
    b.length = 6;
    b.note = "Reception, December";
    return b;
}

GenerateVoucherBatch generate(VoucherBatch b, std::vector<std::string> codes,
                              std::string id = "g1") {
    return GenerateVoucherBatch{std::move(b), std::move(codes), std::move(id)};
}

const std::vector<std::string> kCodes{"HX34679A", "HXCDEFGH", "HXJKMNPQ"};

/// The batch `dec` of plan `plan_id` with kCodes, generated.
BatchState generated(const std::string& plan_id = "1d") {
    auto d = decide(CodeIndexState{}, BatchState{}, catalog_with_plans(),
                    generate(batch(plan_id), kCodes), at());
    REQUIRE(d);
    BatchState s;
    for (const auto& e : d->batch_events) evolve(s, e);
    return s;
}

template <class Events, class State>
void fold(State& s, const Events& events) {
    for (const auto& e : events) evolve(s, e);
}

}  // namespace

TEST_CASE("a code is the prefix and `length` characters of the look-alike-free alphabet") {
    CHECK(kVoucherAlphabet.size() == 25);
    for (char look_alike : std::string("0O1IL2Z5S8B"))
        CHECK(kVoucherAlphabet.find(look_alike) == std::string_view::npos);
    CHECK(valid_voucher_code("HX34679A", "HX", 6));
    CHECK_FALSE(valid_voucher_code("HX34679", "HX", 6));
    CHECK_FALSE(valid_voucher_code("HX3467OA", "HX", 6));  // O is a look-alike
    CHECK_FALSE(valid_voucher_code("XX34679A", "HX", 6));
    CHECK(canonical_voucher_code("hx-346 79a") == "HX34679A");
}

TEST_CASE("a batch is generated once per command id, its codes reserved in the index") {
    const auto cat = catalog_with_plans();
    auto d = decide(CodeIndexState{}, BatchState{}, cat, generate(batch(), kCodes), at());
    REQUIRE(d);
    CHECK(d->batch_id == "dec");
    REQUIRE(d->batch_events.size() == 1);
    REQUIRE(d->index_events.size() == 1);
    const auto& g = std::get<VoucherBatchGenerated>(d->batch_events[0]);
    CHECK(g.batch.created_at == core::from_unix_seconds(1'790'000'000));
    CHECK(g.codes == kCodes);
    CodeIndexState index;
    fold(index, d->index_events);
    CHECK(index.batch_of.at("HXCDEFGH") == "dec");
    BatchState b;
    fold(b, d->batch_events);
    CHECK(b.vouchers.size() == 3);
    CHECK(b.vouchers.at("HXJKMNPQ").state == VoucherState::Unused);
    // The same command again: nothing, and the batch it made.
    auto again = decide(index, b, cat, generate(batch(), kCodes), at());
    REQUIRE(again);
    CHECK(again->batch_events.empty());
    CHECK(again->index_events.empty());
    CHECK(again->batch_id == "dec");
    // Another batch may not take a code of this one.
    auto other = batch();
    other.batch_id = "jan";
    other.count = 1;
    auto e = error_of(decide(index, BatchState{}, cat, generate(other, {"HXCDEFGH"}, "g2"), at()));
    CHECK(e.code == core::Errc::Conflict);
    CHECK(e.field == "codes");
    e = error_of(decide(index, b, cat, generate(batch(), kCodes, "g3"), at()));
    CHECK(e.code == core::Errc::Conflict);
    CHECK(e.field == "batch_id");
}

TEST_CASE("a batch is refused naming the field: count, length, prefix, codes, plan") {
    const auto cat = catalog_with_plans();
    auto field_of = [&](VoucherBatch b, std::vector<std::string> codes) {
        return error_of(decide(CodeIndexState{}, BatchState{}, cat, generate(b, codes), at()))
            .field;
    };
    auto b = batch();
    b.count = 0;
    CHECK(field_of(b, {}) == "count");
    b.count = 10'001;
    CHECK(field_of(b, {}) == "count");
    b = batch();
    b.length = 5;
    CHECK(field_of(b, kCodes) == "length");
    b.length = 17;
    CHECK(field_of(b, kCodes) == "length");
    b = batch();
    b.prefix = "hx";
    CHECK(field_of(b, kCodes) == "prefix");
    b.prefix = "TOOLONGPX";
    CHECK(field_of(b, kCodes) == "prefix");
    CHECK(field_of(batch(), {"HX34679A", "HXCDEFGH"}) == "codes");
    CHECK(field_of(batch(), {"HX34679A", "HXCDEFGH", "HX34679A"}) == "codes");
    CHECK(field_of(batch(), {"HX34679A", "HXCDEFGH", "HX00000A"}) == "codes");
    CHECK(field_of(batch("2h"), kCodes) == "plan_id");
    b = batch();
    b.batch_id = "Dec 2026";
    CHECK(field_of(b, kCodes) == "batch_id");
    auto e =
        error_of(decide(CodeIndexState{}, BatchState{}, cat, generate(batch(), kCodes, ""), at()));
    CHECK(e.field == "command_id");
}

TEST_CASE("redeeming a voucher creates the account named after it, once") {
    const auto cat = catalog_with_plans();
    auto b = generated("1d");
    RedeemVoucher c{"hx34679a", "", "sy1:mk_test:sealed", "r1"};
    auto d = decide(b, AccountState{}, cat, c, at(10));
    REQUIRE(d);
    CHECK(d->username == "HX34679A");
    CHECK_FALSE(d->stacked);
    REQUIRE(d->account_events.size() == 1);
    const auto& a = std::get<AccountCreated>(d->account_events[0]).account;
    CHECK(a.username == "HX34679A");
    CHECK(a.voucher_code == "HX34679A");
    CHECK(a.plan_id == "1d");
    CHECK(a.password_sealed == "sy1:mk_test:sealed");
    // The day counts from purchase: 1,790,000,010 + 86,400.
    CHECK(a.expires_at == core::from_unix_seconds(1'790'086'410));
    const auto& r = std::get<VoucherRedeemed>(d->batch_events.at(0));
    CHECK(r.code == "HX34679A");
    CHECK(r.batch_id == "dec");
    fold(b, d->batch_events);
    AccountState acc;
    fold(acc, d->account_events);
    CHECK(b.vouchers.at("HX34679A").state == VoucherState::Active);
    // The same request again: nothing, and the same account.
    auto again = decide(b, acc, cat, c, at(20));
    REQUIRE(again);
    CHECK(again->batch_events.empty());
    CHECK(again->account_events.empty());
    CHECK(again->username == "HX34679A");
    // Another request: the code never redeems twice.
    auto e = error_of(decide(b, acc, cat, RedeemVoucher{"HX34679A", "", "s", "r2"}, at(30)));
    CHECK(e.code == core::Errc::Rejected);
    CHECK(e.field == "code");
}

TEST_CASE("a first-login voucher's account gets its expiry at the first login") {
    auto d = decide(generated("1h"), AccountState{}, catalog_with_plans(),
                    RedeemVoucher{"HX34679A", "", "s", "r1"}, at());
    REQUIRE(d);
    CHECK_FALSE(std::get<AccountCreated>(d->account_events[0]).account.expires_at);
}

TEST_CASE("a revoked, expired, unknown or out-of-window voucher is refused naming the code") {
    const auto cat = catalog_with_plans();
    auto b = generated();
    auto revoked = decide(b, RevokeVoucherBatch{"dec", "lost", "v1"}, at());
    REQUIRE(revoked);
    auto rb = b;
    fold(rb, *revoked);
    auto e =
        error_of(decide(rb, AccountState{}, cat, RedeemVoucher{"HXCDEFGH", "", "s", "r"}, at()));
    CHECK(e.code == core::Errc::Rejected);
    CHECK(e.field == "code");
    e = error_of(decide(b, AccountState{}, cat, RedeemVoucher{"HXAAAAAA", "", "s", "r"}, at()));
    CHECK(e.code == core::Errc::NotFound);
    CHECK(e.field == "code");
    // Another tenant's code is not in this tenant's index: the service passes an empty batch.
    e = error_of(
        decide(BatchState{}, AccountState{}, cat, RedeemVoucher{"HXCDEFGH", "", "s", "r"}, at()));
    CHECK(e.code == core::Errc::NotFound);
    CHECK(e.field == "code");
    CHECK(
        error_of(decide(b, AccountState{}, cat, RedeemVoucher{"HX!?", "", "s", "r"}, at())).field ==
        "code");
    auto ended = cat;
    ended.plans["1d"].valid_until = core::from_unix_seconds(1'790'000'000);
    e = error_of(decide(b, AccountState{}, ended, RedeemVoucher{"HXCDEFGH", "", "s", "r"}, at()));
    CHECK(e.code == core::Errc::Rejected);
    CHECK(e.field == "code");
    auto active = b;
    evolve(active, VoucherRedeemed{"dec", "HXCDEFGH", "HXCDEFGH", false, "r0"});
    evolve(active, VoucherExpired{"dec", "HXCDEFGH", "x0"});
    CHECK(active.vouchers.at("HXCDEFGH").state == VoucherState::Expired);
    e = error_of(
        decide(active, AccountState{}, cat, RedeemVoucher{"HXCDEFGH", "", "s", "r"}, at()));
    CHECK(e.field == "code");
}

TEST_CASE("a voucher stacks onto an account of its plan only when the plan allows it") {
    const auto cat = catalog_with_plans();
    // The first voucher makes the account; the second stacks onto it: one more day and 5 GB.
    auto b = generated("1d");
    auto first = decide(b, AccountState{}, cat, RedeemVoucher{"HX34679A", "", "s", "r1"}, at());
    REQUIRE(first);
    fold(b, first->batch_events);
    AccountState acc;
    fold(acc, first->account_events);
    RedeemVoucher stack{"HXCDEFGH", "HX34679A", "", "r2"};
    auto second = decide(b, acc, cat, stack, at(100));
    REQUIRE(second);
    CHECK(second->stacked);
    CHECK(second->username == "HX34679A");
    const auto& ext = std::get<AccountExtended>(second->account_events.at(0));
    CHECK(ext.add_seconds == 86400);
    CHECK(ext.add_data_bytes == 5'000'000'000);
    CHECK(ext.voucher_code == "HXCDEFGH");
    CHECK(ext.expires_at == core::from_unix_seconds(1'790'172'800));
    CHECK(std::get<VoucherRedeemed>(second->batch_events.at(0)).stacked);
    fold(b, second->batch_events);
    fold(acc, second->account_events);
    CHECK(acc.voucher_codes == std::vector<std::string>{"HX34679A", "HXCDEFGH"});
    CHECK(decide(b, acc, cat, stack, at(200))->batch_events.empty());

    // The hour plan does not allow stacking.
    auto hb = generated("1h");
    auto made = decide(hb, AccountState{}, cat, RedeemVoucher{"HX34679A", "", "s", "h1"}, at());
    REQUIRE(made);
    fold(hb, made->batch_events);
    AccountState hacc;
    fold(hacc, made->account_events);
    auto e = error_of(decide(hb, hacc, cat, RedeemVoucher{"HXCDEFGH", "HX34679A", "", "h2"}, at()));
    CHECK(e.code == core::Errc::Rejected);
    CHECK(e.field == "code");
    // Nor onto an account of another plan, nor a missing or disabled one.
    e = error_of(
        decide(generated("1d"), hacc, cat, RedeemVoucher{"HXCDEFGH", "HX34679A", "", "h3"}, at()));
    CHECK(e.field == "code");
    e = error_of(decide(generated("1d"), AccountState{}, cat,
                        RedeemVoucher{"HXCDEFGH", "bob", "", "h4"}, at()));
    CHECK(e.code == core::Errc::NotFound);
    CHECK(e.field == "username");
    auto disabled = acc;
    evolve(disabled, AccountDisabled{"HX34679A", "", "d"});
    e = error_of(decide(b, disabled, cat, RedeemVoucher{"HXJKMNPQ", "HX34679A", "", "h5"}, at()));
    CHECK(e.field == "code");
}

TEST_CASE("a new account may not take the name of an existing one") {
    AccountState taken;
    taken.exists = true;
    taken.account.username = "HX34679A";
    auto e = error_of(decide(generated(), taken, catalog_with_plans(),
                             RedeemVoucher{"HX34679A", "", "s", "r1"}, at()));
    CHECK(e.code == core::Errc::Conflict);
    CHECK(e.field == "code");
}

TEST_CASE("revoking a batch revokes its unused vouchers only, once") {
    auto b = generated();
    evolve(b, VoucherRedeemed{"dec", "HX34679A", "HX34679A", false, "r1"});
    auto r = switchyard::testing::check_idempotent(b, [](const BatchState& s) {
        return decide(s, RevokeVoucherBatch{"dec", "lost at reception", "v1"}, at());
    });
    const auto& e = std::get<VoucherBatchRevoked>(r.first.at(0));
    CHECK(e.revoked_codes == std::vector<std::string>{"HXCDEFGH", "HXJKMNPQ"});
    CHECK(r.state.vouchers.at("HX34679A").state == VoucherState::Active);
    CHECK(r.state.vouchers.at("HXJKMNPQ").state == VoucherState::Revoked);
    CHECK(decide(r.state, RevokeVoucherBatch{"dec", "", "v2"}, at())->empty());
    CHECK(error_of(decide(BatchState{}, RevokeVoucherBatch{"nov", "", "v3"}, at())).field ==
          "batch_id");
}

TEST_CASE("only an active voucher expires, once") {
    auto b = generated();
    evolve(b, VoucherRedeemed{"dec", "HX34679A", "HX34679A", false, "r1"});
    auto r = switchyard::testing::check_idempotent(b, [](const BatchState& s) {
        return decide(s, ExpireVoucher{"HX34679A", "x1"}, at());
    });
    CHECK(r.state.vouchers.at("HX34679A").state == VoucherState::Expired);
    CHECK(decide(r.state, ExpireVoucher{"HX34679A", "x2"}, at())->empty());
    auto e = error_of(decide(b, ExpireVoucher{"HXCDEFGH", "x3"}, at()));
    CHECK(e.code == core::Errc::Rejected);
    CHECK(e.field == "code");
}
