// Resellers' commissions: what a rate gives for a sale (percent rounded to the minor unit, a
// fixed amount only in its currency, creations and renewals as the rate says), the entries of
// a commission and a payout, and the states a commission goes through.
#include <doctest/doctest.h>

#include "core/billing/commission.hpp"

using namespace switchyard;
using namespace switchyard::core::billing;

namespace {

/// A charge of `paid` to the reseller's credits for a plan of `line`.
JournalEntry sale_entry(const std::string& id, Micros paid, const std::string& currency = "EUR") {
    return JournalEntry{id,        currency,
                        "package", "sub-1",
                        "",        {{"reseller_credit:acme", paid, 0}, {"revenue:iptv", 0, paid}}};
}

Sale sale_of(const JournalEntry& e, CommissionKind kind = CommissionKind::Creation) {
    return Sale{"acme", "sub-1", "iptv-1m", "iptv", kind, &e};
}

CommissionRate percent(RatePpm ppm) {
    CommissionRate r;
    r.reseller_id = "acme";
    r.percent_ppm = ppm;
    return r;
}

}  // namespace

TEST_CASE("a commission rate gives a percent of what the credits paid, rounded to the minor unit") {
    const auto e = sale_entry("sub:sub-1:1", 5'000'000);
    auto c = commission_for(percent(100'000), sale_of(e));
    REQUIRE(c);
    CHECK(c->amount_micros == 500'000);
    CHECK(c->sale_micros == 5'000'000);
    CHECK(c->commission_id == "sub:sub-1:1");
    CHECK(c->entry_id == "com:sub:sub-1:1");
    CHECK(c->kind == CommissionKind::Creation);
    CHECK_FALSE(c->approved);

    // 12.5 % of 3.33 is 0.41625: 0.42 (half away from zero at the cent).
    const auto odd = sale_entry("sub:sub-1:2", 3'330'000);
    CHECK(commission_for(percent(125'000), sale_of(odd))->amount_micros == 420'000);
    // Yen have no minor unit: 7 % of 1,000 JPY is 70; 3 % of 50 JPY is 1.5, so 2.
    CHECK(commission_for(percent(70'000), sale_of(sale_entry("j1", 1'000'000'000, "JPY")))
              ->amount_micros == 70'000'000);
    CHECK(commission_for(percent(30'000), sale_of(sale_entry("j2", 50'000'000, "JPY")))
              ->amount_micros == 2'000'000);
    // A commission that rounds to nothing is not earned.
    CHECK_FALSE(commission_for(percent(1'000), sale_of(sale_entry("tiny", 4'000))));
}

TEST_CASE("a fixed commission is earned only on sales in its currency, and as the rate says") {
    CommissionRate fixed;
    fixed.reseller_id = "acme";
    fixed.amount_micros = 750'000;
    fixed.currency = "EUR";
    fixed.on_renewal = false;
    fixed.auto_approve = true;
    const auto eur = sale_entry("sub:sub-1:1", 5'000'000);
    auto c = commission_for(fixed, sale_of(eur));
    REQUIRE(c);
    CHECK(c->amount_micros == 750'000);
    CHECK(c->percent_ppm == 0);
    CHECK(c->approved);
    CHECK_FALSE(commission_for(fixed, sale_of(eur, CommissionKind::Renewal)));
    CHECK_FALSE(commission_for(fixed, sale_of(sale_entry("usd", 5'000'000, "USD"))));

    // What the credits paid is the sale: a charge paid from elsewhere earns nothing.
    JournalEntry wallet{"w", "EUR", "m", "", "", {{"wallet:c1", 100, 0}, {"revenue:iptv", 0, 100}}};
    CHECK_FALSE(commission_for(percent(100'000), sale_of(wallet)));
    // A promo code's discount is not part of the sale: 10 % of the 2.50 the credits paid.
    JournalEntry discounted{"d",
                            "EUR",
                            "m",
                            "",
                            "",
                            {{"reseller_credit:acme", 2'500'000, 0},
                             {"discounts:iptv", 2'500'000, 0},
                             {"revenue:iptv", 0, 5'000'000}}};
    CHECK(commission_for(percent(100'000), sale_of(discounted))->amount_micros == 250'000);
}

TEST_CASE("a commission's entry and a payout's entry balance and name the reseller's accounts") {
    const auto e = sale_entry("sub:sub-1:1", 5'000'000);
    const auto c = *commission_for(percent(100'000), sale_of(e));
    const auto entry = commission_entry(c);
    CHECK(check_entry(entry).has_value());
    REQUIRE(entry.postings.size() == 2);
    CHECK(entry.postings[0] == Posting{"commission_expense:iptv", 500'000, 0});
    CHECK(entry.postings[1] == Posting{"commissions_payable:acme", 0, 500'000});

    const auto paid = decide_payout({"po-1", "acme", "EUR", PayoutMethod::Credits, "May"}, {c});
    REQUIRE(paid);
    CHECK(paid->amount_micros == 500'000);
    CHECK(paid->commission_ids == std::vector<std::string>{"sub:sub-1:1"});
    const auto to_credits = payout_entry(*paid);
    CHECK(check_entry(to_credits).has_value());
    CHECK(to_credits.entry_id == "compay:po-1");
    CHECK(to_credits.postings[0] == Posting{"commissions_payable:acme", 500'000, 0});
    CHECK(to_credits.postings[1] == Posting{"reseller_credit:acme", 0, 500'000});
    auto by_bank = *paid;
    by_bank.method = PayoutMethod::BankTransfer;
    CHECK(payout_entry(by_bank).postings[1].account == "gateway_clearing:bank");

    // Nothing approved in the currency: refused, naming the reseller.
    auto none = decide_payout({"po-2", "acme", "USD", PayoutMethod::Credits, ""}, {c});
    REQUIRE_FALSE(none);
    CHECK(none.error().code == core::Errc::Rejected);
    CHECK(none.error().field == "reseller_id");
    CHECK(decide_payout({"po 3", "acme", "EUR", PayoutMethod::Cash, ""}, {c}).error().field ==
          "payout_id");
}

TEST_CASE("a commission is pending, then approved and paid, or rejected with its entry reversed") {
    const auto e = sale_entry("sub:sub-1:1", 5'000'000);
    CommissionState s;
    CHECK(decide_approve(s, "x").error().code == core::Errc::NotFound);
    evolve(s, *commission_for(percent(100'000), sale_of(e)));
    CHECK(s.status == CommissionStatus::Pending);

    auto approved = decide_approve(s, "sub:sub-1:1");
    REQUIRE(approved);
    REQUIRE(approved->size() == 1);
    evolve(s, approved->front());
    CHECK(s.status == CommissionStatus::Approved);
    CHECK(decide_approve(s, "sub:sub-1:1")->empty());  // approving again: nothing

    CHECK(decide_reject(s, "sub:sub-1:1", "").error().field == "reason");
    CHECK(decide_reject(s, "sub:sub-1:1", "line\nbreak").error().field == "reason");
    auto paid_state = s;
    evolve(paid_state, CommissionPaid{"sub:sub-1:1", "po-1"});
    CHECK(paid_state.status == CommissionStatus::Paid);
    CHECK(paid_state.payout_id == "po-1");
    CHECK(decide_reject(paid_state, "sub:sub-1:1", "refunded").error().field == "status");
    CHECK(decide_approve(paid_state, "sub:sub-1:1").error().field == "status");

    auto rejected = decide_reject(s, "sub:sub-1:1", "customer refunded");
    REQUIRE(rejected);
    const auto& r = std::get<CommissionRejected>(rejected->front());
    CHECK(r.entry_id == "com:sub:sub-1:1.reversal");
    evolve(s, r);
    CHECK(s.status == CommissionStatus::Rejected);
    CHECK(s.reason == "customer refunded");
    CHECK(decide_reject(s, "sub:sub-1:1", "again")->empty());
    CHECK(decide_approve(s, "sub:sub-1:1").error().field == "status");
}

TEST_CASE("commission rates are checked field by field") {
    CHECK(check_commission_rate(percent(100'000)).has_value());
    CHECK(check_commission_rate(percent(0)).has_value());  // 0 %: no more commissions
    CHECK(check_commission_rate(percent(1'000'001)).error().field == "percent_ppm");
    CHECK(check_commission_rate(percent(-1)).error().field == "percent_ppm");
    auto both = percent(100'000);
    both.amount_micros = 1;
    both.currency = "EUR";
    CHECK(check_commission_rate(both).error().field == "percent_ppm");
    CommissionRate fixed;
    fixed.reseller_id = "acme";
    fixed.amount_micros = 500'000;
    CHECK(check_commission_rate(fixed).error().field == "currency");
    fixed.currency = "EUR";
    CHECK(check_commission_rate(fixed).has_value());
    auto pct_currency = percent(1);
    pct_currency.currency = "EUR";
    CHECK(check_commission_rate(pct_currency).error().field == "currency");
    auto bad_id = percent(1);
    bad_id.reseller_id = "a/b";
    CHECK(check_commission_rate(bad_id).error().field == "reseller_id");

    CommissionRateState s;
    auto set = decide(s, percent(100'000));
    REQUIRE(set);
    REQUIRE(set->size() == 1);
    evolve(s, set->front());
    CHECK(decide(s, percent(100'000))->empty());
    CHECK(decide(s, percent(150'000))->size() == 1);
}
