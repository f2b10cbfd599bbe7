// TZif files of Debian tzdata read by core::parse_tzif: UTC offsets before and after a DST
// change (from the transitions), past the last transition (from the POSIX TZ footer), a zone
// without DST, and refused bytes. Skipped when tzdata is not installed.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "core/time_zone.hpp"
#include "tests/support/skip.hpp"

using namespace switchyard;
using std::chrono::seconds;

namespace {

std::optional<core::TimeZone> zone(const std::string& name) {
    std::ifstream in("/usr/share/zoneinfo/" + name, std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream bytes;
    bytes << in.rdbuf();
    auto z = core::parse_tzif(bytes.str());
    REQUIRE(z);
    return *z;
}

}  // namespace

TEST_CASE("Europe/Berlin moves from CET to CEST at 01:00 UTC on the last Sunday of March") {
    auto berlin = zone("Europe/Berlin");
    if (!berlin) {
        switchyard::testing::skip("tzdata is not installed (/usr/share/zoneinfo)");
        return;
    }
    // 2026-03-29T00:59:59Z and 01:00:00Z (EU summer time rule).
    CHECK(berlin->offset_at(core::from_unix_seconds(1'774'745'999)) == seconds(3600));
    CHECK(berlin->offset_at(core::from_unix_seconds(1'774'746'000)) == seconds(7200));
    // 2040 lies past the transitions a fat TZif lists (2037): the footer rule answers.
    CHECK(berlin->offset_at(core::from_unix_seconds(2'224'756'800)) == seconds(7200));  // July
    CHECK(berlin->offset_at(core::from_unix_seconds(2'209'032'000)) == seconds(3600));  // Jan
    CHECK(core::format_rfc3339(berlin->local(core::from_unix_seconds(1'774'746'000))) ==
          "2026-03-29T03:00:00.000000Z");
}

TEST_CASE("Asia/Irkutsk is UTC+8 in winter and summer") {
    auto irkutsk = zone("Asia/Irkutsk");
    if (!irkutsk) {
        switchyard::testing::skip("tzdata is not installed (/usr/share/zoneinfo)");
        return;
    }
    CHECK(irkutsk->offset_at(core::from_unix_seconds(1'774'746'000)) == seconds(8 * 3600));
    CHECK(irkutsk->offset_at(core::from_unix_seconds(2'224'756'800)) == seconds(8 * 3600));
}

TEST_CASE("bytes that are not a TZif file are refused naming timezone") {
    CHECK(core::parse_tzif("").error().field == "timezone");
    CHECK(core::parse_tzif("TZif2 but short").error().field == "timezone");
    CHECK(core::TimeZone{}.offset_at(core::from_unix_seconds(0)) == seconds(0));
}
