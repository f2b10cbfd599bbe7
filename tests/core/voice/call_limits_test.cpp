// Call admission arithmetic: the CPS token bucket on a fixed clock, and the prepaid grant
// against a real RatingIndex, each figure computed by hand from the tariff below.
#include <doctest/doctest.h>

#include <chrono>

#include "core/voice/call_limits.hpp"
#include "core/voice/rating.hpp"

using namespace switchyard::core;
using namespace switchyard::core::voice;
using namespace std::chrono_literals;

namespace {

Timestamp t0() { return parse_rfc3339("2026-03-02T10:00:00Z").value(); }

DestinationRate dr(std::string id, std::string dest, std::string rate) {
    DestinationRate r;
    r.id = std::move(id);
    r.destination_id = std::move(dest);
    r.rate_id = std::move(rate);
    r.rounding = RoundingMethod::Middle;
    r.rounding_decimals = 4;
    return r;
}

/// Germany: connect fee 0.10, 0.60 per minute billed per minute (the first increment costs
/// 0.70). Berlin: no fee, 0.06 per minute billed per second (0.001 per second).
std::shared_ptr<const RatingIndex> sell_card() {
    Tariff t;
    t.destinations = {{"DE", "GERMANY", {"49"}}, {"DE_BERLIN", "GERMANY BERLIN", {"4930"}}};
    t.rate_groups = {RateGroup{.id = "R60",
                               .connect_fee_micros = 100'000,
                               .intervals = {RateInterval{.group_interval_start_s = 0,
                                                          .rate_micros = 600'000,
                                                          .rate_unit_s = 60,
                                                          .rate_increment_s = 60}}},
                     RateGroup{.id = "R6_SEC",
                               .connect_fee_micros = 0,
                               .intervals = {RateInterval{.group_interval_start_s = 0,
                                                          .rate_micros = 60'000,
                                                          .rate_unit_s = 60,
                                                          .rate_increment_s = 1}}}};
    t.destination_rates = {dr("DR", "DE", "R60"), dr("DR", "DE_BERLIN", "R6_SEC")};
    t.rating_plans = {{"SELL", "DR", "*any", 10}};
    auto r = RatingIndex::build(std::move(t));
    REQUIRE(r.has_value());
    return *r;
}

CostOfUsage cost_to(std::shared_ptr<const RatingIndex> index, std::string destination) {
    return [index, destination](std::int64_t usage_s) -> Result<Micros> {
        CostQuery q;
        q.destination = destination;
        q.setup_time = t0();
        q.usage_s = usage_s;
        auto c = SY_TRY(index->rate_plan("SELL", q));
        return c.cost_micros;
    };
}

}  // namespace

TEST_CASE("token bucket: 11 calls within 50 ms against 10 CPS refuse exactly one") {
    TokenBucket b(10);
    int refused = 0;
    for (int i = 0; i < 11; ++i)
        if (!b.try_take(t0() + std::chrono::microseconds(i * 5000))) ++refused;
    // 50 ms refill 0.5 tokens: 10 + 0.5 pays for 10 calls only.
    CHECK(refused == 1);
}

TEST_CASE("token bucket: one token comes back every 100 ms at 10 CPS") {
    TokenBucket b(10);
    for (int i = 0; i < 10; ++i) REQUIRE(b.try_take(t0()));
    CHECK_FALSE(b.try_take(t0()));
    CHECK_FALSE(b.try_take(t0() + 99ms));
    CHECK(b.try_take(t0() + 100ms));
    CHECK_FALSE(b.try_take(t0() + 100ms));
    // A long pause refills up to the capacity, never beyond it.
    int passed = 0;
    for (int i = 0; i < 20; ++i)
        if (b.try_take(t0() + 60s)) ++passed;
    CHECK(passed == 10);
}

TEST_CASE("token bucket: rate 0 is unlimited, a lower rate caps the tokens left") {
    TokenBucket unlimited(0);
    for (int i = 0; i < 1000; ++i) REQUIRE(unlimited.try_take(t0()));
    TokenBucket b(10);
    b.set_rate(2);
    CHECK(b.try_take(t0()));
    CHECK(b.try_take(t0()));
    CHECK_FALSE(b.try_take(t0()));
}

TEST_CASE("prepaid grant: per-second rate, 1.00 available buys exactly 1000 s at 0.001/s") {
    auto g = grant_duration(1'000'000, 3 * 3600, cost_to(sell_card(), "4930123456"));
    REQUIRE(g.has_value());
    CHECK(g->affordable);
    CHECK(g->first_increment_micros == 1'000);
    CHECK(g->max_duration_s == 1000);
    CHECK(g->reserved_micros == 1'000'000);
}

TEST_CASE("prepaid grant: per-minute rate with a connect fee rounds down to whole increments") {
    // 1 to 60 s cost 0.10 + 0.60 = 0.70; 61 to 120 s cost 1.30 > 1.00.
    auto g = grant_duration(1'000'000, 3 * 3600, cost_to(sell_card(), "4940123456"));
    REQUIRE(g.has_value());
    CHECK(g->affordable);
    CHECK(g->max_duration_s == 60);
    CHECK(g->reserved_micros == 700'000);
    // 0.69 cannot pay the connect fee and the first minute.
    auto poor = grant_duration(690'000, 3 * 3600, cost_to(sell_card(), "4940123456"));
    REQUIRE(poor.has_value());
    CHECK_FALSE(poor->affordable);
    CHECK(poor->first_increment_micros == 700'000);
    CHECK(poor->reserved_micros == 0);
}

TEST_CASE("prepaid grant: the cap bounds the duration and the reservation") {
    // 600 s at 0.001/s = 0.60 held, though 100.00 would pay for much longer.
    auto g = grant_duration(100'000'000, 600, cost_to(sell_card(), "4930123456"));
    REQUIRE(g.has_value());
    CHECK(g->max_duration_s == 600);
    CHECK(g->reserved_micros == 600'000);
}

TEST_CASE("prepaid grant: a destination the card does not price is the engine's error") {
    auto g = grant_duration(1'000'000, 600, cost_to(sell_card(), "3312345678"));
    REQUIRE_FALSE(g.has_value());
    CHECK(g.error().field == "destination");
}

TEST_CASE("available funds: balance minus floor minus open reservations, never negative") {
    CHECK(available_funds(5'000'000, 0, 1'500'000) == 3'500'000);
    CHECK(available_funds(-2'000'000, -10'000'000, 1'000'000) == 7'000'000);  // postpaid
    CHECK(available_funds(1'000'000, 0, 3'000'000) == 0);
}
