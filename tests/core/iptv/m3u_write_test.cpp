// write_m3u (core/iptv/m3u.hpp): the playlists of get.php, read back by parse_m3u.
#include <doctest/doctest.h>

#include "core/iptv/m3u.hpp"

using namespace switchyard::core::iptv;

TEST_CASE("an m3u_plus playlist parses back to the same streams and attributes") {
    const std::vector<M3uItem> items{
        {"ABC (720p)", "ABC.us@East", "http://logo/abc.png", "US", "http://h/live/u/p/1.m3u8"},
        {"CCTV-1, \"News\"", "CCTV1.cn@SD", "", "", "http://h/live/u/p/2.m3u8"}};
    const auto text = write_m3u(items, M3uLayout::Plus);
    CHECK(text.rfind("#EXTM3U\n", 0) == 0);
    CHECK(text.find("#EXTINF:-1 tvg-id=\"ABC.us@East\" tvg-name=\"ABC (720p)\" "
                    "tvg-logo=\"http://logo/abc.png\" group-title=\"US\",ABC (720p)\n"
                    "http://h/live/u/p/1.m3u8\n") != std::string::npos);
    const auto back = parse_m3u(text);
    CHECK(back.invalid.empty());
    REQUIRE(back.entries.size() == 2);
    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto& e = back.entries[i];
        CHECK(e.duration == "-1");
        CHECK(e.title == items[i].name);
        CHECK(e.url == items[i].url);
        CHECK(e.attributes.at("tvg-id") == items[i].tvg_id);
        CHECK(e.attributes.at("tvg-logo") == items[i].logo);
        CHECK(e.attributes.at("group-title") == items[i].group);
    }
    // A double quote cannot stand in an attribute: it becomes a single quote there only.
    CHECK(back.entries[0].attributes.at("tvg-name") == "ABC (720p)");
    CHECK(back.entries[1].attributes.at("tvg-name") == "CCTV-1, 'News'");
}

TEST_CASE("an m3u playlist has titles and URLs only") {
    const auto text =
        write_m3u({{"CCTV-1", "CCTV1.cn@SD", "logo", "CN", "http://h/1.ts"}}, M3uLayout::Plain);
    CHECK(text == "#EXTM3U\n#EXTINF:-1,CCTV-1\nhttp://h/1.ts\n");
    const auto back = parse_m3u(text);
    REQUIRE(back.entries.size() == 1);
    CHECK(back.entries[0].title == "CCTV-1");
    CHECK(back.entries[0].attributes.empty());
    CHECK(write_m3u({}, M3uLayout::Plain) == "#EXTM3U\n");
}

TEST_CASE("a line break in a written text cannot add a line to the playlist") {
    const auto text = write_m3u(
        {{"A\nhttp://evil/x", "id\r\n#EXTINF:-1,B", "", "", "http://h/1.ts"}}, M3uLayout::Plus);
    const auto back = parse_m3u(text);
    CHECK(back.invalid.empty());
    REQUIRE(back.entries.size() == 1);
    CHECK(back.entries[0].title == "A http://evil/x");
    CHECK(back.entries[0].url == "http://h/1.ts");
}

TEST_CASE("playlist layouts are m3u and m3u_plus, spelt exactly") {
    M3uLayout layout = M3uLayout::Plain;
    CHECK(parse_m3u_layout("m3u_plus", layout));
    CHECK(layout == M3uLayout::Plus);
    CHECK(parse_m3u_layout("m3u", layout));
    CHECK(layout == M3uLayout::Plain);
    for (const char* bad : {"", "M3U", "m3u_plus ", "m3u8", "plus"}) {
        CHECK_FALSE(parse_m3u_layout(bad, layout));
    }
}
