#include "core/voice/carrier_csv.hpp"

#include <doctest/doctest.h>

#include <string>

#include "tests/support/result_checks.hpp"

using namespace switchyard::core;
using namespace switchyard::core::voice;
using switchyard::testing::error_of;

namespace {

ColumnMapping by_names() {
    ColumnMapping m;
    m.prefix.name = "Code";
    m.destination_name.name = "Destination";
    m.rate.name = "Rate";
    m.connect_fee.name = "Connect";
    m.first_increment.name = "Min";
    m.next_increment.name = "Incr";
    m.effective_date.name = "Effective";
    return m;
}

}  // namespace

TEST_CASE("carrier csv: a plain deck becomes destinations, two-interval rate groups, one plan") {
    const std::string text =
        "Code,Destination,Rate,Connect,Min,Incr,Effective\n"
        "44,UK,0.0125,0.01,30,6,2026-12-01\n"
        "447,UK MOBILE,0.05,0,60,60,2026-12-01\n";
    const auto deck = parse_carrier_csv(text, "carrier.csv", by_names());
    REQUIRE(deck);
    CHECK(deck->errors.empty());
    CHECK(deck->lines_read == 2);
    const auto& t = deck->tariff;
    REQUIRE(t.destinations.size() == 2);
    CHECK(t.destinations[0] == Destination{"44", "UK", {"44"}});
    REQUIRE(t.rate_groups.size() == 2);
    const auto& g = t.rate_groups[0];
    CHECK(g.id == "44@2026-12-01T00:00:00.000000Z");
    CHECK(g.connect_fee_micros == 10'000);
    REQUIRE(g.intervals.size() == 2);
    CHECK(g.intervals[0] == RateInterval{0, 12'500, 60, 30});
    CHECK(g.intervals[1] == RateInterval{30, 12'500, 60, 6});
    REQUIRE(t.destination_rates.size() == 2);
    CHECK(t.destination_rates[0].id == "deck");
    CHECK(t.destination_rates[0].rate_id == g.id);
    // 2026-12-01T00:00:00Z = 1'796'083'200 s since the epoch.
    REQUIRE(t.destination_rates[0].effective_from.has_value());
    CHECK(unix_seconds(*t.destination_rates[0].effective_from) == 1'796'083'200);
    REQUIRE(t.rating_plans.size() == 1);
    CHECK(t.rating_plans[0] == RatingPlanEntry{"deck", "deck", "*any", 10});
}

TEST_CASE("carrier csv: other header order, semicolon separator, decimal commas, BOM and CRLF") {
    const std::string text =
        "\xEF\xBB\xBF"
        "Effective;Incr;Rate;Code;Min;Destination;Connect\r\n"
        "01/12/2026;1;0,0125;0044;1;UK;0\r\n"
        "# Germany below\r\n"
        "\r\n"
        "15/01/2027;60;0,1;+49;60;GERMANY;0,05\r\n";
    auto m = by_names();
    m.day_first_dates = true;
    const auto deck = parse_carrier_csv(text, "eu.csv", m);
    REQUIRE(deck);
    CHECK(deck->errors.empty());
    const auto& t = deck->tariff;
    REQUIRE(t.destinations.size() == 2);
    CHECK(t.destinations[0].id == "44");
    CHECK(t.destinations[1].id == "49");
    CHECK(t.destinations[1].name == "GERMANY");
    CHECK(t.rate_groups[0].intervals[0].rate_micros == 12'500);
    CHECK(t.rate_groups[1].intervals[0].rate_micros == 100'000);
    CHECK(t.rate_groups[1].connect_fee_micros == 50'000);
    // 15/01/2027 = 2027-01-15 = 1'799'971'200.
    CHECK(unix_seconds(*t.destination_rates[1].effective_from) == 1'799'971'200);
}

TEST_CASE("carrier csv: columns by index, quoted names with commas, tab separator") {
    const std::string text =
        "prefix\tname\tprice\n"
        "1\t\"USA, CANADA\"\t0.009\n"
        "1242\t\"BAHAMAS \"\"CELL\"\"\"\t0.2\n";
    ColumnMapping m;
    m.prefix.index = 0;
    m.destination_name.index = 1;
    m.rate.index = 2;
    const auto deck = parse_carrier_csv(text, "t.tsv", m);
    REQUIRE(deck);
    CHECK(deck->errors.empty());
    REQUIRE(deck->tariff.destinations.size() == 2);
    CHECK(deck->tariff.destinations[0].name == "USA, CANADA");
    CHECK(deck->tariff.destinations[1].name == "BAHAMAS \"CELL\"");
    // Defaults: 60/60 increments, no connect fee, no effective date.
    CHECK(deck->tariff.rate_groups[0].id == "1");
    CHECK(deck->tariff.rate_groups[0].intervals[0] == RateInterval{0, 9'000, 60, 60});
    CHECK(deck->tariff.rate_groups[0].intervals[1] == RateInterval{60, 9'000, 60, 60});
    CHECK(deck->tariff.rate_groups[0].connect_fee_micros == 0);
    CHECK_FALSE(deck->tariff.destination_rates[0].effective_from.has_value());
}

TEST_CASE("carrier csv: bad rows are refused one by one with line and reason") {
    const std::string text =
        "Code,Destination,Rate,Connect,Min,Incr,Effective\n"  // line 1
        "44,UK,-0.01,0,1,1,2026-12-01\n"                      // 2: negative
        "45,DK,0.0000001,0,1,1,2026-12-01\n"                  // 3: 7 decimals
        "46,SE,0.02,0,0,1,2026-12-01\n"                       // 4: increment 0
        "4 7,NO,0.02,0,1,1,2026-12-01\n"                      // 5: non-digit prefix
        "48,PL,0.02,0,1,1,2026-12-01\n"                       // 6: fine
        "48,PL,0.03,0,1,1,2026-12-01\n"                       // 7: same prefix, same date
        "48,PL,0.03,0,1,1,2027-01-01\n"                       // 8: later date, fine
        "49,DE,0.02,0,1,1,yesterday\n"                        // 9: bad date
        "50,XX,,0,1,1,2026-12-01\n"                           // 10: no rate
        "51,FREE,0,0,0,0,2026-12-01\n";                       // 11: free, 0 increments fine
    const auto deck = parse_carrier_csv(text, "bad.csv", by_names());
    REQUIRE(deck);
    REQUIRE(deck->errors.size() == 7);
    CHECK(deck->errors[0] == RowError{"bad.csv", 2, "rate", "'-0.01' is a negative price"});
    CHECK(deck->errors[1].line == 3);
    CHECK(deck->errors[1].field == "rate");
    CHECK(deck->errors[2].line == 4);
    CHECK(deck->errors[2].field == "first_increment");
    CHECK(deck->errors[3].line == 5);
    CHECK(deck->errors[3].field == "prefix");
    CHECK(deck->errors[4].line == 7);
    CHECK(deck->errors[4].reason.find("line 6") != std::string::npos);
    CHECK(deck->errors[5].line == 9);
    CHECK(deck->errors[5].field == "effective_date");
    CHECK(deck->errors[6].line == 10);
    CHECK(deck->lines_read == 10);
    // 48 twice (two dates) and 51.
    CHECK(deck->tariff.destinations.size() == 2);
    CHECK(deck->tariff.rate_groups.size() == 3);
}

TEST_CASE("carrier csv: a mapped column missing from the header refuses the file") {
    auto m = by_names();
    const auto e = error_of(parse_carrier_csv("Code,Price\n44,0.1\n", "x.csv", m));
    CHECK(e.code == Errc::Invalid);
    CHECK(e.field == "destination_name");
    ColumnMapping none;
    CHECK(error_of(parse_carrier_csv("a\n", "x.csv", none)).field == "prefix");
}

TEST_CASE("carrier csv: deck dates") {
    CHECK(unix_seconds(*parse_deck_date("1970-01-02", false)) == 86'400);
    CHECK(unix_seconds(*parse_deck_date("1970-01-01 01:00", false)) == 3'600);
    CHECK(unix_seconds(*parse_deck_date("1970-01-01T00:00:10+00:00", false)) == 10);
    CHECK(unix_seconds(*parse_deck_date("2/1/1970", true)) == 86'400);
    CHECK_FALSE(parse_deck_date("1970-02-30", false).has_value());
    CHECK_FALSE(parse_deck_date("01/02/1970", false).has_value());
}

TEST_CASE("carrier csv: day-first dates with extra parts or missing parts do not read") {
    CHECK_FALSE(parse_deck_date("1/2/2026/5", true).has_value());
    CHECK_FALSE(parse_deck_date("1/2/", true).has_value());
    CHECK_FALSE(parse_deck_date("1/2", true).has_value());
    CHECK(unix_seconds(*parse_deck_date("01.01.1970", true)) == 0);
}
