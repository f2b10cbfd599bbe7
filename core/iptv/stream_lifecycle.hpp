#pragma once
/// What happened to a stream's FFmpeg worker, as events of the log: started, stopped, failed
/// and probed (adapters/ffmpeg/stream_workers.hpp reports them; app/modules/
/// iptv_stream_events.hpp records them). Each stream's lifecycle is an aggregate of its own,
/// `stream_lifecycle-<id>`, apart from the catalogue entry `stream-<id>`, so that a worker
/// never contends with an operator editing the stream. The decider drops what the log already
/// says (the same start, stop, failure or probe reported twice), so recording is idempotent.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/time.hpp"

namespace switchyard::core::iptv {

/// A worker's ffmpeg process began writing the stream's output.
struct StreamStarted {
    static constexpr std::string_view kType = "iptv.stream.started";
    std::int64_t stream_id{};
    std::int64_t pid{};  ///< ffmpeg's process id.
};
/// A worker's ffmpeg process was stopped on purpose.
struct StreamStopped {
    static constexpr std::string_view kType = "iptv.stream.stopped";
    std::int64_t stream_id{};
    std::int64_t pid{};
    std::string reason;  ///< `idle` (no viewer left), `removed` (from the catalogue), `shutdown`.
};
/// A worker's ffmpeg process exited or never became ready.
struct StreamFailed {
    static constexpr std::string_view kType = "iptv.stream.failed";
    std::int64_t stream_id{};
    std::int64_t pid{};                   ///< -1 when no process could be started.
    std::string reason;                   ///< ffmpeg's last log line or what the worker saw.
    std::int64_t attempt{};               ///< Failures in a row, this one included (1 = first).
    bool down = false;                    ///< The stream is down until an operator retries it.
    std::optional<Timestamp> next_retry;  ///< When the worker tries again; none when down.
};
/// ffprobe described the stream's source (at a worker's start).
struct StreamProbed {
    static constexpr std::string_view kType = "iptv.stream.probed";
    std::int64_t stream_id{};
    std::int64_t pid{};       ///< The worker process this probe belongs to.
    std::string format;       ///< Container as ffprobe names it, e.g. `hls`, `mpegts`.
    std::string video_codec;  ///< e.g. `h264`; empty without video.
    std::string audio_codec;  ///< e.g. `aac`; empty without audio.
    std::int64_t width{};
    std::int64_t height{};
    std::int64_t fps_milli{};    ///< Frames per 1,000 s (ffprobe's avg_frame_rate x 1000).
    std::int64_t bitrate_bps{};  ///< The container's bit rate; 0 when ffprobe gives none.
    friend bool operator==(const StreamProbed&, const StreamProbed&) = default;
};

using StreamLifecycleEvent = std::variant<StreamStarted, StreamStopped, StreamFailed, StreamProbed>;

/// Where a stream's worker is, as the log tells it.
enum class StreamRunState { Idle, Running, Retrying, Down };
/// Wire name: `idle`, `running`, `retrying`, `down`.
const char* to_string(StreamRunState state) noexcept;

/// One stream's lifecycle folded from its events.
struct StreamLifecycleState {
    StreamRunState state = StreamRunState::Idle;
    std::int64_t pid = -1;  ///< Of the last start, stop or failure.
    std::int64_t starts = 0;
    std::int64_t failures = 0;      ///< All failures ever.
    std::int64_t last_attempt = 0;  ///< `attempt` of the last failure.
    std::optional<StreamProbed> probe;
};

/// Applies one event. Total.
void evolve(StreamLifecycleState& state, const StreamLifecycleEvent& event);

/// Which of `observed` (what a worker reported) the log does not say yet: nothing for a start
/// of the process that already runs, a stop of a process not running, a failure equal to the
/// last one (same process and attempt), or a probe equal to the last one. Pure.
std::vector<StreamLifecycleEvent> decide(const StreamLifecycleState& state,
                                         const StreamLifecycleEvent& observed);

/// Stream of one stream's worker lifecycle.
inline std::string stream_lifecycle_stream(std::int64_t id) {
    return "stream_lifecycle-" + std::to_string(id);
}

}  // namespace switchyard::core::iptv
