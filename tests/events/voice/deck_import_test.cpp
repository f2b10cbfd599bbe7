// read_deck: one entry for the three deck formats, files matched by name, the column mapping from
// a JSON object, and the refusals that name the field.
#include "events/voice/deck_import.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::voice;
using namespace switchyard::events::voice;
using switchyard::testing::error_of;

namespace {

std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<DeckFile> folder(const std::string& sub, const std::string& ext = ".csv") {
    std::vector<DeckFile> out;
    const auto dir = std::filesystem::path(SY_SHARED_DATA) / "voip" / sub;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.path().extension() == ext)
            out.push_back({sub + "/" + e.path().filename().string(), read_text(e.path())});
    return out;
}

const DestinationRate* rate_of(const Tariff& t, const std::string& destination) {
    for (const auto& d : t.destination_rates)
        if (d.destination_id == destination) return &d;
    return nullptr;
}

const RateGroup* group_of(const Tariff& t, const std::string& id) {
    for (const auto& g : t.rate_groups)
        if (g.id == id) return &g;
    return nullptr;
}

}  // namespace

TEST_CASE("read_deck: the shared CDRTool deck, files matched by name under a folder") {
    const auto files = folder("ratedeck-cdrtool-2010");
    REQUIRE(files.size() == 4);
    DeckReadOptions o;
    o.tenant = "op";
    o.currency = "USD";
    auto deck = read_deck(DeckFormat::Cdrtool, files, o);
    REQUIRE(deck);
    CHECK(deck->tariff.destinations.size() == 13'126);
    CHECK(deck->tariff.currency == "USD");
    // 13,126 destinations + 13,127 rates + 1 profile + 3 customers (the deck's README counts).
    CHECK(deck->lines_read == 26'257);
    // The sms row without a destination at rates.csv line 13,128, named as the caller named it.
    REQUIRE(deck->errors.size() == 1);
    CHECK(deck->errors[0].file == "ratedeck-cdrtool-2010/rates.csv");
    CHECK(deck->errors[0].line == 13'128);
    // The rating profiles are written for the tenant asked.
    REQUIRE(!deck->tariff.rating_profiles.empty());
    for (const auto& p : deck->tariff.rating_profiles) CHECK(p.tenant == "op");
}

TEST_CASE("read_deck: a small CDRTool deck without profiles, and what CDRTool refuses") {
    const std::vector<DeckFile> files{
        {"Destinations.CSV",
         "Ops,Reseller,Trusted peer,Domain,Subscriber,Destination,Region,Description,Incr,Min "
         "Dur,Max Dur,Max Price\n2,0,,,,4420,,UK LONDON,0,0,0,\n2,0,,,,33,,FRANCE,0,0,0,\n"},
        {"rates.csv",
         "Ops,Reseller,Rate,Destination,App,Connect,Duration,Conn In,Duration In\n"
         "2,0,std,4420,audio,100,250,,\n2,0,std,33,audio,0,abc,,\n"},
    };
    auto deck = read_deck(DeckFormat::Cdrtool, files, {});
    REQUIRE(deck);
    // Duration 250 in 1/10,000 = 0.025 per minute; Connect 100 = 0.01.
    const auto* london = rate_of(deck->tariff, "4420");
    REQUIRE(london);
    const auto* g = group_of(deck->tariff, london->rate_id);
    REQUIRE(g);
    CHECK(g->connect_fee_micros == 10'000);
    REQUIRE(g->intervals.size() == 1);
    CHECK(g->intervals[0].rate_micros == 25'000);
    REQUIRE(deck->errors.size() == 1);
    CHECK(deck->errors[0].file == "rates.csv");
    CHECK(deck->errors[0].line == 3);
    CHECK(deck->errors[0].field == "Duration");

    // Not a CDRTool file, a file twice, a missing rates.csv: the files as a whole are refused.
    auto odd = files;
    odd.push_back({"notes.txt", "x"});
    CHECK(error_of(read_deck(DeckFormat::Cdrtool, odd, {})).field == "files");
    auto twice = files;
    twice.push_back({"other/rates.csv", files[1].bytes});
    CHECK(error_of(read_deck(DeckFormat::Cdrtool, twice, {})).field == "files");
    CHECK(error_of(read_deck(DeckFormat::Cdrtool, {files[0]}, {})).field == "files");
    CHECK(error_of(read_deck(DeckFormat::Cdrtool, {}, {})).field == "files");
}

TEST_CASE("read_deck: the CGRateS tutorial plan folder, tenant filter and currency") {
    DeckReadOptions o;
    o.tenant_filter = "cgrates.org";
    o.currency = "EUR";
    auto plan = read_deck(DeckFormat::Cgrates, folder("cgrates/tutorial"), o);
    REQUIRE(plan);
    CHECK(plan->errors.empty());
    // Destinations.csv of the tutorial: DST_1002, DST_1003, DST_FS, DST_1001 (4 ids).
    CHECK(plan->tariff.destinations.size() == 4);
    // RatingProfiles.csv has 6 rows of tenant cgrates.org and 2 of cgrates.com.
    CHECK(plan->tariff.rating_profiles.size() == 6);
    for (const auto& p : plan->tariff.rating_profiles) CHECK(p.tenant == "cgrates.org");

    // Without RatingPlans.csv the plan is refused as a whole.
    auto files = folder("cgrates/tutorial");
    std::erase_if(files, [](const DeckFile& f) { return f.name.ends_with("RatingPlans.csv"); });
    CHECK(error_of(read_deck(DeckFormat::Cgrates, files, o)).field == "files");
}

TEST_CASE("read_deck: a carrier CSV with a mapping from JSON, the deck's currency winning") {
    auto mapping = column_mapping_from_json(
        R"({"prefix":"Code","destination":"Name","rate":2,"separator":";","decimal_comma":true,)"
        R"("currency":"USD","rating_plan":"acme"})");
    REQUIRE(mapping);
    CHECK(mapping->prefix.name == "Code");
    CHECK(mapping->rate.index == 2u);
    CHECK(mapping->separator == ';');
    DeckReadOptions o;
    o.mapping = *mapping;
    o.currency = "EUR";
    const std::vector<DeckFile> files{
        {"acme.csv", "Code;Name;Rate\n+4420;UK London;0,0125\n0033;France;0,02\n44x;Bad;0,01\n"}};
    auto deck = read_deck(DeckFormat::Csv, files, o);
    REQUIRE(deck);
    CHECK(deck->tariff.currency == "EUR");
    CHECK(deck->lines_read == 3);
    REQUIRE(deck->tariff.destinations.size() == 2);
    CHECK(deck->tariff.destinations[0].id == "4420");
    CHECK(deck->tariff.destinations[1].id == "33");
    const auto* london = group_of(deck->tariff, "4420");
    REQUIRE(london);
    CHECK(london->intervals[0].rate_micros == 12'500);
    REQUIRE(deck->errors.size() == 1);
    CHECK(deck->errors[0].line == 4);
    CHECK(deck->errors[0].file == "acme.csv");

    // One file only, and a mapping is required.
    CHECK(error_of(read_deck(DeckFormat::Csv, {files[0], files[0]}, o)).field == "files");
    CHECK(error_of(read_deck(DeckFormat::Csv, files, {})).field == "mapping");
    CHECK(error_of(read_deck(DeckFormat::Derived, files, o)).field == "format");
}

TEST_CASE("read_deck: a carrier CSV without names gets them from the numbering plan") {
    // The A2Billing rows `93,Afghanistan` and `9370,Afghanistan Mobile` (config/voice).
    auto plan =
        NumberingPlan::parse("prefix,destination\n93,Afghanistan\n9370,Afghanistan Mobile\n",
                             "dial,country,name,currency\n93,AF,Afghanistan,AFN\n");
    REQUIRE(plan);
    auto mapping = column_mapping_from_json(R"({"prefix":"Code","rate":"Rate"})");
    REQUIRE(mapping);
    DeckReadOptions o;
    o.mapping = *mapping;
    o.names = &*plan;
    const std::vector<DeckFile> files{{"acme.csv", "Code,Rate\n937012,0.30\n9320,0.10\n44,0.01\n"}};
    auto deck = read_deck(DeckFormat::Csv, files, o);
    REQUIRE(deck);
    REQUIRE(deck->tariff.destinations.size() == 3);
    CHECK(deck->tariff.destinations[0].name == "Afghanistan Mobile");
    CHECK(deck->tariff.destinations[1].name == "Afghanistan");
    CHECK(deck->tariff.destinations[2].name.empty());  // 44 is not in this plan
}

TEST_CASE("column_mapping_from_json: refusals name mapping.<key>") {
    CHECK(error_of(column_mapping_from_json("[1]")).field == "mapping");
    CHECK(error_of(column_mapping_from_json(R"({"prefix":1.5})")).field == "mapping.prefix");
    CHECK(error_of(column_mapping_from_json(R"({"prefix":"Code","colour":"red"})")).field ==
          "mapping.colour");
    CHECK(error_of(column_mapping_from_json(R"({"rate":-1})")).field == "mapping.rate");
    // A name with quotes and a backslash survives the trip through TOML.
    auto m = column_mapping_from_json(R"({"prefix":"A \"b\" \\ c","rate":"R"})");
    REQUIRE(m);
    CHECK(m->prefix.name == "A \"b\" \\ c");
}

TEST_CASE("column_mapping_json_from_toml: the CLI's mapping file as the API's JSON object") {
    auto text = column_mapping_json_from_toml(
        "prefix = \"Code\"\nrate = 2\ndecimal_comma = true\nseparator = \";\"\n", "m.toml");
    REQUIRE(text);
    auto back = column_mapping_from_json(*text);
    REQUIRE(back);
    CHECK(back->prefix.name == "Code");
    CHECK(back->rate.index == 2u);
    CHECK(back->decimal_comma == true);
    CHECK(back->separator == ';');
    CHECK(error_of(column_mapping_json_from_toml("prefix = [1]\n", "m.toml")).field == "prefix");
    CHECK(error_of(column_mapping_json_from_toml("prefix = \n", "m.toml")).field == "m.toml");
}
