// Rate decks over HTTP: the full CDRTool deck imported as a carrier's buy deck, a sell card
// derived from it with a 20 % markup, a changed version with its differences (increases effective
// sooner than 7 days flagged), the sell card re-derived; refused rows (422 unless partial), and
// bad input answered 400 naming the field with the log unchanged.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "core/time.hpp"
#include "tests/api/api_fixture.hpp"

using namespace switchyard;
using namespace switchyard::testing;
namespace json = boost::json;

namespace {

std::string shared_text(const std::string& rel) {
    std::ifstream in(std::filesystem::path(SY_SHARED_DATA) / "voip" / rel, std::ios::binary);
    REQUIRE(in);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

struct CdrtoolFiles {
    std::string destinations, rates, profiles, customers;
};

CdrtoolFiles shared_deck() {
    return {shared_text("ratedeck-cdrtool-2010/destinations.csv"),
            shared_text("ratedeck-cdrtool-2010/rates.csv"),
            shared_text("ratedeck-cdrtool-2010/profiles.csv"),
            shared_text("ratedeck-cdrtool-2010/customers.csv")};
}

json::array files_of(const CdrtoolFiles& d) {
    return {json::object{{"name", "destinations.csv"}, {"content", d.destinations}},
            json::object{{"name", "rates.csv"}, {"content", d.rates}},
            json::object{{"name", "profiles.csv"}, {"content", d.profiles}},
            json::object{{"name", "customers.csv"}, {"content", d.customers}}};
}

/// Replaces the one line of `text` that starts with `start` by `with` (empty: removes it).
void replace_line(std::string& text, const std::string& start, const std::string& with) {
    const auto at = text.find("\n" + start);
    REQUIRE_MESSAGE(at != std::string::npos, start);
    const auto end = text.find('\n', at + 1);
    text.replace(at + 1, end - at, with.empty() ? "" : with + "\n");
}

void add_carrier(ApiFixture& f) {
    auto r = f.call("POST", "/v1/voice/carriers",
                    R"({"carrier_id":"acme","name":"Acme","trunk_hosts":["sip.acme.example"],)"
                    R"("currency":"EUR"})");
    REQUIRE_MESSAGE(r.status == 201, r.body);
}

json::object body_of(const api::HttpResponse& r) { return json::parse(r.body).as_object(); }

/// The first rate of a version whose prefix starts with `prefix`.
json::object first_rate(ApiFixture& f, const std::string& deck, int version,
                        const std::string& prefix) {
    auto r = f.call("GET", fmt::format("/v1/voice/decks/{}/versions/{}/rates?prefix={}&limit=1",
                                       deck, version, prefix));
    REQUIRE_MESSAGE(r.status == 200, r.body);
    auto items = body_of(r).at("items").as_array();
    REQUIRE(items.size() == 1);
    return items[0].as_object();
}

std::string s(const json::value& v) { return std::string(v.as_string()); }

}  // namespace

TEST_CASE("decks: the CDRTool deck as a buy deck, a 20 % sell card, a changed version") {
    ApiFixture f;
    add_carrier(f);
    const auto deck = shared_deck();
    json::object import{{"name", "Acme 2010"},
                        {"carrier_id", "acme"},
                        {"format", "cdrtool"},
                        {"files", files_of(deck)}};

    // The deck has one refused row (the sms rate without a destination, rates.csv line 13,128):
    // without partial the file appends nothing and the answer lists the row.
    const auto before = f.log_size();
    auto refused = f.call("POST", "/v1/voice/decks/imports", json::serialize(import));
    check_problem(f, refused, 422, "files", before);
    {
        auto b = body_of(refused);
        auto rows = b.at("refused").as_array();
        REQUIRE(rows.size() == 1);
        CHECK(s(rows[0].at("file")) == "rates.csv");
        CHECK(rows[0].at("line").as_int64() == 13'128);
        CHECK(s(rows[0].at("field")) == "Destination");
    }

    import["partial"] = true;
    auto first = f.call("POST", "/v1/voice/decks/imports", json::serialize(import));
    REQUIRE_MESSAGE(first.status == 201, first.body);
    auto report = body_of(first);
    CHECK(s(report.at("deck_id")) == "acme-2010");
    CHECK(report.at("version").as_int64() == 1);
    CHECK(report.at("unchanged").as_bool() == false);
    CHECK(report.at("counts").at("prefixes").as_int64() == 13'126);
    CHECK(report.at("lines_read").as_int64() == 26'257);
    CHECK(report.at("refused").as_array().size() == 1);
    CHECK(report.at("diff").is_null());
    CHECK(report.at("derived").as_array().empty());

    // The same files again: nothing new (200, the same version).
    const auto after_first = f.log_size();
    auto again = f.call("POST", "/v1/voice/decks/imports", json::serialize(import));
    REQUIRE_MESSAGE(again.status == 200, again.body);
    CHECK(body_of(again).at("unchanged").as_bool());
    CHECK(body_of(again).at("version").as_int64() == 1);
    CHECK(f.log_size() == after_first);

    // rates.csv line 2: 3706 (LITHUANIA CELL) at Duration 999 = 0.0999 per minute.
    auto buy_3706 = first_rate(f, "acme-2010", 1, "3706");
    CHECK(s(buy_3706.at("prefix")) == "3706");
    CHECK(s(buy_3706.at("destination_name")) == "LITHUANIA CELL");
    CHECK(s(buy_3706.at("rate_per_minute")) == "0.0999");

    // A sell card derived with 20 %: 0.0999 x 1.2 = 0.11988, rounded up to 4 decimals 0.1199.
    auto card = f.call("POST", "/v1/voice/decks",
                       R"({"deck_id":"retail","name":"Retail","source_deck_id":"acme-2010",)"
                       R"("markup":{"percent":"20"}})");
    REQUIRE_MESSAGE(card.status == 201, card.body);
    {
        auto b = body_of(card);
        CHECK(s(b.at("kind")) == "sell");
        CHECK(s(b.at("format")) == "derived");
        CHECK(s(b.at("currency")) == "EUR");
        CHECK(s(b.at("markup").at("percent")) == "20.00");
        CHECK(b.at("latest_version").as_int64() == 1);
    }
    CHECK(s(first_rate(f, "retail", 1, "3706").at("rate_per_minute")) == "0.1199");

    // A changed deck two days ahead: 3706 up to 0.1099, 690 down from 0.9975 to 0.5, 9050
    // removed, 88212 added at 0.05.
    auto changed = deck;
    replace_line(changed.rates, "2,0,grn_premium,3706,", "2,0,grn_premium,3706,audio,0,1099,,");
    replace_line(changed.rates, "2,0,grn_premium,690,", "2,0,grn_premium,690,audio,0,5000,,");
    replace_line(changed.rates, "2,0,grn_premium,9050,", "");
    replace_line(changed.destinations, "2,0,,,,9050,", "");
    changed.destinations += "2,0,,,,88212,,TEST ISLAND,0,0,0,\n";
    changed.rates.insert(changed.rates.find('\n') + 1, "2,0,grn_premium,88212,audio,0,500,,\n");
    const auto in_two_days = core::format_rfc3339(f.clock.now() + std::chrono::hours(48));
    json::object second{{"deck_id", "acme-2010"},
                        {"format", "cdrtool"},
                        {"files", files_of(changed)},
                        {"partial", true},
                        {"effective_from", in_two_days}};
    auto v2 = f.call("POST", "/v1/voice/decks/imports", json::serialize(second));
    REQUIRE_MESSAGE(v2.status == 201, v2.body);
    report = body_of(v2);
    CHECK(report.at("version").as_int64() == 2);
    CHECK(report.at("counts").at("prefixes").as_int64() == 13'126);
    const auto& diff = report.at("diff").as_object();
    CHECK(diff.at("added").as_int64() == 1);
    CHECK(diff.at("removed").as_int64() == 1);
    CHECK(diff.at("increases").as_int64() == 1);
    CHECK(diff.at("decreases").as_int64() == 1);
    CHECK(diff.at("short_notice").as_int64() == 1);
    // The sell card was re-derived as its version 2.
    auto derived = report.at("derived").as_array();
    REQUIRE(derived.size() == 1);
    CHECK(s(derived[0].at("deck_id")) == "retail");
    CHECK(derived[0].at("version").as_int64() == 2);
    // 0.1099 x 1.2 = 0.13188 -> 0.1319.
    CHECK(s(first_rate(f, "retail", 2, "3706").at("rate_per_minute")) == "0.1319");

    // The differences of version 2, price by price.
    auto d = f.call("GET", "/v1/voice/decks/acme-2010/versions/2/diff");
    REQUIRE_MESSAGE(d.status == 200, d.body);
    auto dj = body_of(d);
    CHECK(dj.at("against_version").as_int64() == 1);
    auto added = dj.at("added").as_array();
    REQUIRE(added.size() == 1);
    CHECK(s(added[0].at("prefix")) == "88212");
    CHECK(s(added[0].at("destination_name")) == "TEST ISLAND");
    CHECK(s(added[0].at("rate_per_minute")) == "0.0500");
    auto removed = dj.at("removed").as_array();
    REQUIRE(removed.size() == 1);
    CHECK(s(removed[0].at("prefix")) == "9050");
    CHECK(s(removed[0].at("rate_per_minute")) == "0.0989");
    auto up = dj.at("increases").as_array();
    REQUIRE(up.size() == 1);
    CHECK(s(up[0].at("prefix")) == "3706");
    CHECK(s(up[0].at("old_rate_per_minute")) == "0.0999");
    CHECK(s(up[0].at("new_rate_per_minute")) == "0.1099");
    CHECK(up[0].at("short_notice").as_bool());
    CHECK(s(up[0].at("effective_from")) == in_two_days);
    auto down = dj.at("decreases").as_array();
    REQUIRE(down.size() == 1);
    CHECK(s(down[0].at("prefix")) == "690");
    CHECK(s(down[0].at("old_rate_per_minute")) == "0.9975");
    CHECK(s(down[0].at("new_rate_per_minute")) == "0.5000");
    CHECK(down[0].at("short_notice").as_bool() == false);

    // Version 1 has no differences; unknown versions and decks are 404.
    auto d1 = f.call("GET", "/v1/voice/decks/acme-2010/versions/1/diff");
    REQUIRE_MESSAGE(d1.status == 200, d1.body);
    CHECK(body_of(d1).at("against_version").is_null());
    CHECK(body_of(d1).at("added").as_array().empty());
    CHECK(body_of(d1).at("counts").at("increases").as_int64() == 0);
    CHECK(f.call("GET", "/v1/voice/decks/acme-2010/versions/3/diff").status == 404);
    CHECK(f.call("GET", "/v1/voice/decks/nope/versions/1/diff").status == 404);

    // The deck with its versions; the list filtered by kind.
    auto one = f.call("GET", "/v1/voice/decks/acme-2010");
    REQUIRE_MESSAGE(one.status == 200, one.body);
    auto oj = body_of(one);
    CHECK(s(oj.at("carrier_id")) == "acme");
    CHECK(oj.at("current_version").as_int64() == 1);  // version 2 is two days ahead
    CHECK(oj.at("latest_version").as_int64() == 2);
    auto versions = oj.at("versions").as_array();
    REQUIRE(versions.size() == 2);
    CHECK(s(versions[1].at("effective_from")) == in_two_days);
    CHECK(versions[0].at("counts").at("prefixes").as_int64() == 13'126);
    auto sells = f.call("GET", "/v1/voice/decks?kind=sell");
    REQUIRE(sells.status == 200);
    auto items = body_of(sells).at("items").as_array();
    REQUIRE(items.size() == 1);
    CHECK(s(items[0].at("deck_id")) == "retail");
    CHECK(f.call("GET", "/v1/voice/decks?carrier_id=acme").body.find("acme-2010") !=
          std::string::npos);
}

TEST_CASE("decks: a carrier CSV sent as base64 with a column mapping") {
    ApiFixture f;
    add_carrier(f);
    // "Code;Name;Rate\n4420;UK London;0,0125\n" in base64 (RFC 4648).
    const std::string b64 = "Q29kZTtOYW1lO1JhdGUKNDQyMDtVSyBMb25kb247MCwwMTI1Cg==";
    const auto body = fmt::format(
        R"({{"name":"Acme CSV","carrier_id":"acme","format":"csv","files":[{{"name":"acme.csv",)"
        R"("content_base64":"{}"}}],"mapping":{{"prefix":"Code","destination":"Name",)"
        R"("rate":"Rate","decimal_comma":true}}}})",
        b64);
    auto r = f.call("POST", "/v1/voice/decks/imports", body);
    REQUIRE_MESSAGE(r.status == 201, r.body);
    CHECK(body_of(r).at("counts").at("prefixes").as_int64() == 1);
    auto rate = first_rate(f, "acme-csv", 1, "44");
    CHECK(s(rate.at("prefix")) == "4420");
    CHECK(s(rate.at("rate_per_minute")) == "0.0125");
    CHECK(s(rate.at("destination_name")) == "UK London");
}

TEST_CASE("decks: bad input is 400 naming the field, the log unchanged") {
    ApiFixture f;
    add_carrier(f);
    const auto before = f.log_size();
    auto post = [&](const std::string& body) {
        return f.call("POST", "/v1/voice/decks/imports", body);
    };
    const std::string files = R"("files":[{"name":"rates.csv","content":"x"}])";
    check_problem(f, post(R"({"name":"D","carrier_id":"acme","format":"xls",)" + files + "}"), 400,
                  "format", before);
    check_problem(f, post(R"({"name":"D","carrier_id":"acme","format":"cdrtool"})"), 400, "files",
                  before);
    check_problem(f,
                  post(R"({"name":"D","carrier_id":"acme","format":"csv","files":[{"name":"a",)"
                       R"("content_base64":"@@@"}],"mapping":{"prefix":"P","rate":"R"}})"),
                  400, "files[0].content_base64", before);
    check_problem(f,
                  post(R"({"name":"D","carrier_id":"acme","format":"cdrtool",)" + files +
                       R"(,"effective_from":"next week"})"),
                  400, "effective_from", before);
    check_problem(f, post(R"({"name":"D","carrier_id":"acme","format":"csv",)" + files + "}"), 400,
                  "mapping", before);
    check_problem(f,
                  post(R"({"name":"D","carrier_id":"acme","format":"csv",)" + files +
                       R"(,"mapping":{"prefix":"P","rate":"R","colour":"red"}})"),
                  400, "mapping.colour", before);
    // A carrier that is not in the reference data; a deck that does not exist.
    check_problem(f, post(R"({"name":"D","carrier_id":"nobody","format":"cdrtool",)" + files + "}"),
                  422, "carrier_id", before);
    check_problem(f, post(R"({"deck_id":"nope","format":"cdrtool",)" + files + "}"), 404, "deck_id",
                  before);
    // A CDRTool deck without its rates file.
    check_problem(f,
                  post(R"({"name":"D","carrier_id":"acme","format":"cdrtool","files":[)"
                       R"({"name":"destinations.csv","content":"x"}]})"),
                  400, "files", before);
    // Creating: a percent with more than 2 decimals, a markup without source.
    check_problem(f,
                  f.call("POST", "/v1/voice/decks",
                         R"({"name":"R","source_deck_id":"x","markup":{"percent":"1"}})"),
                  422, "source_deck_id", before);
    check_problem(f, f.call("POST", "/v1/voice/decks", R"({"name":"R","markup":{}})"), 400,
                  "format", before);
    check_problem(f,
                  f.call("POST", "/v1/voice/decks",
                         R"({"name":"R","kind":"sell","format":"csv","currency":"euro"})"),
                  400, "currency", before);
    // A second deck with a name another deck has: 409 naming `name`.
    auto first = f.call("POST", "/v1/voice/decks",
                        R"({"deck_id":"r1","name":"Retail","kind":"sell","format":"csv",)"
                        R"("currency":"EUR"})");
    REQUIRE_MESSAGE(first.status == 201, first.body);
    const auto after_first = f.log_size();
    check_problem(f,
                  f.call("POST", "/v1/voice/decks",
                         R"({"deck_id":"r2","name":"Retail","kind":"sell","format":"csv",)"
                         R"("currency":"EUR"})"),
                  409, "name", after_first);
}
