#include <doctest/doctest.h>

#include "core/voice/deck_decider.hpp"
#include "events/voice/account_codec.hpp"
#include "events/voice/cdr_codec.hpp"
#include "events/voice/deck_codec.hpp"
#include "events/voice/tariff_codec.hpp"
#include "tests/support/codec_checks.hpp"

using namespace switchyard;
using namespace switchyard::core;
using namespace switchyard::core::voice;
using namespace switchyard::events::voice;
using switchyard::testing::recorded;
using switchyard::testing::refused_field;

namespace {

Timestamp at(std::int64_t s) { return from_unix_seconds(s); }

/// A tariff with a non-default value in every field of every row.
Tariff full_tariff() {
    Tariff t;
    t.currency = "USD";
    t.pricing = PricingModel::Exact;
    t.destinations = {{"AF_MOB", "AFGHANISTAN MOBILE", {"9370", "9371"}}, {"ANY", "", {"1"}}};
    t.rate_groups = {{"RT_10CNT", 200'000, {{0, 100'000, 60, 60}, {60, 50'000, 60, 1}}}};
    DestinationRate dr;
    dr.id = "DR_1";
    dr.destination_id = "AF_MOB";
    dr.rate_id = "RT_10CNT";
    dr.rounding = RoundingMethod::Up;
    dr.rounding_decimals = 2;
    dr.max_cost_micros = 3'000'000;
    dr.max_cost_strategy = MaxCostStrategy::Disconnect;
    dr.min_duration_s = 30;
    dr.max_duration_s = 7'200;
    dr.effective_from = at(1'700'000'000);
    dr.caller_destination_id = "ANY";
    t.destination_rates = {dr};
    t.timings = {{"PEAK", {2026}, {1, 2}, {1, 15}, {1, 2, 3, 4, 5}, 28'800, 64'800}};
    t.rating_plans = {{"RP_1", "DR_1", "PEAK", 2.5}, {"RP_1", "DR_1", "*any", 10}};
    t.rating_profiles = {
        {"cgrates.org", "call", "1001", at(1'388'534'400), "RP_1", {"1002", "*any"}}};
    return t;
}

CallRecord full_record() {
    CallRecord r;
    r.source = CdrSource::Asterisk;
    r.switch_key = "1700000000.12/3";
    r.switch_name = "pbx1";
    r.accountcode = "acct-7";
    r.caller = "4930123456";
    r.caller_name = "Alice";
    r.destination = "0049301234567";
    r.context = "from-customers";
    r.channel = "SIP/cust-0001";
    r.dst_channel = "SIP/carrier-0002";
    r.source_ip = "192.0.2.10";
    r.trunk = "carrier";
    r.start = at(1'767'225'600);
    r.answer = at(1'767'225'605);
    r.end = at(1'767'225'690);
    r.duration_s = 90;
    r.billsec = 85;
    r.disposition = Disposition::Answered;
    r.hangup_cause = "ANSWERED";
    r.uniqueid = "1700000000.12";
    r.linkedid = "1700000000.11";
    r.sequence = 3;
    r.codec = "PCMA";
    r.line = 12;
    return r;
}

SideCost full_side(Micros cost) {
    return {"card", 3, "EUR", cost, "4930", "DE_BER", "RP", "R2", 120, "4930 DE_BER ..."};
}

events::RecordedEvent as_recorded(const events::EncodedEvent& e) { return recorded(e); }

}  // namespace

TEST_CASE("the tariff codec writes and reads every field of a tariff") {
    const auto t = full_tariff();
    auto back = decode_tariff(encode_tariff(t));
    REQUIRE(back);
    CHECK(*back == t);
    CHECK(encode_tariff(t) == encode_tariff(*back));  // Deterministic text.
    Tariff empty;
    auto e = decode_tariff(encode_tariff(empty));
    REQUIRE(e);
    CHECK(*e == empty);
}

TEST_CASE("the tariff codec refuses a malformed row, naming the field") {
    auto bad = decode_tariff(
        R"({"currency":"EUR","destinations":[],"rate_groups":[],"destination_rates":[{"id":"D",)"
        R"("destination_id":"X","rate_id":"R","rounding":"*sideways","rounding_decimals":4,)"
        R"("max_cost_strategy":""}],"timings":[],"rating_plans":[],"rating_profiles":[]})");
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().field == "rounding");
    auto weight = decode_tariff(
        R"({"currency":"EUR","destinations":[],"rate_groups":[],"destination_rates":[],)"
        R"("timings":[],"rating_plans":[{"rating_plan_id":"P","destination_rates_id":"D",)"
        R"("timing_id":"*any","weight":"ten"}],"rating_profiles":[]})");
    REQUIRE_FALSE(weight.has_value());
    CHECK(weight.error().field == "weight");
}

TEST_CASE("SHA-256 is the FIPS 180-4 digest") {
    // FIPS 180-4 example "abc".
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("deck events round-trip with every field") {
    const DeckInfo derived{
        "card", "Retail 20%",        DeckKind::Sell, "",
        "EUR",  DeckFormat::Derived, "grn",          MarkupRule{2'000, 1'000, 5'000}};
    const DeckInfo buy{"grn", "GRN",       DeckKind::Buy, "carrier-1", "EUR", DeckFormat::Cdrtool,
                       "",    std::nullopt};
    DeckVersionImported header{4,
                               at(1'767'225'600),
                               at(1'767'000'000),
                               {"a.csv", "b.csv"},
                               TariffCounts{1, 2, 3, 4, 5, 6, 7},
                               std::string(64, 'c'),
                               "RP",
                               "EUR",
                               9};
    const std::vector<DeckEvent> events{
        DeckCreated{derived},
        DeckCreated{buy},
        header,
        DeckRatesLoaded{4, 2, full_tariff()},
        DeckVersionPublished{4},
        DeckVersionDiffed{4,
                          3,
                          {{"9370", "AFGHANISTAN MOBILE", 150'000, 0, std::nullopt}},
                          {{"9371", "AFGHANISTAN", 120'000, 0, at(1'700'000'000)}},
                          {{"49", "GERMANY", 1, 2, 0, 0, at(1'700'000'000), true}},
                          {{"44", "UK", 5, 4, 3, 3, std::nullopt, false}},
                          13'000}};
    for (const auto& e : events) {
        const auto enc = encode(e);
        auto back = decode_deck_event(as_recorded(enc));
        REQUIRE_MESSAGE(back, enc.type);
        CHECK_MESSAGE(*back == e, enc.type);
    }
    auto bad = recorded("voice.deck.created",
                        R"({"deck_id":"x","name":"n","kind":"resell","currency":"EUR",)"
                        R"("format":"csv","markup":null})");
    CHECK(refused_field(decode_deck_event, bad) == "kind");
}

TEST_CASE("a rates_loaded chunk of a 13,000-prefix deck stays under 256 KB") {
    Tariff t;
    t.currency = "EUR";
    for (int i = 0; i < 13'000; ++i) {
        const auto p = std::to_string(9'370'000 + i);
        t.destinations.push_back({"DST_" + p, "AFGHANISTAN MOBILE OPERATOR " + p, {p}});
        t.rate_groups.push_back({"RATE_" + p, 12'300, {{0, 1'617'000 + i, 60, 60}}});
        DestinationRate dr;
        dr.id = "DR_GRN_PREMIUM";
        dr.destination_id = "DST_" + p;
        dr.rate_id = "RATE_" + p;
        dr.min_duration_s = 30;
        dr.max_cost_micros = 100'000'000;
        dr.max_duration_s = 3'600;
        t.destination_rates.push_back(dr);
    }
    t.rating_plans = {{"RP_GRN", "DR_GRN_PREMIUM", "*any", 10}};
    const auto chunks = split_tariff(t);
    std::size_t total = 0;
    for (std::size_t i = 0; i < chunks.size(); ++i) {
        const auto enc =
            encode(DeckEvent{DeckRatesLoaded{1, static_cast<std::int64_t>(i), chunks[i]}});
        CHECK(enc.data.size() <= 256 * 1024);
        total += enc.data.size();
    }
    // The whole deck is larger than a Kafka message (1 MB): chunking is needed.
    CHECK(total > 1024 * 1024);
}

TEST_CASE("account events round-trip with every field") {
    const std::vector<AccountEvent> events{
        AccountOpened{{"cust-1", "EUR", AccountKind::Postpaid, 50'000'000, 2'000'000}},
        AccountTermsChanged{80'000'000, 3'000'000},
        AccountToppedUp{"pay-1", 10'000'000, "bank transfer", "alice", 10'000'000},
        AccountAdjusted{"adj-1", -500'000, "goodwill reversal", "bob", 9'500'000},
        AccountDebited{"c1/rerate/1", "c1", -6'000, 9'506'000},
        AccountLowBalance{1'999'999, 2'000'000},
        AccountExhausted{-50'000'001, -50'000'000}};
    for (const auto& e : events) {
        const auto enc = encode(e);
        auto back = decode_account_event(as_recorded(enc));
        REQUIRE_MESSAGE(back, enc.type);
        CHECK_MESSAGE(*back == e, enc.type);
    }
    auto bad = recorded("voice.account.debited", R"({"debit_id":"x","cdr_id":"x",)"
                                                 R"("amount_micros":"1","balance_micros":0})");
    CHECK(refused_field(decode_account_event, bad) == "amount_micros");
}

TEST_CASE("CDR events round-trip with every field, the call record whole") {
    CdrRated rated;
    rated.cdr_id = "0123456789abcdef0123456789abcdef";
    rated.record = full_record();
    rated.customer_id = "cust-1";
    rated.carrier_id = "carrier-1";
    rated.destination = "49301234567";
    rated.sell = full_side(26'000);
    rated.buy = full_side(20'000);
    rated.margin_micros = 6'000;
    rated.debit_micros = 26'000;
    CdrRated no_buy = rated;
    no_buy.buy.reset();
    no_buy.buy_error = "no carrier for trunk x";
    no_buy.margin_micros.reset();
    no_buy.record.answer.reset();
    CdrRerated rerated{"c1",  2,    "cust-1", 26'000, 20'000, full_side(30'000), full_side(21'000),
                       9'000, 4'000};
    const std::vector<CdrEvent> events{
        rated, no_buy,
        CdrUnrated{"c2", full_record(), "cust-1", UnratedReason::CurrencyMismatch, "USD"}, rerated};
    for (const auto& e : events) {
        const auto enc = encode(e);
        auto back = decode_cdr_event(as_recorded(enc));
        REQUIRE_MESSAGE(back, enc.type);
        CHECK_MESSAGE(*back == e, enc.type);
    }
    CHECK(cdr_of_stream("voice_cdr-abc") == "abc");
    CHECK(cdr_of_stream("voice_deck-abc").empty());
}
