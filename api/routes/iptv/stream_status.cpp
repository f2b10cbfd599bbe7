// /v1/iptv/streams/status, /v1/iptv/streams/{id}/status: what each stream's FFmpeg worker is
// doing (the stream_status.v1 read model).
#include <boost/json.hpp>

#include "api/routes/iptv/iptv_support.hpp"
#include "projections/iptv/stream_status.hpp"

namespace switchyard::api::iptv {

namespace json = boost::json;
using projections::iptv::StreamStatusRow;

namespace {

json::value opt_time(const std::optional<core::Timestamp>& t) {
    return t ? json::value(core::format_rfc3339(*t)) : json::value(nullptr);
}

/// `{"stream_id", "state", "reason", "since", "pid", "start_count", "failure_count", "attempt",
/// "next_retry", "probe": {...}|null}`; `since` null for a stream whose worker never reported.
json::object status_json(const StreamStatusRow& s, bool reported) {
    json::value probe = nullptr;
    if (s.probed_at)
        probe = json::object{{"probed_at", core::format_rfc3339(*s.probed_at)},
                             {"format", s.probe_format},
                             {"video_codec", s.probe_video_codec},
                             {"audio_codec", s.probe_audio_codec},
                             {"width", s.probe_width},
                             {"height", s.probe_height},
                             {"fps", static_cast<double>(s.probe_fps_milli) / 1000.0},
                             {"bitrate_bps", s.probe_bitrate_bps}};
    return {{"stream_id", s.stream_id},
            {"state", s.state},
            {"reason", s.reason},
            {"since", reported ? opt_time(s.since) : json::value(nullptr)},
            {"pid", s.pid},
            {"start_count", s.start_count},
            {"failure_count", s.failure_count},
            {"attempt", s.attempt},
            {"next_retry", opt_time(s.next_retry)},
            {"probe", std::move(probe)}};
}

/// The stream status read model. @errors Unavailable when it is not open.
core::Result<const projections::ReadModelView*> status_view(ApiContext& ctx) {
    const auto* v = ctx.runner.view(projections::iptv::kStreamStatus);
    if (!v)
        return core::fail(core::Errc::Unavailable, "stream_status",
                          "the stream status read model is not open");
    return v;
}

/// GET /v1/iptv/streams/{id}/status: a stream of the catalogue whose worker never reported is
/// `idle` with `since` null.
core::Result<HttpResponse> get_status(IptvApi& api, HttpRequest& r) {
    const auto snap = SY_TRY(catalogue(api, r));
    const auto id = SY_TRY(id_param(r, "id"));
    auto row = projections::iptv::find_stream_status(*SY_TRY(status_view(api.ctx)), id);
    if (!row && !snap->stream(id)) return not_found("stream", id);
    const bool reported = row.has_value();
    return json_response(200, json::serialize(status_json(
                                  row.value_or(StreamStatusRow{.stream_id = id}), reported)));
}

/// GET /v1/iptv/streams/status?cursor=&limit=: the streams whose workers reported, in id order.
core::Result<HttpResponse> list_status(IptvApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto page = SY_TRY(page_query(r));
    const auto after = SY_TRY(id_cursor(page));
    const auto* view = SY_TRY(status_view(api.ctx));
    PageWriter out(page);
    for (const auto& row : projections::iptv::list_stream_status(*view, after, page.limit + 1)) {
        if (!out.add(json::serialize(status_json(row, true)), std::to_string(row.stream_id))) break;
    }
    return json_response(200, out.body());
}

}  // namespace

IptvRoutes stream_status_routes() {
    return {
        {"GET", "/v1/iptv/streams/status", roles::staff_read, list_status,
         "What each stream's FFmpeg worker is doing (running, idle, retrying, down), since when "
         "and why, with the last ffprobe of its source; cursor-paginated."},
        {"GET", "/v1/iptv/streams/{id}/status", roles::staff_read, get_status,
         "What one stream's FFmpeg worker is doing, since when and why, with the last ffprobe "
         "of its source."},
    };
}

}  // namespace switchyard::api::iptv
