// CGRateS tariff plan folders: parsing, refused rows, and the costs CGRateS itself asserts for
// its reference plans (cgrates/cgrates commit 19463bdc9, the plans copied to
// ../shared/data/voip/cgrates/).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "core/voice/cgrates_plan.hpp"
#include "core/voice/rating.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard::core;
using namespace switchyard::core::voice;
using switchyard::testing::error_of;

namespace {

std::map<std::string, std::string> read_folder(const std::string& name) {
    std::map<std::string, std::string> files;
    const std::filesystem::path dir =
        std::filesystem::path(SY_SHARED_DATA) / "voip" / "cgrates" / name;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".csv") continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        files[entry.path().filename().string()] = ss.str();
    }
    return files;
}

std::shared_ptr<const RatingIndex> load(const std::string& name) {
    auto plan = parse_cgrates_plan(read_folder(name), "cgrates.org");
    REQUIRE(plan);
    for (const auto& e : plan->errors) MESSAGE(e.file << ":" << e.line << " " << e.reason);
    REQUIRE(plan->errors.empty());
    auto idx = RatingIndex::build(plan->tariff);
    REQUIRE_MESSAGE(idx.has_value(), (idx ? "" : idx.error().message));
    return *idx;
}

Micros cost_of(const RatingIndex& idx, const char* subject, const char* destination,
               const char* setup, std::int64_t usage_s) {
    CostQuery q;
    q.tenant = "cgrates.org";
    q.category = "call";
    q.subject = subject;
    q.destination = destination;
    q.setup_time = parse_rfc3339(setup).value();
    q.usage_s = usage_s;
    auto r = idx.rate(q);
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message));
    return r->cost_micros;
}

std::map<std::string, std::string> minimal(std::string rates) {
    return {{"Destinations.csv", "#Id,Prefix\nDST_1,1\n"},
            {"Rates.csv",
             "#Id,ConnectFee,Rate,RateUnit,RateIncrement,GroupIntervalStart\n" + std::move(rates)},
            {"DestinationRates.csv",
             "#Id,DestinationId,RatesTag,RoundingMethod,RoundingDecimals,MaxCost,"
             "MaxCostStrategy\nDR_1,DST_1,RT_1,*up,4,0,\n"},
            {"RatingPlans.csv", "#Id,DestinationRatesId,TimingTag,Weight\nRP_1,DR_1,*any,10\n"}};
}

}  // namespace

TEST_CASE("cgrates plan: durations as Go writes them") {
    CHECK(parse_cgrates_duration("60s") == 60);
    CHECK(parse_cgrates_duration("1m") == 60);
    CHECK(parse_cgrates_duration("1m30s") == 90);
    CHECK(parse_cgrates_duration("1h") == 3600);
    CHECK(parse_cgrates_duration("0s") == 0);
    CHECK(parse_cgrates_duration("1") == 1);
    CHECK(parse_cgrates_duration("1000ms") == 1);
    CHECK_FALSE(parse_cgrates_duration("1500ms"));
    CHECK_FALSE(parse_cgrates_duration("-1s"));
    CHECK_FALSE(parse_cgrates_duration("60x"));
    CHECK_FALSE(parse_cgrates_duration(""));
}

