// DID inventory CSV: fixed headers in any order, a column mapping, dialects, and bad rows
// refused with their line and field while the rest are read.
#include <doctest/doctest.h>

#include "core/voice/did_csv.hpp"

using namespace switchyard;
using namespace switchyard::core::voice;

TEST_CASE("an inventory CSV with fixed headers is read and its bad rows are reported by line") {
    const std::string text =
        "number,country,provider,type,area,setup_cost,monthly_cost,setup_price,monthly_price,"
        "channels\n"                                                              // line 1
        "+49 30 1234-5678,de,didco,local,Berlin,0.5,1,2,3.5,2\n"                  // 2
        "# a comment\n"                                                           // 3
        "004420 7123 4567,GB,didco,Toll-Free,,0,0,0,0,\n"                         // 4
        "12345,DE,didco,local,Berlin,0,0,0,0,1\n"                                 // 5: short
        "493099999999,DE,didco,premium,Berlin,0,0,0,0,1\n"                        // 6: type
        "493088888888,DE,didco,local,Berlin,0,0,abc,0,1\n"                        // 7: price
        "493077777777,DE,didco,local,Berlin,0,0,0,-1,1\n"                         // 8: negative
        "493066666666,DE,didco,local,Berlin,0,0,0,0,0\n"                          // 9: channels
        "493055555555,DE,,local,Berlin,0,0,0,0,1\n"                               // 10: provider
        "\"493044444444\",DE,didco,mobile,\"Berlin, Mitte\",0,0,0,0.1234567,1\n"  // 11: decimals
        "493033333333,DE,didco,national,Hamburg,0,0,0,0.99,10000\n";              // 12
    const auto parsed = parse_did_csv(text, "stock.csv");
    REQUIRE(parsed);
    CHECK(parsed->lines_read == 10);  // line 3 is a comment
    REQUIRE(parsed->rows.size() == 3);
    const auto& b = parsed->rows[0];
    CHECK(b.line == 2);
    CHECK(b.did.number == "493012345678");
    CHECK(b.did.country == "DE");
    CHECK(b.did.provider_id == "didco");
    CHECK(b.did.area == "Berlin");
    CHECK(b.did.setup_cost == 500'000);
    CHECK(b.did.monthly_cost == 1'000'000);
    CHECK(b.did.setup_price == 2'000'000);
    CHECK(b.did.monthly_price == 3'500'000);
    CHECK(b.did.channels == 2);
    CHECK(b.did.currency.empty());  // the provider's, decided on import
    const auto& g = parsed->rows[1];
    CHECK(g.line == 4);
    CHECK(g.did.number == "442071234567");
    CHECK(g.did.type == DidType::TollFree);
    CHECK(g.did.channels == 1);
    CHECK(parsed->rows[2].line == 12);
    CHECK(parsed->rows[2].did.type == DidType::National);
    CHECK(parsed->rows[2].did.channels == 10000);

    REQUIRE(parsed->errors.size() == 7);
    const std::vector<std::pair<std::int64_t, std::string>> expected{
        {5, "number"},   {6, "type"},      {7, "setup_price"},   {8, "monthly_price"},
        {9, "channels"}, {10, "provider"}, {11, "monthly_price"}};
    for (std::size_t i = 0; i < expected.size(); ++i) {
        CAPTURE(i);
        CHECK(parsed->errors[i].file == "stock.csv");
        CHECK(parsed->errors[i].line == expected[i].first);
        CHECK(parsed->errors[i].field == expected[i].second);
        CHECK_FALSE(parsed->errors[i].reason.empty());
    }
}

TEST_CASE("an inventory CSV without optional columns takes their defaults") {
    const auto parsed = parse_did_csv("Country;Number\r\nDE;4930111111\r\n", "min.csv",
                                      DidColumnMapping{.default_provider = "didco"});
    REQUIRE(parsed);
    REQUIRE(parsed->rows.size() == 1);
    CHECK(parsed->rows[0].did.number == "4930111111");
    CHECK(parsed->rows[0].did.provider_id == "didco");
    CHECK(parsed->rows[0].did.type == DidType::Local);
    CHECK(parsed->rows[0].did.monthly_price == 0);
    CHECK(parsed->errors.empty());
}

TEST_CASE("an inventory CSV read with a column mapping by name and index") {
    DidColumnMapping m;
    m.number = {"DID", {}};
    m.country = {"", 2};
    m.provider = {};
    m.default_provider = "acme";
    m.monthly_price = {"MRC", {}};
    m.setup_price = {"NRC", {}};
    m.separator = ';';
    const auto parsed =
        parse_did_csv("DID;NRC;ISO;MRC\n4930222222;1,5;de;2,25\n", "provider.csv", m);
    REQUIRE(parsed);
    REQUIRE(parsed->rows.size() == 1);
    CHECK(parsed->rows[0].did.country == "DE");
    CHECK(parsed->rows[0].did.setup_price == 1'500'000);
    CHECK(parsed->rows[0].did.monthly_price == 2'250'000);
}

TEST_CASE("an inventory CSV missing a required column is refused as a whole") {
    auto r = parse_did_csv("country,provider\nDE,didco\n", "x.csv");
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "number");
    r = parse_did_csv("number,country\n4930222222,DE\n", "x.csv");
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "provider");
    DidColumnMapping m;
    m.channels = {"", 9};
    r = parse_did_csv("number,country,provider\n4930222222,DE,d\n", "x.csv", m);
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "channels");
    r = parse_did_csv("", "empty.csv");
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "file");
}
