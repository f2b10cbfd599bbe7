#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "core/voice/numbering.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard::core;
using namespace switchyard::core::voice;
using switchyard::testing::error_of;

namespace {
std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}
}  // namespace

TEST_CASE("the shipped numbering plan names destinations and countries by longest prefix") {
    const std::string dir = SY_CONFIG_DIR "/voice/";
    auto plan = NumberingPlan::parse(slurp(dir + "destinations.csv"), slurp(dir + "countries.csv"));
    REQUIRE(plan);
    // The A2Billing table has 4,892 prefixes (../shared/data/voip/README.md).
    CHECK(plan->destinations() == 4'892);
    // Its rows `93,Afghanistan` and `9370,Afghanistan Mobile`: the longer one wins.
    CHECK(plan->destination("93701234567")->name == "Afghanistan Mobile");
    CHECK(plan->destination("93701234567")->prefix == "9370");
    CHECK(plan->destination("93201234567")->name == "Afghanistan");
    CHECK_FALSE(plan->destination("").has_value());
    // Country calling codes (ITU E.164): 7 Russia, 49 Germany, 1684 American Samoa before 1.
    CHECK(plan->country("79247239112")->country == "RU");
    CHECK(plan->country("4930123456")->country == "DE");
    CHECK(plan->country("4930123456")->currency == "EUR");
    CHECK(plan->country("16846331234")->country == "AS");
    CHECK(plan->country("12125550100")->country == "US");
}

TEST_CASE("a numbering plan row that is not digits or not a country code is refused by line") {
    auto bad_prefix = NumberingPlan::parse("prefix,destination\n93,Afghanistan\n9x,Bad\n",
                                           "dial,country,name,currency\n");
    CHECK(error_of(bad_prefix).field == "destinations.csv");
    CHECK(error_of(bad_prefix).message.find("line 3") != std::string::npos);
    auto bad_country = NumberingPlan::parse("prefix,destination\n",
                                            "dial,country,name,currency\n49,Deu,Germany,EUR\n");
    CHECK(error_of(bad_country).field == "countries.csv");
    CHECK(error_of(bad_country).message.find("alpha-2") != std::string::npos);
}
