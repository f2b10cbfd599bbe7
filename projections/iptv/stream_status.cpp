#include "projections/iptv/stream_status.hpp"

#include "core/iptv/stream_lifecycle.hpp"
#include "events/iptv/stream_lifecycle_codec.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::iptv {

using namespace core::iptv;

namespace {

std::string status_key(std::int64_t id) { return "s/" + be64(static_cast<std::uint64_t>(id)); }

using R = StreamStatusRow;
constexpr auto kRow = fields(
    field("stream_id", &R::stream_id), field("state", &R::state), field("reason", &R::reason),
    field("since", &R::since), field("pid", &R::pid), field("start_count", &R::start_count),
    field("failure_count", &R::failure_count), field("attempt", &R::attempt),
    field("next_retry", &R::next_retry), field("probed_at", &R::probed_at),
    field("probe_format", &R::probe_format), field("probe_video_codec", &R::probe_video_codec),
    field("probe_audio_codec", &R::probe_audio_codec), field("probe_width", &R::probe_width),
    field("probe_height", &R::probe_height), field("probe_fps_milli", &R::probe_fps_milli),
    field("probe_bitrate_bps", &R::probe_bitrate_bps));
constexpr auto kRows = json_rows<StreamStatusRow>(kRow);

core::Result<void> apply(const StreamLifecycleEvent& event, const events::RecordedEvent& e,
                         ProjectionWrites& w) {
    const auto id = std::visit([](const auto& ev) { return ev.stream_id; }, event);
    const auto key = status_key(id);
    auto row = kRows.find(w, key).value_or(StreamStatusRow{.stream_id = id, .since = e.time});
    const auto enter = [&](const char* state, std::string reason) {
        if (row.state != state) row.since = e.time;
        row.state = state;
        row.reason = std::move(reason);
    };
    if (const auto* s = std::get_if<StreamStarted>(&event)) {
        enter("running", "");
        row.since = e.time;
        row.pid = s->pid;
        ++row.start_count;
        row.attempt = 0;
        row.next_retry.reset();
    } else if (const auto* s = std::get_if<StreamStopped>(&event)) {
        enter("idle", s->reason);
        row.pid = s->pid;
        row.next_retry.reset();
    } else if (const auto* f = std::get_if<StreamFailed>(&event)) {
        enter(f->down ? "down" : "retrying", f->reason);
        row.pid = f->pid;
        ++row.failure_count;
        row.attempt = f->attempt;
        row.next_retry = f->down ? std::nullopt : f->next_retry;
    } else if (const auto* p = std::get_if<StreamProbed>(&event)) {
        row.probed_at = e.time;
        row.probe_format = p->format;
        row.probe_video_codec = p->video_codec;
        row.probe_audio_codec = p->audio_codec;
        row.probe_width = p->width;
        row.probe_height = p->height;
        row.probe_fps_milli = p->fps_milli;
        row.probe_bitrate_bps = p->bitrate_bps;
    }
    kRows.put(w, key, row);
    return {};
}

}  // namespace

std::unique_ptr<Projector> make_stream_status_projector() {
    return make_projector<StreamLifecycleEvent>(kStreamStatus,
                                                events::iptv::decode_stream_lifecycle_event, apply);
}

std::optional<StreamStatusRow> find_stream_status(const ReadModelView& view,
                                                  std::int64_t stream_id) {
    return kRows.find(view, status_key(stream_id));
}

std::vector<StreamStatusRow> list_stream_status(const ReadModelView& view, std::int64_t after_id,
                                                std::size_t limit) {
    std::vector<StreamStatusRow> out;
    view.scan("s/", status_key(after_id + 1), [&](std::string_view, std::string_view text) {
        if (auto row = kRows.decode(text)) out.push_back(std::move(*row));
        return out.size() < limit;
    });
    return out;
}

}  // namespace switchyard::projections::iptv
