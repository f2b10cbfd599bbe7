// The shipped vendor profiles load, and every attribute they name is in the Debian FreeRADIUS
// dictionaries (read here by a small local scan of the ATTRIBUTE lines, not the real parser).
#include "events/hotspot/vendor_profiles.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "tests/support/result_checks.hpp"
#include "tests/support/skip.hpp"

using namespace switchyard;
using namespace switchyard::events::hotspot;
using core::hotspot::SpeedFormat;
using switchyard::testing::error_of;

namespace {

/// Every `ATTRIBUTE <name>` of /usr/share/freeradius/dictionary.* (lower case).
const std::set<std::string>& dictionary_names() {
    static const std::set<std::string> names = [] {
        std::set<std::string> out;
        const std::filesystem::path dir = "/usr/share/freeradius";
        if (!std::filesystem::exists(dir)) return out;
        for (const auto& entry : std::filesystem::directory_iterator(dir)) {
            if (entry.path().filename().string().rfind("dictionary", 0) != 0) continue;
            std::ifstream in(entry.path());
            std::string line;
            while (std::getline(in, line)) {
                std::istringstream words(line);
                std::string keyword, name;
                words >> keyword >> name;
                if (keyword == "ATTRIBUTE") {
                    for (auto& c : name) c = static_cast<char>(std::tolower(c));
                    out.insert(name);
                }
            }
        }
        return out;
    }();
    return names;
}

bool in_dictionary(std::string_view name) {
    std::string lower(name);
    for (auto& c : lower) c = static_cast<char>(std::tolower(c));
    return dictionary_names().count(lower) > 0;
}

}  // namespace

TEST_CASE("the shipped vendor profiles load and name only dictionary attributes") {
    if (dictionary_names().empty()) {
        switchyard::testing::skip("no FreeRADIUS dictionaries in /usr/share/freeradius");
        return;
    }
    const auto profiles = load_vendor_profiles(
        std::filesystem::path(SY_CONFIG_DIR) / "hotspot/vendors", in_dictionary);
    REQUIRE_MESSAGE(profiles.has_value(), (profiles ? "" : profiles.error().message));
    CHECK(profiles->all().size() == 7);
    const auto* mt = profiles->find("mikrotik");
    REQUIRE(mt);
    CHECK(mt->speed_format == SpeedFormat::MikrotikRateLimit);
    CHECK(mt->rate_limit_attribute == "Mikrotik-Rate-Limit");
    CHECK(mt->total_quota.gigawords == "Mikrotik-Total-Limit-Gigawords");
    CHECK(mt->coa_port == 1700);  // RouterOS /radius incoming default
    const auto* chilli = profiles->find("chillispot");
    REQUIRE(chilli);
    CHECK(chilli->speed_format == SpeedFormat::KilobitsPerSecond);
    CHECK(chilli->total_quota.octets == "ChilliSpot-Max-Total-Octets");
    CHECK(chilli->total_quota.gigawords.empty());
    for (const auto& p : profiles->all()) {
        if (p.vendor != "mikrotik") CHECK_MESSAGE(p.coa_port == 3799, p.vendor);  // RFC 5176
        CHECK_FALSE(p.sources.empty());
    }
    CHECK(profiles->find("omada")->portal_parameters.front() == "clientMac");
    CHECK(profiles->find("nokia") == nullptr);
}

TEST_CASE("a profile naming an attribute outside the dictionary is refused naming the field") {
    auto known = [](std::string_view n) { return n != "Mikrotik-Rate-Limit"; };
    const auto e = error_of(parse_vendor_profile(
        R"({"vendor":"mikrotik","speed":{"format":"mikrotik_rate_limit","attribute":"Mikrotik-Rate-Limit"},
            "quota":{},"session_timeout":"Session-Timeout","idle_timeout":"Idle-Timeout","pool":"",
            "acct_interim_interval_seconds":60,"disconnect_attributes":["User-Name"],"coa_port":1700,
            "portal_parameters":[],"sources":[]})",
        known));
    CHECK(e.field == "speed.attribute");
    CHECK(e.message.find("not in the RADIUS dictionary") != std::string::npos);
}

TEST_CASE("malformed vendor profiles are refused naming the field") {
    auto all = [](std::string_view) { return true; };
    const std::string good =
        R"({"vendor":"generic","speed":{"format":"none"},"quota":{},"session_timeout":"Session-Timeout",
            "idle_timeout":"Idle-Timeout","pool":"Framed-Pool","acct_interim_interval_seconds":0,
            "disconnect_attributes":["User-Name"],"coa_port":3799,"portal_parameters":[],"sources":[]})";
    REQUIRE(parse_vendor_profile(good, all));
    auto with = [&](std::string from, std::string to) {
        auto s = good;
        s.replace(s.find(from), from.size(), to);
        return parse_vendor_profile(s, all);
    };
    CHECK(error_of(with(R"("coa_port":3799)", R"("coa_port":0)")).field == "coa_port");
    CHECK(error_of(with(R"("coa_port":3799)", R"("coa_port":"3799")")).field == "coa_port");
    CHECK(error_of(with(R"("format":"none")", R"("format":"kbps")")).field == "speed.format");
    CHECK(error_of(with(R"("vendor":"generic")", R"("vendor":"nokia")")).field == "vendor");
    CHECK(error_of(with(R"(["User-Name"])", R"(["Filter-Id"])")).field ==
          "disconnect_attributes[0]");
    CHECK(error_of(with(R"("quota":{})", R"("quota":{"total":{"gigawords":"X"}})")).field ==
          "quota.total.octets");
    CHECK(error_of(with(R"("sources":[])", R"("sources":[], "extra":1)")).field == "extra");
    CHECK(error_of(parse_vendor_profile("[]", all)).field == "body");
}

TEST_CASE("a missing profile file is refused naming it") {
    const auto e =
        error_of(load_vendor_profiles("/nonexistent", [](std::string_view) { return true; }));
    CHECK(e.code == core::Errc::NotFound);
    CHECK(e.field.find("mikrotik.json") != std::string::npos);
}
