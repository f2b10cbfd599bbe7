#include <doctest/doctest.h>

#include "core/voice/deck_decider.hpp"
#include "tests/support/decider_checks.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core;
using namespace switchyard::core::voice;
using switchyard::testing::check_idempotent;
using switchyard::testing::error_of;
using switchyard::testing::given;

namespace {

const DecisionContext kCtx{from_unix_seconds(1'767'225'600), {}, "req-1", {}, {}};
const std::string kSha(64, 'a');

DeckInfo buy_deck() {
    return DeckInfo{"grn", "GRN premium", DeckKind::Buy, "carrier-1", "EUR", DeckFormat::Cdrtool,
                    "",    std::nullopt};
}

/// A two-destination tariff: 49 at 0.0100/min, 4930 at 0.0200/min, per-minute increments.
Tariff small_tariff() {
    Tariff t;
    t.currency = "EUR";
    t.destinations = {{"DE", "GERMANY", {"49"}}, {"DE_BER", "GERMANY BERLIN", {"4930"}}};
    t.rate_groups = {{"R1", 0, {{0, 10'000, 60, 60}}}, {"R2", 0, {{0, 20'000, 60, 60}}}};
    t.destination_rates = {{"DR", "DE", "R1"}, {"DR", "DE_BER", "R2"}};
    t.rating_plans = {{"PLAN", "DR", "*any", 10}};
    return t;
}

ImportDeckVersion import_of(Tariff t, std::string sha = kSha) {
    ImportDeckVersion c;
    c.deck_id = "grn";
    c.tariff = std::move(t);
    c.effective_from = from_unix_seconds(1'767'225'600);
    c.files = {"destinations.csv", "rates.csv"};
    c.content_sha256 = std::move(sha);
    return c;
}

}  // namespace

TEST_CASE("a deck is created once, the same terms again decide nothing, other terms conflict") {
    const DeckState empty{};
    auto twice = check_idempotent(
        empty, [](const DeckState& s) { return decide(s, CreateDeck{buy_deck()}, kCtx); });
    REQUIRE(twice.first.size() == 1);
    CHECK(std::get<DeckCreated>(twice.first[0]).deck == buy_deck());
    auto other = buy_deck();
    other.currency = "USD";
    CHECK(error_of(decide(twice.state, CreateDeck{other}, kCtx)).code == Errc::Conflict);
}

TEST_CASE("a deck's terms are checked field by field") {
    auto d = buy_deck();
    d.carrier_id.clear();
    CHECK(error_of(decide({}, CreateDeck{d}, kCtx)).field == "carrier_id");
    d = buy_deck();
    d.currency = "eur";
    CHECK(error_of(decide({}, CreateDeck{d}, kCtx)).field == "currency");
    d = buy_deck();
    d.deck_id = "a b";
    CHECK(error_of(decide({}, CreateDeck{d}, kCtx)).field == "deck_id");
    DeckInfo derived{"card", "Retail", DeckKind::Sell, "", "EUR", DeckFormat::Derived, "", {}};
    CHECK(error_of(decide({}, CreateDeck{derived}, kCtx)).field == "source_deck_id");
    derived.source_deck_id = "grn";
    CHECK(error_of(decide({}, CreateDeck{derived}, kCtx)).field == "markup");
    derived.markup = MarkupRule{2'000, 0, 0};
    CHECK(decide({}, CreateDeck{derived}, kCtx).has_value());
}

TEST_CASE(
    "an import appends the header, the rates in chunks and the publication, the same "
    "content again appends nothing") {
    const auto created = given<DeckState>(std::vector<DeckEvent>{DeckCreated{buy_deck()}});
    auto c = import_of(small_tariff());
    c.max_chunk_rows = 3;  // 2 destinations (2 rows each), 2 groups (2 each), 2 rates, 1 plan.
    auto twice = check_idempotent(created, [&](const DeckState& s) { return decide(s, c, kCtx); });
    const auto& ev = twice.first;
    // Chunks of <= 3 rows: [DE], [DE_BER], [R1], [R2, DR], [DR, PLAN] = 5 chunks.
    REQUIRE(ev.size() == 7);
    const auto& header = std::get<DeckVersionImported>(ev.front());
    CHECK(header.version == 1);
    CHECK(header.chunks == 5);
    CHECK(header.rating_plan_id == "PLAN");
    CHECK(header.counts == TariffCounts{2, 2, 2, 2, 0, 1, 0});
    CHECK(header.imported_at == kCtx.now);
    CHECK(std::get<DeckRatesLoaded>(ev[1]).chunk == 0);
    CHECK(std::get<DeckRatesLoaded>(ev[5]).chunk == 4);
    CHECK(std::get<DeckVersionPublished>(ev.back()).version == 1);
    std::vector<Tariff> chunks;
    for (std::size_t i = 1; i + 1 < ev.size(); ++i)
        chunks.push_back(std::get<DeckRatesLoaded>(ev[i]).rates);
    CHECK(join_chunks(chunks) == small_tariff());
    // Other content is version 2.
    auto changed = small_tariff();
    changed.rate_groups[0].intervals[0].rate_micros = 11'000;
    auto next = decide(twice.state, import_of(changed, std::string(64, 'b')), kCtx);
    REQUIRE(next);
    CHECK(std::get<DeckVersionImported>(next->front()).version == 2);
}

TEST_CASE("an import is refused for an unknown deck, another currency or an unknown plan") {
    CHECK(error_of(decide({}, import_of(small_tariff()), kCtx)).code == Errc::NotFound);
    const auto created = given<DeckState>(std::vector<DeckEvent>{DeckCreated{buy_deck()}});
    auto usd = small_tariff();
    usd.currency = "USD";
    CHECK(error_of(decide(created, import_of(usd), kCtx)).field == "currency");
    auto c = import_of(small_tariff());
    c.rating_plan_id = "NOPE";
    CHECK(error_of(decide(created, c, kCtx)).field == "rating_plan_id");
    CHECK(error_of(decide(created, import_of(small_tariff(), "xyz"), kCtx)).field ==
          "content_sha256");
}

TEST_CASE("a 13,000-prefix deck splits into chunks of at most 2,000 rows and joins back") {
    Tariff t;
    t.currency = "EUR";
    for (int i = 0; i < 13'000; ++i) {
        const auto p = std::to_string(100'000 + i);
        t.destinations.push_back({"D" + p, "DEST " + p, {p}});
        t.rate_groups.push_back({"R" + p, 0, {{0, 1'000 + i, 60, 60}}});
        t.destination_rates.push_back({"DR", "D" + p, "R" + p});
    }
    t.rating_plans = {{"P", "DR", "*any", 10}};
    const auto chunks = split_tariff(t);
    for (const auto& c : chunks) {
        const auto n = count_rows(c);
        CHECK(n.destinations + n.prefixes + n.rate_groups * 2 + n.destination_rates +
                  n.rating_plans <=
              2'000);
        CHECK(c.currency == "EUR");
    }
    // 13,000 x 2 destination rows + 13,000 x 2 group rows + 13,000 rates + 1 plan = 65,001 rows.
    CHECK(chunks.size() >= 33);
    CHECK(join_chunks(chunks) == t);
}

TEST_CASE("a destination with more prefixes than a chunk holds is split under its id") {
    Tariff t;
    t.currency = "EUR";
    Destination big{"BIG", "Big", {}};
    for (int i = 0; i < 25; ++i) big.prefixes.push_back(std::to_string(700 + i));
    t.destinations = {big, {"SMALL", "", {"1"}}};
    const auto chunks = split_tariff(t, 10);
    // 9 prefixes per piece: 9 + 9 + 7, then SMALL in the last chunk with the 7.
    REQUIRE(chunks.size() == 3);
    CHECK(chunks[0].destinations[0].prefixes.size() == 9);
    CHECK(chunks[2].destinations.size() == 2);
    CHECK(join_chunks(chunks) == t);
}

TEST_CASE("a version's differences are recorded once, for a version the deck has") {
    auto events = std::vector<DeckEvent>{DeckCreated{buy_deck()}};
    auto imported = decide(given<DeckState>(events), import_of(small_tariff()), kCtx);
    REQUIRE(imported);
    events.insert(events.end(), imported->begin(), imported->end());
    const auto state = given<DeckState>(events);
    DeckVersionDiffed diff{1,
                           0,
                           {{"4930", "GERMANY BERLIN", 12'000, 0, std::nullopt}},
                           {},
                           {{"49", "GERMANY", 9'000, 10'000, 0, 0, std::nullopt, true}},
                           {},
                           40};
    auto twice = check_idempotent(state, [&](const DeckState& s) {
        return decide(s, RecordDeckDiff{"grn", diff}, kCtx);
    });
    CHECK(std::get<DeckVersionDiffed>(twice.first[0]) == diff);
    diff.version = 9;
    CHECK(error_of(decide(state, RecordDeckDiff{"grn", diff}, kCtx)).field == "version");
}
