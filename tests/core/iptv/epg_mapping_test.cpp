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
