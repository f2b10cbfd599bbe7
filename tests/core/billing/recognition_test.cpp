// Revenue recognition arithmetic: what a deferral has earned by a time (pro rata by the second,
// rounded to the currency's minor unit), the day's recognition entry, deferrals read off an
// entry (and none off a recognition), a ratable charge's postings, and the entry checks of an
// earning period.
#include "core/billing/recognition.hpp"

#include <doctest/doctest.h>

#include "tests/support/result_checks.hpp"

using namespace switchyard::core;
using namespace switchyard::core::billing;
using switchyard::testing::error_of;

namespace {

Timestamp t(const char* rfc3339) { return *parse_rfc3339(rfc3339); }

JournalEntry ratable_charge() {
    JournalEntry e{
        "sub:s1:1", "EUR", "VPN, period 1",
        "s1",       "",    {{"wallet:c1", 31'000'000, 0}, {"revenue:vpn", 0, 31'000'000}}};
    defer_revenue(e, t("2026-01-01T00:00:00Z"), t("2026-02-01T00:00:00Z"));
    return e;
}

}  // namespace

TEST_CASE("a ratable charge defers its revenue over its period and earns it by the second") {
    const auto e = ratable_charge();
    CHECK(e.postings[1].account == "deferred_revenue:vpn");
    REQUIRE(check_entry(e));
    const auto ds = deferrals_of(e);
    REQUIRE(ds.size() == 1);
    const auto& d = ds[0];
    CHECK(d.account == "deferred_revenue:vpn");
    CHECK(d.amount_micros == 31'000'000);
    CHECK(earned_by(d, t("2025-12-31T00:00:00Z")) == 0);
    CHECK(earned_by(d, t("2026-01-01T00:00:00Z")) == 0);
    CHECK(earned_by(d, t("2026-01-02T00:00:00Z")) == 1'000'000);  // 1 of 31 days
    CHECK(earned_by(d, t("2026-01-01T12:00:00Z")) == 500'000);
    CHECK(earned_by(d, t("2026-01-01T00:00:01Z")) == 0);  // 0.0000115 EUR rounds to 0.00
    CHECK(earned_by(d, t("2026-02-01T00:00:00Z")) == 31'000'000);
    CHECK(earned_by(d, t("2027-01-01T00:00:00Z")) == 31'000'000);

    // The day's entry: through the start of `now`'s UTC day, less what was recognized.
    auto first = recognition_entry(d, 0, t("2026-01-03T17:45:00Z"));
    REQUIRE(first);
    CHECK(first->entry_id == "rec:sub:s1:1:2026-01-03");
    CHECK(first->reference == "sub:s1:1");
    CHECK(is_recognition(*first));
    CHECK(deferrals_of(*first).empty());
    REQUIRE(first->postings.size() == 2);
    CHECK(first->postings[0].account == "deferred_revenue:vpn");
    CHECK(first->postings[0].debit_micros == 2'000'000);
    CHECK(first->postings[1].account == "revenue:vpn");
    CHECK(first->postings[1].credit_micros == 2'000'000);
    REQUIRE(check_entry(*first));
    CHECK_FALSE(recognition_entry(d, 2'000'000, t("2026-01-03T23:59:59Z")));
    auto last = recognition_entry(d, 2'000'000, t("2026-03-01T00:00:00Z"));
    REQUIRE(last);
    CHECK(last->postings[0].debit_micros == 29'000'000);
}

TEST_CASE("a negative deferral un-earns: revenue debited, deferred revenue credited") {
    const auto r = reversal_of(ratable_charge(), "mistake");
    REQUIRE(r.earned_from);
    const auto ds = deferrals_of(r);
    REQUIRE(ds.size() == 1);
    CHECK(ds[0].amount_micros == -31'000'000);
    auto e = recognition_entry(ds[0], 0, t("2026-01-11T08:00:00Z"));
    REQUIRE(e);
    CHECK(e->entry_id == "rec:sub:s1:1.reversal:2026-01-11");
    CHECK(e->postings[0].account == "revenue:vpn");
    CHECK(e->postings[0].debit_micros == 10'000'000);
    CHECK(e->postings[1].account == "deferred_revenue:vpn");
}

TEST_CASE("an earning period needs both ends in order, a short id and deferred revenue") {
    auto e = ratable_charge();
    e.earned_until.reset();
    CHECK(error_of(check_entry(e)).field == "earned_until");
    e = ratable_charge();
    e.earned_until = e.earned_from;
    CHECK(error_of(check_entry(e)).field == "earned_until");
    e = ratable_charge();
    e.entry_id = std::string(101, 'x');
    CHECK(error_of(check_entry(e)).field == "entry_id");
    e = ratable_charge();
    e.postings[1].account = "revenue:vpn";
    CHECK(error_of(check_entry(e)).field == "earned_until");
    // Without a period an entry to deferred revenue stays there: no deferral.
    e = ratable_charge();
    e.earned_from.reset();
    e.earned_until.reset();
    REQUIRE(check_entry(e));
    CHECK(deferrals_of(e).empty());
}
