#include "core/voice/markup.hpp"

#include <doctest/doctest.h>

#include "tests/support/result_checks.hpp"

using namespace switchyard::core;
using namespace switchyard::core::voice;
using switchyard::testing::error_of;

namespace {

Tariff buy_deck() {
    Tariff t;
    t.currency = "EUR";
    t.destinations.push_back(Destination{"3706", "LITHUANIA CELL", {"3706"}});
    // 0.0999 per minute per second, connect 0.015; then a second interval per 60 s.
    t.rate_groups.push_back(RateGroup{
        "grn:3706", 15'000, {RateInterval{0, 99'900, 60, 1}, RateInterval{60, 50'000, 60, 60}}});
    // 0.002 per second (unit 1 s).
    t.rate_groups.push_back(RateGroup{"per_second", 0, {RateInterval{0, 2'000, 1, 1}}});
    t.timings.push_back(Timing{"peak", {}, {}, {}, {1, 2, 3, 4, 5}, 28'800, 72'000});
    DestinationRate dr;
    dr.id = "grn";
    dr.destination_id = "3706";
    dr.rate_id = "grn:3706";
    dr.min_duration_s = 6;
    t.destination_rates.push_back(dr);
    t.rating_plans.push_back(RatingPlanEntry{"grn", "grn", "peak", 10});
    return t;
}

}  // namespace

TEST_CASE("markup: 20 % on every interval and the connect fee, rounded up to 4 decimals") {
    const auto sell = apply_markup(buy_deck(), {2'000, 0, 0, 4});
    REQUIRE(sell);
    const auto& g = sell->rate_groups[0];
    // 0.0999 * 1.2 = 0.11988 -> 0.1199; 0.05 * 1.2 = 0.06; connect 0.015 * 1.2 = 0.018.
    CHECK(g.intervals[0].rate_micros == 119'900);
    CHECK(g.intervals[1].rate_micros == 60'000);
    CHECK(g.connect_fee_micros == 18'000);
    // Increments, units and starts are kept.
    CHECK(g.intervals[0].rate_increment_s == 1);
    CHECK(g.intervals[1].group_interval_start_s == 60);
    // Everything but prices is kept.
    CHECK(sell->destinations == buy_deck().destinations);
    CHECK(sell->timings == buy_deck().timings);
    CHECK(sell->destination_rates == buy_deck().destination_rates);
    CHECK(sell->rating_plans == buy_deck().rating_plans);
    // Per-second unit: 0.002 * 1.2 = 0.0024.
    CHECK(sell->rate_groups[1].intervals[0].rate_micros == 2'400);
}

TEST_CASE("markup: fixed per minute and a minimum margin, scaled to the rate unit") {
    // 5 % + 0.001/min, at least 0.01/min margin.
    const auto sell = apply_markup(buy_deck(), {500, 1'000, 10'000, 6});
    REQUIRE(sell);
    // 99'900 * 1.05 = 104'895, + 1'000 = 105'895; the floor 99'900 + 10'000 = 109'900 wins.
    CHECK(sell->rate_groups[0].intervals[0].rate_micros == 109'900);
    // 50'000 * 1.05 + 1'000 = 53'500; floor 60'000 wins.
    CHECK(sell->rate_groups[0].intervals[1].rate_micros == 60'000);
    // Connect fee by percent only: 15'000 * 1.05 = 15'750.
    CHECK(sell->rate_groups[0].connect_fee_micros == 15'750);
    // Unit 1 s: fixed 1'000/60 = 16 (truncated), margin 10'000/60 = 166;
    // 2'000 * 1.05 + 16 = 2'116 < 2'000 + 166 = 2'166.
    CHECK(sell->rate_groups[1].intervals[0].rate_micros == 2'166);
}

TEST_CASE("markup: out of range rules are refused naming the field") {
    CHECK(error_of(apply_markup(buy_deck(), {-10'001, 0, 0, 4})).field == "percent");
    CHECK(error_of(apply_markup(buy_deck(), {0, -1, 0, 4})).field == "fixed");
    CHECK(error_of(apply_markup(buy_deck(), {0, 0, -1, 4})).field == "minimum_margin");
    CHECK(error_of(apply_markup(buy_deck(), {0, 0, 0, 7})).field == "rounding_decimals");
    const auto same = apply_markup(buy_deck(), {});
    REQUIRE(same);
    CHECK(*same == buy_deck());
}
