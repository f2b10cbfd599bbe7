#pragma once
/// The `stream_status` read model: what each stream's FFmpeg worker is doing, folded from the
/// `iptv.stream.started`, `.stopped`, `.failed` and `.probed` events: its state since when and
/// why, the last probe of its source, how often it started and failed.
///
/// Keys: `s/<stream id as 8-byte big-endian>` -> StreamStatusRow JSON (fields as below).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::iptv {

inline constexpr const char* kStreamStatus = "stream_status.v1";

/// Creates the projector of `stream_status.v1`.
std::unique_ptr<Projector> make_stream_status_projector();

/// One stream's worker as the log tells it.
struct StreamStatusRow {
    std::int64_t stream_id{};
    std::string state = "idle";  ///< `running`, `idle`, `retrying` or `down`.
    std::string reason;          ///< Why it stopped (idle, removed, shutdown) or failed.
    core::Timestamp since{};     ///< When it entered `state`.
    std::int64_t pid = -1;       ///< Of the last start, stop or failure.
    std::int64_t start_count{};
    std::int64_t failure_count{};               ///< All failures ever.
    std::int64_t attempt{};                     ///< Failures in a row (0 once it started again).
    std::optional<core::Timestamp> next_retry;  ///< When retrying.
    std::optional<core::Timestamp> probed_at;   ///< None: never probed (the probe_* are empty).
    std::string probe_format;
    std::string probe_video_codec;
    std::string probe_audio_codec;
    std::int64_t probe_width{};
    std::int64_t probe_height{};
    std::int64_t probe_fps_milli{};  ///< Frames per 1,000 s.
    std::int64_t probe_bitrate_bps{};
};

/// The status of one stream, or nullopt when its worker never reported anything.
std::optional<StreamStatusRow> find_stream_status(const ReadModelView& view,
                                                  std::int64_t stream_id);
/// Up to `limit` statuses of streams with ids greater than `after_id`, in id order.
std::vector<StreamStatusRow> list_stream_status(const ReadModelView& view, std::int64_t after_id,
                                                std::size_t limit);

}  // namespace switchyard::projections::iptv
