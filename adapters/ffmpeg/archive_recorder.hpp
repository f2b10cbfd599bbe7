#pragma once
/// The per-stream archive (Xtream "TV archive", catch-up): one ffmpeg process per archived
/// stream pulls its source and cuts it, without re-encoding, into MPEG-TS segments of
/// `segment_seconds` (60 by default, as Xtream panels keep one file a minute) named by their
/// UTC start time, `<root>/<stream id>/YYYY-MM-DD:HH-MM-SS.ts` (the panels' `Y-m-d:H-i` plus
/// seconds, so that segments shorter than a minute keep distinct names). Segments older than
/// the stream's retention are deleted at each tick. A recorder that exits is started again at
/// the next tick. The archive pulls the source itself (a second upstream connection besides
/// the stream's viewer worker, so that it records with or without viewers).
///
/// Options of the FFmpeg 5.1 `segment` muxer (ffmpeg-formats): `-segment_time`,
/// `-segment_atclocktime` (cuts on wall-clock multiples), `-strftime` (names from the start
/// time; ffmpeg formats it in local time, so the process runs with TZ=UTC). Timestamps run on
/// across segments (no `-reset_timestamps`), so that segments joined in order play as one.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/ffmpeg/ffmpeg_command.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace switchyard::adapters::ffmpeg {

/// Tunables of the archive.
struct ArchiveOptions {
    std::filesystem::path root;  ///< One directory per stream below it; created if missing.
    int segment_seconds = 60;    ///< Length of each segment, 1 to 3600.
    std::string ffmpeg = "ffmpeg";
};

/// One archived segment.
struct ArchiveSegment {
    core::Timestamp start;  ///< UTC, from its name.
    std::filesystem::path file;
    std::uint64_t size_bytes = 0;
};

/// The segment name for a UTC start time: `YYYY-MM-DD:HH-MM-SS.ts`.
std::string archive_segment_name(core::Timestamp start);
/// The start time a segment name says; none for another name.
std::optional<core::Timestamp> parse_archive_segment_name(std::string_view name);

/// The segments in `dir` in time order (files with other names are ignored). With
/// `complete_only` the newest one is left out (ffmpeg is still writing it).
std::vector<ArchiveSegment> list_archive_segments(const std::filesystem::path& dir,
                                                  bool complete_only);

/// ffmpeg's argument vector for the archive of `source` into `dir` (argv[0] = `env`, which
/// sets TZ=UTC for ffmpeg's strftime names).
std::vector<std::string> archive_argv(const StreamSource& source, const std::filesystem::path& dir,
                                      int segment_seconds, const std::string& program = "ffmpeg");

/// The archives of one server. @thread safe.
class ArchiveRecorder {
  public:
    /// Creates `options.root`.
    explicit ArchiveRecorder(ArchiveOptions options);
    /// Stops every recorder.
    ~ArchiveRecorder();
    ArchiveRecorder(const ArchiveRecorder&) = delete;
    ArchiveRecorder& operator=(const ArchiveRecorder&) = delete;

    /// Archives `source` keeping `retention` (a changed source restarts its recorder).
    /// @errors Invalid naming `url` when the source URL is empty, `retention` when not
    /// positive; Unavailable when ffmpeg cannot be started.
    core::Result<void> record(const StreamSource& source, std::chrono::seconds retention);
    /// Stops archiving a stream; its segments stay until `purge`.
    void stop(std::int64_t stream_id);
    /// Deletes a stream's segments (its archive was turned off).
    void purge(std::int64_t stream_id);

    /// About once a second: restarts recorders that exited, deletes segments that started
    /// more than their stream's retention before `now`. @returns the segments deleted.
    std::size_t tick(core::Timestamp now);

    /// True while a recorder runs for the stream.
    bool recording(std::int64_t stream_id) const;
    /// The complete segments of a stream, in time order.
    std::vector<ArchiveSegment> segments(std::int64_t stream_id) const;
    /// The directory of a stream's archive.
    std::filesystem::path directory(std::int64_t stream_id) const;
    /// The segment length, seconds.
    int segment_seconds() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::adapters::ffmpeg
