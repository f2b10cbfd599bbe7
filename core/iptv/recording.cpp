#include "core/iptv/recording.hpp"

#include <fmt/format.h>

namespace switchyard::core::iptv {

const char* to_string(RecordingStatus status) noexcept {
    switch (status) {
        case RecordingStatus::Scheduled:
            return "scheduled";
        case RecordingStatus::Recording:
            return "recording";
        case RecordingStatus::Completed:
            return "completed";
        case RecordingStatus::Failed:
            return "failed";
        case RecordingStatus::Deleted:
            return "deleted";
    }
    return "scheduled";
}

void evolve(RecordingState& s, const RecordingEvent& event) {
    if (const auto* e = std::get_if<RecordingScheduled>(&event)) {
        s.exists = true;
        s.scheduled = *e;
        s.status = RecordingStatus::Scheduled;
    } else if (std::holds_alternative<RecordingStarted>(event)) {
        s.status = RecordingStatus::Recording;
    } else if (std::holds_alternative<RecordingCompleted>(event)) {
        s.status = RecordingStatus::Completed;
    } else if (std::holds_alternative<RecordingFailed>(event)) {
        s.status = RecordingStatus::Failed;
    } else if (std::holds_alternative<RecordingDeleted>(event)) {
        s.status = RecordingStatus::Deleted;
    }
}

namespace {

Result<void> exists(const RecordingState& s, std::int64_t id) {
    if (!s.exists)
        return fail(Errc::NotFound, "id", fmt::format("recording {} does not exist", id));
    return {};
}

bool open(const RecordingState& s) {
    return s.status == RecordingStatus::Scheduled || s.status == RecordingStatus::Recording;
}

}  // namespace

Result<std::vector<RecordingEvent>> decide(const RecordingState& s, const ScheduleRecording& c,
                                           const DecisionContext&) {
    if (s.exists) return std::vector<RecordingEvent>{};
    if (c.end <= c.start) return fail(Errc::Invalid, "end", "must be after start");
    if (c.end - c.start > kMaxRecording)
        return fail(Errc::Invalid, "end", "a recording may last at most 24 hours");
    if (c.title.size() > 500) return fail(Errc::Invalid, "title", "must have at most 500 bytes");
    return std::vector<RecordingEvent>{
        RecordingScheduled{c.recording_id, c.stream_id, c.start, c.end, c.title, c.channel_id}};
}

Result<std::vector<RecordingEvent>> decide(const RecordingState& s, const StartRecording& c,
                                           const DecisionContext&) {
    SY_TRY(exists(s, c.recording_id));
    if (s.status != RecordingStatus::Scheduled) return std::vector<RecordingEvent>{};
    return std::vector<RecordingEvent>{RecordingStarted{c.recording_id}};
}

Result<std::vector<RecordingEvent>> decide(const RecordingState& s, const CompleteRecording& c,
                                           const DecisionContext&) {
    SY_TRY(exists(s, c.recording_id));
    if (!open(s)) return std::vector<RecordingEvent>{};
    return std::vector<RecordingEvent>{
        RecordingCompleted{c.recording_id, c.file, c.size_bytes, c.segments}};
}

Result<std::vector<RecordingEvent>> decide(const RecordingState& s, const FailRecording& c,
                                           const DecisionContext&) {
    SY_TRY(exists(s, c.recording_id));
    if (!open(s)) return std::vector<RecordingEvent>{};
    return std::vector<RecordingEvent>{RecordingFailed{c.recording_id, c.reason}};
}

Result<std::vector<RecordingEvent>> decide(const RecordingState& s, const DeleteRecording& c,
                                           const DecisionContext&) {
    SY_TRY(exists(s, c.recording_id));
    if (s.status == RecordingStatus::Deleted) return std::vector<RecordingEvent>{};
    return std::vector<RecordingEvent>{RecordingDeleted{c.recording_id, c.reason}};
}

}  // namespace switchyard::core::iptv