TEST_CASE("cgrates plan: the tutorial folder reads into the tariff model") {
    auto plan = parse_cgrates_plan(read_folder("tutorial"));
    REQUIRE(plan);
    CHECK(plan->errors.empty());
    const Tariff& t = plan->tariff;
    CHECK(t.currency == "EUR");
    CHECK(t.destinations.size() == 4);
    REQUIRE(t.rate_groups.size() == 7);
    // RT_10CNT,0.2,0.1,60s,60s,0s then RT_10CNT,0,0.05,60s,1s,60s.
    const RateGroup& rt10 = t.rate_groups[0];
    CHECK(rt10.id == "RT_10CNT");
    CHECK(rt10.connect_fee_micros == 200'000);
    REQUIRE(rt10.intervals.size() == 2);
    CHECK(rt10.intervals[0] == RateInterval{0, 100'000, 60, 60});
    CHECK(rt10.intervals[1] == RateInterval{60, 50'000, 60, 1});
    REQUIRE(t.destination_rates.size() == 6);
    // DR_1003_MAXCOST_DISC,DST_1003,RT_1CNT_PER_SEC,*up,4,0.12,*disconnect
    const DestinationRate& disc = t.destination_rates[2];
    CHECK(disc.id == "DR_1003_MAXCOST_DISC");
    CHECK(disc.rounding == RoundingMethod::Up);
    CHECK(disc.rounding_decimals == 4);
    CHECK(disc.max_cost_micros == 120'000);
    CHECK(disc.max_cost_strategy == MaxCostStrategy::Disconnect);
    CHECK_FALSE(t.destination_rates[0].max_cost_micros);  // MaxCost 0 = none
    CHECK(t.rating_plans.size() == 7);
    CHECK(t.rating_profiles.size() == 8);
    // With a tenant filter only cgrates.org's 6 profiles stay.
    auto filtered = parse_cgrates_plan(read_folder("tutorial"), "cgrates.org", "USD");
    REQUIRE(filtered);
    CHECK(filtered->tariff.rating_profiles.size() == 6);
    CHECK(filtered->tariff.currency == "USD");
}

TEST_CASE("cgrates plan: oldtutorial timings, + prefixes and week day 7") {
    auto plan = parse_cgrates_plan(read_folder("oldtutorial"));
    REQUIRE(plan);
    CHECK(plan->errors.empty());
    const Tariff& t = plan->tariff;
    REQUIRE(t.timings.size() == 4);
    CHECK(t.timings[0].id == "PEAK");
    CHECK(t.timings[0].week_days == std::vector<int>{1, 2, 3, 4, 5});
    CHECK(t.timings[0].start_s == 8 * 3600);
    CHECK(t.timings[3].week_days == std::vector<int>{6, 0});  // "6;7": 7 is Sunday
    bool de_mobile = false;
    for (const auto& d : t.destinations)
        if (d.id == "DST_DE_MOBILE") {
            de_mobile = true;
            CHECK(d.prefixes == std::vector<std::string>{"49151", "49161", "49171"});
        }
    CHECK(de_mobile);
}

TEST_CASE("cgrates plan: tutorial costs as CGRateS asserts them") {
    auto idx = load("tutorial");
    // apier/v1/costs_it_test.go:126 — 1001 -> 1002, 120 s, "*now": 0.7002 (0.4 connect, 0.2 first
    // minute, 60 x round5(0.1/60) = 0.1002).
    CHECK(cost_of(*idx, "1001", "1002", "2025-05-05T10:00:00Z", 120) == 700'200);
    // general_tests/tutorial_it_test.go:140 — 1001 -> 1002, 2m10s: 0.7169.
    CHECK(cost_of(*idx, "1001", "1002", "2025-05-05T10:00:00Z", 130) == 716'900);
    // Before the 2014 activation 1001 is rated by RP_1002 (activation 2010), which prices 1001.
    CHECK(cost_of(*idx, "1001", "1001", "2012-05-05T10:00:00Z", 120) == 700'200);
    // SMS: RT_SMS,0,0.01,1,1,0 for *any destination, one unit.
    CostQuery sms;
    sms.tenant = "cgrates.org";
    sms.category = "sms";
    sms.subject = "1003";
    sms.destination = "1002";
    sms.setup_time = parse_rfc3339("2025-05-05T10:00:00Z").value();
    sms.usage_s = 1;
    auto sms_cost = idx->rate(sms);
    REQUIRE(sms_cost);
    CHECK(sms_cost->cost_micros == 10'000);
    CHECK(sms_cost->subject == "*any");
}

TEST_CASE("cgrates plan: tutorial MaxCost *disconnect cuts the call at 0.12") {
    auto idx = load("tutorial");
    CostQuery q;
    q.tenant = "cgrates.org";
    q.subject = "1001";
    q.destination = "1003";
    q.setup_time = parse_rfc3339("2025-05-05T10:00:00Z").value();
    q.usage_s = 20;
    auto r = idx->rate(q);
    REQUIRE(r);
    // RT_1CNT_PER_SEC: 0.01 per second; DR_1003_MAXCOST_DISC caps at 0.12: 12 s are rated.
    CHECK(r->cost_micros == 120'000);
    CHECK(r->rated_usage_s == 12);
    CHECK(r->max_cost_applied);
    // RP_1001 rates neither 1001 nor 2001.
    q.destination = "2001";
    CHECK(error_of(idx->rate(q)).code == Errc::Rejected);
}

TEST_CASE("cgrates plan: oldtutorial costs as CGRateS asserts them") {
    // general_tests/oldtutorial_it_test.go, TestTutITGetCosts (lines 186-405, kept commented out
    // upstream; the plan files are unchanged). 2014-08-04 is a Monday: 13:00 is PEAK.
    auto idx = load("oldtutorial");
    const char* monday = "2014-08-04T13:00:00Z";
    CHECK(cost_of(*idx, "1001", "1002", monday, 20) == 600'000);    // line 202
    CHECK(cost_of(*idx, "1001", "1002", monday, 85) == 641'800);    // line 236
    CHECK(cost_of(*idx, "1001", "1003", monday, 20) == 1'000'000);  // line 253
    CHECK(cost_of(*idx, "1001", "1003", monday, 85) == 1'300'000);  // line 270
    CHECK(cost_of(*idx, "1001", "1004", monday, 20) == 1'000'000);  // line 287 (DST_FS 10)
    CHECK(cost_of(*idx, "1001", "1004", monday, 85) == 1'300'000);  // line 304
    CHECK(cost_of(*idx, "1001", "1007", monday, 50) == 500'000);    // line 319
    CHECK(cost_of(*idx, "1001", "1007", monday, 70) == 620'000);    // line 333, *free at 0.62
    CHECK(cost_of(*idx, "1002", "1007", monday, 50) == 500'000);    // line 347
    // Line 375: Wednesday 19:00, OFFPEAK_EVENING, RT_10CNT, 90 s: 0.2 + 0.1 + 30 x
    // round5(0.025/30) = 0.0249.
    CHECK(cost_of(*idx, "1001", "1004", "2016-01-06T19:00:00Z", 90) == 324'900);
    CHECK(cost_of(*idx, "1001", "1004", "2016-01-06T18:31:05Z", 90) == 1'300'000);  // line 389
    // Line 403: Sunday 08:42:26, OFFPEAK_WEEKEND ("6;7"), 120 s: 0.3498.
    CHECK(cost_of(*idx, "1001", "1002", "2014-12-07T08:42:26Z", 120) == 349'800);
}

TEST_CASE("cgrates plan: oldtutorial *disconnect rates 62 s of a 70 s call") {
    // Line 361 of the same test expects 0.7 from GetCost, which does not apply *disconnect
    // ("it will not be applied"); the debit path (engine/balances.go, maxCostDisconect) cuts
    // the call once MaxCost is reached, which is what this engine reports.
    auto idx = load("oldtutorial");
    CostQuery q;
    q.tenant = "cgrates.org";
    q.subject = "1002";
    q.destination = "1007";
    q.setup_time = parse_rfc3339("2014-08-04T13:00:00Z").value();
    q.usage_s = 70;
    auto r = idx->rate(q);
    REQUIRE(r);
    CHECK(r->cost_micros == 620'000);
    CHECK(r->rated_usage_s == 62);
    CHECK(r->rating_plan_id == "RP_RETAIL1");
    CHECK(r->subject == "*any");
}

TEST_CASE("cgrates plan: hundredrates, rounding decimals 20 read as 6") {
    auto idx = load("hundredrates");
    // RT_106,0.13,0.3689,1s,1s,0s: 10 s = 0.13 + 10 x 0.3689 = 3.819.
    CHECK(cost_of(*idx, "anyone", "1065550100", "2025-01-01T00:00:00Z", 10) == 3'819'000);
    // RT_100: 0.82 connect, 0.9603 the first minute, then 0.4801/60 s per second: 90 s =
    // 0.82 + 0.9603 + 30 x round5(round5(0.24005)/30 = 0.0080017) = 0.82 + 0.9603 + 0.24.
    CHECK(cost_of(*idx, "anyone", "1005550100", "2025-01-01T00:00:00Z", 90) == 2'020'300);
    // RT_105 has one interval: 0.57 + 2 minutes x 0.9269 for 61 s.
    CHECK(cost_of(*idx, "anyone", "1055550100", "2025-01-01T00:00:00Z", 61) == 2'423'800);
}

TEST_CASE("cgrates plan: bad rows are refused with their line and reason") {
    auto files = minimal(
        "RT_1,0.1,0.2,60s,60s,0s\n"
        "RT_NEG,0,-0.1,60s,60s,0s\n"
        "RT_PREC,0,0.0000001,60s,60s,0s\n"
        "RT_ZERO,0,0.1,60s,0s,0s\n"
        "RT_DUR,0,0.1,sixty,60s,0s\n");
    files["DestinationRates.csv"] +=
        "DR_2,DST_NOPE,RT_1,*up,4,0,\n"
        "DR_3,DST_1,RT_NEG,*up,4,0,\n"
        "DR_4,DST_1,RT_1,*sideways,4,0,\n";
    files["RatingPlans.csv"] += "RP_2,DR_NOPE,*any,10\nRP_3,DR_1,NIGHT,10\n";
    files["RatingProfiles.csv"] =
        "#Tenant,Category,Subject,ActivationTime,RatingPlanId,RatesFallbackSubject\n"
        "t,call,*any,2014-01-14T00:00:00Z,RP_1,\n"
        "t,call,a,yesterday,RP_1,\n"
        "t,call,b,2014-01-14T00:00:00Z,RP_NOPE,\n";
    auto plan = parse_cgrates_plan(files);
    REQUIRE(plan);
    std::map<std::pair<std::string, std::int64_t>, std::string> by_line;
    for (const auto& e : plan->errors) by_line[{e.file, e.line}] = e.field;
    CHECK(by_line.at({"Rates.csv", 3}) == "Rate");           // negative
    CHECK(by_line.at({"Rates.csv", 4}) == "Rate");           // 7 decimals
    CHECK(by_line.at({"Rates.csv", 5}) == "RateIncrement");  // 0 with a rate
    CHECK(by_line.at({"Rates.csv", 6}) == "RateUnit");       // not a duration
    CHECK(by_line.at({"DestinationRates.csv", 3}) == "DestinationId");
    CHECK(by_line.at({"DestinationRates.csv", 4}) == "RatesTag");  // RT_NEG was refused
    CHECK(by_line.at({"DestinationRates.csv", 5}) == "RoundingMethod");
    CHECK(by_line.at({"RatingPlans.csv", 3}) == "DestinationRatesId");
    CHECK(by_line.at({"RatingPlans.csv", 4}) == "TimingTag");
    CHECK(by_line.at({"RatingProfiles.csv", 3}) == "ActivationTime");
    CHECK(by_line.at({"RatingProfiles.csv", 4}) == "RatingPlanId");
    CHECK(plan->errors.size() == 11);
    // What was accepted still rates: RT_1 0.1 connect + 0.2 per started minute.
    auto idx = RatingIndex::build(plan->tariff);
    REQUIRE(idx);
    CostQuery q;
    q.tenant = "t";
    q.subject = "x";
    q.destination = "15550100";
    q.setup_time = parse_rfc3339("2025-01-01T00:00:00Z").value();
    q.usage_s = 61;
    auto r = (*idx)->rate(q);
    REQUIRE(r);
    CHECK(r->cost_micros == 500'000);
}

TEST_CASE("cgrates plan: a folder without Rates.csv is refused") {
    auto files = minimal("RT_1,0,0.1,60s,60s,0s\n");
    files.erase("Rates.csv");
    auto r = parse_cgrates_plan(files);
    CHECK(error_of(r).code == Errc::Invalid);
    CHECK(error_of(r).field == "files");
}

TEST_CASE("cgrates plan: quoted fields, CRLF line ends and comments") {
    auto files = minimal("\"RT_1\",\"0\",\"0.1\",60s,60s,0s\r\n# a comment\r\n\r\n");
    auto plan = parse_cgrates_plan(files);
    REQUIRE(plan);
    CHECK(plan->errors.empty());
    REQUIRE(plan->tariff.rate_groups.size() == 1);
    CHECK(plan->tariff.rate_groups[0].id == "RT_1");
    CHECK(plan->tariff.rate_groups[0].intervals[0].rate_micros == 100'000);
}

TEST_CASE("cgrates plan: timing end times, year lists and fallback subjects") {
    auto files = minimal("RT_1,0,0.06,60s,1s,0s\n");
    files["Timings.csv"] =
        "#Tag,Years,Months,MonthDays,WeekDays,Time\n"
        "DAY,2025;2026,*any,*any,1;2;3;4;5,08:00:00;18:00:00\n"
        "BAD,*any,13,*any,*any,00:00:00\n"
        "LATE,*any,*any,*any,*any,25:00:00\n";
    files["RatingPlans.csv"] += "RP_DAY,DR_1,DAY,20\n";
    files["RatingProfiles.csv"] =
        "#Tenant,Category,Subject,ActivationTime,RatingPlanId,RatesFallbackSubject\n"
        "t,call,a,2014-01-14T00:00:00Z,RP_DAY,b;*any\n";
    auto plan = parse_cgrates_plan(files);
    REQUIRE(plan);
    REQUIRE(plan->errors.size() == 2);
    CHECK(plan->errors[0].line == 3);
    CHECK(plan->errors[0].field == "Months");
    CHECK(plan->errors[1].line == 4);
    CHECK(plan->errors[1].field == "Time");
    REQUIRE(plan->tariff.timings.size() == 1);
    const Timing& day = plan->tariff.timings[0];
    CHECK(day.years == std::vector<int>{2025, 2026});
    CHECK(day.start_s == 8 * 3600);
    CHECK(day.end_s == 18 * 3600);
    REQUIRE(plan->tariff.rating_profiles.size() == 1);
    CHECK(plan->tariff.rating_profiles[0].fallback_subjects ==
          std::vector<std::string>{"b", "*any"});
    CHECK(plan->tariff.rating_plans.back().weight == 20);
}
