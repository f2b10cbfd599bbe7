#include "events/voice/cdr_json.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/result_checks.hpp"

using namespace switchyard::core;
using namespace switchyard::core::voice;
using namespace switchyard::events::voice;
using switchyard::testing::error_of;

namespace {

std::string read_cdr(const std::string& name) {
    std::ifstream in(std::string(SY_SHARED_DATA) + "/voip/cdr/" + name, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

const std::string kJson = "freeswitch_json_cdr_cgrates_fscdr_test.json";

}  // namespace

TEST_CASE("cdr json: the shared mod_json_cdr document is one call of 71 s, 68 billed") {
    const auto text = read_cdr(kJson);
    REQUIRE(!text.empty());
    const auto parsed = parse_freeswitch_json(text, {kJson, std::chrono::seconds(0)});
    REQUIRE(parsed);
    CHECK(parsed->errors.empty());
    REQUIRE(parsed->rows.size() == 1);
    const auto& r = parsed->rows[0];
    CHECK(r.source == CdrSource::FreeswitchJson);
    CHECK(r.line == 1);
    CHECK(r.switch_key == "3da8bf84-c133-4959-9e24-e72875cb33a1");
    CHECK(r.switch_name == "FSDev1");
    CHECK(r.caller == "1001");
    CHECK(r.caller_name == "1001");
    CHECK(r.destination == "1002");
    CHECK(r.context == "default");
    CHECK(r.channel == "sofia/internal/1001@10.10.10.204");
    CHECK(r.source_ip == "10.10.10.100");
    CHECK(r.codec == "PCMU");
    CHECK(r.hangup_cause == "NORMAL_CLEARING");
    CHECK(r.disposition == Disposition::Answered);
    CHECK(r.duration_s == 71);
    CHECK(r.billsec == 68);
    // variables.start_uepoch 1515666344534355, answer_uepoch 1515666347954373,
    // end_uepoch 1515666415494269.
    CHECK(r.start.time_since_epoch().count() == 1'515'666'344'534'355);
    REQUIRE(r.answer.has_value());
    CHECK(r.answer->time_since_epoch().count() == 1'515'666'347'954'373);
    CHECK(r.end.time_since_epoch().count() == 1'515'666'415'494'269);
    CHECK(r.accountcode.empty());

    // The same through auto detection.
    const auto detected = parse_cdrs(text, CdrFormat::Auto, {kJson, std::chrono::seconds(0)});
    REQUIRE(detected);
    CHECK(detected->rows.size() == 1);
}

TEST_CASE("cdr json: auto reads the shared CSV samples too") {
    const auto asterisk = parse_cdrs(read_cdr("asterisk_Master_newcdrcolumns_mineevburyat.csv"),
                                     CdrFormat::Auto, {"a.csv", std::chrono::seconds(0)});
    REQUIRE(asterisk);
    CHECK(asterisk->rows.size() == 84);
    const auto fs = parse_cdrs(read_cdr("freeswitch_cdr_csv_Master_Kxingyunliushui.csv"),
                               CdrFormat::Auto, {"f.csv", std::chrono::seconds(0)});
    REQUIRE(fs);
    CHECK(fs->rows.size() == 10);
    CHECK(error_of(parse_cdrs("x;y\n", CdrFormat::Auto, {})).field == "format");
}

TEST_CASE("cdr json: a JSON batch, with refused records") {
    const std::string text = R"({"cdrs":[
      {"id":"sw1-1","accountcode":"acme","caller":"31201234567","destination":"442012345678",
       "start":"2026-01-05T10:00:00Z","answer":"2026-01-05T10:00:07Z",
       "end":"2026-01-05T10:02:07Z","billsec":120,"disposition":"answered",
       "source_ip":"192.0.2.10","trunk":"gw-eu"},
      {"id":42,"caller":"1","destination":"2","start":"2026-01-05T10:00:00+01:00",
       "end":"2026-01-05T09:00:30Z","billsec":"0","disposition":"NO ANSWER"},
      {"id":"e","destination":"2","start":"2026-01-05T10:00:00Z","end":"2026-01-05T09:00:00Z"},
      {"id":"b","destination":"2","start":"2026-01-05T10:00:00Z","end":"2026-01-05T10:00:10Z",
       "billsec":11},
      {"id":"n","destination":"","start":"2026-01-05T10:00:00Z","end":"2026-01-05T10:00:10Z"},
      {"id":"s","destination":"2","start":"2026-01-05T10:00:00Z","end":"2026-01-05T10:00:10Z",
       "billsec":"ten"},
      {"destination":"2","start":"2026-01-05T10:00:00Z","end":"2026-01-05T10:00:10Z"}
    ]})";
    const auto parsed = parse_json_batch(text, {"batch.json", std::chrono::seconds(0)});
    REQUIRE(parsed);
    CHECK(parsed->lines_read == 7);
    REQUIRE(parsed->rows.size() == 2);
    const auto& a = parsed->rows[0];
    CHECK(a.source == CdrSource::Json);
    CHECK(a.switch_key == "sw1-1");
    CHECK(a.accountcode == "acme");
    CHECK(a.caller == "31201234567");
    CHECK(a.destination == "442012345678");
    CHECK(a.source_ip == "192.0.2.10");
    CHECK(a.trunk == "gw-eu");
    CHECK(a.duration_s == 127);
    CHECK(a.billsec == 120);
    CHECK(a.disposition == Disposition::Answered);
    // 2026-01-05T10:00:00Z = 1'767'607'200.
    CHECK(unix_seconds(a.start) == 1'767'607'200);
    const auto& b = parsed->rows[1];
    CHECK(b.switch_key == "42");
    CHECK(b.duration_s == 30);  // 09:00:00Z to 09:00:30Z
    CHECK(b.disposition == Disposition::NoAnswer);
    REQUIRE(parsed->errors.size() == 5);
    CHECK(parsed->errors[0] == RowError{"batch.json", 3, "end", "the call ends before it starts"});
    CHECK(parsed->errors[1].field == "billsec");
    CHECK(parsed->errors[1].line == 4);
    CHECK(parsed->errors[2].field == "destination");
    CHECK(parsed->errors[3].field == "billsec");
    CHECK(parsed->errors[4].field == "id");
}

TEST_CASE("cdr json: files that are not JSON or lack cdrs are refused as a whole") {
    CHECK(error_of(parse_json_batch("{\"x\":1}", {"b.json", {}})).field == "b.json");
    CHECK(error_of(parse_freeswitch_json("not json", {"f.json", {}})).code == Errc::Invalid);
    const auto no_vars = parse_freeswitch_json("[{\"a\":1}]", {"f.json", {}});
    REQUIRE(no_vars);
    REQUIRE(no_vars->errors.size() == 1);
    CHECK(no_vars->errors[0].field == "variables");
}
