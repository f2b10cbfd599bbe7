// The per-stream archive against real ffmpeg (Debian `ffmpeg`) on a test-owned synthetic
// source: segments named by their UTC start, playable, and deleted past their retention.
#include <doctest/doctest.h>

#include "adapters/ffmpeg/archive_recorder.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/synthetic_source.hpp"

using namespace switchyard;
using namespace switchyard::adapters::ffmpeg;
using namespace switchyard::testing;
using std::chrono::milliseconds;

TEST_CASE("archive segment names carry the UTC start and read back, other names are ignored") {
    const auto t = *core::parse_rfc3339("2026-12-01T13:05:07.250000Z");
    CHECK(archive_segment_name(t) == "2026-12-01:13-05-07.ts");
    const auto back = parse_archive_segment_name("2026-12-01:13-05-07.ts");
    REQUIRE(back);
    CHECK(*back == *core::parse_rfc3339("2026-12-01T13:05:07Z"));
    for (const char* bad :
         {"2026-12-01:13-05.ts", "2026-13-01:13-05-07.ts", "2026-02-30:13-05-07.ts", "ffmpeg.log",
          "2026-12-01:25-05-07.ts", "2026-12-01:13-05-07.mp4"})
        CHECK_MESSAGE(!parse_archive_segment_name(bad), bad);
    const auto argv = archive_argv({4, "http://o.example/4.m3u8"}, "/a/4", 60);
    CHECK(argv[0] == "env");
    CHECK(argv[1] == "TZ=UTC");
    CHECK(argv.back() == "/a/4/%Y-%m-%d:%H-%M-%S.ts");
    CHECK(std::find(argv.begin(), argv.end(), "segment") != argv.end());
    // Timestamps run on across segments, so that joined segments play as one.
    CHECK(std::find(argv.begin(), argv.end(), "-reset_timestamps") == argv.end());
}

TEST_CASE(
    "the archive recorder writes playable segments of a synthetic source and retention "
    "deletes the old ones") {
    if (!have_ffmpeg()) return skip("ffmpeg and ffprobe are not installed");
    SyntheticSource source;
    TempDir root;
    ArchiveRecorder recorder({root.path(), 2});
    REQUIRE(recorder.record({8, source.url}, std::chrono::hours(1)));
    CHECK(recorder.recording(8));
    REQUIRE(wait_until(
        [&] {
            recorder.tick(wall_now());
            return recorder.segments(8).size() >= 4;
        },
        milliseconds(40'000), milliseconds(200)));
    const auto segments = recorder.segments(8);
    // Named by their UTC start, in order, cut at key frames about 2 s apart (the first one
    // shorter: cuts fall on wall-clock multiples), within the last minute.
    for (std::size_t i = 1; i < segments.size(); ++i) {
        CHECK(segments[i].start > segments[i - 1].start);
        CHECK(segments[i].start - segments[i - 1].start <= std::chrono::seconds(3));
    }
    CHECK(segments.back().start > wall_now() - std::chrono::minutes(1));
    CHECK(segments.back().start <= wall_now());
    auto probed = probe(segments.front().file.string(), 20'000);
    REQUIRE_MESSAGE(probed, (probed ? "" : probed.error().message));
    CHECK(probed->format == "mpegts");
    CHECK(probed->video_codec == "h264");
    CHECK(probed->width == 320);

    // Retention shortened to 3 s: what started earlier than that goes at the next tick.
    REQUIRE(recorder.record({8, source.url}, std::chrono::seconds(3)));
    const auto now = wall_now();
    const auto deleted = recorder.tick(now);
    CHECK(deleted >= 2);
    CHECK_FALSE(std::filesystem::exists(segments.front().file));
    for (const auto& s : list_archive_segments(recorder.directory(8), false))
        CHECK(s.start + std::chrono::seconds(3) >= now);
    recorder.purge(8);
    CHECK_FALSE(recorder.recording(8));
    CHECK_FALSE(std::filesystem::exists(recorder.directory(8)));
}
