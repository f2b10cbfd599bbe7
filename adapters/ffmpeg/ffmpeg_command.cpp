#include "adapters/ffmpeg/ffmpeg_command.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include <simdjson.h>

#include "adapters/process/process.hpp"

namespace switchyard::adapters::ffmpeg {

namespace {

constexpr std::array<std::string_view, 4> kVideoCodecs = {"copy", "libx264", "libx265",
                                                          "mpeg2video"};
constexpr std::array<std::string_view, 4> kAudioCodecs = {"copy", "aac", "libmp3lame", "ac3"};
constexpr std::array<std::string_view, 9> kPresets = {
    "ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"};

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& set, std::string_view value) {
    return std::find(set.begin(), set.end(), value) != set.end();
}

bool is_http(std::string_view url) {
    return url.starts_with("http://") || url.starts_with("https://");
}

/// `a/b` as a number (ffprobe's frame rates); 0 when malformed or b is 0.
double ratio(std::string_view text) {
    const auto slash = text.find('/');
    double a = 0, b = 1;
    const auto num = text.substr(0, slash);
    std::from_chars(num.data(), num.data() + num.size(), a);
    if (slash != std::string_view::npos) {
        const auto den = text.substr(slash + 1);
        std::from_chars(den.data(), den.data() + den.size(), b);
    }
    return b == 0 ? 0 : a / b;
}

}  // namespace

