// Referral codes: registering a new customer (once, within the code's limit, never the
// referrer itself), the first qualifying payment rewarding both sides once, and the bonuses'
// entry.
#include <doctest/doctest.h>

#include "core/billing/referral.hpp"

using namespace switchyard;
using namespace switchyard::core::billing;

namespace {

ReferralCode alice_code() {
    ReferralCode c;
    c.code = "ALICE-7";
    c.referrer_id = "alice";
    c.currency = "EUR";
    c.referrer_bonus_micros = 5'000'000;
    c.referee_bonus_micros = 2'000'000;
    c.qualifying_micros = 10'000'000;
    c.max_referrals = 2;
    return c;
}

ReferralCodeState defined() {
    ReferralCodeState s;
    auto d = decide(s, alice_code());
    REQUIRE(d);
    for (const auto& e : *d) evolve(s, e);
    return s;
}

}  // namespace

TEST_CASE("a referral code registers each new customer once, within its limit") {
    auto code = defined();
    ReferralState bob;
    auto d = decide_register(code, bob, "ALICE-7", "bob");
    REQUIRE(d);
    REQUIRE(d->code.size() == 1);
    CHECK(std::get<ReferralCodeUsed>(d->code.front()).referral == 1);
    for (const auto& e : d->code) evolve(code, e);
    for (const auto& e : d->referral) evolve(bob, e);
    CHECK(decide_register(code, bob, "ALICE-7", "bob")->referral.empty());  // the same again

    CHECK(decide_register(code, {}, "ALICE-7", "alice").error().field == "customer_id");
    auto carol = decide_register(code, {}, "ALICE-7", "carol");
    REQUIRE(carol);
    for (const auto& e : carol->code) evolve(code, e);
    auto third = decide_register(code, {}, "ALICE-7", "dave");
    REQUIRE_FALSE(third);
    CHECK(third.error().code == core::Errc::Rejected);
    CHECK(third.error().field == "code");
    CHECK(decide_register({}, {}, "NOPE", "dave").error().code == core::Errc::NotFound);

    // Another code for a customer already referred: a conflict.
    ReferralCodeState other;
    auto b = alice_code();
    b.code = "ZED-1";
    b.referrer_id = "zed";
    const auto zed = decide(other, b);
    REQUIRE(zed);
    for (const auto& e : *zed) evolve(other, e);
    CHECK(decide_register(other, bob, "ZED-1", "bob").error().code == core::Errc::Conflict);
    // Terms change only while the code is unused.
    auto changed = alice_code();
    changed.referee_bonus_micros = 9'000'000;
    CHECK(decide(code, changed).error().code == core::Errc::Conflict);
    CHECK(decide(code, alice_code())->empty());
    const auto retired = decide_retire(code, "ALICE-7");
    REQUIRE(retired);
    for (const auto& e : *retired) evolve(code, e);
    CHECK(decide_register(code, {}, "ALICE-7", "erin").error().field == "code");
}

TEST_CASE("the first qualifying payment rewards a referral once, with a balanced entry") {
    auto code = defined();
    ReferralState bob;
    const auto registered = decide_register(code, bob, "ALICE-7", "bob");
    REQUIRE(registered);
    for (const auto& e : registered->referral) evolve(bob, e);

    CHECK(decide_reward({}, "p0", 50'000'000, "EUR").empty());   // not referred
    CHECK(decide_reward(bob, "p1", 9'999'999, "EUR").empty());   // below the qualifying 10.00
    CHECK(decide_reward(bob, "p2", 50'000'000, "USD").empty());  // another currency
    auto rewarded = decide_reward(bob, "p3", 10'000'000, "EUR");
    REQUIRE(rewarded.size() == 1);
    const auto& w = std::get<ReferralRewarded>(rewarded.front());
    CHECK(w.payment_id == "p3");
    CHECK(w.entry_id == "ref:bob");
    const auto entry = reward_entry(*bob.registered, w);
    CHECK(check_entry(entry).has_value());
    REQUIRE(entry.postings.size() == 3);
    CHECK(entry.postings[0] == Posting{"discounts:other", 7'000'000, 0});
    CHECK(entry.postings[1] == Posting{"wallet:alice", 0, 5'000'000});
    CHECK(entry.postings[2] == Posting{"wallet:bob", 0, 2'000'000});
    evolve(bob, w);
    CHECK(decide_reward(bob, "p4", 90'000'000, "EUR").empty());  // rewarded once

    // A code that rewards only the referrer credits one wallet.
    auto only = *bob.registered;
    only.terms.referee_bonus_micros = 0;
    ReferralRewarded half{"bob", "p3", "ref:bob", 5'000'000, 0};
    CHECK(reward_entry(only, half).postings.size() == 2);
}

TEST_CASE("referral codes are checked field by field") {
    CHECK(check_referral_code(alice_code()).has_value());
    auto c = alice_code();
    c.code = "al";
    CHECK(check_referral_code(c).error().field == "code");
    c = alice_code();
    c.referrer_id = "";
    CHECK(check_referral_code(c).error().field == "referrer_id");
    c = alice_code();
    c.currency = "eur";
    CHECK(check_referral_code(c).error().field == "currency");
    c = alice_code();
    c.referrer_bonus_micros = 0;
    c.referee_bonus_micros = 0;
    CHECK(check_referral_code(c).error().field == "referrer_bonus_micros");
    c = alice_code();
    c.referee_bonus_micros = -1;
    CHECK(check_referral_code(c).error().field == "referee_bonus_micros");
    c = alice_code();
    c.qualifying_micros = -1;
    CHECK(check_referral_code(c).error().field == "qualifying_micros");
    c = alice_code();
    c.max_referrals = -1;
    CHECK(check_referral_code(c).error().field == "max_referrals");
}
