#pragma once
/// FFmpeg workers: one ffmpeg process per stream pulls the source once and writes HLS into the
/// stream's directory, which every viewer of the stream reads (the playlist and segments for
/// `.m3u8`, the segments in order for `.ts`). A stream starts on demand with its first viewer
/// and stops `idle_timeout` after its last, or runs always-on. A process that exits, or that
/// writes no playlist within `ready_timeout`, is a failure: it is retried with exponential
/// backoff (`backoff_first`, doubling, at most `backoff_max`) and, after
/// `failures_before_down` failures in a row, marked down with the reason (ffmpeg's last log
/// line) until retry() or configure(). Each source is probed once per start with ffprobe.
/// What happens is reported to a listener as WorkerEvent (the IPTV module records them as
/// `iptv.stream.started`, `.stopped`, `.failed`).
///
/// Layout: `<root>/<stream id>/index.m3u8`, `seg_NNNNN.ts`, `ffmpeg.log`, `ffmpeg.pid`. A worker
/// left running by an earlier process (after a crash) is found by its pid file and killed when
/// the workers are created.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/ffmpeg/ffmpeg_command.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace switchyard::adapters::ffmpeg {

/// Tunables of the workers.
struct WorkerOptions {
    std::filesystem::path root;  ///< One directory per stream below it; created if missing.
    std::chrono::milliseconds idle_timeout{30'000};
    std::chrono::milliseconds ready_timeout{20'000};
    std::chrono::milliseconds backoff_first{1'000};
    std::chrono::milliseconds backoff_max{60'000};
    int failures_before_down = 5;
    int segment_seconds = 2;
    int list_size = 6;
    std::string ffmpeg = "ffmpeg";
    std::string ffprobe = "ffprobe";
    bool probe_sources = true;  ///< Run ffprobe on the source at each start.
    int probe_timeout_ms = 15'000;
};

/// Where a stream's worker is.
enum class WorkerState {
    Idle,      ///< No process; starts with the next viewer (or at once when always-on).
    Starting,  ///< ffmpeg runs, no playlist yet.
    Running,   ///< The playlist is there: viewers can read.
    Backoff,   ///< Failed; the next start is due at `retry_at`.
    Down,      ///< Failed `failures_before_down` times in a row; waits for retry().
};
/// Wire name: `idle`, `starting`, `running`, `backoff`, `down`.
const char* to_string(WorkerState state) noexcept;

/// Something that happened to a worker.
struct WorkerEvent {
    enum class Kind { Started, Stopped, Failed, Probed };
    Kind kind = Kind::Started;
    std::int64_t stream_id = 0;
    pid_t pid = -1;
    std::string reason;  ///< Stopped: `idle`, `removed`, `shutdown`; Failed: what went wrong.
    int failures = 0;    ///< Failed: failures in a row, this one included.
    bool down = false;   ///< Failed: the stream is now down.
    std::optional<ProbeResult> probe;  ///< Probed: what ffprobe found (none: `reason` says why).
};
/// Receives events outside the workers' lock, on the thread that called tick() or stop_all().
using WorkerListener = std::function<void(const WorkerEvent&)>;

/// A worker as monitoring sees it.
struct WorkerStatus {
    std::int64_t stream_id = 0;
    WorkerState state = WorkerState::Idle;
    pid_t pid = -1;
    std::int64_t viewers = 0;
    int failures = 0;
    bool always_on = false;
    std::string reason;  ///< Of the last failure.
    std::optional<ProbeResult> probe;
};

/// The FFmpeg workers of one server. @thread safe.
class StreamWorkers {
  public:
    /// Creates `options.root` and kills workers an earlier process left running.
    StreamWorkers(WorkerOptions options, WorkerListener listener);
    /// Stops every worker (reason `shutdown`).
    ~StreamWorkers();
    StreamWorkers(const StreamWorkers&) = delete;
    StreamWorkers& operator=(const StreamWorkers&) = delete;

    /// Adds or changes a stream. A changed source or profile restarts a running worker at the
    /// next tick; a down stream is given a new chance. @errors as check_profile; Invalid
    /// `url` when the source URL is empty.
    core::Result<void> configure(const StreamSource& source, const TranscodeProfile& profile,
                                 bool always_on);
    /// Removes a stream, stopping its worker (reason `removed`). No-op when unknown.
    void remove(std::int64_t stream_id);

    /// A viewer joins `stream_id`: the worker starts if none runs (or on the next tick after a
    /// backoff). @returns the stream's output directory (read index.m3u8 once ready()).
    /// @errors NotFound for a stream never configured; Unavailable with the reason when it is
    /// down.
    core::Result<std::filesystem::path> acquire(std::int64_t stream_id, core::Timestamp now);
    /// A viewer leaves; the worker stops `idle_timeout` after the last one (unless always-on).
    void release(std::int64_t stream_id, core::Timestamp now);
    /// Gives a down stream a new chance (failures reset); it starts with its next viewer.
    void retry(std::int64_t stream_id);

    /// Housekeeping, about once a second: reaps exited processes (failures), notices ready
    /// playlists (Started), collects probes (Probed), stops idle workers (Stopped), starts
    /// always-on ones and due retries.
    void tick(core::Timestamp now);
    /// Stops every worker now (reason `shutdown`).
    void stop_all();

    /// True when the stream's playlist is there to read.
    bool ready(std::int64_t stream_id) const;
    /// Every stream's worker, by stream id.
    std::vector<WorkerStatus> status() const;
    /// The output directory of `stream_id` (whether or not it runs).
    std::filesystem::path directory(std::int64_t stream_id) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::adapters::ffmpeg
