#pragma once
/// The `recording_library` read model: every recording with its stream, span, title, status
/// and, once completed, its file.
///
/// Keys: `r/<recording id as 8-byte big-endian>` -> RecordingRow JSON (fields as below).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::iptv {

inline constexpr const char* kRecordingLibrary = "recording_library.v1";

/// Creates the projector of `recording_library.v1`.
std::unique_ptr<Projector> make_recording_library_projector();

/// One recording.
struct RecordingRow {
    std::int64_t recording_id{};
    std::int64_t stream_id{};
    core::Timestamp start{}, end{};
    std::string title;
    std::string channel_id;            ///< EPG channel; empty when scheduled by time.
    std::string status = "scheduled";  ///< scheduled, recording, completed, failed, deleted.
    std::string reason;                ///< Why it failed or was deleted.
    std::string file;                  ///< Once completed.
    std::int64_t size_bytes{};
    core::Timestamp scheduled_at{};           ///< When it was scheduled.
    std::optional<core::Timestamp> ended_at;  ///< When it completed, failed or was deleted.
};

/// The recording, or nullopt.
std::optional<RecordingRow> find_recording(const ReadModelView& view, std::int64_t id);
/// Up to `limit` recordings with ids greater than `after_id`, in id order.
std::vector<RecordingRow> list_recordings(const ReadModelView& view, std::int64_t after_id,
                                          std::size_t limit);

}  // namespace switchyard::projections::iptv
