// The arithmetic of the billing reports: MRR normalized from each billing period, the movement
// of a subscription's MRR, receivables aging with payments settling the oldest charges first,
// and the calendar periods reports group by.
#include <doctest/doctest.h>

#include "core/billing/report.hpp"

using namespace switchyard;
using namespace switchyard::core::billing;

namespace {

Plan plan_of(Interval interval, std::int64_t count) {
    Plan p;
    p.plan_id = "p";
    p.interval = interval;
    p.interval_count = count;
    return p;
}

core::Timestamp at(const char* text) { return *core::parse_rfc3339(text); }

}  // namespace

TEST_CASE("MRR normalizes every billing period to an average month") {
    const Price eur{"EUR", 120'000'000, 50'000'000};
    CHECK(monthly_recurring(plan_of(Interval::Month, 1), eur) == 120'000'000);
    CHECK(monthly_recurring(plan_of(Interval::Year, 1), eur) == 10'000'000);
    CHECK(monthly_recurring(plan_of(Interval::Month, 3), eur) == 40'000'000);
    // 7.00 a week: 7 * 30.4375 / 7 = 30.4375, rounded to the cent.
    CHECK(monthly_recurring(plan_of(Interval::Week, 1), Price{"EUR", 7'000'000, 0}) == 30'440'000);
    // 1.00 a day: 30.4375 -> 30.44; yen have no minor unit: 100 JPY a day -> 3,044 JPY.
    CHECK(monthly_recurring(plan_of(Interval::Day, 1), Price{"EUR", 1'000'000, 0}) == 30'440'000);
    CHECK(monthly_recurring(plan_of(Interval::Day, 1), Price{"JPY", 100'000'000, 0}) ==
          3'044'000'000);
    CHECK(monthly_recurring(plan_of(Interval::Month, 1), Price{"EUR", 0, 0}) == 0);
}

TEST_CASE("a change of MRR is new, expansion, contraction, churn or reactivation") {
    CHECK(classify_mrr(0, 10, false) == MrrMovement::New);
    CHECK(classify_mrr(0, 10, true) == MrrMovement::Reactivation);
    CHECK(classify_mrr(10, 20, true) == MrrMovement::Expansion);
    CHECK(classify_mrr(20, 10, true) == MrrMovement::Contraction);
    CHECK(classify_mrr(10, 0, true) == MrrMovement::Churn);
    CHECK(classify_mrr(10, 10, true) == MrrMovement::None);
    CHECK(classify_mrr(0, 0, false) == MrrMovement::None);
    CHECK(std::string(to_string(MrrMovement::Reactivation)) == "reactivation");
    CHECK(counts_for_mrr(SubscriptionStatus::Active));
    CHECK(counts_for_mrr(SubscriptionStatus::PastDue));
    for (auto s :
         {SubscriptionStatus::Trialing, SubscriptionStatus::Paused, SubscriptionStatus::Suspended,
          SubscriptionStatus::Expired, SubscriptionStatus::Canceled})
        CHECK_FALSE(counts_for_mrr(s));
}

TEST_CASE("receivables age by the charge's date, payments settling the oldest first") {
    const std::vector<ReceivableLine> lines{
        {at("2026-01-01T10:00:00Z"), 12'000'000, 0},   // invoice 1
        {at("2026-02-10T10:00:00Z"), 30'000'000, 0},   // invoice 2
        {at("2026-02-20T10:00:00Z"), 0, 5'000'000},    // a partial payment: settles invoice 1
        {at("2026-05-01T10:00:00Z"), 0, 100'000'000},  // after the dates below
    };
    SUBCASE("before the payment: 12 is 45 days old, 30 is 5 days old") {
        auto b = age_receivable(lines, at("2026-02-15T10:00:00Z"));
        CHECK(b.current_micros == 30'000'000);
        CHECK(b.days_31_60_micros == 12'000'000);
        CHECK(b.total() == 42'000'000);
    }
    SUBCASE("after it: 7 left of invoice 1 (75 days), all of invoice 2 (35 days)") {
        auto b = age_receivable(lines, at("2026-03-17T10:00:00Z"));
        CHECK(b.current_micros == 0);
        CHECK(b.days_31_60_micros == 30'000'000);
        CHECK(b.days_61_90_micros == 7'000'000);
        CHECK(b.over_90_micros == 0);
        CHECK(b.total() == 37'000'000);
    }
    SUBCASE("over 90 days") {
        auto b = age_receivable(lines, at("2026-04-30T10:00:00Z"));
        CHECK(b.over_90_micros == 7'000'000);
        CHECK(b.days_61_90_micros == 30'000'000);
    }
    SUBCASE("an overpayment is an unapplied credit, negative, in current") {
        auto b = age_receivable(lines, at("2026-05-02T00:00:00Z"));
        CHECK(b.current_micros == -63'000'000);
        CHECK(b.total() == -63'000'000);
    }
    SUBCASE("a prepayment settles the next charge") {
        const std::vector<ReceivableLine> prepaid{{at("2026-01-01T00:00:00Z"), 0, 10'000'000},
                                                  {at("2026-01-02T00:00:00Z"), 25'000'000, 0}};
        auto b = age_receivable(prepaid, at("2026-03-15T00:00:00Z"));
        CHECK(b.days_61_90_micros == 15'000'000);
        CHECK(b.total() == 15'000'000);
    }
}

TEST_CASE("report periods: day, month, quarter, year of a UTC day") {
    CHECK(day_of(at("2026-11-30T23:59:59.999999Z")) == "2026-11-30");
    CHECK(day_of(at("2026-12-01T00:30:00+01:00")) == "2026-11-30");
    CHECK(period_of("2026-11-30", ReportGrain::Day) == "2026-11-30");
    CHECK(period_of("2026-11-30", ReportGrain::Month) == "2026-11");
    CHECK(period_of("2026-11-30", ReportGrain::Quarter) == "2026-Q4");
    CHECK(period_of("2026-01-01", ReportGrain::Quarter) == "2026-Q1");
    CHECK(period_of("2026-06-30", ReportGrain::Quarter) == "2026-Q2");
    CHECK(period_of("2026-11-30", ReportGrain::Year) == "2026");
    ReportGrain g = ReportGrain::Day;
    CHECK(parse_report_grain("quarter", g));
    CHECK(g == ReportGrain::Quarter);
    CHECK_FALSE(parse_report_grain("week", g));
}
