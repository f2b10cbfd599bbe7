// The voice_usage read model: facts per day, customer, carrier and destination; a re-rating
// replaces a CDR's contribution; a CDR rated twice counts once.
#include <doctest/doctest.h>

#include "projections/voice/usage.hpp"
#include "tests/projections/voice/cdr_events.hpp"

using namespace switchyard;
using namespace switchyard::testing::voice_cdrs;
using switchyard::testing::ProjectorHarness;

namespace {
const std::int64_t kDay1 = 1'767'268'800;  // 2026-01-01T12:00:00Z
const std::int64_t kDay2 = kDay1 + 86'400;
}  // namespace

TEST_CASE("voice_usage: per day and customer, re-rated costs replace the old ones") {
    ProjectorHarness h(projections::voice::make_voice_usage_projector());
    add(h, rated("a", "1", "grn", call("a", kDay1, 61), 110'000, 20'000));
    add(h, rated("b", "1", "grn", call("b", kDay1 + 60, 0), 0, 0));
    add(h, rated("c", "1", "grn", call("c", kDay2, 30), 20'000, 10'000));
    add(h, rated("d", "2", "grn", call("d", kDay2, 30), 20'000, 10'000));

    projections::voice::UsageQuery one;
    one.customer_id = "1";
    auto facts = projections::voice::usage_facts(h.view(), one);
    REQUIRE(facts.size() == 2);
    CHECK(facts[0].day == "2026-01-01");
    CHECK(facts[0].carrier_id == "grn");
    CHECK(facts[0].destination == "DE");
    CHECK(facts[0].currency == "EUR");
    CHECK(facts[0].totals == projections::voice::UsageTotals{2, 1, 61, 110'000, 20'000, 90'000});
    CHECK(facts[1].day == "2026-01-02");

    // Re-rated: 0.13 instead of 0.11 on day 1; the same CDR rated again counts once.
    add(h, rerated("a", "1", 110'000, 130'000, 20'000));
    add(h, rated("c", "1", "grn", call("c", kDay2, 30), 20'000, 10'000));
    facts = projections::voice::usage_facts(h.view(), one);
    REQUIRE(facts.size() == 2);
    CHECK(facts[0].totals == projections::voice::UsageTotals{2, 1, 61, 130'000, 20'000, 110'000});
    CHECK(facts[1].totals == projections::voice::UsageTotals{1, 1, 30, 20'000, 10'000, 10'000});

    projections::voice::UsageQuery day2;
    day2.from_day = "2026-01-02";
    day2.to_day = "2026-01-02";
    CHECK(projections::voice::usage_facts(h.view(), day2).size() == 2);
    day2.reach = std::set<std::string>{"2"};
    auto only2 = projections::voice::usage_facts(h.view(), day2);
    REQUIRE(only2.size() == 1);
    CHECK(only2[0].customer_id == "2");
    projections::voice::UsageQuery other_carrier;
    other_carrier.carrier_id = "x";
    CHECK(projections::voice::usage_facts(h.view(), other_carrier).empty());
}
