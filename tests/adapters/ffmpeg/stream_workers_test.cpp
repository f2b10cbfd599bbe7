// FFmpeg workers against real ffmpeg and ffprobe (Debian `ffmpeg`): a test-owned synthetic
// source (`ffmpeg -re` testsrc and a sine tone as HLS, served over HTTP on loopback by Python's
// http.server) restreamed by the workers to HLS and read back by ffprobe.
#include <doctest/doctest.h>

#include <signal.h>

#include <fstream>
#include <mutex>
#include <regex>
#include <sstream>

#include "adapters/ffmpeg/stream_workers.hpp"
#include "adapters/process/child_process.hpp"
#include "adapters/process/process.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/synthetic_source.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/wait_until.hpp"

using namespace switchyard;
using namespace switchyard::adapters::ffmpeg;
using adapters::ChildProcess;
using std::chrono::milliseconds;
using switchyard::testing::TempDir;
using switchyard::testing::wait_until;
namespace fs = std::filesystem;

namespace {

using switchyard::testing::have_ffmpeg;
using switchyard::testing::SyntheticSource;

core::Timestamp now() { return switchyard::testing::wall_now(); }

/// Events the workers reported, in order.
struct Recorder {
    std::mutex mu;
    std::vector<WorkerEvent> events;
    WorkerListener listener() {
        return [this](const WorkerEvent& e) {
            std::lock_guard lock(mu);
            events.push_back(e);
        };
    }
    std::size_t count(WorkerEvent::Kind kind) {
        std::lock_guard lock(mu);
        return static_cast<std::size_t>(std::count_if(
            events.begin(), events.end(), [&](const WorkerEvent& e) { return e.kind == kind; }));
    }
    std::optional<WorkerEvent> last(WorkerEvent::Kind kind) {
        std::lock_guard lock(mu);
        for (auto it = events.rbegin(); it != events.rend(); ++it)
            if (it->kind == kind) return *it;
        return std::nullopt;
    }
};

WorkerOptions options(const fs::path& root) {
    WorkerOptions o;
    o.root = root;
    o.segment_seconds = 1;
    o.idle_timeout = milliseconds(1'000);
    o.ready_timeout = milliseconds(20'000);
    o.backoff_first = milliseconds(100);
    o.backoff_max = milliseconds(400);
    o.failures_before_down = 3;
    return o;
}

/// Ticks the workers until `condition` holds.
template <class Condition>
bool tick_until(StreamWorkers& workers, Condition condition, milliseconds timeout) {
    return wait_until(
        [&] {
            workers.tick(now());
            return condition();
        },
        timeout, milliseconds(50));
}

std::optional<WorkerStatus> status_of(const StreamWorkers& workers, std::int64_t id) {
    for (const auto& s : workers.status())
        if (s.stream_id == id) return s;
    return std::nullopt;
}

bool alive(pid_t pid) { return pid > 0 && kill(pid, 0) == 0; }

}  // namespace

TEST_CASE("a profile is checked field by field before ffmpeg sees it") {
    CHECK(check_profile({}));
    TranscodeProfile h264{"sd", "libx264", "aac", 1500, 128, 854, 480, "veryfast"};
    CHECK(check_profile(h264));
    const auto refused = [](TranscodeProfile p, const std::string& field) {
        auto r = check_profile(p);
        REQUIRE_FALSE(r);
        CHECK(r.error().field == field);
    };
    refused({"x", "h264_nvenc"}, "video_codec");
    refused({"x", "copy", "opus"}, "audio_codec");
    refused({"x", "copy", "copy", 1000}, "video_bitrate_kbps");
    refused({"x", "libx264", "aac", 200'000}, "video_bitrate_kbps");
    refused({"x", "libx264", "aac", 0, 0, 853, 480}, "width");
    refused({"x", "libx264", "aac", 0, 0, 854, 0}, "height");
    refused({"x", "copy", "copy", 0, 0, 854, 480}, "width");
    refused({"x", "libx264", "aac", 0, 0, 0, 0, "ludicrous"}, "preset");
    refused({"", "copy", "copy"}, "name");
}

TEST_CASE("ffmpeg's command line carries the source's headers, the profile and the HLS output") {
    StreamSource src{7, "https://origin.example/live/7.m3u8", "https://portal.example/",
                     "VLC/3.0.18"};
    TranscodeProfile sd{"sd", "libx264", "aac", 1500, 96, 640, 360, "veryfast"};
    const auto a = ffmpeg_argv(src, sd, {"/var/sy/7", 2, 6});
    const auto after = [&](const std::string& flag) {
        auto it = std::find(a.begin(), a.end(), flag);
        REQUIRE_MESSAGE(it != a.end(), flag);
        REQUIRE(it + 1 != a.end());
        return *(it + 1);
    };
    CHECK(a.front() == "ffmpeg");
    CHECK(after("-user_agent") == "VLC/3.0.18");
    CHECK(after("-headers") == "Referer: https://portal.example/\r\n");
    CHECK(after("-i") == src.url);
    CHECK(after("-c:v") == "libx264");
    CHECK(after("-b:v") == "1500k");
    CHECK(after("-vf") == "scale=640:360");
    CHECK(after("-b:a") == "96k");
    CHECK(after("-hls_segment_filename") == "/var/sy/7/seg_%05d.ts");
    CHECK(a.back() == "/var/sy/7/index.m3u8");
    // A udp source gets no http options.
    const auto udp = ffmpeg_argv({8, "udp://239.0.0.1:1234"}, {}, {"/tmp/8"});
    CHECK(std::find(udp.begin(), udp.end(), "-reconnect") == udp.end());
}

TEST_CASE(
    "ffprobe's JSON is read for codecs, size, frame rate and bitrate, and garbage is refused") {
    const auto probe = parse_ffprobe(R"({"streams":[
        {"index":0,"codec_name":"h264","codec_type":"video","width":1280,"height":720,
         "avg_frame_rate":"30000/1001"},
        {"index":1,"codec_name":"aac","codec_type":"audio","sample_rate":"48000"}],
        "format":{"format_name":"hls","bit_rate":"2500000"}})");
    REQUIRE(probe);
    CHECK(probe->video_codec == "h264");
    CHECK(probe->audio_codec == "aac");
    CHECK(probe->width == 1280);
    CHECK(probe->height == 720);
    CHECK(probe->frame_rate == doctest::Approx(29.97).epsilon(0.001));
    CHECK(probe->bitrate_bps == 2'500'000);
    CHECK(probe->format == "hls");
    for (const char* bad : {"", "not json", "{}", R"({"streams":[]})",
                            R"({"streams":[{"codec_type":"data","codec_name":"bin"}]})"}) {
        auto r = parse_ffprobe(bad);
        CHECK_MESSAGE(!r, bad);
        if (!r) CHECK(r.error().field == "ffprobe");
    }
}

TEST_CASE("two viewers of one stream share one ffmpeg, and ffprobe reads the HLS back") {
    if (!have_ffmpeg()) return switchyard::testing::skip("ffmpeg and ffprobe are not installed");
    SyntheticSource source;
    TempDir root;
    Recorder rec;
    StreamWorkers workers(options(root.path()), rec.listener());
    REQUIRE(workers.configure({41, source.url}, {}, false));
    auto first = workers.acquire(41, now());
    auto second = workers.acquire(41, now());
    REQUIRE(first);
    REQUIRE(second);
    CHECK(*first == *second);
    REQUIRE(tick_until(
        workers, [&] { return workers.ready(41); }, milliseconds(30'000)));
    const auto st = status_of(workers, 41);
    REQUIRE(st);
    CHECK(st->viewers == 2);
    CHECK(alive(st->pid));
    // One process for both viewers: exactly one ffmpeg has this stream's directory.
    std::size_t processes = 0;
    for (const auto& entry : fs::directory_iterator("/proc")) {
        const auto name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        if (adapters::process_matches(std::stoi(name),
                                      (root.path() / "41" / "index.m3u8").string()))
            ++processes;
    }
    CHECK(processes == 1);
    CHECK(rec.count(WorkerEvent::Kind::Started) == 1);

    // What viewers read is playable: ffprobe on the restreamed playlist.
    auto probed = probe((*first / std::string(kPlaylistName)).string(), 20'000);
    REQUIRE_MESSAGE(probed, (probed ? "" : probed.error().message));
    CHECK(probed->video_codec == "h264");
    CHECK(probed->audio_codec == "aac");
    CHECK(probed->width == 320);
    CHECK(probed->height == 240);
    // The source itself was probed at the start and recorded.
    REQUIRE(tick_until(
        workers, [&] { return rec.count(WorkerEvent::Kind::Probed) == 1; }, milliseconds(20'000)));
    const auto p = rec.last(WorkerEvent::Kind::Probed);
    REQUIRE(p->probe);
    CHECK(p->probe->video_codec == "h264");
    CHECK(p->probe->width == 320);
    CHECK(status_of(workers, 41)->probe == p->probe);
}

TEST_CASE("the worker stops the idle timeout after its last viewer leaves, and starts again") {
    if (!have_ffmpeg()) return switchyard::testing::skip("ffmpeg and ffprobe are not installed");
    SyntheticSource source;
    TempDir root;
    Recorder rec;
    auto o = options(root.path());
    o.probe_sources = false;
    StreamWorkers workers(o, rec.listener());
    REQUIRE(workers.configure({5, source.url}, {}, false));
    REQUIRE(workers.acquire(5, now()));
    REQUIRE(workers.acquire(5, now()));
    REQUIRE(tick_until(
        workers, [&] { return workers.ready(5); }, milliseconds(30'000)));
    const auto pid = status_of(workers, 5)->pid;
    workers.release(5, now());
    // One viewer is still there: well past the idle timeout, the worker runs on.
    std::this_thread::sleep_for(milliseconds(1'300));
    workers.tick(now());
    CHECK(workers.ready(5));
    CHECK(alive(pid));
    workers.release(5, now());
    workers.tick(now());
    CHECK(workers.ready(5));  // not yet: the timeout runs from the last viewer's leaving
    REQUIRE(tick_until(
        workers, [&] { return !workers.ready(5); }, milliseconds(5'000)));
    const auto stopped = rec.last(WorkerEvent::Kind::Stopped);
    REQUIRE(stopped);
    CHECK(stopped->reason == "idle");
    CHECK(stopped->pid == pid);
    CHECK_FALSE(alive(pid));
    // The next viewer starts a new process.
    REQUIRE(workers.acquire(5, now()));
    REQUIRE(tick_until(
        workers, [&] { return workers.ready(5); }, milliseconds(30'000)));
    CHECK(status_of(workers, 5)->pid != pid);
    CHECK(rec.count(WorkerEvent::Kind::Started) == 2);
}

TEST_CASE("an always-on stream runs without viewers") {
    if (!have_ffmpeg()) return switchyard::testing::skip("ffmpeg and ffprobe are not installed");
    SyntheticSource source;
    TempDir root;
    auto o = options(root.path());
    o.probe_sources = false;
    StreamWorkers workers(o, {});
    REQUIRE(workers.configure({9, source.url}, {}, true));
    REQUIRE(tick_until(
        workers, [&] { return workers.ready(9); }, milliseconds(30'000)));
    std::this_thread::sleep_for(milliseconds(1'300));
    workers.tick(now());
    CHECK(workers.ready(9));
    CHECK(status_of(workers, 9)->viewers == 0);
}

TEST_CASE("a failing source is retried with backoff, then marked down with ffmpeg's reason") {
    if (!have_ffmpeg()) return switchyard::testing::skip("ffmpeg and ffprobe are not installed");
    TempDir root;
    Recorder rec;
    auto o = options(root.path());
    o.probe_sources = false;
    StreamWorkers workers(o, rec.listener());
    // Port 9 (discard) on loopback: nothing listens, the connection is refused.
    REQUIRE(workers.configure({3, "http://127.0.0.1:9/none.m3u8"}, {}, false));
    REQUIRE(workers.acquire(3, now()));
    REQUIRE(tick_until(
        workers, [&] { return status_of(workers, 3)->state == WorkerState::Down; },
        milliseconds(30'000)));
    CHECK(rec.count(WorkerEvent::Kind::Failed) == 3);
    CHECK(rec.count(WorkerEvent::Kind::Started) == 0);
    const auto down = rec.last(WorkerEvent::Kind::Failed);
    CHECK(down->down);
    CHECK(down->failures == 3);
    CHECK_MESSAGE(down->reason.find("refused") != std::string::npos, down->reason);
    auto refused = workers.acquire(3, now());
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == core::Errc::Unavailable);
    CHECK(refused.error().message.find("refused") != std::string::npos);
    // The failures came with growing delays: 100 ms then 200 ms between the three starts.
    workers.retry(3);
    CHECK(status_of(workers, 3)->state == WorkerState::Idle);
    CHECK(workers.acquire(3, now()));
}

TEST_CASE("a worker an earlier process left running is killed when the workers start") {
    if (!have_ffmpeg()) return switchyard::testing::skip("ffmpeg and ffprobe are not installed");
    TempDir root;
    const auto dir = root.path() / "12";
    fs::create_directories(dir);
    // An orphan as a crashed server leaves it: ffmpeg writing into the stream's directory.
    auto orphan = ChildProcess::start({"ffmpeg",
                                       "-hide_banner",
                                       "-nostdin",
                                       "-loglevel",
                                       "error",
                                       "-re",
                                       "-f",
                                       "lavfi",
                                       "-i",
                                       "testsrc=size=64x64:rate=5",
                                       "-c:v",
                                       "libx264",
                                       "-preset",
                                       "ultrafast",
                                       "-g",
                                       "5",
                                       "-f",
                                       "hls",
                                       "-hls_time",
                                       "1",
                                       (dir / "index.m3u8").string()},
                                      root.path() / "orphan.log");
    REQUIRE(orphan);
    const auto pid = orphan->pid();
    std::ofstream(dir / "ffmpeg.pid") << pid << "\n";
    REQUIRE(alive(pid));
    REQUIRE(wait_until([&] { return fs::exists(dir / "index.m3u8"); }, milliseconds(15'000)));
    StreamWorkers workers(options(root.path()), {});
    CHECK(wait_until([&] { return orphan->poll().has_value(); }, milliseconds(5'000)));
    CHECK_FALSE(fs::exists(dir / "ffmpeg.pid"));
}
