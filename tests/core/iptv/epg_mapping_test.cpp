// Streams to guide channels: by epg_channel_id, by the guide's display names, through the
// iptv-org channel table (../shared/data/iptv/database/channels.csv), overrides first.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/base64.hpp"
#include "core/iptv/epg_mapping.hpp"

using namespace switchyard::core;
using namespace switchyard::core::iptv;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

TEST_CASE("channel name keys drop quality, labels, case and punctuation") {
    CHECK(channel_name_key("ABC News (720p) [Geo-blocked]") == "abcnews");
    CHECK(channel_name_key("A Haber") == "ahaber");
    CHECK(channel_name_key("TRT 1 HD") == "trt1hd");
    CHECK(channel_name_key("Çocuk TV") == "Çocuktv");
    CHECK(channel_name_key("(only a label)").empty());
}

TEST_CASE("the iptv-org channel table maps names and alt names to ids") {
    const auto csv = read_file(std::string(SY_SHARED_DATA) + "/iptv/database/channels.csv");
    const auto dir = read_channel_directory(csv);
    // One row per line after the header (the file has no quoted line breaks).
    std::size_t lines = 0;
    for (char c : csv) lines += c == '\n' ? 1 : 0;
    CHECK(dir.channels == lines - 1);
    // 10Bold.au,10 Bold,10 Boss;One;One HD,...
    REQUIRE(dir.ids_by_name.count("10bold"));
    CHECK(dir.ids_by_name.at("10bold").front() == "10Bold.au");
    REQUIRE(dir.ids_by_name.count("onehd"));
    const auto& one = dir.ids_by_name.at("onehd");
    CHECK(std::find(one.begin(), one.end(), "10Bold.au") != one.end());
    CHECK(read_channel_directory("name,country\nx,TR\n").channels == 0);
}

TEST_CASE("a stream maps by override, then epg_channel_id, then guide name, then channel table") {
    ChannelDirectory dir;
    dir.ids_by_name["tenboss"] = {"10Bold.au"};
    const std::vector<GuideChannelNames> guide{{"24TV.tr", {"24 TV"}}, {"10Bold.au", {"Bold"}}};
    const EpgMapper mapper(guide, &dir, {{7, "10Bold.au"}});
    CHECK(mapper.map(7, "24TV.tr", "24 TV") == "10Bold.au");     // the override wins
    CHECK(mapper.map(1, "24TV.tr", "whatever") == "24TV.tr");    // by id
    CHECK(mapper.map(2, "", "24 TV (1080p)") == "24TV.tr");      // by the guide's name
    CHECK(mapper.map(3, "Gone.tr", "Ten Boss") == "10Bold.au");  // through the table
    CHECK_FALSE(mapper.map(4, "Gone.tr", "Nothing"));
    const EpgMapper without_table(guide, nullptr);
    CHECK_FALSE(without_table.map(3, "", "Ten Boss"));
}

TEST_CASE("base64 round trips every byte and refuses malformed text") {
    std::string all;
    for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
    for (std::size_t n = 0; n < 8; ++n)
        CHECK(base64_decode(base64_encode(all.substr(0, n))) == all.substr(0, n));
    CHECK(base64_decode(base64_encode(all)) == all);
    CHECK(base64_encode("Haber Bülteni") == "SGFiZXIgQsO8bHRlbmk=");
    CHECK_FALSE(base64_decode("abc"));
    CHECK_FALSE(base64_decode("ab=c"));
    CHECK_FALSE(base64_decode("a*cd"));
}

TEST_CASE("the iptv-org logo table gives a tvg-id its feed's logo, else its channel's") {
    const auto csv = read_file(std::string(SY_SHARED_DATA) + "/iptv/database/logos.csv");
    const auto logos = read_logo_directory(csv);
    CHECK(logos.logos > 3000);
    // 10Bold.au,,TRUE,,512,190,PNG,https://i.imgur.com/2xglh33.png
    CHECK(logo_for(logos, "10Bold.au") == "https://i.imgur.com/2xglh33.png");
    CHECK(logo_for(logos, "10Bold.au@Adelaide") == "https://i.imgur.com/2xglh33.png");
    // 48Hours.us,GB,TRUE,...: a feed's own logo.
    const auto line_start = csv.find("\n48Hours.us,GB,TRUE,");
    REQUIRE(line_start != std::string::npos);
    const auto line_end = csv.find('\n', line_start + 1);
    const auto line = csv.substr(line_start + 1, line_end - line_start - 1);
    CHECK(logo_for(logos, "48Hours.us@GB") == line.substr(line.rfind(',') + 1));
    CHECK(logo_for(logos, "Unknown.xx").empty());
    CHECK(logo_for(logos, "").empty());
    LogoDirectory none = read_logo_directory("id,name\nx,y\n");
    CHECK(none.logos == 0);
}
