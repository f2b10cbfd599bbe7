#include "core/voice/cdrtool_deck.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/result_checks.hpp"

using namespace switchyard::core::voice;
using switchyard::testing::error_of;

namespace {

std::string read_shared(const std::string& name) {
    std::ifstream in(std::string(SY_SHARED_DATA) + "/voip/ratedeck-cdrtool-2010/" + name,
                     std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

template <class T>
const T* by_id(const std::vector<T>& items, const std::string& id) {
    const auto it =
        std::find_if(items.begin(), items.end(), [&](const T& x) { return x.id == id; });
    return it == items.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("cdrtool deck: the full 2010 deck imports 13,126 prefixes, one rate row refused") {
    const auto destinations = read_shared("destinations.csv");
    const auto rates = read_shared("rates.csv");
    const auto profiles = read_shared("profiles.csv");
    const auto customers = read_shared("customers.csv");
    REQUIRE(!destinations.empty());
    CdrtoolDeckFiles files{destinations, rates, profiles, customers};
    const auto deck = parse_cdrtool_deck(files);
    REQUIRE(deck);
    const auto& t = deck->tariff;
    CHECK(t.destinations.size() == 13'126);
    CHECK(t.rate_groups.size() == 13'126);
    CHECK(t.destination_rates.size() == 13'126);
    // 13,126 + 13,127 + 1 + 3 data lines.
    CHECK(deck->lines_read == 26'257);
    // The sms row at the end of rates.csv has no destination (line 13,128 of the file).
    REQUIRE(deck->errors.size() == 1);
    CHECK(deck->errors[0].file == "rates.csv");
    CHECK(deck->errors[0].line == 13'128);
    CHECK(deck->errors[0].field == "Destination");

    // destinations.csv line 2: `2,0,,,,1,,USA,6,6,0,`; rates.csv has `grn_premium,1,audio,0,...`
    const auto* usa = by_id(t.destinations, "1");
    REQUIRE(usa);
    CHECK(usa->name == "USA");
    CHECK(usa->prefixes == std::vector<std::string>{"1"});
    // rates.csv line 2: `2,0,grn_premium,3706,audio,0,999,,` -> 0.0999 per minute.
    const auto* g3706 = by_id(t.rate_groups, "grn_premium:3706");
    REQUIRE(g3706);
    CHECK(g3706->connect_fee_micros == 0);
    REQUIRE(g3706->intervals.size() == 1);
    CHECK(g3706->intervals[0].rate_micros == 99'900);
    CHECK(g3706->intervals[0].rate_unit_s == 60);
    // destinations.csv line 4769: `2,0,,,,3706,,LITHUANIA CELL,0,0,0,` -> per second.
    CHECK(g3706->intervals[0].rate_increment_s == 1);
    CHECK(by_id(t.destinations, "3706")->name == "LITHUANIA CELL");
    // rates.csv line 3: `grn_premium,690,audio,0,9975` -> 0.9975 per minute.
    CHECK(by_id(t.rate_groups, "grn_premium:690")->intervals[0].rate_micros == 997'500);

    const auto usa_rate = std::find_if(t.destination_rates.begin(), t.destination_rates.end(),
                                       [](const auto& d) { return d.destination_id == "1"; });
    REQUIRE(usa_rate != t.destination_rates.end());
    CHECK(usa_rate->id == "grn_premium");
    CHECK(usa_rate->min_duration_s == 6);
    CHECK_FALSE(usa_rate->max_duration_s.has_value());
    CHECK_FALSE(usa_rate->max_cost_micros.has_value());
    CHECK(by_id(t.rate_groups, usa_rate->rate_id)->intervals[0].rate_increment_s == 6);

    // profiles.csv: grn_premium is one range 00-24 with rate grn_premium.
    REQUIRE(t.timings.size() == 2);
    const auto* wd = by_id(t.timings, "grn_premium:wd:1");
    REQUIRE(wd);
    CHECK(wd->week_days == std::vector<int>{1, 2, 3, 4, 5});
    CHECK(wd->start_s == 0);
    CHECK(wd->end_s == 86'400);
    CHECK(by_id(t.timings, "grn_premium:we:1")->week_days == std::vector<int>{0, 6});
    REQUIRE(t.rating_plans.size() == 2);
    CHECK(t.rating_plans[0].rating_plan_id == "grn_premium");
    CHECK(t.rating_plans[0].destination_rates_id == "grn_premium");

    // customers.csv: the default row, example.com, alice@example.com.
    REQUIRE(t.rating_profiles.size() == 3);
    CHECK(t.rating_profiles[0].subject == "*any");
    CHECK(t.rating_profiles[1].subject == "example.com");
    CHECK(t.rating_profiles[2].subject == "alice@example.com");
    CHECK(t.rating_profiles[2].rating_plan_id == "grn_premium");
    CHECK(t.rating_profiles[2].fallback_subjects.empty());
}

TEST_CASE("cdrtool deck: a spot check of rows read by hand from the shared files") {
    const auto destinations = read_shared("destinations.csv");
    const auto rates = read_shared("rates.csv");
    const auto deck = parse_cdrtool_deck({destinations, rates, "", ""});
    REQUIRE(deck);
    const auto& t = deck->tariff;
    // destinations.csv: `2,0,,,,1204,,CANADA MANITOBA,0,0,0,`
    CHECK(by_id(t.destinations, "1204")->name == "CANADA MANITOBA");
    // rates.csv line 11110: `2,0,grn_premium,1204,audio,0,128,,` -> 0.0128 per minute.
    CHECK(by_id(t.rate_groups, "grn_premium:1204")->intervals[0].rate_micros == 12'800);
    // destinations.csv line 12385: `9050,,TURKEY CELL AVEA,0,0,0,`
    CHECK(by_id(t.destinations, "9050")->name == "TURKEY CELL AVEA");
    // rates.csv: `2,0,grn_premium,9050,audio,0,989,,`
    CHECK(by_id(t.rate_groups, "grn_premium:9050")->intervals[0].rate_micros == 98'900);
    // Without profiles the rate name is a plan valid at any time.
    REQUIRE(t.rating_plans.size() == 1);
    CHECK(t.rating_plans[0].timing_id == "*any");
    REQUIRE(t.rating_profiles.size() == 1);
    CHECK(t.rating_profiles[0].subject == "*any");
}

TEST_CASE("cdrtool deck: hand-written deck with peak ranges, fallback and bad rows") {
    const std::string destinations =
        "Ops,Reseller,Trusted peer,Domain,Subscriber,Destination,Region,Description,Incr,Min "
        "Dur,Max Dur,Max Price\n"
        "2,0,,,,4420,,UK LONDON,60,30,3600,50000\n"
        "2,0,,,,44,,UK,0,0,0,\n"
        "2,0,,,,44,,UK AGAIN,0,0,0,\n"
        "2,0,,,,44x,,BAD,0,0,0,\n"
        "3,0,,,,49,,GERMANY,0,0,0,\n";
    const std::string rates =
        "Ops,Reseller,Rate,Destination,App,Connect,Duration,Conn In,Duration In\n"
        "2,0,peak,4420,audio,150,1200,,\n"
        "2,0,peak,44,audio,0,1000,,\n"
        "2,0,night,44,audio,0,500,,\n"
        "2,0,night,49,audio,0,500,,\n"
        "2,0,night,44,audio,0,-5,,\n";
    const std::string profiles =
        "Ops,Reseller,Profile Id,Rate Id1,00-H1,Rate Id2,H1-H2,Rate Id3,H2-H3,Rate Id4,H3-24\n"
        "2,0,biz,night,8,peak,20,night,24,,0\n"
        "2,0,cheap,night,24,,0,,0,,0\n"
        "2,0,broken,night,8,peak,6,,0,,0\n";
    const std::string customers =
        "Ops,Reseller,Trusted Peer,Domain,Subscriber,Profile WD,Fallback,Profile WE,Fallback,"
        "Timezone,Incr,Min Dur\n"
        "2,,,,bob@example.com,biz,cheap,cheap,,Europe/London,0,0\n"
        "2,,,,carol@example.com,nosuch,,,,Europe/London,0,0\n";
    const auto deck = parse_cdrtool_deck({destinations, rates, profiles, customers});
    REQUIRE(deck);
    const auto& t = deck->tariff;
    CHECK(t.destinations.size() ==
          2);  // 4420 and 44; the repeat, 44x and the delete refused/skipped
    const auto* london = by_id(t.rate_groups, "peak:4420");
    REQUIRE(london);
    CHECK(london->connect_fee_micros == 15'000);
    CHECK(london->intervals[0].rate_micros == 120'000);
    CHECK(london->intervals[0].rate_increment_s == 60);
    const auto& london_dr = t.destination_rates[0];
    CHECK(london_dr.min_duration_s == 30);
    CHECK(london_dr.max_duration_s == 3600);
    CHECK(london_dr.max_cost_micros == 5'000'000);
    CHECK(london_dr.max_cost_strategy == MaxCostStrategy::Free);

    // Errors: duplicate 44, 44x (destinations); 49 unknown, -5 negative (rates); broken
    // profile; carol's unknown profile.
    REQUIRE(deck->errors.size() == 6);
    CHECK(deck->errors[0].line == 4);
    CHECK(deck->errors[1].line == 5);
    CHECK(deck->errors[2].file == "rates.csv");
    CHECK(deck->errors[2].line == 5);
    CHECK(deck->errors[3].line == 6);
    CHECK(deck->errors[3].field == "Duration");
    CHECK(deck->errors[4].file == "profiles.csv");
    CHECK(deck->errors[4].line == 4);
    CHECK(deck->errors[5].file == "customers.csv");
    CHECK(deck->errors[5].line == 3);

    // biz: night 0-8, peak 8-20, night 20-24 on weekdays; cheap on weekends.
    const auto* biz2 = by_id(t.timings, "biz:wd:2");
    REQUIRE(biz2);
    CHECK(biz2->start_s == 8 * 3600);
    CHECK(biz2->end_s == 20 * 3600);
    const auto plan = std::count_if(t.rating_plans.begin(), t.rating_plans.end(),
                                    [](const auto& e) { return e.rating_plan_id == "biz+cheap"; });
    CHECK(plan == 4);  // 3 weekday ranges + 1 weekend range
    REQUIRE(t.rating_profiles.size() == 2);
    CHECK(t.rating_profiles[0].subject == "bob@example.com");
    CHECK(t.rating_profiles[0].rating_plan_id == "biz+cheap");
    CHECK(t.rating_profiles[0].fallback_subjects ==
          std::vector<std::string>{"bob@example.com#fallback"});
    CHECK(t.rating_profiles[1].subject == "bob@example.com#fallback");
    CHECK(t.rating_profiles[1].rating_plan_id == "cheap");
}

TEST_CASE("cdrtool deck: a file without its columns is refused as a whole") {
    const auto r = parse_cdrtool_deck({"Destination,Description\n1,USA\n", "", "", ""});
    const auto e = error_of(r);
    CHECK(e.code == switchyard::core::Errc::Invalid);
    CHECK(e.field == "destinations.csv");
}
