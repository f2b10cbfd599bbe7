#include <doctest/doctest.h>

#include "core/text.hpp"
#include "core/time.hpp"

using namespace switchyard::core;

TEST_CASE("RFC 3339 text round-trips with microseconds") {
    auto t = parse_rfc3339("2026-11-21T13:40:00.123456Z");
    REQUIRE(t);
    CHECK(format_rfc3339(*t) == "2026-11-21T13:40:00.123456Z");
    CHECK(unix_seconds(*t) == 1795268400);
}

TEST_CASE("RFC 3339 offsets are folded into UTC and fractions are padded") {
    CHECK(format_rfc3339(*parse_rfc3339("2026-11-21T15:40:00+02:00")) ==
          "2026-11-21T13:40:00.000000Z");
    CHECK(format_rfc3339(*parse_rfc3339("2026-11-21T13:40:00.5Z")) ==
          "2026-11-21T13:40:00.500000Z");
    CHECK(format_rfc3339(*parse_rfc3339("1970-01-01T00:00:00Z")) == "1970-01-01T00:00:00.000000Z");
}

TEST_CASE("malformed RFC 3339 text is refused") {
    for (const char* bad :
         {"", "2026-11-21", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-21T25:00:00Z",
          "2026-11-21T13:40:00", "2026-11-21T13:40:00.Z", "2026-11-21T13:40:00Zjunk"}) {
        CHECK_MESSAGE(!parse_rfc3339(bad), bad);
    }
}

TEST_CASE("UTF-8 validation follows RFC 3629") {
    CHECK(is_valid_utf8("Allgäu TV"));
    CHECK(is_valid_utf8("中央电视台"));
    CHECK_FALSE(is_valid_utf8("\xC3"));              // truncated
    CHECK_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
    CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // > U+10FFFF
}

TEST_CASE("CSV fields are quoted only when RFC 4180 requires it") {
    CHECK(csv_field("plain text") == "plain text");
    CHECK(csv_field("") == "");
    CHECK(csv_field("a,b") == "\"a,b\"");
    CHECK(csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv_field("two\r\nlines") == "\"two\r\nlines\"");
    CHECK(csv_field("line\n") == "\"line\n\"");
}
