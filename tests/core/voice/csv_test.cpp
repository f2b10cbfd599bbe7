#include "core/voice/csv.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace switchyard::core::voice;

TEST_CASE("csv: a plain comma file yields rows with their line numbers") {
    const auto t = read_csv("a,b,c\n1,2,3\n4,5,6\n");
    CHECK(t.separator == ',');
    REQUIRE(t.rows.size() == 3);
    CHECK(t.rows[1].line == 2);
    CHECK(t.rows[2].fields == std::vector<std::string>{"4", "5", "6"});
}

TEST_CASE("csv: BOM, CRLF, blank and comment lines are skipped, lines still counted") {
    const auto t = read_csv("\xEF\xBB\xBFprefix,rate\r\n# a comment\r\n\r\n44,0.01\r\n33,0.02\r\n");
    REQUIRE(t.rows.size() == 3);
    CHECK(t.rows[0].fields[0] == "prefix");
    CHECK(t.rows[1].line == 4);
    CHECK(t.rows[1].fields == std::vector<std::string>{"44", "0.01"});
    CHECK(t.rows[2].line == 5);
}

TEST_CASE("csv: lone CR line ends") {
    const auto t = read_csv("a;b\r1;2\r3;4");
    CHECK(t.separator == ';');
    REQUIRE(t.rows.size() == 3);
    CHECK(t.rows[2].line == 3);
    CHECK(t.rows[2].fields == std::vector<std::string>{"3", "4"});
}

TEST_CASE("csv: quoted fields keep separators, doubled quotes and newlines") {
    const auto t = read_csv("name,dest\n\"Smith, \"\"J\"\"\",\"line1\nline2\"\nx,y\n");
    REQUIRE(t.rows.size() == 3);
    CHECK(t.rows[1].fields[0] == "Smith, \"J\"");
    CHECK(t.rows[1].fields[1] == "line1\nline2");
    CHECK(t.rows[2].line == 4);  // the quoted newline moved it one line down
}

TEST_CASE("csv: separators are sniffed from the header") {
    CHECK(sniff_separator("a\tb\tc") == '\t');
    CHECK(sniff_separator("a|b|c") == '|');
    CHECK(sniff_separator("\"a,b\";c;d") == ';');
    CHECK(sniff_separator("single") == ',');
    CHECK(read_csv("x|y\n1|2\n").rows[1].fields == std::vector<std::string>{"1", "2"});
}

TEST_CASE("csv: decimal commas are detected with semicolons and numbers like 0,0125") {
    CHECK(read_csv("prefix;rate\n44;0,0125\n").decimal_comma);
    CHECK_FALSE(read_csv("prefix;rate\n44;0.0125\n").decimal_comma);
    CHECK_FALSE(read_csv("prefix,rate\n44,\"0,0125\"\n").decimal_comma);
    CsvOptions given;
    given.decimal_comma = true;
    CHECK(read_csv("a,b\n1,2\n", given).decimal_comma);
}

TEST_CASE("csv: skip_lines drops title lines and the given separator wins") {
    CsvOptions o;
    o.skip_lines = 2;
    o.separator = ';';
    const auto t = read_csv("Carrier X price list\nvalid from today\ncode;rate\n1;2\n", o);
    REQUIRE(t.rows.size() == 2);
    CHECK(t.rows[0].line == 3);
    CHECK(t.rows[0].fields == std::vector<std::string>{"code", "rate"});
}

TEST_CASE("csv: invalid UTF-8 and an unterminated quote pass through as bytes") {
    const std::string text = "a,b\n\xD0,\"open\n";
    const auto t = read_csv(text);
    REQUIRE(t.rows.size() == 2);
    CHECK(t.rows[1].fields[0] == "\xD0");
    CHECK(t.rows[1].fields[1] == "open\n");
}

TEST_CASE("csv: find_column ignores case, blanks and a leading #") {
    const std::vector<std::string> header{"#Id", " Prefix ", "Rate"};
    CHECK(find_column(header, "id") == 0u);
    CHECK(find_column(header, "prefix") == 1u);
    CHECK_FALSE(find_column(header, "connect").has_value());
}
