#include "projections/iptv/recording_library.hpp"

#include "core/iptv/recording.hpp"
#include "events/iptv/recording_codec.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::iptv {

using namespace core::iptv;

namespace {

std::string key(std::int64_t id) { return "r/" + be64(static_cast<std::uint64_t>(id)); }

using R = RecordingRow;
constexpr auto kRow = fields(
    field("recording_id", &R::recording_id), field("stream_id", &R::stream_id),
    field("start", &R::start), field("end", &R::end), field("title", &R::title),
    field("channel_id", &R::channel_id), field("status", &R::status), field("reason", &R::reason),
    field("file", &R::file), field("size_bytes", &R::size_bytes),
    field("scheduled_at", &R::scheduled_at), field("ended_at", &R::ended_at));
constexpr auto kRows = json_rows<RecordingRow>(kRow);

core::Result<void> apply(const RecordingEvent& event, const events::RecordedEvent& e,
                         ProjectionWrites& w) {
    if (const auto* s = std::get_if<RecordingScheduled>(&event)) {
        RecordingRow row;
        row.recording_id = s->recording_id;
        row.stream_id = s->stream_id;
        row.start = s->start;
        row.end = s->end;
        row.title = s->title;
        row.channel_id = s->channel_id;
        row.scheduled_at = e.time;
        kRows.put(w, key(s->recording_id), row);
        return {};
    }
    const auto id = std::visit([](const auto& ev) { return ev.recording_id; }, event);
    kRows.update(w, key(id), [&](RecordingRow& row) {
        if (std::holds_alternative<RecordingStarted>(event)) row.status = "recording";
        if (const auto* c = std::get_if<RecordingCompleted>(&event)) {
            row.status = "completed";
            row.file = c->file;
            row.size_bytes = c->size_bytes;
            row.ended_at = e.time;
        }
        if (const auto* f = std::get_if<RecordingFailed>(&event)) {
            row.status = "failed";
            row.reason = f->reason;
            row.ended_at = e.time;
        }
        if (const auto* d = std::get_if<RecordingDeleted>(&event)) {
            row.status = "deleted";
            row.reason = d->reason;
            row.ended_at = e.time;
        }
    });
    return {};
}

}  // namespace

std::unique_ptr<Projector> make_recording_library_projector() {
    return make_projector<RecordingEvent>(kRecordingLibrary, events::iptv::decode_recording_event,
                                          apply);
}

std::optional<RecordingRow> find_recording(const ReadModelView& view, std::int64_t id) {
    return kRows.find(view, key(id));
}

std::vector<RecordingRow> list_recordings(const ReadModelView& view, std::int64_t after_id,
                                          std::size_t limit) {
    std::vector<RecordingRow> out;
    view.scan("r/", key(after_id + 1), [&](std::string_view, std::string_view text) {
        if (auto row = kRows.decode(text)) out.push_back(std::move(*row));
        return out.size() < limit;
    });
    return out;
}

}  // namespace switchyard::projections::iptv
