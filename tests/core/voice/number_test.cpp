// E.164 normalisation of dialled numbers (libphonenumber metadata), with numbers like the ones
// in ../shared/data/voip/cdr (Asterisk CDRs from Buryatia dial Russian mobiles as 8 9xx...).
#include <doctest/doctest.h>

#include "core/voice/number.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard::core;
using namespace switchyard::core::voice;
using switchyard::testing::error_of;

namespace {
NumberContext from(const char* country) { return NumberContext{country, {}}; }
}  // namespace

TEST_CASE("e164: Russian national numbers with the trunk prefix 8") {
    // asterisk_Master_newcdrcolumns_mineevburyat.csv: dst 89247239112.
    CHECK(to_e164("89247239112", from("RU")).value() == "79247239112");
    CHECK(to_e164("+79247239112", from("RU")).value() == "79247239112");
    CHECK(to_e164("79247239112", from("RU")).value() == "79247239112");
    // 810 is Russia's international prefix: 810 49 30 ... is Berlin.
    CHECK(to_e164("8104930901820", from("RU")).value() == "4930901820");
}

TEST_CASE("e164: German numbers: 0 national prefix, 00 international prefix") {
    CHECK(to_e164("030 901820", from("DE")).value() == "4930901820");
    CHECK(to_e164("004930901820", from("DE")).value() == "4930901820");
    CHECK(to_e164("+49 (30) 901-820", from("de")).value() == "4930901820");
    CHECK(to_e164("00442079460000", from("DE")).value() == "442079460000");
}

TEST_CASE("e164: international digits without + when the national reading is not a number") {
    // 12 digits cannot be a Russian national number (10 digits): read as +44 20 7946 0000.
    CHECK(to_e164("442079460000", from("RU")).value() == "442079460000");
    // From Germany the same digits are a valid national number (0442079460000 would be dialled
    // as such), so the national reading wins there: ambiguity is resolved toward the country.
    CHECK(to_e164("442079460000", from("DE")).value() == "49442079460000");
}

TEST_CASE("e164: tech prefixes are stripped first") {
    NumberContext ctx{"DE", {"1010", "#31#"}};
    CHECK(to_e164("#31#004930901820", ctx).value() == "4930901820");
    CHECK(to_e164("1010030901820", ctx).value() == "4930901820");
}

TEST_CASE("e164: what cannot be a number is refused") {
    CHECK(error_of(to_e164("", from("DE"))).field == "dialled");
    CHECK(error_of(to_e164("abc", from("DE"))).code == Errc::Invalid);
    CHECK(error_of(to_e164("1", from("DE"))).code == Errc::Invalid);
    CHECK(error_of(to_e164("030901820", from("XX"))).field == "country");
}

TEST_CASE("e164: classification of mobile and fixed lines") {
    CHECK(classify_e164("79247239112") == NumberType::Mobile);
    CHECK(classify_e164("4915112345678") == NumberType::Mobile);
    CHECK(classify_e164("4930901820") == NumberType::FixedLine);
    CHECK(classify_e164("12015550123") == NumberType::FixedLineOrMobile);
    CHECK(classify_e164("498001234567") == NumberType::TollFree);
    CHECK(classify_e164("12") == NumberType::Unknown);
    CHECK(std::string(to_string(NumberType::Mobile)) == "mobile");
}
