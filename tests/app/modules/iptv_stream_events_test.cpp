// Stream lifecycle events from real FFmpeg workers (Debian `ffmpeg`) on a test-owned synthetic
// source: the workers' reports become iptv.stream.* events through the IPTV module's listener,
// and the stream_status read model and its routes show them.
#include <doctest/doctest.h>

#include "adapters/ffmpeg/stream_workers.hpp"
#include "app/modules/iptv_module.hpp"
#include "events/iptv/stream_lifecycle_codec.hpp"
#include "tests/api/api_fixture.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/synthetic_source.hpp"

using namespace switchyard;
using namespace switchyard::testing;
using adapters::ffmpeg::StreamWorkers;
using adapters::ffmpeg::WorkerOptions;
using adapters::ffmpeg::WorkerState;
using std::chrono::milliseconds;

namespace {

app::IptvModule& iptv_module(ApiFixture& f) {
    for (auto& m : f.modules)
        if (auto* iptv = dynamic_cast<app::IptvModule*>(m.get())) return *iptv;
    FAIL("no IPTV module");
    throw 0;
}

WorkerOptions worker_options(const std::filesystem::path& root) {
    WorkerOptions o;
    o.root = root;
    o.segment_seconds = 1;
    o.idle_timeout = milliseconds(1'000);
    o.backoff_first = milliseconds(100);
    o.backoff_max = milliseconds(400);
    o.failures_before_down = 3;
    return o;
}

template <class Condition>
bool tick_until(StreamWorkers& workers, Condition condition, milliseconds timeout) {
    return wait_until(
        [&] {
            workers.tick(wall_now());
            return condition();
        },
        timeout, milliseconds(50));
}

/// Adds a stream through the API. @returns its id.
std::int64_t add_stream(ApiFixture& f, const std::string& name, const std::string& url) {
    auto r = f.call("POST", "/v1/iptv/streams",
                    R"({"name":")" + name + R"(","source_url":")" + url + R"("})");
    REQUIRE_MESSAGE(r.status == 201, r.body);
    simdjson::dom::parser p;
    return num(parse_json(p, r.body), "stream_id");
}

/// The types of the events in a stream's lifecycle log stream, in order.
std::vector<std::string> lifecycle_types(ApiFixture& f, std::int64_t id) {
    auto events = f.store->read_stream(core::iptv::stream_lifecycle_stream(id), 0, 1000);
    REQUIRE(events);
    std::vector<std::string> out;
    for (const auto& e : *events) out.push_back(e.type);
    return out;
}

}  // namespace

TEST_CASE(
    "a worker on a synthetic source records started, probed and stopped, and the status "
    "shows ffprobe's codecs") {
    if (!have_ffmpeg()) return skip("ffmpeg and ffprobe are not installed");
    ApiFixture f;
    auto& module = iptv_module(f);
    SyntheticSource source;
    const auto id = add_stream(f, "Synthetic", source.url);
    // What ffprobe says of the source, independently of the workers.
    auto expected = adapters::ffmpeg::probe(source.url, 20'000);
    REQUIRE_MESSAGE(expected, (expected ? "" : expected.error().message));

    TempDir root;
    const auto options = worker_options(root.path());
    {
        StreamWorkers workers(options, module.worker_event_listener());
        REQUIRE(workers.configure({id, source.url}, {}, false));
        REQUIRE(workers.acquire(id, wall_now()));
        REQUIRE(tick_until(
            workers, [&] { return workers.ready(id); }, milliseconds(30'000)));
        REQUIRE(tick_until(
            workers, [&] { return workers.status().front().probe.has_value(); },
            milliseconds(20'000)));
        module.stream_events().flush();
        f.settle();
        simdjson::dom::parser p;
        auto running = f.call("GET", "/v1/iptv/streams/" + std::to_string(id) + "/status");
        REQUIRE_MESSAGE(running.status == 200, running.body);
        auto doc = parse_json(p, running.body);
        CHECK(str(doc, "state") == "running");
        CHECK(num(doc, "start_count") == 1);
        CHECK(num(doc, "pid") == workers.status().front().pid);
        auto probe = doc["probe"];
        CHECK(str(probe, "video_codec") == expected->video_codec);
        CHECK(str(probe, "audio_codec") == expected->audio_codec);
        CHECK(num(probe, "width") == expected->width);
        CHECK(num(probe, "height") == expected->height);
        CHECK(probe["fps"].get_double().value() ==
              doctest::Approx(expected->frame_rate).epsilon(0.01));
        CHECK(expected->video_codec == "h264");  // the source really is what the test made

        workers.release(id, wall_now());
        REQUIRE(tick_until(
            workers, [&] { return !workers.ready(id); }, milliseconds(10'000)));
    }
    module.stream_events().flush();
    f.settle();
    CHECK(module.stream_events().failed_appends() == 0);
    const auto types = lifecycle_types(f, id);
    CHECK(std::count(types.begin(), types.end(), "iptv.stream.started") == 1);
    CHECK(std::count(types.begin(), types.end(), "iptv.stream.probed") == 1);
    CHECK(std::count(types.begin(), types.end(), "iptv.stream.stopped") == 1);
    CHECK(std::count(types.begin(), types.end(), "iptv.stream.failed") == 0);

    simdjson::dom::parser p;
    auto stopped = f.call("GET", "/v1/iptv/streams/" + std::to_string(id) + "/status");
    REQUIRE(stopped.status == 200);
    auto doc = parse_json(p, stopped.body);
    CHECK(str(doc, "state") == "idle");
    CHECK(str(doc, "reason") == "idle");
    CHECK(num(doc, "start_count") == 1);
    CHECK(num(doc["probe"], "width") == expected->width);
    // The list has it too.
    auto list = f.call("GET", "/v1/iptv/streams/status");
    REQUIRE(list.status == 200);
    CHECK(list.body.find("\"stream_id\":" + std::to_string(id)) != std::string::npos);

    // Recording the same report again appends nothing (idempotent).
    const auto before = f.log_size();
    auto e = (*f.store->read_stream(core::iptv::stream_lifecycle_stream(id), 0, 1000)).back();
    auto again = events::iptv::decode_stream_lifecycle_event(e);
    REQUIRE(again);
    adapters::ffmpeg::WorkerEvent repeat;
    repeat.kind = adapters::ffmpeg::WorkerEvent::Kind::Stopped;
    repeat.stream_id = id;
    repeat.pid = static_cast<pid_t>(std::get<core::iptv::StreamStopped>(*again).pid);
    repeat.reason = "idle";
    module.worker_event_listener()(repeat);
    module.stream_events().flush();
    CHECK(f.log_size() == before);
}

TEST_CASE(
    "an unreachable source goes down with its reason, retries recorded with next retry "
    "times") {
    if (!have_ffmpeg()) return skip("ffmpeg and ffprobe are not installed");
    ApiFixture f;
    auto& module = iptv_module(f);
    const auto id = add_stream(f, "Nowhere", "http://127.0.0.1:9/none.m3u8");
    TempDir root;
    auto options = worker_options(root.path());
    options.probe_sources = false;
    {
        StreamWorkers workers(options, module.worker_event_listener());
        REQUIRE(workers.configure({id, "http://127.0.0.1:9/none.m3u8"}, {}, false));
        REQUIRE(workers.acquire(id, wall_now()));
        REQUIRE(tick_until(
            workers, [&] { return workers.status().front().state == WorkerState::Down; },
            milliseconds(30'000)));
    }
    module.stream_events().flush();
    f.settle();
    const auto types = lifecycle_types(f, id);
    CHECK(std::count(types.begin(), types.end(), "iptv.stream.failed") == 3);
    CHECK(std::count(types.begin(), types.end(), "iptv.stream.started") == 0);
    auto events = *f.store->read_stream(core::iptv::stream_lifecycle_stream(id), 0, 1000);
    auto first = std::get<core::iptv::StreamFailed>(
        *events::iptv::decode_stream_lifecycle_event(events.front()));
    CHECK(first.attempt == 1);
    CHECK_FALSE(first.down);
    REQUIRE(first.next_retry);
    CHECK(*first.next_retry > events.front().time);

    simdjson::dom::parser p;
    auto r = f.call("GET", "/v1/iptv/streams/" + std::to_string(id) + "/status");
    REQUIRE(r.status == 200);
    auto doc = parse_json(p, r.body);
    CHECK(str(doc, "state") == "down");
    CHECK_MESSAGE(str(doc, "reason").find("refused") != std::string::npos, r.body);
    CHECK(num(doc, "failure_count") == 3);
    CHECK(num(doc, "attempt") == 3);
    CHECK(doc["next_retry"].is_null());
    CHECK(doc["probe"].is_null());
}

TEST_CASE("stream status answers idle for a stream never started and 404 for no stream") {
    ApiFixture f;
    const auto id = add_stream(f, "Quiet", "http://origin.example/quiet.m3u8");
    simdjson::dom::parser p;
    auto r = f.call("GET", "/v1/iptv/streams/" + std::to_string(id) + "/status");
    REQUIRE_MESSAGE(r.status == 200, r.body);
    auto doc = parse_json(p, r.body);
    CHECK(str(doc, "state") == "idle");
    CHECK(doc["since"].is_null());
    CHECK(f.call("GET", "/v1/iptv/streams/999/status").status == 404);
    CHECK(f.call("GET", "/v1/iptv/streams/status").status == 200);
}

TEST_CASE("a stream's profile, always-on flag and archive are stored, checked and shown") {
    ApiFixture f;
    const auto before = f.log_size();
    // check_profile refuses an odd width, naming the field.
    auto bad = f.call("POST", "/v1/iptv/streams",
                      R"({"name":"P","source_url":"http://o.example/p.m3u8",)"
                      R"("profile":{"video_codec":"libx264","width":853,"height":480}})");
    check_problem(f, bad, 400, "profile.width", before);
    auto archive_without_days =
        f.call("POST", "/v1/iptv/streams",
               R"({"name":"P","source_url":"http://o.example/p.m3u8","tv_archive":1})");
    check_problem(f, archive_without_days, 400, "tv_archive_duration", before);
    auto too_long = f.call("POST", "/v1/iptv/streams",
                           R"({"name":"P","source_url":"http://o.example/p.m3u8",)"
                           R"("tv_archive":1,"tv_archive_duration":31})");
    check_problem(f, too_long, 400, "tv_archive_duration", before);

    auto ok = f.call("POST", "/v1/iptv/streams",
                     R"({"name":"P","source_url":"http://o.example/p.m3u8","always_on":true,)"
                     R"("tv_archive":1,"tv_archive_duration":3,"profile":{"name":"sd",)"
                     R"("video_codec":"libx264","audio_codec":"aac","video_bitrate_kbps":1500,)"
                     R"("width":854,"height":480,"preset":"veryfast"}})");
    REQUIRE_MESSAGE(ok.status == 201, ok.body);
    simdjson::dom::parser p;
    const auto id = num(parse_json(p, ok.body), "stream_id");
    auto got = f.call("GET", "/v1/iptv/streams/" + std::to_string(id));
    REQUIRE(got.status == 200);
    auto doc = parse_json(p, got.body);
    CHECK(doc["always_on"].get_bool().value());
    CHECK(num(doc, "tv_archive") == 1);
    CHECK(num(doc, "tv_archive_duration") == 3);
    CHECK(str(doc["profile"], "video_codec") == "libx264");
    CHECK(num(doc["profile"], "width") == 854);
    CHECK(num(doc["profile"], "video_bitrate_kbps") == 1500);

    // A line sees tv_archive as an integer and tv_archive_duration as a digit string, as the
    // captured panels send them; a stream without an archive has 0 and 0.
    REQUIRE(
        f.call("POST", "/v1/iptv/streams", R"({"name":"Q","source_url":"http://o.example/q.m3u8"})")
            .status == 201);
    REQUIRE(f.call("POST", "/v1/iptv/lines", R"({"username":"alice","password":"Line-pass-01"})")
                .status == 201);
    auto live = f.call(
        "GET", "/player_api.php?username=alice&password=Line-pass-01&action=get_live_streams", {},
        false);
    REQUIRE_MESSAGE(live.status == 200, live.body);
    auto arr = parse_json(p, live.body).get_array();
    REQUIRE(arr.size() == 2);
    for (auto s : arr) {
        if (num(s, "stream_id") == id) {
            CHECK(num(s, "tv_archive") == 1);
            CHECK(str(s, "tv_archive_duration") == "3");
        } else {
            CHECK(num(s, "tv_archive") == 0);
            CHECK(num(s, "tv_archive_duration") == 0);
        }
    }
    // Turning the archive off clears its days.
    auto off = f.call("PATCH", "/v1/iptv/streams/" + std::to_string(id), R"({"tv_archive":false})");
    REQUIRE_MESSAGE(off.status == 200, off.body);
    got = f.call("GET", "/v1/iptv/streams/" + std::to_string(id));
    doc = parse_json(p, got.body);
    CHECK(num(doc, "tv_archive") == 0);
    CHECK(num(doc, "tv_archive_duration") == 0);
    CHECK(doc["always_on"].get_bool().value());
}
