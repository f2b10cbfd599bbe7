#include <doctest/doctest.h>

#include "core/iptv/m3u.hpp"

using namespace switchyard::core::iptv;

TEST_CASE("the iptv-org source layout parses, with #EXTVLCOPT options") {
    const char* text =
        "#EXTM3U\n"
        "#EXTINF:-1 tvg-id=\"ABC.us@East\",ABC (720p)\n"
        "http://41.205.93.154/ABC/index.m3u8\n"
        "#EXTINF:-1 tvg-id=\"\",ABN I AM [Not 24/7]\r\n"
        "#EXTVLCOPT:http-referrer=https://example.com/\r\n"
        "#EXTVLCOPT:http-user-agent=Mozilla/5.0\r\n"
        "https://mediaserver.abnvideos.com/streams/i_am_.m3u8\r\n";
    auto p = parse_m3u(text);
    CHECK(p.invalid.empty());
    REQUIRE(p.entries.size() == 2);
    CHECK(p.entries[0].line == 2);
    CHECK(p.entries[0].attributes.at("tvg-id") == "ABC.us@East");
    CHECK(p.entries[0].title == "ABC (720p)");
    CHECK(p.entries[1].title == "ABN I AM [Not 24/7]");
    CHECK(p.entries[1].http_referrer == "https://example.com/");
    CHECK(p.entries[1].user_agent == "Mozilla/5.0");
    CHECK(p.entries[1].url == "https://mediaserver.abnvideos.com/streams/i_am_.m3u8");
}

TEST_CASE("the m3u_plus layout parses its attributes") {
    const char* text =
        "#EXTM3U\n"
        "#EXTINF:-1 tvg-id=\"Augsburg TV DE\" tvg-name=\"Augsburg TV DE\" tvg-language=\"German\" "
        "tvg-logo=\"http://www.augsburg.tv/i.png\" tvg-country=\"DE\" tvg-url=\"\" "
        "group-title=\"News;General\",Augsburg TV\n"
        "http://augsburgtv.iptv-playoutcenter.de:1935/augsburgtv\n";
    auto p = parse_m3u(text);
    REQUIRE(p.entries.size() == 1);
    std::vector<M3uProblem> invalid;
    auto cmd = make_import(p, "de", CategoryFrom::GroupTitle, invalid);
    REQUIRE(cmd.entries.size() == 1);
    CHECK(cmd.entries[0].category_name == "News");
    CHECK(cmd.entries[0].fields.logo == "http://www.augsburg.tv/i.png");
    CHECK(cmd.entries[0].fields.name == "Augsburg TV");
    auto by_country = make_import(p, "de", CategoryFrom::Country, invalid);
    CHECK(by_country.entries[0].category_name == "DE");
}

TEST_CASE("country categories come from tvg-id, else the source name") {
    auto p = parse_m3u(
        "#EXTINF:-1 tvg-id=\"CCTV1.cn@SD\",CCTV-1\nhttp://a/1\n#EXTINF:-1 tvg-id=\"\",No "
        "id\nhttp://a/2\n");
    std::vector<M3uProblem> invalid;
    auto cmd = make_import(p, "us_pluto", CategoryFrom::Country, invalid);
    REQUIRE(cmd.entries.size() == 2);
    CHECK(cmd.entries[0].category_name == "CN");
    CHECK(cmd.entries[0].fields.epg_channel_id == "CCTV1.cn");
    CHECK(cmd.entries[1].category_name == "US");
    auto none = make_import(p, "us", CategoryFrom::None, invalid);
    CHECK(none.entries[0].category_name.empty());
}

TEST_CASE("malformed entries are reported with their line numbers, never dropped silently") {
    const char* text =
        "#EXTM3U\n"                              // 1
        "#EXTINF:-1 tvg-id=\"A.us\",A\n"         // 2: no URL follows
        "#EXTINF:-1 tvg-id=\"B.us\",B\n"         // 3
        "http://b/1\n"                           // 4
        "http://orphan/2\n"                      // 5: URL without #EXTINF
        "#EXTINF:-1 tvg-id=\"C.us,C\n"           // 6: unterminated quote
        "http://c/3\n"                           // 7 (belongs to the refused entry)
        "#EXTINF:-1 tvg-id=\"D.us\",D\n"         // 8
        "ftp://d/4\n"                            // 9: scheme refused (reported at 8)
        "#EXTINF:-1 tvg-id=\"E.us\",\xff\xfe\n"  // 10: not UTF-8
        "http://e/5\n"                           // 11 (belongs to the refused entry)
        "#EXTINF:-1 tvg-id=\"F.us\" title\n"     // 12: no comma
        "http://f/6\n";                          // 13
    auto p = parse_m3u(text);
    std::vector<M3uProblem> invalid;
    auto cmd = make_import(p, "us", CategoryFrom::Country, invalid);
    REQUIRE(cmd.entries.size() == 1);
    CHECK(cmd.entries[0].fields.source_url == "http://b/1");
    std::vector<std::int64_t> lines;
    for (const auto& i : invalid) lines.push_back(i.line);
    CHECK(lines == std::vector<std::int64_t>{2, 5, 6, 8, 10, 12});
    CHECK(cmd.invalid == 6);
    for (const auto& i : invalid) CHECK_FALSE(i.reason.empty());
}

TEST_CASE("a BOM, blank lines and a missing header are accepted") {
    auto p = parse_m3u("\xEF\xBB\xBF\n\n#EXTINF:-1,Plain\n\nhttp://x/1\n");
    CHECK(p.invalid.empty());
    REQUIRE(p.entries.size() == 1);
    CHECK(p.entries[0].title == "Plain");
}
