// Plans and subscriptions, decided without a log: proration by day reproducing Stripe's and
// Lago's documented examples to the cent, calendar periods, the lifecycle through time
// (reminders, renewal, failed renewals and their retries, suspension, reinstatement, expiry,
// cancellation, pause) and refusals that name the field.
#include <doctest/doctest.h>

#include "core/billing/plan.hpp"
#include "core/billing/subscription.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard::core;
using namespace switchyard::core::billing;
using switchyard::testing::error_of;

namespace {

Timestamp at(const char* rfc3339) { return *parse_rfc3339(rfc3339); }

Plan monthly(std::string id, Micros eur, std::string line = "vpn") {
    Plan p;
    p.plan_id = std::move(id);
    p.name = "Plan " + p.plan_id;
    p.line = std::move(line);
    p.prices = {{"EUR", eur, 0}, {"USD", eur, 0}};
    return p;
}

PlanState defined(const Plan& p) { return PlanState{p, false}; }

SubscriptionState replay(SubscriptionState s, const std::vector<SubscriptionEvent>& events) {
    for (const auto& e : events) evolve(s, e);
    return s;
}

CreateSubscription create(const std::string& plan_id, std::string currency = "EUR") {
    CreateSubscription c;
    c.terms = {"sub-1", "cust-1", std::move(currency), "wallet:cust-1", "peer-1"};
    c.plan_id = plan_id;
    return c;
}

template <class E>
const E* only(const SubscriptionDecision& d) {
    if (d.events.size() != 1) return nullptr;
    return std::get_if<E>(&d.events.front());
}

}  // namespace

