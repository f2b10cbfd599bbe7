// The rating engine, rule by rule, against costs computed by hand. Where CGRateS rounds
// (core/voice/rating.cpp header comment), the hand computation shows the rounding step.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/voice/prefix_index.hpp"
#include "core/voice/rating.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard::core;
using namespace switchyard::core::voice;
using switchyard::testing::error_of;

namespace {

Timestamp at(const char* rfc3339) { return parse_rfc3339(rfc3339).value(); }

/// One interval group with a connect fee.
RateGroup group(std::string id, Micros connect, std::vector<RateInterval> intervals) {
    return RateGroup{
        .id = std::move(id), .connect_fee_micros = connect, .intervals = std::move(intervals)};
}

RateInterval per(Micros rate, std::int64_t unit, std::int64_t increment, std::int64_t start = 0) {
    return RateInterval{.group_interval_start_s = start,
                        .rate_micros = rate,
                        .rate_unit_s = unit,
                        .rate_increment_s = increment};
}

DestinationRate dr(std::string id, std::string dest, std::string rate) {
    DestinationRate r;
    r.id = std::move(id);
    r.destination_id = std::move(dest);
    r.rate_id = std::move(rate);
    r.rounding = RoundingMethod::Middle;
    r.rounding_decimals = 4;
    return r;
}

std::shared_ptr<const RatingIndex> compile(Tariff t) {
    auto r = RatingIndex::build(std::move(t));
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
    return *r;
}

CostQuery call(std::string destination, const char* setup, std::int64_t usage_s,
               std::string caller = "") {
    CostQuery q;
    q.tenant = "t";
    q.destination = std::move(destination);
    q.caller = std::move(caller);
    q.setup_time = at(setup);
    q.usage_s = usage_s;
    return q;
}

/// Germany at 0.10 per minute billed per minute; Berlin at 0.06 per minute billed per second
/// (0.001 per second, exact at every rounding step).
Tariff germany() {
    Tariff t;
    t.destinations = {{"DE", "GERMANY", {"49"}}, {"DE_BERLIN", "GERMANY BERLIN", {"4930"}}};
    t.rate_groups = {group("R10", 0, {per(100'000, 60, 60)}),
                     group("R6_SEC", 0, {per(60'000, 60, 1)})};
    t.destination_rates = {dr("DR", "DE", "R10"), dr("DR", "DE_BERLIN", "R6_SEC")};
    t.rating_plans = {{"PLAN", "DR", "*any", 10}};
    return t;
}

}  // namespace

TEST_CASE("prefix index: the longest prefix wins, non-digits end the walk") {
    auto idx = PrefixIndex::build({{"49", 1}, {"4930", 2}, {"493", 3}, {"1", 4}, {"", 5}});
    CHECK(idx.longest("4930123456").value == 2);
    CHECK(idx.longest("4930123456").length == 4);
    CHECK(idx.longest("4931").value == 3);
    CHECK(idx.longest("4940").value == 1);
    CHECK(idx.longest("12125550100").value == 4);
    CHECK(idx.longest("33").value == 5);  // the empty prefix matches everything
    CHECK(idx.longest("33").length == 0);
    CHECK(idx.longest("49+30").value == 1);
    PrefixIndex::Match all[8];
    REQUIRE(idx.all("4930", all, 8) == 4);
    CHECK(all[0].value == 2);
    CHECK(all[1].value == 3);
    CHECK(all[2].value == 1);
    CHECK(all[3].value == 5);
}

TEST_CASE("prefix index: a duplicate keeps the first value, bad prefixes are skipped") {
    auto idx = PrefixIndex::build({{"44", 1}, {"44", 2}, {"4a", 3}});
    CHECK(idx.size() == 1);
    CHECK(idx.skipped() == 2);
    CHECK(idx.longest("447700").value == 1);
    CHECK(PrefixIndex().longest("1").value == PrefixIndex::kNone);
}

TEST_CASE(
    "prefix index: two hundred thousand prefixes (the 1M deck is in "
    "bench/voice_rating_bench.cpp)") {
    std::vector<std::pair<std::string, std::uint32_t>> entries;
    entries.reserve(200'000);
    for (std::uint32_t i = 0; i < 200'000; ++i)
        entries.emplace_back("7" + std::to_string(1'000'000 + i), i);  // "71000000" .. "71199999"
    auto idx = PrefixIndex::build(std::move(entries));
    CHECK(idx.size() == 200'000);
    CHECK(idx.longest("7100000042").value == 0);
    CHECK(idx.longest("71199999123").value == 199'999);
    CHECK(idx.longest("71123456").value == 123'456);
    CHECK(idx.longest("7112345").value == PrefixIndex::kNone);
    CHECK(idx.longest("71234567").value == PrefixIndex::kNone);
}

TEST_CASE("rating: given a deck with 49 and 4930, a Berlin call is rated by 4930") {
    auto idx = compile(germany());
    auto berlin = idx->rate_plan("PLAN", call("4930123456", "2025-03-03T10:00:00Z", 90));
    REQUIRE(berlin);
    CHECK(berlin->matched_prefix == "4930");
    CHECK(berlin->destination_id == "DE_BERLIN");
    CHECK(berlin->destination_name == "GERMANY BERLIN");
    CHECK(berlin->rate_id == "R6_SEC");
    CHECK(berlin->destination_rate_id == "DR");
    CHECK(berlin->rating_plan_id == "PLAN");
    CHECK(berlin->currency == "EUR");
    CHECK(berlin->cost_micros == 90'000);  // 90 s x 0.001
    CHECK(berlin->billed_usage_s == 90);
    REQUIRE(berlin->segments.size() == 1);
    CHECK(berlin->segments[0].increments == 90);

    // Hamburg: 61 s billed per minute = 2 minutes x 0.10.
    auto hamburg = idx->rate_plan("PLAN", call("4940123456", "2025-03-03T10:00:00Z", 61));
    REQUIRE(hamburg);
    CHECK(hamburg->matched_prefix == "49");
    CHECK(hamburg->cost_micros == 200'000);
    CHECK(hamburg->billed_usage_s == 120);
    CHECK(hamburg->rated_usage_s == 61);
}

TEST_CASE("rating: a destination the plan does not price is rejected") {
    auto idx = compile(germany());
    auto r = idx->rate_plan("PLAN", call("33123456789", "2025-03-03T10:00:00Z", 60));
    CHECK(error_of(r).code == Errc::Rejected);
    CHECK(error_of(r).field == "destination");
    auto unknown = idx->rate_plan("NOPE", call("49", "2025-03-03T10:00:00Z", 60));
    CHECK(error_of(unknown).code == Errc::NotFound);
    CHECK(error_of(unknown).field == "rating_plan");
    auto bad = idx->rate_plan("PLAN", call("+4930", "2025-03-03T10:00:00Z", 60));
    CHECK(error_of(bad).code == Errc::Invalid);
    auto negative = idx->rate_plan("PLAN", call("4930", "2025-03-03T10:00:00Z", -1));
    CHECK(error_of(negative).code == Errc::Invalid);
}

TEST_CASE("rating: *any prices every destination no prefix matches") {
    Tariff t = germany();
    t.rate_groups.push_back(group("R_ANY", 0, {per(1'000, 1, 1)}));  // 0.001 per second
    t.destination_rates.push_back(dr("DR", "*any", "R_ANY"));
    auto idx = compile(std::move(t));
    auto r = idx->rate_plan("PLAN", call("33123456789", "2025-03-03T10:00:00Z", 30));
    REQUIRE(r);
    CHECK(r->matched_prefix == "*any");
    CHECK(r->destination_id == "*any");
    CHECK(r->cost_micros == 30'000);
    auto de = idx->rate_plan("PLAN", call("4940", "2025-03-03T10:00:00Z", 30));
    REQUIRE(de);
    CHECK(de->destination_id == "DE");
}

TEST_CASE("rating: the connect fee is charged once and GroupIntervalStart changes the rate") {
    // 0.20 connect; 0.10 per minute billed per minute for the first minute; from 60 s on
    // 0.06 per minute billed per second.
    Tariff t = germany();
    t.rate_groups = {group("R10", 200'000, {per(100'000, 60, 60), per(60'000, 60, 1, 60)}),
                     group("R6_SEC", 0, {per(60'000, 60, 1)})};
    auto idx = compile(std::move(t));
    auto short_call = idx->rate_plan("PLAN", call("4940", "2025-03-03T10:00:00Z", 45));
    REQUIRE(short_call);
    CHECK(short_call->cost_micros == 300'000);  // 0.20 + one minute 0.10
    CHECK(short_call->billed_usage_s == 60);
    auto long_call = idx->rate_plan("PLAN", call("4940", "2025-03-03T10:00:00Z", 90));
    REQUIRE(long_call);
    CHECK(long_call->cost_micros == 330'000);  // 0.20 + 0.10 + 30 s x 0.001
    CHECK(long_call->connect_fee_micros == 200'000);
    REQUIRE(long_call->segments.size() == 2);
    CHECK(long_call->segments[0].duration_s == 60);
    CHECK(long_call->segments[0].cost_micros == 100'000);
    CHECK(long_call->segments[1].duration_s == 30);
    CHECK(long_call->segments[1].interval.group_interval_start_s == 60);
    CHECK(long_call->segments[1].cost_micros == 30'000);
    // A call of no duration costs nothing, not even the connect fee (CGRateS getCost).
    auto zero = idx->rate_plan("PLAN", call("4940", "2025-03-03T10:00:00Z", 0));
    REQUIRE(zero);
    CHECK(zero->cost_micros == 0);
}

TEST_CASE("rating: increment costs are rounded half up to 5 decimals as CGRateS does") {
    // 0.05 per minute billed per second, 90 s: the stretch costs 0.075; one increment
    // 0.075 / 90 = 0.000833.. -> 0.00083; 90 x 0.00083 = 0.0747.
    Tariff t = germany();
    t.rate_groups[1] = group("R6_SEC", 0, {per(50'000, 60, 1)});
    auto idx = compile(std::move(t));
    auto r = idx->rate_plan("PLAN", call("4930", "2025-03-03T10:00:00Z", 90));
    REQUIRE(r);
    CHECK(r->cost_micros == 74'700);
}

TEST_CASE("rating: the total is rounded by the row's method and decimals") {
    // 0.0678 per minute per second = 0.00113 per second; 0.069 per minute = 0.00115.
    auto rated = [](Micros per_minute, RoundingMethod m, int decimals) {
        Tariff t;
        t.destinations = {{"D", "", {"1"}}};
        t.rate_groups = {group("R", 0, {per(per_minute, 60, 1)})};
        DestinationRate row = dr("DR", "D", "R");
        row.rounding = m;
        row.rounding_decimals = decimals;
        t.destination_rates = {row};
        t.rating_plans = {{"P", "DR", "*any", 10}};
        auto idx = compile(std::move(t));
        auto r = idx->rate_plan("P", call("1555", "2025-03-03T10:00:00Z", 1));
        REQUIRE(r);
        return r->cost_micros;
    };
    CHECK(rated(67'800, RoundingMethod::Up, 4) == 1'200);
    CHECK(rated(67'800, RoundingMethod::Middle, 4) == 1'100);
    CHECK(rated(67'800, RoundingMethod::Down, 4) == 1'100);
    CHECK(rated(69'000, RoundingMethod::Middle, 4) == 1'200);  // 0.00115: half goes up
    CHECK(rated(69'000, RoundingMethod::Down, 4) == 1'100);
    CHECK(rated(69'000, RoundingMethod::Up, 2) == 10'000);
    CHECK(rated(69'000, RoundingMethod::Middle, 6) == 1'150);
}

TEST_CASE("rating: a call shorter than the minimum duration is billed as the minimum") {
    Tariff t = germany();
    t.destination_rates[1].min_duration_s = 30;
    auto idx = compile(std::move(t));
    auto r = idx->rate_plan("PLAN", call("4930", "2025-03-03T10:00:00Z", 10));
    REQUIRE(r);
    CHECK(r->cost_micros == 30'000);
    CHECK(r->usage_s == 10);
    CHECK(r->billed_usage_s == 30);
}

TEST_CASE("rating: MaxCost *free stops the cost at the cap, *disconnect cuts the call") {
    // 0.01 per second, cap 0.62.
    auto plan = [](MaxCostStrategy s, Micros connect) {
        Tariff t;
        t.destinations = {{"D", "", {"1007"}}};
        t.rate_groups = {group("R", connect, {per(10'000, 1, 1)})};
        DestinationRate row = dr("DR", "D", "R");
        row.max_cost_micros = 620'000;
        row.max_cost_strategy = s;
        t.destination_rates = {row};
        t.rating_plans = {{"P", "DR", "*any", 10}};
        return compile(std::move(t));
    };
    auto free_plan = plan(MaxCostStrategy::Free, 0);
    auto below = free_plan->rate_plan("P", call("1007", "2025-03-03T10:00:00Z", 50));
    REQUIRE(below);
    CHECK(below->cost_micros == 500'000);
    CHECK_FALSE(below->max_cost_applied);
    auto capped = free_plan->rate_plan("P", call("1007", "2025-03-03T10:00:00Z", 70));
    REQUIRE(capped);
    CHECK(capped->cost_micros == 620'000);
    CHECK(capped->max_cost_applied);
    CHECK(capped->rated_usage_s == 70);

    auto cut = plan(MaxCostStrategy::Disconnect, 0)
                   ->rate_plan("P", call("1007", "2025-03-03T10:00:00Z", 70));
    REQUIRE(cut);
    CHECK(cut->cost_micros == 620'000);
    CHECK(cut->max_cost_applied);
    CHECK(cut->rated_usage_s == 62);
    // With a connect fee of 0.05 the cap is reached after 57 increments.
    auto with_fee = plan(MaxCostStrategy::Disconnect, 50'000)
                        ->rate_plan("P", call("1007", "2025-03-03T10:00:00Z", 70));
    REQUIRE(with_fee);
    CHECK(with_fee->cost_micros == 620'000);
    CHECK(with_fee->rated_usage_s == 57);
    // No cap strategy: the cost is not capped.
    auto none =
        plan(MaxCostStrategy::None, 0)->rate_plan("P", call("1007", "2025-03-03T10:00:00Z", 70));
    REQUIRE(none);
    CHECK(none->cost_micros == 700'000);
}

namespace {

/// Peak 0.001/s from 08:00 on weekdays, off-peak 0.0005/s from 00:00 and 19:00 on weekdays
/// and all weekend (the CGRateS oldtutorial timings).
Tariff peak_offpeak() {
    Tariff t;
    t.destinations = {{"D", "", {"10"}}};
    t.rate_groups = {group("R_PEAK", 0, {per(60'000, 60, 1)}),
                     group("R_OFF", 0, {per(30'000, 60, 1)})};
    t.destination_rates = {dr("DR_PEAK", "D", "R_PEAK"), dr("DR_OFF", "D", "R_OFF")};
    t.timings = {
        Timing{.id = "PEAK", .week_days = {1, 2, 3, 4, 5}, .start_s = 8 * 3600},
        Timing{.id = "OFFPEAK_MORNING", .week_days = {1, 2, 3, 4, 5}, .start_s = 0},
        Timing{.id = "OFFPEAK_EVENING", .week_days = {1, 2, 3, 4, 5}, .start_s = 19 * 3600},
        Timing{.id = "OFFPEAK_WEEKEND", .week_days = {6, 0}, .start_s = 0}};
    t.rating_plans = {{"P", "DR_PEAK", "PEAK", 10},
                      {"P", "DR_OFF", "OFFPEAK_MORNING", 10},
                      {"P", "DR_OFF", "OFFPEAK_EVENING", 10},
                      {"P", "DR_OFF", "OFFPEAK_WEEKEND", 10}};
    return t;
}

}  // namespace

TEST_CASE("rating: a call crossing 08:00 on a Monday is split into off-peak and peak") {
    auto idx = compile(peak_offpeak());
    // 2014-08-04 is a Monday. 60 s off-peak (0.03) + 60 s peak (0.06).
    auto r = idx->rate_plan("P", call("1004", "2014-08-04T07:59:00Z", 120));
    REQUIRE(r);
    CHECK(r->cost_micros == 90'000);
    REQUIRE(r->segments.size() == 2);
    CHECK(r->segments[0].timing_id == "OFFPEAK_MORNING");
    CHECK(r->segments[0].duration_s == 60);
    CHECK(r->segments[0].start == at("2014-08-04T07:59:00Z"));
    CHECK(r->segments[1].timing_id == "PEAK");
    CHECK(r->segments[1].rate_id == "R_PEAK");
    CHECK(r->segments[1].start == at("2014-08-04T08:00:00Z"));
    // At 13:00 PEAK (started 08:00) is closer than OFFPEAK_MORNING (00:00): peak.
    auto noon = idx->rate_plan("P", call("1004", "2014-08-04T13:00:00Z", 60));
    REQUIRE(noon);
    CHECK(noon->cost_micros == 60'000);
    // Sunday: weekend off-peak.
    auto sunday = idx->rate_plan("P", call("1004", "2014-08-03T13:00:00Z", 60));
    REQUIRE(sunday);
    CHECK(sunday->cost_micros == 30'000);
    // Friday 23:59:30 into Saturday: 30 s weekday off-peak evening + 30 s weekend.
    auto midnight = idx->rate_plan("P", call("1004", "2014-08-08T23:59:30Z", 60));
    REQUIRE(midnight);
    REQUIRE(midnight->segments.size() == 2);
    CHECK(midnight->segments[0].timing_id == "OFFPEAK_EVENING");
    CHECK(midnight->segments[1].timing_id == "OFFPEAK_WEEKEND");
    CHECK(midnight->cost_micros == 30'000);
}

TEST_CASE("rating: where timings overlap the higher weight wins (a holiday over *any)") {
    Tariff t;
    t.destinations = {{"D", "", {"44"}}};
    t.rate_groups = {group("R_NORMAL", 0, {per(60'000, 60, 1)}),
                     group("R_HOLIDAY", 0, {per(30'000, 60, 1)})};
    t.destination_rates = {dr("DR_N", "D", "R_NORMAL"), dr("DR_H", "D", "R_HOLIDAY")};
    t.timings = {Timing{.id = "XMAS", .months = {12}, .month_days = {25}}};
    t.rating_plans = {{"P", "DR_N", "*any", 10}, {"P", "DR_H", "XMAS", 20}};
    auto idx = compile(std::move(t));
    CHECK(idx->rate_plan("P", call("4420", "2025-12-25T12:00:00Z", 60))->cost_micros == 30'000);
    CHECK(idx->rate_plan("P", call("4420", "2025-12-24T12:00:00Z", 60))->cost_micros == 60'000);
    // 30 s on the 24th, 30 s on the 25th.
    auto cross = idx->rate_plan("P", call("4420", "2025-12-24T23:59:30Z", 60));
    REQUIRE(cross);
    CHECK(cross->cost_micros == 45'000);
    REQUIRE(cross->segments.size() == 2);
    CHECK(cross->segments[1].timing_id == "XMAS");
}

TEST_CASE("rating: CDRTool hour ranges end where the next begins (end_s)") {
    Tariff t;
    t.destinations = {{"D", "", {"31"}}};
    t.rate_groups = {group("R_DAY", 0, {per(60'000, 60, 1)}),
                     group("R_NIGHT", 0, {per(30'000, 60, 1)})};
    t.destination_rates = {dr("DR_DAY", "D", "R_DAY"), dr("DR_NIGHT", "D", "R_NIGHT")};
    t.timings = {Timing{.id = "NIGHT1", .start_s = 0, .end_s = 8 * 3600},
                 Timing{.id = "DAY", .start_s = 8 * 3600, .end_s = 18 * 3600},
                 Timing{.id = "NIGHT2", .start_s = 18 * 3600}};
    t.rating_plans = {{"P", "DR_NIGHT", "NIGHT1", 10},
                      {"P", "DR_DAY", "DAY", 10},
                      {"P", "DR_NIGHT", "NIGHT2", 10}};
    auto idx = compile(std::move(t));
    auto r = idx->rate_plan("P", call("3120", "2025-06-02T17:59:30Z", 60));
    REQUIRE(r);
    CHECK(r->cost_micros == 45'000);  // 30 s x 0.001 + 30 s x 0.0005
    REQUIRE(r->segments.size() == 2);
    CHECK(r->segments[0].timing_id == "DAY");
    CHECK(r->segments[1].timing_id == "NIGHT2");
}

TEST_CASE("rating: the latest row effective at the setup time applies") {
    Tariff t = germany();
    t.rate_groups.push_back(group("R12_SEC", 0, {per(120'000, 60, 1)}));
    DestinationRate newer = dr("DR", "DE_BERLIN", "R12_SEC");
    newer.effective_from = at("2026-01-01T00:00:00Z");
    t.destination_rates.push_back(newer);
    auto idx = compile(std::move(t));
    auto before = idx->rate_plan("PLAN", call("4930", "2025-12-31T23:00:00Z", 60));
    REQUIRE(before);
    CHECK(before->cost_micros == 60'000);
    auto after = idx->rate_plan("PLAN", call("4930", "2026-01-02T10:00:00Z", 60));
    REQUIRE(after);
    CHECK(after->cost_micros == 120'000);
    CHECK(after->rate_id == "R12_SEC");
}

TEST_CASE("rating: a row for the caller's prefix beats the row for any caller") {
    Tariff t = germany();
    t.destinations.push_back({"CALLER_RU", "RUSSIA", {"7"}});
    t.rate_groups.push_back(group("R3_SEC", 0, {per(30'000, 60, 1)}));
    DestinationRate from_ru = dr("DR", "DE_BERLIN", "R3_SEC");
    from_ru.caller_destination_id = "CALLER_RU";
    t.destination_rates.push_back(from_ru);
    auto idx = compile(std::move(t));
    auto ru = idx->rate_plan("PLAN", call("4930", "2025-03-03T10:00:00Z", 60, "79991234567"));
    REQUIRE(ru);
    CHECK(ru->cost_micros == 30'000);
    auto de = idx->rate_plan("PLAN", call("4930", "2025-03-03T10:00:00Z", 60, "4930999"));
    REQUIRE(de);
    CHECK(de->cost_micros == 60'000);
    auto anonymous = idx->rate_plan("PLAN", call("4930", "2025-03-03T10:00:00Z", 60));
    REQUIRE(anonymous);
    CHECK(anonymous->cost_micros == 60'000);
}

namespace {

Tariff with_profiles() {
    Tariff t;
    t.destinations = {{"DE", "", {"49"}}, {"US", "", {"1"}}};
    t.rate_groups = {group("R6", 0, {per(60'000, 60, 1)}), group("R12", 0, {per(120'000, 60, 1)}),
                     group("R3", 0, {per(30'000, 60, 1)})};
    t.destination_rates = {dr("DR_A", "DE", "R6"), dr("DR_B", "DE", "R12"), dr("DR_C", "DE", "R3"),
                           dr("DR_C", "US", "R3")};
    t.rating_plans = {{"PLAN_A", "DR_A", "*any", 10},
                      {"PLAN_B", "DR_B", "*any", 10},
                      {"PLAN_C", "DR_C", "*any", 10}};
    t.rating_profiles = {
        {"t", "call", "alice", at("2020-01-01T00:00:00Z"), "PLAN_A", {}},
        {"t", "call", "alice", at("2024-01-01T00:00:00Z"), "PLAN_B", {"wholesale"}},
        {"t", "call", "*any", at("2020-01-01T00:00:00Z"), "PLAN_C", {}},
        {"t", "call", "wholesale", at("2020-01-01T00:00:00Z"), "PLAN_C", {}},
    };
    return t;
}

CostQuery of(std::string subject, std::string destination, const char* setup) {
    CostQuery q = call(std::move(destination), setup, 60);
    q.subject = std::move(subject);
    return q;
}

}  // namespace

TEST_CASE("rating profiles: the latest activation, then *any, then fallback subjects") {
    auto idx = compile(with_profiles());
    auto old_plan = idx->rate(of("alice", "4930", "2023-06-01T10:00:00Z"));
    REQUIRE(old_plan);
    CHECK(old_plan->rating_plan_id == "PLAN_A");
    CHECK(old_plan->cost_micros == 60'000);
    CHECK(old_plan->subject == "alice");
    CHECK(old_plan->activation_time == at("2020-01-01T00:00:00Z"));
    auto new_plan = idx->rate(of("alice", "4930", "2025-06-01T10:00:00Z"));
    REQUIRE(new_plan);
    CHECK(new_plan->rating_plan_id == "PLAN_B");
    CHECK(new_plan->cost_micros == 120'000);
    auto anyone = idx->rate(of("bob", "4930", "2025-06-01T10:00:00Z"));
    REQUIRE(anyone);
    CHECK(anyone->rating_plan_id == "PLAN_C");
    CHECK(anyone->subject == "*any");
    // PLAN_B does not rate the US: the fallback subject's plan does.
    auto fallback = idx->rate(of("alice", "12125550100", "2025-06-01T10:00:00Z"));
    REQUIRE(fallback);
    CHECK(fallback->subject == "wholesale");
    CHECK(fallback->rating_plan_id == "PLAN_C");
    CHECK(fallback->cost_micros == 30'000);
    // PLAN_A has no fallback: refused.
    auto refused = idx->rate(of("alice", "12125550100", "2023-06-01T10:00:00Z"));
    CHECK(error_of(refused).code == Errc::Rejected);
    CHECK(error_of(refused).field == "destination");
    CostQuery other_tenant = of("alice", "4930", "2025-06-01T10:00:00Z");
    other_tenant.tenant = "other";
    CHECK(error_of(idx->rate(other_tenant)).code == Errc::NotFound);
    CHECK(error_of(idx->rate(other_tenant)).field == "subject");
}

TEST_CASE("rating profiles: a call across an activation time is split between the plans") {
    auto idx = compile(with_profiles());
    // Given alice on PLAN_A (0.06/min) until 2024-01-01T00:00:00Z and PLAN_B (0.12/min) after
    // When she calls Germany at 23:59:00 for 120 s
    CostQuery q = of("alice", "4930", "2023-12-31T23:59:00Z");
    q.usage_s = 120;
    auto cost = idx->rate(q);
    REQUIRE(cost);
    // Then the first minute is PLAN_A's (0.06) and the second PLAN_B's (0.12): 0.18
    CHECK(cost->cost_micros == 60'000 + 120'000);
    CHECK(cost->billed_usage_s == 120);
    REQUIRE(cost->segments.size() == 2);
    CHECK(cost->segments[0].duration_s == 60);
    CHECK(cost->segments[0].cost_micros == 60'000);
    CHECK(cost->segments[1].start == at("2024-01-01T00:00:00Z"));
    CHECK(cost->segments[1].cost_micros == 120'000);
    // A call that ends before the activation is not split
    q.usage_s = 60;
    auto before = idx->rate(q);
    REQUIRE(before);
    CHECK(before->cost_micros == 60'000);
    CHECK(before->segments.size() == 1);
}

TEST_CASE("rating index: a tariff naming what does not exist is refused") {
    Tariff missing_rate = germany();
    missing_rate.destination_rates[0].rate_id = "NOPE";
    CHECK(error_of(RatingIndex::build(missing_rate)).code == Errc::Invalid);
    Tariff missing_dest = germany();
    missing_dest.destination_rates[0].destination_id = "NOPE";
    CHECK(error_of(RatingIndex::build(missing_dest)).code == Errc::Invalid);
    Tariff zero_increment = germany();
    zero_increment.rate_groups[0].intervals[0].rate_increment_s = 0;
    CHECK(error_of(RatingIndex::build(zero_increment)).code == Errc::Invalid);
    Tariff decimals = germany();
    decimals.destination_rates[0].rounding_decimals = 7;
    CHECK(error_of(RatingIndex::build(decimals)).code == Errc::Invalid);
    Tariff timing = germany();
    timing.rating_plans[0].timing_id = "PEAK";
    CHECK(error_of(RatingIndex::build(timing)).code == Errc::Invalid);
    Tariff profile = germany();
    profile.rating_profiles = {{"t", "call", "a", at("2020-01-01T00:00:00Z"), "NOPE", {}}};
    CHECK(error_of(RatingIndex::build(profile)).code == Errc::Invalid);
}

TEST_CASE("rating: a destination with more candidate rates than fit inline (33 timings)") {
    // One rate per month day (day d costs d x 0.001 per second, weight 20) plus two *any rows
    // of lower weight: the 17th is rated at 0.017 per second.
    Tariff t;
    t.destinations = {{"D", "", {"1"}}};
    t.rate_groups.push_back(group("R_LOW", 0, {per(600'000, 60, 1)}));
    t.destination_rates.push_back(dr("DR_LOW", "D", "R_LOW"));
    t.rating_plans.push_back({"P", "DR_LOW", "*any", 1});
    t.rating_plans.push_back({"P", "DR_LOW", "*any", 2});
    for (int d = 1; d <= 31; ++d) {
        const std::string n = std::to_string(d);
        t.rate_groups.push_back(group("R" + n, 0, {per(60'000 * d, 60, 1)}));
        t.destination_rates.push_back(dr("DR" + n, "D", "R" + n));
        t.timings.push_back(Timing{.id = "DAY" + n, .month_days = {d}});
        t.rating_plans.push_back({"P", "DR" + n, "DAY" + n, 20});
    }
    auto idx = compile(std::move(t));
    auto r = idx->rate_plan("P", call("1555", "2025-07-17T12:00:00Z", 10));
    REQUIRE(r);
    CHECK(r->cost_micros == 170'000);
    CHECK(r->rate_id == "R17");
    // Across midnight into the 18th: 5 s x 0.017 + 5 s x 0.018.
    auto cross = idx->rate_plan("P", call("1555", "2025-07-17T23:59:55Z", 10));
    REQUIRE(cross);
    CHECK(cross->cost_micros == 175'000);
}

TEST_CASE("exact pricing charges rate x billed seconds / unit to the micro-unit, as CDRTool does") {
    // CDRTool doc/RATING.txt: price = Connect + Duration x ceil_to_increment(seconds) / 60.
    // 0.0999 per minute, per-second increments, 90 s: 0.0999 x 90 / 60 = 0.14985, rounded
    // half up to 4 decimals = 0.1499. CGRateS's model rounds the per-increment cost
    // 0.0999 / 60 = 0.001665 to 0.00167 first: 0.00167 x 90 = 0.1503.
    Tariff t;
    t.destinations = {{"D", "", {"49"}}};
    t.rate_groups = {{"R", 0, {{0, 99'900, 60, 1}}}};
    DestinationRate dr;
    dr.id = "DR";
    dr.destination_id = "D";
    dr.rate_id = "R";
    dr.rounding = RoundingMethod::Middle;
    dr.rounding_decimals = 4;
    t.destination_rates = {dr};
    t.rating_plans = {{"P", "DR", "*any", 10}};
    CostQuery q;
    q.destination = "4930123";
    q.setup_time = from_unix_seconds(1'700'000'000);
    q.usage_s = 90;
    t.pricing = PricingModel::Exact;
    auto exact = RatingIndex::build(t);
    REQUIRE(exact);
    auto c = (*exact)->rate_plan("P", q);
    REQUIRE(c);
    CHECK(c->cost_micros == 149'900);
    t.pricing = PricingModel::Cgrates;
    auto cgr = RatingIndex::build(t);
    REQUIRE(cgr);
    c = (*cgr)->rate_plan("P", q);
    REQUIRE(c);
    CHECK(c->cost_micros == 150'300);
}
