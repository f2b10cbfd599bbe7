#include "core/voice/cdr_formats.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "tests/support/result_checks.hpp"

using namespace switchyard::core;
using namespace switchyard::core::voice;
using switchyard::testing::error_of;

namespace {

std::string read_cdr(const std::string& name) {
    std::ifstream in(std::string(SY_SHARED_DATA) + "/voip/cdr/" + name, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

const std::string kAsterisk = "asterisk_Master_newcdrcolumns_mineevburyat.csv";
const std::string kFreeswitch = "freeswitch_cdr_csv_Master_Kxingyunliushui.csv";

const CallRecord* at_line(const Parsed<CallRecord>& p, std::int64_t line) {
    const auto it = std::find_if(p.rows.begin(), p.rows.end(),
                                 [&](const CallRecord& r) { return r.line == line; });
    return it == p.rows.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("cdr formats: the shared Asterisk Master.csv reads 84 legs, 37 answered") {
    const auto text = read_cdr(kAsterisk);
    REQUIRE(!text.empty());
    const auto parsed = parse_asterisk_csv(text, {kAsterisk, std::chrono::seconds(0)});
    REQUIRE(parsed);
    CHECK(parsed->errors.empty());
    CHECK(parsed->lines_read == 84);
    REQUIRE(parsed->rows.size() == 84);
    const auto answered = std::count_if(parsed->rows.begin(), parsed->rows.end(), [](auto& r) {
        return r.disposition == Disposition::Answered;
    });
    CHECK(answered == 37);
    const auto no_answer_time = std::count_if(parsed->rows.begin(), parsed->rows.end(),
                                              [](auto& r) { return !r.answer.has_value(); });
    CHECK(no_answer_time == 45);

    // Line 1: "","89247239112","211474","stadion-pstn","""89247239112"" <89247239112>",
    // "SIP/211474-00000000","","Hangup","","2024-01-27 15:07:24","2024-01-27 15:07:24",
    // "2024-01-27 15:07:51",27,27,"ANSWERED",...,"1706368044.0","","","1706368044.0",0
    const auto* r1 = at_line(*parsed, 1);
    REQUIRE(r1);
    CHECK(r1->source == CdrSource::Asterisk);
    CHECK(r1->caller == "89247239112");
    CHECK(r1->caller_name == "89247239112");
    CHECK(r1->destination == "211474");
    CHECK(r1->context == "stadion-pstn");
    CHECK(r1->channel == "SIP/211474-00000000");
    CHECK(r1->dst_channel.empty());
    // The uniqueid is the Unix time of the start: the switch wrote UTC.
    CHECK(unix_seconds(r1->start) == 1'706'368'044);
    REQUIRE(r1->answer.has_value());
    CHECK(unix_seconds(*r1->answer) == 1'706'368'044);
    CHECK(unix_seconds(r1->end) == 1'706'368'071);
    CHECK(r1->duration_s == 27);
    CHECK(r1->billsec == 27);
    CHECK(r1->disposition == Disposition::Answered);
    CHECK(r1->hangup_cause == "ANSWERED");
    CHECK(r1->uniqueid == "1706368044.0");
    CHECK(r1->linkedid == "1706368044.0");
    CHECK(r1->sequence == 0);
    CHECK(r1->switch_key == "1706368044.0/0");

    // Line 7: a Local channel leg with an empty answer, NO ANSWER, linkedid differs.
    const auto* r7 = at_line(*parsed, 7);
    REQUIRE(r7);
    CHECK(r7->destination == "ch1");
    CHECK(r7->dst_channel == "SIP/301-00000007");
    CHECK_FALSE(r7->answer.has_value());
    CHECK(r7->duration_s == 15);
    CHECK(r7->billsec == 0);
    CHECK(r7->disposition == Disposition::NoAnswer);
    CHECK(r7->uniqueid == "1706372196.14");
    CHECK(r7->linkedid == "1706372196.12");
    CHECK(r7->switch_key == "1706372196.14/10");

    // Line 41: the caller name is cut mid-UTF-8 and kept as bytes.
    const auto* r41 = at_line(*parsed, 41);
    REQUIRE(r41);
    CHECK(r41->caller == "81079570024802");
    CHECK(r41->caller_name ==
          "8107957002\xA5\xA5"
          "b");

    // Line 83: BUSY with duration 0.
    CHECK(at_line(*parsed, 83)->disposition == Disposition::Busy);
    // Line 84: answered 3 s after the start, 66 of 69 s billed.
    const auto* r84 = at_line(*parsed, 84);
    REQUIRE(r84);
    CHECK(unix_seconds(r84->start) == 1'706'445'411);
    CHECK(unix_seconds(*r84->answer) == 1'706'445'414);
    CHECK(r84->billsec == 66);
    CHECK(r84->switch_key == "mainserverdss-1706445411.103/83");
}

TEST_CASE("cdr formats: Asterisk legs sharing a uniqueid get distinct switch keys") {
    const auto text = read_cdr(kAsterisk);
    const auto parsed = parse_asterisk_csv(text, {kAsterisk, std::chrono::seconds(0)});
    REQUIRE(parsed);
    // Lines 4 and 5 are two Dial attempts of uniqueid 1706369600.6 (sequences 3 and 6).
    REQUIRE(at_line(*parsed, 4));
    CHECK(at_line(*parsed, 4)->uniqueid == at_line(*parsed, 5)->uniqueid);
    CHECK(at_line(*parsed, 4)->switch_key != at_line(*parsed, 5)->switch_key);
    std::set<std::string> keys;
    for (const auto& r : parsed->rows) keys.insert(r.switch_key);
    CHECK(keys.size() == 84);
}

TEST_CASE("cdr formats: the classic 18-column Asterisk layout and local times") {
    const std::string text =
        R"("acct1","1001","0044201234567","from-internal","""Alice"" <1001>","SIP/1001-01","SIP/trunk-02","Dial","SIP/trunk/0044201234567","2024-03-01 10:00:00","2024-03-01 10:00:05","2024-03-01 10:01:05",65,60,"ANSWERED","BILLING","1709287200.1","")"
        "\n"
        R"("acct1","1001","0044201234567","from-internal","""Alice"" <1001>","SIP/1001-01","SIP/trunk-03","Dial","SIP/trunk/0044201234567","2024-03-01 10:00:00",,"2024-03-01 10:00:30",30,0,"NO ANSWER","BILLING","1709287200.1","")"
        "\n";
    const auto offset = parse_utc_offset("+03:00");
    REQUIRE(offset);
    const auto parsed = parse_asterisk_csv(text, {"m.csv", *offset});
    REQUIRE(parsed);
    CHECK(parsed->errors.empty());
    REQUIRE(parsed->rows.size() == 2);
    const auto& a = parsed->rows[0];
    CHECK(a.accountcode == "acct1");
    CHECK(a.caller_name == "Alice");
    // 2024-03-01 10:00:00 at +03:00 = 07:00:00Z = 1'709'276'400.
    CHECK(unix_seconds(a.start) == 1'709'276'400);
    CHECK(a.sequence == -1);
    CHECK(a.switch_key == "1709287200.1/SIP/trunk-02/2024-03-01 10:00:00");
    CHECK(parsed->rows[1].switch_key == "1709287200.1/SIP/trunk-03/2024-03-01 10:00:00");
}

TEST_CASE("cdr formats: bad Asterisk rows are refused with line and reason") {
    const std::string ok_prefix =
        R"("a","1","2","c","x","ch","dch","Dial","","2024-03-01 10:00:00",)";
    const std::string text =
        ok_prefix + R"("","2024-03-01 09:59:00",0,0,"FAILED","B","u1","")" + "\n" +  // ends first
        ok_prefix + R"("","2024-03-01 10:00:10",10,11,"ANSWERED","B","u2","")" + "\n" +  // billsec
        ok_prefix + R"("","2024-03-01 10:00:10",ten,0,"FAILED","B","u3","")" +
        "\n" +  // non-numeric
        R"("a","1","","c","x","ch","dch","Dial","","2024-03-01 10:00:00","","2024-03-01 10:00:10",10,0,"FAILED","B","u4","")" +
        "\n" + "only,three,columns\n";
    const auto parsed = parse_asterisk_csv(text, {"bad.csv", std::chrono::seconds(0)});
    REQUIRE(parsed);
    CHECK(parsed->rows.empty());
    REQUIRE(parsed->errors.size() == 5);
    CHECK(parsed->errors[0].line == 1);
    CHECK(parsed->errors[0].field == "end");
    CHECK(parsed->errors[1].field == "billsec");
    CHECK(parsed->errors[2].field == "duration");
    CHECK(parsed->errors[3].field == "destination");
    CHECK(parsed->errors[4].line == 5);
    CHECK(parsed->errors[4].file == "bad.csv");
}

TEST_CASE("cdr formats: the shared FreeSWITCH Master.csv reads 10 rows with its quirks") {
    const auto text = read_cdr(kFreeswitch);
    REQUIRE(!text.empty());
    const auto parsed = parse_freeswitch_csv(text, {kFreeswitch, std::chrono::seconds(0)});
    REQUIRE(parsed);
    CHECK(parsed->errors.empty());
    REQUIRE(parsed->rows.size() == 10);
    // Line 1: Outbound Call,1002,&,default,2020/2/10 22:41,2020/2/10 22:41,2020/2/10 22:41,
    // 11,9,NORMAL_CLEARING,d80e22e0-4c15-11ea-97a0-9dd79410affb,,1002,PCMU,PCMU
    const auto& r1 = parsed->rows[0];
    CHECK(r1.source == CdrSource::FreeswitchCsv);
    CHECK(r1.line == 1);
    CHECK(r1.caller_name == "Outbound Call");
    CHECK(r1.caller == "1002");
    CHECK(r1.destination == "&");
    CHECK(r1.context == "default");
    CHECK(unix_seconds(r1.start) == 1'581'374'460);
    CHECK(r1.duration_s == 11);
    CHECK(r1.billsec == 9);
    CHECK(r1.disposition == Disposition::Answered);
    CHECK(r1.switch_key == "d80e22e0-4c15-11ea-97a0-9dd79410affb");
    CHECK(r1.accountcode == "1002");
    CHECK(r1.codec == "PCMU");
    // Line 3: ,0,1002,default,2020/2/10 22:41,,2020/2/10 22:41,2,0,NO_USER_RESPONSE,...
    const auto& r3 = parsed->rows[2];
    CHECK(r3.caller_name.empty());
    CHECK(r3.destination == "1002");
    CHECK_FALSE(r3.answer.has_value());
    CHECK(r3.disposition == Disposition::NoAnswer);
    CHECK(r3.accountcode.empty());
    // Line 7: 1002,1002,1004,default,2020/2/11 11:05,2020/2/11 11:05,2020/2/11 11:06,43,32,
    // RECOVERY_ON_TIMER_EXPIRE,559758f2-...
    const auto& r7 = parsed->rows[6];
    CHECK(r7.destination == "1004");
    CHECK(unix_seconds(r7.start) == 1'581'419'100);
    CHECK(unix_seconds(r7.end) == 1'581'419'160);
    CHECK(r7.hangup_cause == "RECOVERY_ON_TIMER_EXPIRE");
    CHECK(r7.disposition == Disposition::Failed);
    // Line 10: USER_BUSY (the same uuid as lines 8 and 9: ingestion keeps one).
    CHECK(parsed->rows[9].disposition == Disposition::Busy);
    CHECK(parsed->rows[9].switch_key == parsed->rows[8].switch_key);
}

TEST_CASE("cdr formats: detection, format names, offsets, times") {
    CHECK(detect_cdr_format(read_cdr(kAsterisk)).value() == CdrFormat::Asterisk);
    CHECK(detect_cdr_format(read_cdr(kFreeswitch)).value() == CdrFormat::FreeswitchCsv);
    CHECK(detect_cdr_format(" {\"cdrs\":[]}").value() == CdrFormat::Json);
    CHECK(detect_cdr_format("{\"core-uuid\":\"x\"}").value() == CdrFormat::FreeswitchJson);
    CHECK(error_of(detect_cdr_format("a,b,c\n")).field == "format");

    CdrFormat f{};
    CHECK(parse_cdr_format("freeswitch-json", f));
    CHECK(f == CdrFormat::FreeswitchJson);
    CHECK_FALSE(parse_cdr_format("kamailio", f));

    CHECK(parse_utc_offset("UTC").value().count() == 0);
    CHECK(parse_utc_offset("-0500").value().count() == -18'000);
    CHECK(parse_utc_offset("+8").value().count() == 28'800);
    CHECK(parse_utc_offset("+05:30").value().count() == 19'800);
    CHECK(error_of(parse_utc_offset("Europe/Moscow")).field == "timezone");

    CHECK(unix_seconds(*parse_cdr_time("1970-01-01 00:01:40")) == 100);
    CHECK(unix_seconds(*parse_cdr_time("1970/1/2 0:00")) == 86'400);
    CHECK_FALSE(parse_cdr_time("1970-13-01 00:00:00").has_value());
    CHECK_FALSE(parse_cdr_time("").has_value());
}
