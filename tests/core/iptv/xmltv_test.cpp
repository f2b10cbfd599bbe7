#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

#include "core/iptv/xmltv.hpp"

using namespace switchyard::core::iptv;

namespace {

std::string read_guide(const char* name) {
    std::ifstream in(std::string(SY_SHARED_DATA) + "/iptv/epg/" + name, std::ios::binary);
    REQUIRE(in);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

/// How often `needle` occurs in `text` (the guide's own count of its elements).
std::size_t occurrences(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

std::int64_t utc(int y, unsigned m, unsigned d, int hh, int mm, int ss = 0) {
    using namespace std::chrono;
    return sys_days{year{y} / month{m} / day{d}}.time_since_epoch().count() * 86400 + hh * 3600 +
           mm * 60 + ss;
}

}  // namespace

TEST_CASE("the tvplus.com.tr guide parses with all its channels and programmes") {
    const auto text = read_guide("tvplus.com.tr.guide.xml");
    const auto guide = parse_xmltv(text);
    CHECK(guide.invalid.empty());
    CHECK(guide.channels.size() == 144);
    CHECK(guide.programmes.size() == 4525);
    CHECK(guide.channels.size() == occurrences(text, "<channel "));
    CHECK(guide.programmes.size() == occurrences(text, "<programme "));
    REQUIRE(!guide.channels.empty());
    CHECK(guide.channels[0].id == "24TV.tr");
    REQUIRE(guide.channels[0].display_names.size() == 1);
    CHECK(guide.channels[0].display_names[0] == "24 TV");
    CHECK(guide.channels[0].url == "https://tvplus.com.tr");
    // <programme ... channel="CiftciTV.tr"><image>/images/fallback-square.png</image>: no title.
    const auto untitled = std::count_if(guide.programmes.begin(), guide.programmes.end(),
                                        [](const auto& q) { return q.title.empty(); });
    CHECK(static_cast<std::size_t>(untitled) == occurrences(text, "\"><image>"));
    // <programme start="20241215210000 +0000" stop="20241215211500 +0000" channel="24TV.tr">
    // <title lang="tr">Haber Bülteni</title><category lang="tr">Haber</category><image>...
    const auto& p = guide.programmes.at(0);
    CHECK(p.channel == "24TV.tr");
    CHECK(p.start == utc(2024, 12, 15, 21, 0));
    CHECK(p.stop == utc(2024, 12, 15, 21, 15));
    CHECK(p.title == "Haber Bülteni");
    CHECK(p.lang == "tr");
    REQUIRE(p.categories.size() == 1);
    CHECK(p.categories[0] == "Haber");
    CHECK(p.icon.starts_with("https://syhottvsc01.tvplus.com.tr:33207/CPS/images/"));
    CHECK(p.line == 146);  // after the XML declaration line and the 144 channel lines
    // Every programme ends after it starts, and its channel is one of the guide's.
    for (const auto& q : guide.programmes) CHECK(q.stop >= q.start);
}

TEST_CASE("the epgshare01 guide parses and its +0100 times become UTC") {
    const auto text = read_guide("epgshare01.online.content.xml");
    const auto guide = parse_xmltv(text);
    CHECK(guide.invalid.empty());
    CHECK(guide.channels.size() == 2);
    CHECK(guide.programmes.size() == 203);
    CHECK(guide.programmes.size() == occurrences(text, "<programme "));
    REQUIRE(guide.channels.size() == 2);
    CHECK(guide.channels[0].id == "AlJazeera.Arabic.net");
    CHECK(guide.channels[0].display_names == std::vector<std::string>{"AlJazeera Arabic"});
    CHECK(guide.channels[0].icon ==
          "http://www.aljazeera.com/mritems/assets/images/aj-logo-lg.png");
    // start="20250208000000 +0100" stop="20250208010000 +0100"
    const auto& p = guide.programmes.at(0);
    CHECK(p.start == utc(2025, 2, 7, 23, 0));
    CHECK(p.stop == utc(2025, 2, 8, 0, 0));
    CHECK(p.title == "نشرة الأخبار");
    CHECK(p.desc == "جولة في أهم الأحداث العربية والعالمية.");
    CHECK(p.lang == "en");
}

TEST_CASE("XMLTV times with offsets, shortened forms and garbage") {
    CHECK(parse_xmltv_time("20250208000000 +0100") == utc(2025, 2, 7, 23, 0));
    CHECK(parse_xmltv_time("20250208000000 -0530") == utc(2025, 2, 8, 5, 30));
    CHECK(parse_xmltv_time("20250208000000") == utc(2025, 2, 8, 0, 0));
    CHECK(parse_xmltv_time("202502081230 +0000") == utc(2025, 2, 8, 12, 30));
    CHECK(parse_xmltv_time("20250208") == utc(2025, 2, 8, 0, 0));
    CHECK_FALSE(parse_xmltv_time("20250230000000 +0000"));  // 30 February
    CHECK_FALSE(parse_xmltv_time("20250208250000 +0000"));
    CHECK_FALSE(parse_xmltv_time("2025020800000 +0000"));
    CHECK_FALSE(parse_xmltv_time("20250208000000 +01"));
    CHECK_FALSE(parse_xmltv_time("tomorrow"));
    CHECK_FALSE(parse_xmltv_time(""));
    CHECK(format_xmltv_time(utc(2025, 2, 7, 23, 0)) == "20250207230000 +0000");
}

TEST_CASE("bad programmes are refused one by one with their line, bad XML stops with its line") {
    const char* text =
        "<?xml version=\"1.0\"?>\n"
        "<tv>\n"
        "<channel><display-name>no id</display-name></channel>\n"
        "<channel id=\"a.tr\"><display-name>A</display-name></channel>\n"
        "<programme start=\"soon\" stop=\"20250101010000 +0000\" channel=\"a.tr\"><title>x</title>"
        "</programme>\n"
        "<programme start=\"20250101010000 +0000\" stop=\"20250101000000 +0000\" channel=\"a.tr\">"
        "<title>backwards</title></programme>\n"
        "<programme start=\"20250101010000 +0000\" channel=\"a.tr\"><title>no stop</title>"
        "</programme>\n"
        "<programme start=\"20250101020000 +0000\" stop=\"20250101030000 +0000\" channel=\"a.tr\">"
        "<title>ok</title></programme>\n"
        "<programme start=\"20250101030000 +0000\" stop=\"20250101040000 +0000\"><title>t</title>"
        "</programme>\n"
        "<programme start=\"20250101040000 +0000\" stop=\"20250101050000 +0000\" channel=\"a.tr\">"
        "</programme>\n"
        "<programme start=\"20250101050000 +0000\" channel=\"a.tr\"><title>last</title><oops>\n"
        "</tv>\n";
    const auto guide = parse_xmltv(text);
    REQUIRE(guide.channels.size() == 1);
    CHECK(guide.channels[0].id == "a.tr");
    REQUIRE(guide.programmes.size() == 3);
    CHECK(guide.programmes[0].title == "no stop");
    CHECK(guide.programmes[0].stop == utc(2025, 1, 1, 2, 0));  // the next start on a.tr
    CHECK(guide.programmes[1].title == "ok");
    CHECK(guide.programmes[2].title.empty());  // kept: real guides have untitled programmes
    CHECK(guide.programmes[2].line == 10);
    REQUIRE(guide.invalid.size() == 5);
    CHECK(guide.invalid[0].line == 3);
    CHECK(guide.invalid[0].reason == "<channel> has no id");
    CHECK(guide.invalid[1].line == 5);
    CHECK(guide.invalid[1].reason.find("start 'soon'") != std::string::npos);
    CHECK(guide.invalid[2].line == 6);
    CHECK(guide.invalid[2].reason.find("before start") != std::string::npos);
    CHECK(guide.invalid[3].line == 9);
    CHECK(guide.invalid[3].reason == "<programme> has no channel");
    CHECK(guide.invalid[4].line == 12);
    CHECK(guide.invalid[4].reason.starts_with("not well-formed XML"));
}

TEST_CASE("entity declarations are refused instead of expanded") {
    const char* text =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE tv [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n"
        "<tv><channel id=\"x\"><display-name>&b;</display-name></channel></tv>\n";
    const auto guide = parse_xmltv(text);
    CHECK(guide.channels.empty());
    REQUIRE(guide.invalid.size() == 1);
    CHECK(guide.invalid[0].reason == "entity declarations are not accepted");
}

TEST_CASE("a written guide reads back the same") {
    const auto guide = parse_xmltv(read_guide("epgshare01.online.content.xml"));
    auto programmes = guide.programmes;
    programmes[0].title = "a <b> & \"c\"";
    programmes[0].categories = {"News", "Politics"};
    programmes[0].episode_num = "S1E2";
    const auto again = parse_xmltv(write_xmltv(guide.channels, programmes));
    CHECK(again.invalid.empty());
    REQUIRE(again.channels.size() == guide.channels.size());
    for (std::size_t i = 0; i < guide.channels.size(); ++i) {
        CHECK(again.channels[i].id == guide.channels[i].id);
        CHECK(again.channels[i].display_names == guide.channels[i].display_names);
        CHECK(again.channels[i].icon == guide.channels[i].icon);
        CHECK(again.channels[i].url == guide.channels[i].url);
    }
    REQUIRE(again.programmes.size() == programmes.size());
    for (std::size_t i = 0; i < programmes.size(); ++i) {
        const auto &a = again.programmes[i], &b = programmes[i];
        CHECK(a.channel == b.channel);
        CHECK(a.start == b.start);
        CHECK(a.stop == b.stop);
        CHECK(a.title == b.title);
        CHECK(a.desc == b.desc);
        CHECK(a.categories == b.categories);
        CHECK(a.episode_num == b.episode_num);
        CHECK(a.lang == b.lang);
    }
}
