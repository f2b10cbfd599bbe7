#pragma once
/// Recordings (network PVR): a span of a live stream kept as a file, scheduled by time or from
/// an EPG programme. The recorder cuts it from the stream's archive segments once the span is
/// archived (app/modules/iptv_recordings.hpp), so a recording needs a stream with an archive
/// and may also cover the past inside the archive window. Each recording is an aggregate of its
/// own, `recording-<id>`; ids come from the tenant's `recording` id allocator.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace switchyard::core::iptv {

/// Longest recording.
inline constexpr auto kMaxRecording = std::chrono::hours(24);

// ---- events ----

struct RecordingScheduled {
    static constexpr std::string_view kType = "iptv.recording.scheduled";
    std::int64_t recording_id{};
    std::int64_t stream_id{};
    Timestamp start;         ///< UTC, inclusive.
    Timestamp end;           ///< UTC, exclusive.
    std::string title;       ///< The programme's title, or the operator's; may be empty.
    std::string channel_id;  ///< The EPG channel of the programme; empty when by time.
};
struct RecordingStarted {
    static constexpr std::string_view kType = "iptv.recording.started";
    std::int64_t recording_id{};
};
struct RecordingCompleted {
    static constexpr std::string_view kType = "iptv.recording.completed";
    std::int64_t recording_id{};
    std::string file;  ///< Where the MPEG-TS file is, on the server.
    std::int64_t size_bytes{};
    std::int64_t segments{};  ///< Archive segments it was cut from.
};
struct RecordingFailed {
    static constexpr std::string_view kType = "iptv.recording.failed";
    std::int64_t recording_id{};
    std::string reason;
};
struct RecordingDeleted {
    static constexpr std::string_view kType = "iptv.recording.deleted";
    std::int64_t recording_id{};
    std::string reason;  ///< `operator` or `retention`.
};
using RecordingEvent = std::variant<RecordingScheduled, RecordingStarted, RecordingCompleted,
                                    RecordingFailed, RecordingDeleted>;

// ---- state ----

enum class RecordingStatus { Scheduled, Recording, Completed, Failed, Deleted };
/// Wire name: `scheduled`, `recording`, `completed`, `failed`, `deleted`.
const char* to_string(RecordingStatus status) noexcept;

struct RecordingState {
    bool exists = false;
    RecordingScheduled scheduled;
    RecordingStatus status = RecordingStatus::Scheduled;
};
/// Applies one event. Total.
void evolve(RecordingState& state, const RecordingEvent& event);

// ---- commands ----

/// `recording_id` is taken by the service before deciding.
struct ScheduleRecording {
    std::int64_t recording_id{};
    std::int64_t stream_id{};
    Timestamp start, end;
    std::string title, channel_id;
};
struct StartRecording {
    std::int64_t recording_id{};
};
struct CompleteRecording {
    std::int64_t recording_id{};
    std::string file;
    std::int64_t size_bytes{}, segments{};
};
struct FailRecording {
    std::int64_t recording_id{};
    std::string reason;
};
struct DeleteRecording {
    std::int64_t recording_id{};
    std::string reason = "operator";
};

/// Schedules once: nothing when the recording exists.
/// @errors Invalid naming `end` when it is not after `start` or the span exceeds 24 h;
/// `title` when longer than 500 bytes.
Result<std::vector<RecordingEvent>> decide(const RecordingState& s, const ScheduleRecording& c,
                                           const DecisionContext& ctx);
/// A scheduled recording starts; nothing in any other status. @errors NotFound.
Result<std::vector<RecordingEvent>> decide(const RecordingState& s, const StartRecording& c,
                                           const DecisionContext& ctx);
/// A scheduled or started recording completes, or fails; nothing once it has ended.
/// @errors NotFound.
Result<std::vector<RecordingEvent>> decide(const RecordingState& s, const CompleteRecording& c,
                                           const DecisionContext& ctx);
Result<std::vector<RecordingEvent>> decide(const RecordingState& s, const FailRecording& c,
                                           const DecisionContext& ctx);
/// Deletes once: nothing when already deleted. @errors NotFound.
Result<std::vector<RecordingEvent>> decide(const RecordingState& s, const DeleteRecording& c,
                                           const DecisionContext& ctx);

/// Stream of one recording.
inline std::string recording_stream(std::int64_t id) { return "recording-" + std::to_string(id); }

}  // namespace switchyard::core::iptv
