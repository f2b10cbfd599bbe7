#pragma once
/// What an FFmpeg worker runs: the transcoding profile (data an operator keeps per stream), the
/// ffmpeg command line that pulls one source once and writes HLS (an `index.m3u8` playlist and
/// `seg_NNNNN.ts` MPEG-TS segments, which also make the continuous `.ts` output), and ffprobe's
/// description of a source (codecs, resolution, bitrate). Options as FFmpeg 5.1 documents them
/// (ffmpeg-formats `hls` muxer, ffmpeg-protocols `http`, ffprobe `-print_format json`).

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace switchyard::adapters::ffmpeg {

/// A transcoding profile. `copy` for a codec passes the source's stream through untouched (no
/// CPU); an encoder re-encodes at the given bitrate and size.
struct TranscodeProfile {
    std::string name = "copy";
    std::string video_codec = "copy";     ///< copy, libx264, libx265 or mpeg2video.
    std::string audio_codec = "copy";     ///< copy, aac, libmp3lame or ac3.
    std::int64_t video_bitrate_kbps = 0;  ///< 0: the encoder's default; at most 100,000.
    std::int64_t audio_bitrate_kbps = 0;  ///< 0: the encoder's default; at most 1,000.
    int width = 0;                        ///< 0 (with height 0): the source's size.
    int height = 0;
    std::string preset;  ///< x264/x265 speed preset (ultrafast ... veryslow); empty: default.
    friend bool operator==(const TranscodeProfile&, const TranscodeProfile&) = default;
};

/// Checks a profile before it is used or stored.
/// @errors Invalid naming the field: an unknown codec or preset; a bitrate out of range or set
/// with `copy`; a size that is not both zero or both even numbers from 16 to 7680 (4320 high),
/// or a size with `copy` video.
core::Result<void> check_profile(const TranscodeProfile& profile);

/// The upstream of one stream.
struct StreamSource {
    std::int64_t stream_id = 0;
    std::string url;            ///< http, https, rtmp, rtsp, udp or a local file path.
    std::string http_referrer;  ///< Sent as `Referer` to http(s) sources; may be empty.
    std::string user_agent;     ///< Sent as `User-Agent` to http(s) sources; may be empty.
};

/// Where and how the HLS output is written.
struct HlsOutput {
    std::filesystem::path dir;  ///< Holds index.m3u8 and seg_%05d.ts.
    int segment_seconds = 2;    ///< Target segment length.
    int list_size = 6;          ///< Segments listed in the playlist; older ones are deleted.
};

/// The playlist and segment names inside HlsOutput::dir.
inline constexpr std::string_view kPlaylistName = "index.m3u8";

/// ffmpeg's argument vector (argv[0] = `program`): read `source` (with Referer, User-Agent,
/// reconnects and a 10 s read timeout for http(s)), map its first video and audio stream when
/// present, apply `profile`, and write HLS to `out` with segments deleted as they leave the
/// playlist and files written under a temporary name and renamed, so a reader never sees a
/// partial file.
std::vector<std::string> ffmpeg_argv(const StreamSource& source, const TranscodeProfile& profile,
                                     const HlsOutput& out, const std::string& program = "ffmpeg");

/// What ffprobe says about a source.
struct ProbeResult {
    std::string format;       ///< Container, e.g. `hls`, `mpegts`.
    std::string video_codec;  ///< e.g. `h264`; empty without video.
    std::string audio_codec;  ///< e.g. `aac`; empty without audio.
    int width = 0;
    int height = 0;
    double frame_rate = 0;         ///< Frames per second of the video (avg_frame_rate).
    std::int64_t bitrate_bps = 0;  ///< The container's bit rate; 0 when ffprobe gives none.
    friend bool operator==(const ProbeResult&, const ProbeResult&) = default;
};

/// ffprobe's argument vector for `url` (JSON output of streams and format).
std::vector<std::string> ffprobe_argv(const std::string& url,
                                      const std::string& program = "ffprobe");

/// Reads `ffprobe -print_format json -show_streams -show_format` output.
/// @errors Invalid naming `ffprobe` when the text is not JSON or lists no audio or video stream.
core::Result<ProbeResult> parse_ffprobe(std::string_view json);

/// Runs ffprobe on `url`, killed after `timeout_ms`.
/// @errors Unavailable with ffprobe's last error line when it fails or times out; as
/// parse_ffprobe.
core::Result<ProbeResult> probe(const std::string& url, int timeout_ms,
                                const std::string& program = "ffprobe");

}  // namespace switchyard::adapters::ffmpeg
