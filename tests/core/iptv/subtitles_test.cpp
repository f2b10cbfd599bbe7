// SubRip and WebVTT: read, shifted, written back in either format.
#include <doctest/doctest.h>

#include "core/iptv/subtitles.hpp"

using namespace switchyard;
using namespace switchyard::core::iptv;

namespace {

constexpr std::string_view kSrt =
    "\xEF\xBB\xBF"
    "1\r\n00:00:01,000 --> 00:00:02,500\r\nHello.\r\n\r\n"
    "2\r\n00:00:03,250 --> 00:00:05,000\r\nTwo\r\nlines.\r\n\r\n"
    "7\r\n01:02:03,004 --> 01:02:04,000\r\nLate.\r\n";

constexpr std::string_view kVtt =
    "WEBVTT - a title\n\n"
    "NOTE written by hand\n\n"
    "intro\n00:01.000 --> 00:02.500 align:start\nHello.\n\n"
    "00:00:03.250 --> 00:00:05.000\nTwo\nlines.\n\n"
    "01:02:03.004 --> 01:02:04.000\nLate.\n";

}  // namespace

TEST_CASE("SRT and WebVTT of the same cues read alike, with CRLF, BOM, notes and settings") {
    auto srt = parse_subtitles(kSrt, SubtitleFormat::Srt);
    REQUIRE_MESSAGE(srt, (srt ? "" : srt.error().message));
    auto vtt = parse_subtitles(kVtt, SubtitleFormat::Vtt);
    REQUIRE_MESSAGE(vtt, (vtt ? "" : vtt.error().message));
    CHECK(*srt == *vtt);
    REQUIRE(srt->size() == 3);
    CHECK(srt->at(0) == Cue{1000, 2500, "Hello."});
    CHECK(srt->at(1).text == "Two\nlines.");
    CHECK(srt->at(2).start_ms == 3'723'004);
    CHECK(detect_subtitle_format(kVtt) == SubtitleFormat::Vtt);
    CHECK(detect_subtitle_format(kSrt) == SubtitleFormat::Srt);
}

TEST_CASE("subtitles convert both ways and read back the same cues") {
    const auto cues = *parse_subtitles(kSrt, SubtitleFormat::Srt);
    const auto vtt = write_subtitles(cues, SubtitleFormat::Vtt);
    CHECK(vtt.rfind("WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nHello.\n\n", 0) == 0);
    CHECK(*parse_subtitles(vtt, SubtitleFormat::Vtt) == cues);
    const auto srt =
        write_subtitles(*parse_subtitles(vtt, SubtitleFormat::Vtt), SubtitleFormat::Srt);
    CHECK(srt.rfind("1\n00:00:01,000 --> 00:00:02,500\nHello.\n\n2\n", 0) == 0);
    CHECK(*parse_subtitles(srt, SubtitleFormat::Srt) == cues);
}

TEST_CASE("an offset moves the cues, dropping those that end before the start") {
    const auto cues = *parse_subtitles(kSrt, SubtitleFormat::Srt);
    auto later = shift_cues(cues, 1500);
    CHECK(later.at(0).start_ms == 2500);
    CHECK(later.at(0).end_ms == 4000);
    auto earlier = shift_cues(cues, -2000);
    REQUIRE(earlier.size() == 3);
    CHECK(earlier.at(0) == Cue{0, 500, "Hello."});
    CHECK(earlier.at(1).start_ms == 1250);
    CHECK(shift_cues(cues, -2500).size() == 2);
}

TEST_CASE("malformed subtitles are refused naming the line") {
    auto r = parse_subtitles("1\n00:00:01,000 -> 00:00:02,000\nText\n", SubtitleFormat::Srt);
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "body");
    CHECK(r.error().message.find("line 2") != std::string::npos);
    CHECK_FALSE(
        parse_subtitles("1\n00:00:05,000 --> 00:00:02,000\nBackwards\n", SubtitleFormat::Srt));
    CHECK_FALSE(parse_subtitles("00:01.000 --> 00:02.000\nNo header\n", SubtitleFormat::Vtt));
    CHECK_FALSE(parse_subtitles("\n\n", SubtitleFormat::Srt));
    CHECK_FALSE(parse_subtitles("1\n00:00:01,000 --> 00:00:02,000\n\xFF\n", SubtitleFormat::Srt));
    CHECK_FALSE(parse_subtitles("1\n00:61:01,000 --> 00:62:02,000\nx\n", SubtitleFormat::Srt));
}
