// Xtream timeshift over a real archive (Debian `ffmpeg`) of a synthetic source: the archived
// span read back by ffprobe, and bad requests refused with a clear answer.
#include <doctest/doctest.h>

#include <fstream>

#include "app/modules/iptv_archive.hpp"
#include "app/modules/iptv_module.hpp"
#include "tests/api/api_fixture.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/synthetic_source.hpp"

using namespace switchyard;
using namespace switchyard::testing;
using std::chrono::milliseconds;

namespace {

app::IptvModule& iptv_of(ApiFixture& f) {
    for (auto& m : f.modules)
        if (auto* iptv = dynamic_cast<app::IptvModule*>(m.get())) return *iptv;
    FAIL("no IPTV module");
    throw 0;
}

/// `YYYY-MM-DD:HH-MM` of a UTC time (the minute it falls in).
std::string xtream_start(core::Timestamp t) {
    const auto name = adapters::ffmpeg::archive_segment_name(t);  // YYYY-MM-DD:HH-MM-SS.ts
    return name.substr(0, 16);
}

}  // namespace

TEST_CASE("timeshift answers the archived span as MPEG-TS and refuses bad requests clearly") {
    if (!have_ffmpeg()) return skip("ffmpeg and ffprobe are not installed");
    ApiFixture f;
    f.clock.advance(
        std::chrono::duration_cast<std::chrono::microseconds>(wall_now() - f.clock.now()));
    auto& module = iptv_of(f);
    SyntheticSource source;
    auto added = f.call("POST", "/v1/iptv/streams",
                        R"({"name":"Archived","source_url":")" + source.url +
                            R"(","tv_archive":1,"tv_archive_duration":1})");
    REQUIRE_MESSAGE(added.status == 201, added.body);
    simdjson::dom::parser p;
    const auto id = num(parse_json(p, added.body), "stream_id");
    REQUIRE(f.call("POST", "/v1/iptv/streams",
                   R"({"name":"Plain","source_url":"http://o.example/plain.m3u8"})")
                .status == 201);
    REQUIRE(f.call("POST", "/v1/iptv/lines", R"({"username":"alice","password":"Line-pass-01"})")
                .status == 201);
    f.settle();

    TempDir root;
    app::IptvArchive archive({root.path(), 2}, module.api_state().catalogue, f.clock);
    module.api_state().archive = &archive;
    REQUIRE(wait_until(
        [&] {
            archive.sync();
            return archive.segments(id).size() >= 3;
        },
        milliseconds(40'000), milliseconds(200)));
    CHECK(archive.segments(2).empty());  // the stream without an archive is not recorded
    f.clock.advance(
        std::chrono::duration_cast<std::chrono::microseconds>(wall_now() - f.clock.now()));
    const auto segments = archive.segments(id);
    const auto start = xtream_start(segments.front().start);
    const auto sid = std::to_string(id);

    // The path form: 2 minutes from the minute of the first segment.
    auto r =
        f.call("GET", "/timeshift/alice/Line-pass-01/2/" + start + "/" + sid + ".ts", {}, false);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(r.content_type == "video/mp2t");
    std::uint64_t archived = 0;
    for (const auto& s : segments) archived += s.size_bytes;
    CHECK(r.body.size() >= archived);  // every complete segment (and perhaps one more)
    const auto file = root.path() / "span.ts";
    std::ofstream(file, std::ios::binary) << r.body;
    auto probed = adapters::ffmpeg::probe(file.string(), 20'000);
    REQUIRE_MESSAGE(probed, (probed ? "" : probed.error().message));
    CHECK(probed->format == "mpegts");
    CHECK(probed->video_codec == "h264");
    CHECK(probed->audio_codec == "aac");
    CHECK(probed->width == 320);
    CHECK(probed->height == 240);
    // The segments join into one continuous span: at least the three complete ones (the first
    // may be shorter than 2 s).
    auto duration = adapters::run_process({"ffprobe", "-v", "error", "-show_entries",
                                           "format=duration", "-of", "csv=p=0", file.string()},
                                          {}, 20'000, 1 << 16);
    REQUIRE(duration.exit_code == 0);
    CHECK(std::stod(duration.output) >= 3.0);

    // The query form answers the same span.
    auto php =
        f.call("GET",
               "/streaming/timeshift.php?username=alice&password=Line-pass-01&stream=" + sid +
                   "&start=" + start + "&duration=2",
               {}, false);
    REQUIRE_MESSAGE(php.status == 200, php.body);
    CHECK(php.body.substr(0, archived) == r.body.substr(0, archived));

    const auto refused = [&](const std::string& target, int status, const std::string& words) {
        auto a = f.call("GET", target, {}, false);
        CHECK_MESSAGE(a.status == status, target, " ", a.body);
        CHECK_MESSAGE(a.body.find(words) != std::string::npos, a.body);
        CHECK(a.content_type.starts_with("text/plain"));
    };
    refused("/timeshift/alice/wrong-pass/2/" + start + "/" + sid + ".ts", 401, "password");
    refused("/timeshift/alice/Line-pass-01/2/2026-13-01:10-00/" + sid + ".ts", 400, "start");
    refused("/timeshift/alice/Line-pass-01/2/yesterday/" + sid + ".ts", 400, "start");
    refused("/timeshift/alice/Line-pass-01/0/" + start + "/" + sid + ".ts", 400, "duration");
    // Two days back is before the 1-day window; an hour back holds nothing archived.
    const auto days_ago = xtream_start(wall_now() - std::chrono::hours(48));
    refused("/timeshift/alice/Line-pass-01/60/" + days_ago + "/" + sid + ".ts", 404,
            "outside the archive window");
    const auto hour_ago = xtream_start(wall_now() - std::chrono::hours(1));
    refused("/timeshift/alice/Line-pass-01/30/" + hour_ago + "/" + sid + ".ts", 404,
            "outside the archive window");
    refused("/timeshift/alice/Line-pass-01/2/" + start + "/2.ts", 404, "no archive");
    refused("/timeshift/alice/Line-pass-01/2/" + start + "/999.ts", 404, "no such stream");
    refused("/streaming/timeshift.php?username=alice&password=Line-pass-01&stream=" + sid, 400,
            "missing parameters");
    module.api_state().archive = nullptr;
}
