#include <doctest/doctest.h>

#include "core/voice/money.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard::core;
using namespace switchyard::core::voice;

TEST_CASE("money: decimal text reads into micro-units and writes back") {
    CHECK(parse_micros("0.0999", "rate").value() == 99'900);
    CHECK(parse_micros(" 1 ", "rate").value() == 1'000'000);
    CHECK(parse_micros("-2.5", "rate").value() == -2'500'000);
    CHECK(parse_micros(".5", "rate").value() == 500'000);
    CHECK(parse_micros("0,0125", "rate", true).value() == 12'500);
    CHECK(format_micros(99'900, 4) == "0.0999");
    CHECK(format_micros(-1'500'000, 2) == "-1.50");
    CHECK(format_micros(5, 0) == "0");
    CHECK(format_micros(123'456'789) == "123.456789");
}

TEST_CASE("money: a price that is not a decimal or has more than 6 decimals is refused") {
    for (const auto* bad : {"", "abc", "1.2.3", "0.0000001", "1e5", "-", "0,5"}) {
        const auto r = parse_micros(bad, "rate");
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error().code == Errc::Invalid);
        CHECK(r.error().field == "rate");
    }
}
