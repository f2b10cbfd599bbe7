// Invoices' amounts, taxes and promo codes, with the examples the vendors publish reproduced to
// the cent: Stripe's per-line tax rounding (15 % of 0.43 and 4.84), Stripe's 600 EUR at 10 %
// inclusive and exclusive, Zuora's inclusive split of 2.99 at 4 %, Stripe's coupon examples
// (amount_off larger than the invoice, percent_off 50), Lago's coupon taken off before tax;
// EU VAT ids and the reverse charge; promo code redemption limits.
#include <doctest/doctest.h>

#include "core/billing/invoice.hpp"
#include "core/billing/promo.hpp"
#include "core/billing/tax.hpp"

using namespace switchyard::core;
using namespace switchyard::core::billing;

namespace {

TaxTreatment rate(RatePpm ppm) {
    TaxTreatment t;
    t.jurisdiction = "XX";
    t.name = "Tax";
    t.rate_ppm = ppm;
    return t;
}

InvoiceLineInput line(const char* what, Micros unit, const char* plan = "") {
    return {what, "other", plan, 1, unit};
}

PromoCode percent(RatePpm ppm) {
    PromoCode p;
    p.code = "SAVE";
    p.percent_ppm = ppm;
    return p;
}

PromoCode fixed(Micros amount, const char* currency) {
    PromoCode p;
    p.code = "FLAT";
    p.amount_micros = amount;
    p.currency = currency;
    return p;
}

const std::vector<TaxRate> kRates{{"DE", "VAT", 190'000},
                                  {"FR", "VAT", 200'000},
                                  {"US", "Sales tax", 0},
                                  {"US-CA", "Sales tax", 72'500}};

}  // namespace

TEST_CASE("Stripe's rounding example: tax per line, 15 % of 0.43 is 0.06 and of 4.84 is 0.73") {
    auto inv = compute_invoice({line("a", 430'000), line("b", 4'840'000)}, "USD", rate(150'000),
                               TaxBehavior::Exclusive);
    REQUIRE(inv);
    CHECK(inv->lines[0].tax_micros == 60'000);
    CHECK(inv->lines[1].tax_micros == 730'000);
    CHECK(inv->totals.subtotal_micros == 5'270'000);
    CHECK(inv->totals.tax_micros == 790'000);
    CHECK(inv->totals.total_micros == 6'060'000);
}

TEST_CASE("Stripe's 600 EUR at 10 %: inclusive stays 600, exclusive is 660") {
    auto inclusive =
        compute_invoice({line("plan", 600'000'000)}, "EUR", rate(100'000), TaxBehavior::Inclusive);
    REQUIRE(inclusive);
    CHECK(inclusive->totals.total_micros == 600'000'000);
    CHECK(inclusive->totals.net_micros == 545'450'000);
    CHECK(inclusive->totals.tax_micros == 54'550'000);
    auto exclusive =
        compute_invoice({line("plan", 600'000'000)}, "EUR", rate(100'000), TaxBehavior::Exclusive);
    REQUIRE(exclusive);
    CHECK(exclusive->totals.total_micros == 660'000'000);
    CHECK(exclusive->totals.tax_micros == 60'000'000);
}

TEST_CASE("Zuora's inclusive split: 2.99 at 4 % is 2.88 net and 0.11 tax") {
    const auto s = apply_tax(2'990'000, 40'000, TaxBehavior::Inclusive, "USD");
    CHECK(s.net_micros == 2'880'000);
    CHECK(s.tax_micros == 110'000);
    CHECK(s.gross_micros == 2'990'000);
    // Whole yen: 1,100 JPY at 10 % inclusive is 1,000 and 100.
    const auto yen = apply_tax(1'100'000'000, 100'000, TaxBehavior::Inclusive, "JPY");
    CHECK(yen.net_micros == 1'000'000'000);
    CHECK(yen.tax_micros == 100'000'000);
}

TEST_CASE(
    "Stripe's coupon examples: amount_off 200 on 100 leaves 0, on 300 leaves 100, 50 % of 100 is "
    "50") {
    auto small = compute_invoice({line("plan", 100'000'000)}, "USD", rate(0),
                                 TaxBehavior::Exclusive, fixed(200'000'000, "USD"));
    REQUIRE(small);
    CHECK(small->totals.discount_micros == 100'000'000);
    CHECK(small->totals.total_micros == 0);
    auto large = compute_invoice({line("plan", 300'000'000)}, "USD", rate(0),
                                 TaxBehavior::Exclusive, fixed(200'000'000, "USD"));
    CHECK(large->totals.total_micros == 100'000'000);
    auto half = compute_invoice({line("plan", 100'000'000)}, "USD", rate(0), TaxBehavior::Exclusive,
                                percent(500'000));
    CHECK(half->totals.total_micros == 50'000'000);
}

TEST_CASE("Lago: the coupon comes off before tax, spread over the fees by their share") {
    // Lago's changelog example without its prepaid credits: fees of 50 and 20, a 10 coupon,
    // 10 % tax: 60 taxed, 6 tax, 66 due.
    auto inv = compute_invoice({line("subscription", 50'000'000), line("usage", 20'000'000)}, "USD",
                               rate(100'000), TaxBehavior::Exclusive, fixed(10'000'000, "USD"));
    REQUIRE(inv);
    CHECK(inv->lines[0].discount_micros == 7'140'000);
    CHECK(inv->lines[1].discount_micros == 2'860'000);
    CHECK(inv->totals.net_micros == 60'000'000);
    CHECK(inv->totals.tax_micros == 6'000'000);
    CHECK(inv->totals.total_micros == 66'000'000);
}

TEST_CASE("a plan-restricted code discounts only its plan's line, 19 % VAT on the rest") {
    auto p = percent(100'000);
    p.plan_ids = {"vpn-pro"};
    auto inv = compute_invoice(
        {line("VPN pro, December", 100'000'000, "vpn-pro"), line("Static IP", 5'000'000)}, "EUR",
        rate(190'000), TaxBehavior::Exclusive, p);
    REQUIRE(inv);
    CHECK(inv->lines[0].discount_micros == 10'000'000);
    CHECK(inv->lines[1].discount_micros == 0);
    CHECK(inv->lines[0].tax_micros == 17'100'000);
    CHECK(inv->lines[1].tax_micros == 950'000);
    CHECK(inv->totals.total_micros == 107'100'000 + 5'950'000);
    // Periods: once applies to the first period only.
    auto second = compute_invoice({line("VPN pro, January", 100'000'000, "vpn-pro")}, "EUR",
                                  rate(190'000), TaxBehavior::Exclusive, p, 2);
    CHECK(second->totals.discount_micros == 0);
}

TEST_CASE("bad invoice lines are refused naming the field") {
    CHECK(compute_invoice({}, "EUR", rate(0), TaxBehavior::Exclusive).error().field == "lines");
    CHECK(compute_invoice({line("", 1)}, "EUR", rate(0), TaxBehavior::Exclusive).error().field ==
          "lines[0].description");
    CHECK(compute_invoice({line("x", -1)}, "EUR", rate(0), TaxBehavior::Exclusive).error().field ==
          "lines[0].unit_amount_micros");
    InvoiceLineInput many{"x", "other", "", 0, 1};
    CHECK(compute_invoice({many}, "EUR", rate(0), TaxBehavior::Exclusive).error().field ==
          "lines[0].quantity");
    CHECK(compute_invoice({line("x", 1)}, "eur", rate(0), TaxBehavior::Exclusive).error().field ==
          "currency");
}

TEST_CASE("EU VAT ids: normalized and checked per member state's structure") {
    CHECK(normalize_vat_id("de 123.456.789", "vat_id").value() == "DE123456789");
    CHECK(normalize_vat_id("NL123456789B01", "vat_id"));
    CHECK(normalize_vat_id("ATU12345678", "vat_id"));
    CHECK(normalize_vat_id("FRXX123456789", "vat_id"));
    CHECK(normalize_vat_id("EL123456789", "vat_id"));
    CHECK(normalize_vat_id("ESX1234567X", "vat_id"));
    CHECK(normalize_vat_id("IE1234567WI", "vat_id"));
    CHECK_FALSE(normalize_vat_id("DE12345678", "vat_id"));
    CHECK_FALSE(normalize_vat_id("NL123456789A01", "vat_id"));
    CHECK_FALSE(normalize_vat_id("AT12345678", "vat_id"));
    auto greek = normalize_vat_id("GR123456789", "vat_id");
    REQUIRE_FALSE(greek);
    CHECK(greek.error().message.find("EL") != std::string::npos);
    CHECK(normalize_vat_id("US123456789", "buyer.vat_id").error().field == "buyer.vat_id");
    CHECK(vat_id_country("EL123456789") == "GR");
}

TEST_CASE("tax treatment: destination rates, regions, and the EU reverse charge") {
    auto fr_consumer = tax_treatment(kRates, "DE", {"FR", "", ""});
    REQUIRE(fr_consumer);
    CHECK(fr_consumer->rate_ppm == 200'000);
    CHECK_FALSE(fr_consumer->reverse_charge);
    auto fr_business = tax_treatment(kRates, "DE", {"FR", "", "FR 12 345678901"});
    REQUIRE(fr_business);
    CHECK(fr_business->reverse_charge);
    CHECK(fr_business->rate_ppm == 0);
    CHECK(fr_business->vat_id == "FR12345678901");
    CHECK(fr_business->note.find("Reverse charge") == 0);
    // A business in the seller's own country pays its VAT.
    auto de_business = tax_treatment(kRates, "DE", {"DE", "", "DE123456789"});
    CHECK(de_business->rate_ppm == 190'000);
    CHECK_FALSE(de_business->reverse_charge);
    CHECK(tax_treatment(kRates, "DE", {"US", "CA", ""})->rate_ppm == 72'500);
    CHECK(tax_treatment(kRates, "DE", {"US", "NV", ""})->rate_ppm == 0);
    auto nowhere = tax_treatment(kRates, "DE", {"JP", "", ""});
    REQUIRE_FALSE(nowhere);
    CHECK(nowhere.error().code == Errc::NotFound);
    CHECK(tax_treatment(kRates, "DE", {"FR", "", "DE123456789"}).error().field == "vat_id");
    CHECK(tax_treatment(kRates, "DE", {"France", "", ""}).error().field == "country");
    // Under reverse charge an invoice carries no tax.
    auto inv =
        compute_invoice({line("plan", 100'000'000)}, "EUR", *fr_business, TaxBehavior::Exclusive);
    CHECK(inv->totals.tax_micros == 0);
    CHECK(check_tax_rate({"US-CA", "Sales tax", 72'500}));
    CHECK(check_tax_rate({"usa", "VAT", 1}).error().field == "jurisdiction");
    CHECK(check_tax_rate({"DE", "VAT", 1'000'001}).error().field == "rate_ppm");
}

TEST_CASE("promo codes: limits across customers, per customer, by date, plan and currency") {
    PromoState s;
    auto p = percent(250'000);
    p.code = "WELCOME25";
    p.max_redemptions = 2;
    p.redeem_by = *parse_rfc3339("2026-12-31T23:59:59Z");
    p.plan_ids = {"vpn-basic"};
    auto defined = decide(s, p);
    REQUIRE(defined);
    for (const auto& e : *defined) evolve(s, e);
    CHECK(decide(s, p)->empty());
    const auto now = *parse_rfc3339("2026-12-03T10:00:00Z");
    RedeemPromo c{"WELCOME25", "c1", "s1", "vpn-basic", "EUR"};
    auto r = decide_redeem(s, c, now);
    REQUIRE(r);
    for (const auto& e : *r) evolve(s, e);
    CHECK(decide_redeem(s, c, now).error().message.find("already redeemed") != std::string::npos);
    // Terms are frozen once redeemed.
    auto changed = p;
    changed.percent_ppm = 500'000;
    CHECK(decide(s, changed).error().code == Errc::Conflict);
    CHECK(decide_redeem(s, {"WELCOME25", "c2", "s2", "vpn-pro", "EUR"}, now)
              .error()
              .message.find("not for plan") != std::string::npos);
    CHECK(decide_redeem(s, {"WELCOME25", "c2", "s2", "vpn-basic", "EUR"},
                        *parse_rfc3339("2027-01-01T00:00:00Z"))
              .error()
              .message.find("until") != std::string::npos);
    r = decide_redeem(s, {"WELCOME25", "c2", "s2", "vpn-basic", "EUR"}, now);
    REQUIRE(r);
    for (const auto& e : *r) evolve(s, e);
    CHECK(std::get<PromoRedeemed>(r->front()).redemption == 2);
    auto third = decide_redeem(s, {"WELCOME25", "c3", "s3", "vpn-basic", "EUR"}, now);
    REQUIRE_FALSE(third);
    CHECK(third.error().code == Errc::Rejected);
    CHECK(third.error().field == "promo_code");
    auto retired = decide_retire(s, "WELCOME25");
    for (const auto& e : *retired) evolve(s, e);
    CHECK(decide_redeem(s, c, now).error().message.find("retired") != std::string::npos);
    CHECK(decide_redeem(PromoState{}, c, now).error().code == Errc::NotFound);

    PromoState eur;
    const auto flat = decide(eur, fixed(5'000'000, "EUR"));
    REQUIRE(flat);
    for (const auto& e : *flat) evolve(eur, e);
    CHECK(decide_redeem(eur, {"FLAT", "c1", "s1", "p", "USD"}, now).error().message.find("USD") !=
          std::string::npos);
}

TEST_CASE("promo codes: durations, and bad terms refused naming the field") {
    auto p = percent(100'000);
    p.duration = DiscountDuration::Repeating;
    p.periods = 3;
    CHECK(discount_for(p, 10'000'000, 3, "EUR") == 1'000'000);
    CHECK(discount_for(p, 10'000'000, 4, "EUR") == 0);
    p.duration = DiscountDuration::Forever;
    p.periods = 0;
    CHECK(discount_for(p, 10'000'000, 400, "EUR") == 1'000'000);
    // 33 % of 0.10 is 0.033: rounded to 0.03.
    CHECK(discount_for(percent(330'000), 100'000, 1, "EUR") == 30'000);

    CHECK(check_promo(percent(0)).error().field == "percent_ppm");
    auto both = percent(1);
    both.amount_micros = 1;
    CHECK(check_promo(both).error().field == "percent_ppm");
    CHECK(check_promo(fixed(1, "")).error().field == "currency");
    auto lower = percent(1);
    lower.code = "save10";
    CHECK(check_promo(lower).error().field == "code");
    CHECK(normalize_promo_code("save10") == "SAVE10");
    auto repeating = percent(1);
    repeating.duration = DiscountDuration::Repeating;
    CHECK(check_promo(repeating).error().field == "periods");
    auto plans = percent(1);
    plans.plan_ids = {"ok", "not ok"};
    CHECK(check_promo(plans).error().field == "plan_ids[1]");
}
