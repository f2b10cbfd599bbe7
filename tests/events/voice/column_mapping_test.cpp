#include "events/voice/column_mapping.hpp"

#include <doctest/doctest.h>

#include "tests/support/result_checks.hpp"

using namespace switchyard::core;
using namespace switchyard::events::voice;
using switchyard::testing::error_of;

TEST_CASE("column mapping: names, indexes and options read from TOML") {
    const auto m = read_column_mapping(R"(
prefix = "Code"
destination = "Country"
rate = 3
connect_fee = "Setup"
effective_date = "Valid From"
date_format = "DD/MM/YYYY"
currency = "USD"
decimal_comma = true
separator = "tab"
skip_lines = 2
default_first_increment = 30
rating_plan = "carrier_x"
)",
                                       "m.toml");
    REQUIRE(m);
    CHECK(m->prefix.name == "Code");
    CHECK(m->destination_name.name == "Country");
    CHECK(m->rate.index == 3u);
    CHECK(m->rate.name.empty());
    CHECK(m->connect_fee.name == "Setup");
    CHECK(m->effective_date.name == "Valid From");
    CHECK(m->day_first_dates);
    CHECK(m->currency == "USD");
    CHECK(m->decimal_comma == true);
    CHECK(m->separator == '\t');
    CHECK(m->skip_lines == 2);
    CHECK(m->default_first_increment_s == 30);
    CHECK(m->default_next_increment_s == 60);
    CHECK(m->rating_plan_id == "carrier_x");
    CHECK_FALSE(m->first_increment.is_set());
}

TEST_CASE("column mapping: unknown keys and wrong values are refused naming the key") {
    CHECK(error_of(read_column_mapping("prefix = \"a\"\nrate = 1\nprice = 2\n", "m.toml")).field ==
          "price");
    CHECK(error_of(read_column_mapping("prefix = -1\nrate = 1\n", "m.toml")).field == "prefix");
    CHECK(error_of(read_column_mapping("prefix = 0\nrate = 1\nseparator = \";;\"\n", "m.toml"))
              .field == "separator");
    CHECK(error_of(read_column_mapping("prefix = 0\nrate = 1\ncurrency = \"euro\"\n", "m.toml"))
              .field == "currency");
    CHECK(error_of(read_column_mapping("prefix = 0\n", "m.toml")).field == "rate");
    CHECK(error_of(read_column_mapping("prefix = = 0\n", "m.toml")).field == "m.toml");
}
