// Recordings cut from a real archive (Debian `ffmpeg`) of a synthetic source: scheduled by
// time through the API, recorded, downloadable and playable (ffprobe), deleted by retention.
#include <doctest/doctest.h>

#include <fstream>

#include <fmt/format.h>

#include "app/modules/iptv_archive.hpp"
#include "app/modules/iptv_module.hpp"
#include "app/modules/iptv_recordings.hpp"
#include "tests/api/api_fixture.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/synthetic_source.hpp"

using namespace switchyard;
using namespace switchyard::testing;
using std::chrono::milliseconds;

namespace {

app::IptvModule& iptv_module_of(ApiFixture& f) {
    for (auto& m : f.modules)
        if (auto* iptv = dynamic_cast<app::IptvModule*>(m.get())) return *iptv;
    FAIL("no IPTV module");
    throw 0;
}

void catch_up(ApiFixture& f) {
    f.clock.advance(
        std::chrono::duration_cast<std::chrono::microseconds>(wall_now() - f.clock.now()));
}

std::string status_of(ApiFixture& f, std::int64_t id) {
    auto r = f.call("GET", "/v1/iptv/recordings/" + std::to_string(id));
    REQUIRE_MESSAGE(r.status == 200, r.body);
    simdjson::dom::parser p;
    return str(parse_json(p, r.body), "status");
}

}  // namespace

TEST_CASE(
    "a recording scheduled by time is cut from the archive, downloadable and playable, "
    "then deleted by retention") {
    if (!have_ffmpeg()) return skip("ffmpeg and ffprobe are not installed");
    ApiFixture f;
    catch_up(f);
    auto& module = iptv_module_of(f);
    SyntheticSource source;
    auto added = f.call("POST", "/v1/iptv/streams",
                        R"({"name":"Recorded","source_url":")" + source.url +
                            R"(","tv_archive":1,"tv_archive_duration":1})");
    REQUIRE_MESSAGE(added.status == 201, added.body);
    simdjson::dom::parser p;
    const auto stream_id = num(parse_json(p, added.body), "stream_id");
    auto plain = f.call("POST", "/v1/iptv/streams",
                        R"({"name":"Plain","source_url":"http://o.example/plain.m3u8"})");
    REQUIRE(plain.status == 201);
    const auto plain_id = num(parse_json(p, plain.body), "stream_id");
    f.settle();

    TempDir root;
    app::IptvArchive archive({root.path() / "archive", 2}, module.api_state().catalogue, f.clock);
    app::IptvRecorder recorder({root.path() / "recordings", std::chrono::hours(1)},
                               module.recordings(), *f.runner, archive, f.clock);

    // Refusals first: nothing is appended for them.
    const auto before = f.log_size();
    const auto now_s = core::unix_seconds(wall_now());
    check_problem(f,
                  f.call("POST", "/v1/iptv/recordings",
                         fmt::format(R"({{"stream_id":{},"start":{},"end":{}}})", plain_id, now_s,
                                     now_s + 6)),
                  422, "stream_id", before);
    check_problem(
        f,
        f.call("POST", "/v1/iptv/recordings",
               fmt::format(R"({{"stream_id":{},"start":{},"end":{}}})", stream_id, now_s, now_s)),
        400, "end", before);
    check_problem(
        f,
        f.call("POST", "/v1/iptv/recordings",
               fmt::format(R"({{"stream_id":{},"programme_start":{}}})", stream_id, now_s)),
        404, "programme_start", before);

    // Six seconds from now, by time.
    const auto start = now_s + 1;
    auto scheduled =
        f.call("POST", "/v1/iptv/recordings",
               fmt::format(R"({{"stream_id":{},"start":{},"end":{},"title":"Six seconds"}})",
                           stream_id, start, start + 6));
    REQUIRE_MESSAGE(scheduled.status == 201, scheduled.body);
    const auto id = num(parse_json(p, scheduled.body), "recording_id");
    CHECK(status_of(f, id) == "scheduled");
    auto early = f.call("GET", "/v1/iptv/recordings/" + std::to_string(id) + "/file");
    CHECK(early.status == 409);

    REQUIRE(wait_until(
        [&] {
            archive.sync();
            catch_up(f);
            recorder.tick();
            f.settle();
            const auto s = status_of(f, id);
            return s == "completed" || s == "failed";
        },
        milliseconds(60'000), milliseconds(250)));
    auto row = f.call("GET", "/v1/iptv/recordings/" + std::to_string(id));
    REQUIRE_MESSAGE(status_of(f, id) == "completed", row.body);
    auto file = f.call("GET", "/v1/iptv/recordings/" + std::to_string(id) + "/file");
    REQUIRE(file.status == 200);
    CHECK(file.content_type == "video/mp2t");
    auto doc = parse_json(p, row.body);
    CHECK(num(doc, "size_bytes") == static_cast<std::int64_t>(file.body.size()));
    CHECK(str(doc, "title") == "Six seconds");
    const auto saved = root.path() / "download.ts";
    std::ofstream(saved, std::ios::binary) << file.body;
    auto probed = adapters::ffmpeg::probe(saved.string(), 20'000);
    REQUIRE_MESSAGE(probed, (probed ? "" : probed.error().message));
    CHECK(probed->format == "mpegts");
    CHECK(probed->video_codec == "h264");
    CHECK(probed->width == 320);
    // At least the six seconds asked for (whole 2 s segments around them).
    auto duration = adapters::run_process({"ffprobe", "-v", "error", "-show_entries",
                                           "format=duration", "-of", "csv=p=0", saved.string()},
                                          {}, 20'000, 1 << 16);
    REQUIRE(duration.exit_code == 0);
    CHECK(std::stod(duration.output) >= 5.5);

    // The library lists it; the log holds scheduled, started, completed.
    auto list = f.call("GET", "/v1/iptv/recordings");
    CHECK(list.body.find("\"recording_id\":" + std::to_string(id)) != std::string::npos);
    auto events = f.store->read_stream(core::iptv::recording_stream(id), 0, 100);
    REQUIRE(events);
    std::vector<std::string> types;
    for (const auto& e : *events) types.push_back(e.type);
    CHECK(types == std::vector<std::string>{"iptv.recording.scheduled", "iptv.recording.started",
                                            "iptv.recording.completed"});

    // Retention: an hour after its end it goes, with its file.
    f.clock.advance(std::chrono::hours(2));
    recorder.tick();
    f.settle();
    CHECK(status_of(f, id) == "deleted");
    CHECK(f.call("GET", "/v1/iptv/recordings/" + std::to_string(id) + "/file").status == 404);
    CHECK_FALSE(std::filesystem::exists(root.path() / "recordings" / (std::to_string(id) + ".ts")));
}