core::Result<void> check_profile(const TranscodeProfile& p) {
    using core::Errc;
    if (p.name.empty()) return core::fail(Errc::Invalid, "name", "must not be empty");
    if (!one_of(kVideoCodecs, p.video_codec))
        return core::fail(Errc::Invalid, "video_codec",
                          "must be copy, libx264, libx265 or mpeg2video");
    if (!one_of(kAudioCodecs, p.audio_codec))
        return core::fail(Errc::Invalid, "audio_codec", "must be copy, aac, libmp3lame or ac3");
    if (!p.preset.empty() && !one_of(kPresets, p.preset))
        return core::fail(Errc::Invalid, "preset",
                          "must be an x264 preset (ultrafast ... veryslow)");
    if (p.video_bitrate_kbps < 0 || p.video_bitrate_kbps > 100'000)
        return core::fail(Errc::Invalid, "video_bitrate_kbps", "must be 0 to 100000");
    if (p.audio_bitrate_kbps < 0 || p.audio_bitrate_kbps > 1'000)
        return core::fail(Errc::Invalid, "audio_bitrate_kbps", "must be 0 to 1000");
    if (p.video_codec == "copy" && p.video_bitrate_kbps != 0)
        return core::fail(Errc::Invalid, "video_bitrate_kbps", "copy keeps the source's bitrate");
    if (p.audio_codec == "copy" && p.audio_bitrate_kbps != 0)
        return core::fail(Errc::Invalid, "audio_bitrate_kbps", "copy keeps the source's bitrate");
    if ((p.width == 0) != (p.height == 0))
        return core::fail(Errc::Invalid, p.width == 0 ? "width" : "height",
                          "set both width and height, or neither");
    if (p.width != 0) {
        if (p.video_codec == "copy")
            return core::fail(Errc::Invalid, "width", "copy keeps the source's size");
        if (p.width < 16 || p.width > 7680 || p.width % 2 != 0)
            return core::fail(Errc::Invalid, "width", "must be an even number from 16 to 7680");
        if (p.height < 16 || p.height > 4320 || p.height % 2 != 0)
            return core::fail(Errc::Invalid, "height", "must be an even number from 16 to 4320");
    }
    return {};
}

std::vector<std::string> ffmpeg_argv(const StreamSource& source, const TranscodeProfile& profile,
                                     const HlsOutput& out, const std::string& program) {
    std::vector<std::string> a = {program,    "-hide_banner", "-nostdin",
                                  "-nostats", "-loglevel",    "warning"};
    if (is_http(source.url)) {
        if (!source.user_agent.empty()) a.insert(a.end(), {"-user_agent", source.user_agent});
        if (!source.http_referrer.empty())
            a.insert(a.end(), {"-headers", "Referer: " + source.http_referrer + "\r\n"});
        a.insert(a.end(), {"-reconnect", "1", "-reconnect_streamed", "1", "-reconnect_delay_max",
                           "5", "-rw_timeout", "10000000"});
    }
    a.insert(a.end(), {"-i", source.url, "-map", "0:v:0?", "-map", "0:a:0?"});
    a.insert(a.end(), {"-c:v", profile.video_codec});
    if (profile.video_codec != "copy") {
        if (!profile.preset.empty()) a.insert(a.end(), {"-preset", profile.preset});
        if (profile.video_bitrate_kbps > 0) {
            const auto rate = std::to_string(profile.video_bitrate_kbps) + "k";
            a.insert(a.end(), {"-b:v", rate, "-maxrate", rate, "-bufsize",
                               std::to_string(2 * profile.video_bitrate_kbps) + "k"});
        }
        if (profile.width > 0)
            a.insert(a.end(), {"-vf", "scale=" + std::to_string(profile.width) + ":" +
                                          std::to_string(profile.height)});
        // A key frame at every segment boundary, so that each segment starts playable.
        a.insert(a.end(), {"-force_key_frames",
                           "expr:gte(t,n_forced*" + std::to_string(out.segment_seconds) + ")"});
    }
    a.insert(a.end(), {"-c:a", profile.audio_codec});
    if (profile.audio_codec != "copy" && profile.audio_bitrate_kbps > 0)
        a.insert(a.end(), {"-b:a", std::to_string(profile.audio_bitrate_kbps) + "k"});
    a.insert(a.end(),
             {"-f", "hls", "-hls_time", std::to_string(out.segment_seconds), "-hls_list_size",
              std::to_string(out.list_size), "-hls_flags",
              "delete_segments+temp_file+independent_segments", "-hls_segment_filename",
              (out.dir / "seg_%05d.ts").string(), (out.dir / std::string(kPlaylistName)).string()});
    return a;
}

std::vector<std::string> ffprobe_argv(const std::string& url, const std::string& program) {
    return {program,         "-v",           "error",       "-print_format", "json",
            "-show_streams", "-show_format", "-rw_timeout", "10000000",      url};
}

core::Result<ProbeResult> parse_ffprobe(std::string_view json) {
    simdjson::dom::parser parser;
    simdjson::padded_string text(json);
    simdjson::dom::element doc;
    if (parser.parse(text).get(doc))
        return core::fail(core::Errc::Invalid, "ffprobe", "the output is not JSON");
    ProbeResult out;
    std::string_view s;
    if (!doc["format"]["format_name"].get(s)) out.format = std::string(s);
    if (!doc["format"]["bit_rate"].get(s))
        std::from_chars(s.data(), s.data() + s.size(), out.bitrate_bps);
    simdjson::dom::array streams;
    if (doc["streams"].get(streams))
        return core::fail(core::Errc::Invalid, "ffprobe", "the output lists no streams");
    for (auto stream : streams) {
        std::string_view type, codec;
        if (stream["codec_type"].get(type) || stream["codec_name"].get(codec)) continue;
        if (type == "video" && out.video_codec.empty()) {
            out.video_codec = std::string(codec);
            std::int64_t w = 0, h = 0;
            if (!stream["width"].get(w)) out.width = static_cast<int>(w);
            if (!stream["height"].get(h)) out.height = static_cast<int>(h);
            std::string_view rate;
            if (!stream["avg_frame_rate"].get(rate)) out.frame_rate = ratio(rate);
        } else if (type == "audio" && out.audio_codec.empty()) {
            out.audio_codec = std::string(codec);
        }
    }
    if (out.video_codec.empty() && out.audio_codec.empty())
        return core::fail(core::Errc::Invalid, "ffprobe", "the source has no audio or video");
    return out;
}

core::Result<ProbeResult> probe(const std::string& url, int timeout_ms,
                                const std::string& program) {
    // Errors go to stderr, which run_process interleaves with the JSON: ffprobe writes the
    // JSON at the end, so the text from the first `{` is the document.
    auto run = run_process(ffprobe_argv(url, program), {}, timeout_ms, 1 << 20);
    const auto brace = run.output.find('{');
    if (run.exit_code != 0 || brace == std::string::npos) {
        auto reason = run.timed_out ? std::string("timed out") : run.output;
        while (!reason.empty() && (reason.back() == '\n' || reason.back() == '\r'))
            reason.pop_back();
        if (const auto nl = reason.rfind('\n'); nl != std::string::npos) reason.erase(0, nl + 1);
        return core::fail(core::Errc::Unavailable, "ffprobe",
                          reason.empty() ? "exit " + std::to_string(run.exit_code) : reason);
    }
    return parse_ffprobe(std::string_view(run.output).substr(brace));
}

}  // namespace switchyard::adapters::ffmpeg
