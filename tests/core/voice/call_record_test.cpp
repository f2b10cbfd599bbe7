#include <doctest/doctest.h>

#include "core/text.hpp"
#include "core/voice/call_record.hpp"

using namespace switchyard::core;
using namespace switchyard::core::voice;

TEST_CASE("a caller name cut mid-character is read as Latin-1 so the log holds UTF-8 only") {
    CallRecord r;
    // "Бур" in UTF-8 is D0 91 D1 83 D1 80; the switch cut it after D1.
    r.caller_name = std::string("\xD0\x91\xD1\x83\xD1", 5);
    r.destination = "211474";
    r.channel = "SIP/211474-00000000";
    REQUIRE_FALSE(is_valid_utf8(r.caller_name));
    to_valid_utf8(r);
    CHECK(is_valid_utf8(r.caller_name));
    // Each byte became one code point: D0 -> C3 90, 91 -> C2 91, ...
    CHECK(r.caller_name == "\xC3\x90\xC2\x91\xC3\x91\xC2\x83\xC3\x91");
    // Valid fields are left alone.
    CHECK(r.destination == "211474");
    CHECK(r.channel == "SIP/211474-00000000");
    r.caller_name = "\xD0\x91\xD1\x83\xD1\x80";
    to_valid_utf8(r);
    CHECK(r.caller_name == "\xD0\x91\xD1\x83\xD1\x80");
}
