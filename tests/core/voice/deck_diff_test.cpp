#include "core/voice/deck_diff.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

using namespace switchyard::core;
using namespace switchyard::core::voice;

namespace {

struct Row {
    std::string prefix;
    std::string name;
    Micros rate;
    Micros connect;
    std::optional<std::int64_t> effective_unix;
};

/// A one-plan deck, one destination and one rate group per row.
Tariff deck(const std::vector<Row>& rows) {
    Tariff t;
    for (const auto& r : rows) {
        const std::string id =
            r.prefix + (r.effective_unix ? "@" + std::to_string(*r.effective_unix) : "");
        t.destinations.push_back(Destination{id, r.name, {r.prefix}});
        t.rate_groups.push_back(RateGroup{id, r.connect, {RateInterval{0, r.rate, 60, 60}}});
        DestinationRate dr;
        dr.id = "deck";
        dr.destination_id = id;
        dr.rate_id = id;
        if (r.effective_unix) dr.effective_from = from_unix_seconds(*r.effective_unix);
        t.destination_rates.push_back(dr);
    }
    return t;
}

constexpr std::int64_t kDay = 86'400;
constexpr std::int64_t kImport = 1'800'000'000;

}  // namespace

TEST_CASE("deck diff: added, removed, increases, decreases and unchanged") {
    const auto v1 = deck({{"44", "UK", 10'000, 0, std::nullopt},
                          {"447", "UK MOBILE", 50'000, 0, std::nullopt},
                          {"49", "GERMANY", 20'000, 0, std::nullopt},
                          {"33", "FRANCE", 15'000, 0, std::nullopt}});
    const auto v2 = deck({{"44", "UK", 10'000, 0, std::nullopt},                 // unchanged
                          {"447", "UK MOBILE", 60'000, 0, kImport + 30 * kDay},  // +, 30 days
                          {"49", "GERMANY", 18'000, 0, kImport},                 // decrease
                          {"34", "SPAIN", 12'000, 0, kImport}});  // added; 33 removed
    const auto diff = diff_decks(v1, v2, {from_unix_seconds(kImport), 7});
    CHECK(diff.unchanged == 1);
    REQUIRE(diff.added.size() == 1);
    CHECK(diff.added[0].prefix == "34");
    CHECK(diff.added[0].destination_name == "SPAIN");
    CHECK(diff.added[0].rate_per_minute_micros == 12'000);
    REQUIRE(diff.removed.size() == 1);
    CHECK(diff.removed[0].prefix == "33");
    CHECK(diff.removed[0].rate_per_minute_micros == 15'000);
    REQUIRE(diff.increases.size() == 1);
    CHECK(diff.increases[0] == PriceChange{"447", "UK MOBILE", 50'000, 60'000, 0, 0,
                                           from_unix_seconds(kImport + 30 * kDay), false});
    REQUIRE(diff.decreases.size() == 1);
    CHECK(diff.decreases[0].prefix == "49");
    CHECK(diff.decreases[0].old_rate_per_minute_micros == 20'000);
    CHECK(diff.decreases[0].new_rate_per_minute_micros == 18'000);
}

TEST_CASE("deck diff: increases sooner than the notice period are flagged") {
    const auto v1 = deck({{"1", "USA", 5'000, 0, std::nullopt},
                          {"7", "RUSSIA", 5'000, 0, std::nullopt},
                          {"81", "JAPAN", 5'000, 0, std::nullopt},
                          {"86", "CHINA", 5'000, 1'000, std::nullopt}});
    const auto v2 = deck({{"1", "USA", 6'000, 0, kImport + 6 * kDay},     // 6 days: flagged
                          {"7", "RUSSIA", 6'000, 0, kImport + 7 * kDay},  // 7 days: enough
                          {"81", "JAPAN", 6'000, 0, std::nullopt},        // at once: flagged
                          {"86", "CHINA", 4'000, 2'000, kImport}});       // connect up: increase
    const auto diff = diff_decks(v1, v2, {from_unix_seconds(kImport), 7});
    REQUIRE(diff.increases.size() == 4);
    CHECK(diff.increases[0].prefix == "1");
    CHECK(diff.increases[0].short_notice);
    CHECK(diff.increases[1].prefix == "7");
    CHECK_FALSE(diff.increases[1].short_notice);
    CHECK(diff.increases[2].prefix == "81");
    CHECK(diff.increases[2].short_notice);
    CHECK(diff.increases[3].prefix == "86");
    CHECK(diff.increases[3].new_connect_fee_micros == 2'000);
    CHECK(diff.increases[3].short_notice);
    // A longer notice flags the 7-day one too.
    const auto strict = diff_decks(v1, v2, {from_unix_seconds(kImport), 10});
    CHECK(strict.increases[1].short_notice);
}

TEST_CASE("deck diff: the latest effective row of a prefix is compared, per 60 s") {
    auto v1 = deck({{"44", "UK", 10'000, 0, kImport - 10 * kDay},
                    {"44", "UK", 12'000, 0, kImport - 5 * kDay}});
    // The same price per minute written per second: 200 micros per 1 s = 12'000 per 60 s.
    Tariff v2;
    v2.destinations.push_back(Destination{"uk", "UK", {"44"}});
    v2.rate_groups.push_back(RateGroup{"uk", 0, {RateInterval{0, 200, 1, 1}}});
    DestinationRate dr;
    dr.id = "deck";
    dr.destination_id = "uk";
    dr.rate_id = "uk";
    v2.destination_rates.push_back(dr);
    const auto rates = prefix_rates(v1);
    REQUIRE(rates.count("44") == 1);
    CHECK(rates.at("44").rate_per_minute_micros == 12'000);
    const auto diff = diff_decks(v1, v2, {from_unix_seconds(kImport), 7});
    CHECK(diff.unchanged == 1);
    CHECK(diff.increases.empty());
    CHECK(diff.decreases.empty());
}