TEST_CASE("amounts round to the currency's minor unit, half away from zero") {
    CHECK(prorate(100'000'000, 14, 31, "EUR") == 45'160'000);  // Lago: 14/31 x EUR 100
    CHECK(prorate(100'000'000, 17, 31, "EUR") == 54'840'000);
    CHECK(prorate(10'000'000, 15, 30, "USD") == 5'000'000);
    CHECK(prorate(1'000'000'000, 1, 3, "JPY") == 333'000'000);  // no minor unit
    CHECK(prorate(1'000'000, 1, 3, "KWD") == 333'000);          // three digits
    CHECK(prorate(5'000, 1, 2, "EUR") == 0);                    // 0.0025 -> 0.00
    CHECK(prorate(15'000, 1, 1, "EUR") == 20'000);              // 0.015 -> 0.02
    CHECK(round_to_minor_unit(-15'000, "EUR") == -20'000);
    CHECK(prorate(100, 1, 0, "EUR") == 0);
    CHECK(minor_unit_digits("EUR") == 2);
    CHECK(minor_unit_digits("JPY") == 0);
    CHECK(minor_unit_digits("BHD") == 3);
}

TEST_CASE("calendar periods keep the anchor's day, clamped to the month's last day") {
    const auto jan31 = at("2026-01-31T10:00:00Z");
    CHECK(add_intervals(jan31, Interval::Month, 1, 1) == at("2026-02-28T10:00:00Z"));
    CHECK(add_intervals(jan31, Interval::Month, 1, 2) == at("2026-03-31T10:00:00Z"));
    CHECK(add_intervals(jan31, Interval::Month, 3, 1) == at("2026-04-30T10:00:00Z"));
    CHECK(add_intervals(at("2028-01-31T00:00:00Z"), Interval::Month, 1, 1) ==
          at("2028-02-29T00:00:00Z"));
    CHECK(add_intervals(at("2028-02-29T00:00:00Z"), Interval::Year, 1, 1) ==
          at("2029-02-28T00:00:00Z"));
    CHECK(add_intervals(jan31, Interval::Week, 2, 1) == at("2026-02-14T10:00:00Z"));
    CHECK(add_intervals(jan31, Interval::Day, 30, 1) == at("2026-03-02T10:00:00Z"));
    CHECK(add_intervals(at("2026-12-15T00:00:00Z"), Interval::Month, 1, 1) ==
          at("2027-01-15T00:00:00Z"));
    CHECK(whole_days(at("2026-01-01T00:00:00Z"), at("2026-02-01T00:00:00Z")) == 31);
    CHECK(whole_days(at("2026-01-01T00:00:00Z"), at("2026-01-15T23:59:59Z")) == 14);
}

TEST_CASE("an upgrade is prorated by day: Stripe's USD 10 -> 20 halfway example") {
    // "If a customer upgrades from a 10 USD monthly plan to a 20 USD option halfway through the
    // billing period, the customer is billed an additional 5 USD: -5 for unused time on the
    // original price, +10 for the remaining time on the new price" (Stripe, Prorations).
    auto basic = monthly("basic", 10'000'000);
    auto pro = monthly("pro", 20'000'000);
    auto created = decide(SubscriptionState{}, create("basic", "USD"), defined(basic),
                          at("2026-04-01T00:00:00Z"));
    REQUIRE(created);
    auto s = replay({}, created->events);
    CHECK(s.period_end == at("2026-05-01T00:00:00Z"));
    auto d = decide_change_plan(s, defined(basic), defined(pro), at("2026-04-16T09:00:00Z"));
    REQUIRE(d);
    const auto* c = only<SubscriptionPlanChanged>(*d);
    REQUIRE(c);
    CHECK(c->days_in_period == 30);
    CHECK(c->days_remaining == 15);
    CHECK(c->credit_micros == 5'000'000);
    CHECK(c->charge_micros == 10'000'000);
    REQUIRE(d->charge);
    CHECK(d->charge->entry_id == "sub:sub-1:change:1");
    CHECK(d->charge->postings ==
          std::vector<Posting>{{"wallet:cust-1", 5'000'000, 0}, {"revenue:vpn", 0, 5'000'000}});
    CHECK(check_entry(*d->charge));
    s = replay(s, d->events);
    CHECK(s.plan_id == "pro");
    CHECK(s.period_end == at("2026-05-01T00:00:00Z"));  // the same period
}

TEST_CASE("an upgrade is prorated by day: Lago's EUR 100 -> 200 on January 15th example") {
    // Lago: Plan A (EUR 100/month) from January 1st, upgraded to Plan B (EUR 200/month) on
    // January 15th: Plan A's 14 days are EUR 45.16 (14/31 x 100), so its 17 unused days,
    // paid in advance, are credited: EUR 54.84; Plan B's 17 days cost EUR 109.68.
    auto a = monthly("plan-a", 100'000'000);
    auto b = monthly("plan-b", 200'000'000);
    auto s = replay(
        {}, decide(SubscriptionState{}, create("plan-a"), defined(a), at("2026-01-01T00:00:00Z"))
                ->events);
    auto d = decide_change_plan(s, defined(a), defined(b), at("2026-01-15T00:00:00Z"));
    REQUIRE(d);
    const auto* c = only<SubscriptionPlanChanged>(*d);
    REQUIRE(c);
    CHECK(c->days_remaining == 17);
    CHECK(c->days_in_period == 31);
    CHECK(100'000'000 - c->credit_micros == 45'160'000);
    CHECK(c->credit_micros == 54'840'000);
    CHECK(c->charge_micros == 109'680'000);
    REQUIRE(d->charge);
    CHECK(d->charge->postings.front().debit_micros == 54'840'000);
}

TEST_CASE("a downgrade waits for the renewal, and a yearly upgrade starts a new period now") {
    auto basic = monthly("basic", 10'000'000);
    auto pro = monthly("pro", 20'000'000);
    auto yearly = monthly("pro-year", 180'000'000);  // 15/month: a downgrade from pro
    yearly.interval = Interval::Year;
    auto big_year = monthly("max-year", 300'000'000);  // 25/month: an upgrade from pro
    big_year.interval = Interval::Year;
    auto s = replay(
        {}, decide(SubscriptionState{}, create("pro"), defined(pro), at("2026-04-01T00:00:00Z"))
                ->events);
    auto down = decide_change_plan(s, defined(pro), defined(basic), at("2026-04-10T00:00:00Z"));
    REQUIRE(down);
    CHECK(!down->charge);
    REQUIRE(only<SubscriptionDowngradeScheduled>(*down));
    auto s2 = replay(s, down->events);
    CHECK(s2.pending_plan_id == "basic");
    CHECK(s2.plan_id == "pro");
    // At the period end the renewal charges the downgraded price.
    auto renewal = decide_advance(s2, defined(basic), at("2026-05-01T00:00:00Z"));
    REQUIRE(renewal);
    const auto* r = only<SubscriptionRenewed>(*renewal);
    REQUIRE(r);
    CHECK(r->plan_id == "basic");
    CHECK(r->amount_micros == 10'000'000);
    CHECK(r->period_end == at("2026-06-01T00:00:00Z"));
    CHECK(replay(s2, renewal->events).pending_plan_id.empty());

    CHECK(only<SubscriptionDowngradeScheduled>(
        *decide_change_plan(s, defined(pro), defined(yearly), at("2026-04-10T00:00:00Z"))));
    auto up = decide_change_plan(s, defined(pro), defined(big_year), at("2026-04-11T00:00:00Z"));
    REQUIRE(up);
    const auto* c = only<SubscriptionPlanChanged>(*up);
    REQUIRE(c);
    CHECK(c->credit_micros == 13'330'000);  // 20 x 20/30 = 13.333 -> 13.33
    CHECK(c->charge_micros == 300'000'000);
    CHECK(c->period_start == at("2026-04-11T00:00:00Z"));
    CHECK(c->period_end == at("2027-04-11T00:00:00Z"));
}

TEST_CASE("a subscription through time: reminders, renewal, failures, suspension, payment") {
    auto plan = monthly("vpn-monthly", 5'000'000);
    plan.grace_days = 3;
    auto d = decide(SubscriptionState{}, create("vpn-monthly"), defined(plan),
                    at("2026-10-01T12:00:00Z"));
    REQUIRE(d);
    REQUIRE(d->charge);
    CHECK(d->charge->entry_id == "sub:sub-1:1");
    auto s = replay({}, d->events);
    CHECK(s.status == SubscriptionStatus::Active);
    CHECK(service_on(s.status));
    CHECK(next_due(s) == at("2026-10-25T12:00:00Z"));  // the 7-day reminder

    // Nothing before the reminder; the 7-day one; then, late, the 3-day one (not the 7 again).
    CHECK(decide_advance(s, defined(plan), at("2026-10-20T00:00:00Z"))->events.empty());
    auto r7 = decide_advance(s, defined(plan), at("2026-10-25T12:00:00Z"));
    REQUIRE(only<SubscriptionReminderDue>(*r7));
    CHECK(only<SubscriptionReminderDue>(*r7)->days_before == 7);
    s = replay(s, r7->events);
    CHECK(next_due(s) == at("2026-10-29T12:00:00Z"));
    auto r3 = decide_advance(s, defined(plan), at("2026-10-30T00:00:00Z"));
    REQUIRE(only<SubscriptionReminderDue>(*r3));
    CHECK(only<SubscriptionReminderDue>(*r3)->days_before == 3);
    s = replay(s, r3->events);
    CHECK(decide_advance(s, defined(plan), at("2026-10-30T00:00:01Z"))->events.empty());
    s = replay(s, decide_advance(s, defined(plan), at("2026-10-31T12:00:00Z"))->events);
    CHECK(s.reminded_days == 1);
    CHECK(next_due(s) == at("2026-11-01T12:00:00Z"));

    // The period end: a renewal of period 2 to charge.
    auto renewal = decide_advance(s, defined(plan), at("2026-11-01T12:00:00Z"));
    REQUIRE(renewal);
    REQUIRE(renewal->charge);
    CHECK(renewal->charge->entry_id == "sub:sub-1:2");
    // The wallet cannot pay: past due, retried 1 day later, then at the grace end.
    auto f1 = renewal_failed(s, plan, at("2026-11-01T12:00:00Z"), "insufficient balance");
    s = replay(s, f1);
    CHECK(s.status == SubscriptionStatus::PastDue);
    CHECK(service_on(s.status));
    CHECK(next_due(s) == at("2026-11-02T12:00:00Z"));
    CHECK(decide_advance(s, defined(plan), at("2026-11-02T11:00:00Z"))->events.empty());
    REQUIRE(decide_advance(s, defined(plan), at("2026-11-02T12:00:00Z"))->charge);
    s = replay(s, renewal_failed(s, plan, at("2026-11-02T12:00:00Z"), "insufficient balance"));
    CHECK(s.renewal_attempts == 2);
    CHECK(next_due(s) == at("2026-11-04T12:00:00Z"));  // min(+2 days, grace end)
    auto f3 = renewal_failed(s, plan, at("2026-11-04T12:00:00Z"), "insufficient balance");
    REQUIRE(f3.size() == 2);
    s = replay(s, f3);
    CHECK(s.status == SubscriptionStatus::Suspended);
    CHECK(!service_on(s.status));
    CHECK(!next_due(s));

    // A payment reinstates with a new period from now.
    auto paid = decide_renew(s, defined(plan), at("2026-11-10T08:00:00Z"));
    REQUIRE(paid);
    const auto* r = only<SubscriptionRenewed>(*paid);
    REQUIRE(r);
    CHECK(r->reinstated);
    CHECK(r->period == 2);
    CHECK(r->period_end == at("2026-12-10T08:00:00Z"));
    s = replay(s, paid->events);
    CHECK(s.status == SubscriptionStatus::Active);
    CHECK(s.index == 1);
    // Renewals now count from the new anchor.
    auto next = decide_advance(s, defined(plan), at("2026-12-10T08:00:00Z"));
    REQUIRE(only<SubscriptionRenewed>(*next));
    CHECK(only<SubscriptionRenewed>(*next)->period_end == at("2027-01-10T08:00:00Z"));
    CHECK(only<SubscriptionRenewed>(*next)->period == 3);
}

TEST_CASE("a paid retry keeps the period's dates, and grace 0 suspends at once") {
    auto plan = monthly("m", 5'000'000);
    auto s = replay(
        {}, decide(SubscriptionState{}, create("m"), defined(plan), at("2026-01-31T00:00:00Z"))
                ->events);
    s = replay(s, renewal_failed(s, plan, at("2026-02-28T00:00:00Z"), "no money"));
    auto retry = decide_advance(s, defined(plan), at("2026-03-01T00:00:00Z"));
    const auto* r = only<SubscriptionRenewed>(*retry);
    REQUIRE(r);
    CHECK(!r->reinstated);
    CHECK(r->period_start == at("2026-02-28T00:00:00Z"));
    CHECK(r->period_end == at("2026-03-31T00:00:00Z"));  // anchored on the 31st

    plan.grace_days = 0;
    auto now = renewal_failed(s, plan, at("2026-02-28T00:00:00Z"), "no money");
    REQUIRE(now.size() == 2);
    CHECK(std::holds_alternative<SubscriptionSuspended>(now.back()));
}

TEST_CASE("a trial charges nothing, then the first period with the setup fee") {
    auto plan = monthly("iptv-1m", 12'000'000, "iptv");
    plan.trial_days = 3;
    plan.prices = {{"EUR", 12'000'000, 2'000'000}};
    auto d =
        decide(SubscriptionState{}, create("iptv-1m"), defined(plan), at("2026-03-01T00:00:00Z"));
    REQUIRE(d);
    CHECK(!d->charge);
    auto s = replay({}, d->events);
    CHECK(s.status == SubscriptionStatus::Trialing);
    CHECK(s.period_end == at("2026-03-04T00:00:00Z"));
    // The 7-day reminder does not fit a 3-day trial; the 1-day one does.
    CHECK(next_due(s) == at("2026-03-03T00:00:00Z"));
    auto first = decide_advance(s, defined(plan), at("2026-03-04T00:00:00Z"));
    REQUIRE(first->charge);
    CHECK(first->charge->entry_id == "sub:sub-1:1");
    CHECK(first->charge->postings ==
          std::vector<Posting>{{"wallet:cust-1", 14'000'000, 0}, {"revenue:iptv", 0, 14'000'000}});
    s = replay(s, first->events);
    CHECK(s.period_end == at("2026-04-04T00:00:00Z"));
    auto second = decide_advance(s, defined(plan), at("2026-04-04T00:00:00Z"));
    CHECK(only<SubscriptionRenewed>(*second)->amount_micros == 12'000'000);
}

TEST_CASE("cancel at period end, no auto-renewal, pause and resume") {
    auto plan = monthly("m", 5'000'000);
    auto s = replay(
        {}, decide(SubscriptionState{}, create("m"), defined(plan), at("2026-06-01T00:00:00Z"))
                ->events);
    auto canceled = replay(s, *decide_cancel(s, true));
    CHECK(decide_cancel(canceled, true)->empty());
    auto end = decide_advance(canceled, defined(plan), at("2026-07-01T00:00:00Z"));
    REQUIRE(only<SubscriptionCanceled>(*end));
    canceled = replay(canceled, end->events);
    CHECK(canceled.status == SubscriptionStatus::Canceled);
    CHECK(error_of(decide_renew(canceled, defined(plan), at("2026-07-02T00:00:00Z"))).field ==
          "status");
    CHECK(
        replay(s, *decide_cancel(replay(s, *decide_cancel(s, true)), false)).cancel_at_period_end ==
        false);

    auto manual = replay(s, *decide_auto_renew(s, false));
    auto expired = decide_advance(manual, defined(plan), at("2026-07-01T00:00:00Z"));
    REQUIRE(only<SubscriptionExpired>(*expired));
    manual = replay(manual, expired->events);
    CHECK(!service_on(manual.status));
    auto back = decide_renew(manual, defined(plan), at("2026-07-05T00:00:00Z"));
    REQUIRE(back->charge);
    CHECK(only<SubscriptionRenewed>(*back)->reinstated);

    auto paused = replay(s, *decide_pause(s, at("2026-06-10T00:00:00Z")));
    CHECK(paused.status == SubscriptionStatus::Paused);
    CHECK(!service_on(paused.status));
    CHECK(!next_due(paused));
    CHECK(decide_advance(paused, defined(plan), at("2026-07-05T00:00:00Z"))->events.empty());
    auto resumed = replay(paused, *decide_resume(paused, at("2026-06-15T00:00:00Z")));
    CHECK(resumed.status == SubscriptionStatus::Active);
    CHECK(resumed.period_end == at("2026-07-06T00:00:00Z"));
    CHECK(error_of(decide_resume(resumed, at("2026-06-16T00:00:00Z"))).field == "status");
    CHECK(error_of(decide_renew(s, defined(plan), at("2026-06-16T00:00:00Z"))).field == "status");
}

TEST_CASE("refusals name the field") {
    auto plan = monthly("m", 5'000'000);
    auto bad = create("m");
    bad.terms.payer = "revenue:vpn";
    CHECK(error_of(decide(SubscriptionState{}, bad, defined(plan), {})).field == "payer");
    bad = create("m");
    bad.terms.subscription_id = "a/b";
    CHECK(error_of(decide(SubscriptionState{}, bad, defined(plan), {})).field == "subscription_id");
    CHECK(error_of(decide(SubscriptionState{}, create("m", "GBP"), defined(plan), {})).field ==
          "currency");
    CHECK(error_of(decide(SubscriptionState{}, create("m"), PlanState{}, {})).code ==
          Errc::NotFound);
    CHECK(error_of(decide(SubscriptionState{}, create("m"), PlanState{plan, true}, {})).field ==
          "plan_id");
    auto s = replay({}, decide(SubscriptionState{}, create("m"), defined(plan), {})->events);
    CHECK(decide(s, create("m"), defined(plan), {})->events.empty());  // the same again
    CHECK(error_of(decide(s, create("other"), defined(monthly("other", 1)), {})).code ==
          Errc::Conflict);
    CHECK(error_of(
              decide_change_plan(s, defined(plan), defined(monthly("h", 9'000'000, "hotspot")), {}))
              .field == "plan_id");
    CHECK(error_of(decide_cancel(SubscriptionState{}, true)).code == Errc::NotFound);

    Plan p = monthly("p", 1);
    p.prices.push_back({"EUR", 2, 0});
    CHECK(error_of(check_plan(p)).field == "prices[2].currency");
    p = monthly("p", -1);
    CHECK(error_of(check_plan(p)).field == "prices[0].amount_micros");
    p = monthly("p", 1, "cable");
    CHECK(error_of(check_plan(p)).field == "line");
    p = monthly("p", 1);
    p.interval_count = 0;
    CHECK(error_of(check_plan(p)).field == "interval_count");
    p = monthly("p", 1);
    p.prices.clear();
    CHECK(error_of(check_plan(p)).field == "prices");
    CHECK(error_of(decide(PlanState{monthly("p", 1), false}, monthly("p", 1, "iptv"))).field ==
          "line");
    CHECK(decide(PlanState{monthly("p", 1), false}, monthly("p", 1))->empty());
    CHECK(decide(PlanState{monthly("p", 1), true}, monthly("p", 1))->size() == 1);
}

TEST_CASE("a promo code discounts the periods it lasts for, never the setup fee") {
    auto plan = monthly("vpn-monthly", 10'000'000);
    plan.prices = {{"EUR", 10'000'000, 1'000'000}};
    PromoCode half;
    half.code = "HALF2";
    half.percent_ppm = 500'000;
    half.duration = DiscountDuration::Repeating;
    half.periods = 2;
    auto c = create("vpn-monthly");
    c.promo = half;
    auto d = decide(SubscriptionState{}, c, defined(plan), at("2026-01-10T00:00:00Z"));
    REQUIRE(d);
    const auto* created = only<SubscriptionCreated>(*d);
    REQUIRE(created);
    CHECK(created->discount_micros == 5'000'000);
    CHECK(created->amount_micros == 6'000'000);  // 10 + 1 setup - 5
    REQUIRE(created->discounts.size() == 1);
    REQUIRE(d->charge);
    CHECK(d->charge->postings == std::vector<Posting>{{"wallet:cust-1", 6'000'000, 0},
                                                      {"discounts:vpn", 5'000'000, 0},
                                                      {"revenue:vpn", 0, 11'000'000}});
    CHECK(check_entry(*d->charge));
    auto s = replay({}, d->events);
    // Period 2: still half; period 3: the full price.
    auto second = decide_advance(s, defined(plan), s.period_end);
    REQUIRE(only<SubscriptionRenewed>(*second));
    CHECK(only<SubscriptionRenewed>(*second)->discount_micros == 5'000'000);
    CHECK(only<SubscriptionRenewed>(*second)->amount_micros == 5'000'000);
    s = replay(s, second->events);
    auto third = decide_advance(s, defined(plan), s.period_end);
    REQUIRE(only<SubscriptionRenewed>(*third));
    CHECK(only<SubscriptionRenewed>(*third)->discount_micros == 0);
    CHECK(third->charge->postings ==
          std::vector<Posting>{{"wallet:cust-1", 10'000'000, 0}, {"revenue:vpn", 0, 10'000'000}});

    SUBCASE("after a trial, the first paid period is the code's first; 100 % leaves the fee") {
        auto trial = plan;
        trial.trial_days = 7;
        PromoCode free = half;
        free.code = "FIRSTFREE";
        free.percent_ppm = 1'000'000;
        free.duration = DiscountDuration::Once;
        free.periods = 0;
        c.promo = free;
        auto t = decide(SubscriptionState{}, c, defined(trial), at("2026-01-10T00:00:00Z"));
        REQUIRE(t);
        CHECK(!t->charge);
        auto ts = replay({}, t->events);
        auto first = decide_advance(ts, defined(trial), ts.period_end);
        REQUIRE(first->charge);
        CHECK(first->charge->postings == std::vector<Posting>{{"wallet:cust-1", 1'000'000, 0},
                                                              {"discounts:vpn", 10'000'000, 0},
                                                              {"revenue:vpn", 0, 11'000'000}});
        ts = replay(ts, first->events);
        CHECK(only<SubscriptionRenewed>(*decide_advance(ts, defined(trial), ts.period_end))
                  ->amount_micros == 10'000'000);
    }
    SUBCASE("a fixed amount above the price takes it all: no payer posting") {
        PromoCode fixed;
        fixed.code = "TWENTY";
        fixed.amount_micros = 20'000'000;
        fixed.currency = "EUR";
        auto no_fee = plan;
        no_fee.prices = {{"EUR", 10'000'000, 0}};
        c.promo = fixed;
        auto f = decide(SubscriptionState{}, c, defined(no_fee), at("2026-01-10T00:00:00Z"));
        REQUIRE(f->charge);
        CHECK(f->charge->postings == std::vector<Posting>{{"discounts:vpn", 10'000'000, 0},
                                                          {"revenue:vpn", 0, 10'000'000}});
        CHECK(only<SubscriptionCreated>(*f)->amount_micros == 0);
    }
}
