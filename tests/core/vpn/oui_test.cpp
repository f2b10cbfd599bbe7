// MAC vendors from the real IEEE registries Debian's ieee-data installs.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "core/vpn/oui.hpp"

using namespace switchyard::core::vpn;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    REQUIRE_MESSAGE(in, path << " is missing: scripts/setup installs ieee-data");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

const OuiRegistry& registry() {
    static const OuiRegistry r = [] {
        OuiRegistry r;
        for (const char* f : {"oui.txt", "mam.txt", "oui36.txt"})
            CHECK(r.add_text(slurp(std::string(SY_IEEE_DATA) + "/" + f)) > 1000);
        return r;
    }();
    return r;
}

}  // namespace

TEST_CASE("MAC addresses parse in the usual notations, and nothing else") {
    CHECK(parse_mac("44:47:cc:12:34:56") == 0x4447cc123456ULL);
    CHECK(parse_mac("44-47-CC-12-34-56") == 0x4447cc123456ULL);
    CHECK(parse_mac("4447.cc12.3456") == 0x4447cc123456ULL);
    CHECK(parse_mac("4447cc123456") == 0x4447cc123456ULL);
    CHECK_FALSE(parse_mac("44:47:cc:12:34"));
    CHECK_FALSE(parse_mac("44:47:cc:12:34:5g"));
    CHECK_FALSE(parse_mac("4:47:cc:12:34:56:7"));
    CHECK_FALSE(parse_mac(""));
    CHECK(locally_administered(*parse_mac("da:a1:19:00:00:01")));  // a randomised phone MAC
    CHECK_FALSE(locally_administered(*parse_mac("44:47:cc:12:34:56")));
}

TEST_CASE("vendors come from the registry files: MA-L, MA-M and MA-S blocks") {
    const auto& r = registry();
    CHECK(r.size() > 40000);
    // MA-L (oui.txt): real blocks of well-known makers.
    CHECK(r.vendor("44:47:CC:01:02:03") == "Hangzhou Hikvision Digital Technology Co.,Ltd.");
    CHECK(r.vendor("00-22-72-00-00-01") == "American Micro-Fuel Device Corp.");
    CHECK(r.vendor("70:bc:10:aa:bb:cc") == "Microsoft Corporation");
    // MA-M (mam.txt): 74-1A-E0 9xxxxx is a 28-bit block marked Private; A.. is not in it.
    CHECK(r.vendor("74:1A:E0:90:00:01") == "Private");
    // MA-S (oui36.txt): 70-B3-D5-F2-F is TELEPLATFORMS; the neighbouring 36-bit block is not.
    CHECK(r.vendor("70:B3:D5:F2:F1:23") == "TELEPLATFORMS");
    CHECK(r.vendor("70:B3:D5:71:91:23") == "2M Technology");
    CHECK(r.vendor("70:B3:D5:F2:F1:23") != r.vendor("70:B3:D5:71:91:23"));
    // Randomised (locally administered) and malformed addresses name nobody.
    CHECK_FALSE(r.vendor("46:47:CC:01:02:03"));
    CHECK_FALSE(r.vendor("not a mac"));
}
