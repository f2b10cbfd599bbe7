// /v1/iptv/recordings: schedule (by time or from an EPG programme), the library, the file,
// deletion. The recorder (app/modules/iptv_recordings.hpp) cuts each recording from its
// stream's archive, so only streams with an archive can be recorded.
#include <fstream>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/json_body.hpp"
#include "api/routes/iptv/iptv_support.hpp"
#include "projections/iptv/epg_guide.hpp"
#include "projections/iptv/recording_library.hpp"

namespace switchyard::api::iptv {

namespace json = boost::json;
using core::Errc;
using projections::iptv::RecordingRow;

namespace {

json::object recording_json(const RecordingRow& r) {
    return {{"recording_id", r.recording_id},
            {"stream_id", r.stream_id},
            {"start", core::format_rfc3339(r.start)},
            {"end", core::format_rfc3339(r.end)},
            {"title", r.title},
            {"channel_id", r.channel_id},
            {"status", r.status},
            {"reason", r.reason},
            {"size_bytes", r.size_bytes},
            {"scheduled_at", core::format_rfc3339(r.scheduled_at)},
            {"ended_at",
             r.ended_at ? json::value(core::format_rfc3339(*r.ended_at)) : json::value(nullptr)}};
}

core::Result<events::iptv::RecordingService*> service(IptvApi& api) {
    if (!api.recordings)
        return core::fail(Errc::Unavailable, "recordings", "recordings are not enabled");
    return api.recordings;
}

core::Result<const projections::ReadModelView*> library(ApiContext& ctx) {
    const auto* v = ctx.runner.view(projections::iptv::kRecordingLibrary);
    if (!v)
        return core::fail(Errc::Unavailable, "recording_library",
                          "the recording library is not open");
    return v;
}

/// The EPG programme of `stream` that starts at `start` (Unix seconds), on the stream's guide
/// channel (the operator's mapping, else its epg_channel_id).
/// @errors NotFound naming `programme_start` when the guide has no such programme.
core::Result<core::iptv::EpgProgramme> programme_of(IptvApi& api,
                                                    const projections::iptv::StreamRow& stream,
                                                    std::int64_t start, std::string& channel) {
    const auto* view = api.ctx.runner.view(projections::iptv::kEpgGuide);
    if (!view) return core::fail(Errc::Unavailable, "epg_guide", "the guide is not open");
    channel = stream.epg_channel_id;
    const auto overrides = projections::iptv::epg_overrides(*view);
    if (auto it = overrides.find(stream.id); it != overrides.end()) channel = it->second;
    if (auto row = projections::iptv::guide_channel(*view, channel))
        for (const auto& p : projections::iptv::guide_programmes(*view, *row, start, start + 1))
            if (p.start == start) return p;
    return core::fail(
        Errc::NotFound, "programme_start",
        fmt::format("the guide of stream {} has no programme starting at {}", stream.id, start));
}

/// POST /v1/iptv/recordings {"stream_id", "start", "end", "title"?} (Unix seconds) or
/// {"stream_id", "programme_start"}: the span and title of that EPG programme.
core::Result<HttpResponse> schedule(IptvApi& api, HttpRequest& r) {
    auto* recordings = SY_TRY(service(api));
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"stream_id", "start", "end", "title", "programme_start"}));
    const auto stream_id = SY_TRY(b.opt_int("stream_id"));
    if (!stream_id) return core::fail(Errc::Invalid, "stream_id", "is required");
    auto snap = SY_TRY(catalogue(api, r));
    const auto* stream = snap->stream(*stream_id);
    if (!stream) return not_found("stream", *stream_id, "stream_id");
    if (!stream->tv_archive)
        return core::fail(
            Errc::Rejected, "stream_id",
            fmt::format("stream {} has no archive: recordings are cut from it", *stream_id));
    core::iptv::ScheduleRecording c;
    c.stream_id = *stream_id;
    if (auto title = SY_TRY(b.opt_string("title"))) c.title = *title;
    if (auto programme = SY_TRY(b.opt_int("programme_start"))) {
        if (b.has("start") || b.has("end"))
            return core::fail(Errc::Invalid, "programme_start",
                              "give either programme_start or start and end");
        const auto p = SY_TRY(programme_of(api, *stream, *programme, c.channel_id));
        c.start = core::from_unix_seconds(p.start);
        c.end = core::from_unix_seconds(p.stop);
        if (c.title.empty()) c.title = p.title;
    } else {
        const auto start = SY_TRY(b.opt_int("start"));
        const auto end = SY_TRY(b.opt_int("end"));
        if (!start) return core::fail(Errc::Invalid, "start", "is required (Unix seconds)");
        if (!end) return core::fail(Errc::Invalid, "end", "is required (Unix seconds)");
        c.start = core::from_unix_seconds(*start);
        c.end = core::from_unix_seconds(*end);
    }
    auto o = SY_TRY(recordings->execute(c, decision_context(api.ctx, r, caller_of(r).actor)));
    return answer_created({{"recording_id", o.id}}, o);
}

/// GET /v1/iptv/recordings?cursor=&limit=
core::Result<HttpResponse> list(IptvApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto page = SY_TRY(page_query(r));
    const auto after = SY_TRY(id_cursor(page));
    const auto* view = SY_TRY(library(api.ctx));
    PageWriter out(page);
    for (const auto& row : projections::iptv::list_recordings(*view, after, page.limit + 1))
        if (!out.add(json::serialize(recording_json(row)), std::to_string(row.recording_id))) break;
    return json_response(200, out.body());
}

core::Result<RecordingRow> row_of(IptvApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto id = SY_TRY(id_param(r, "id"));
    auto row = projections::iptv::find_recording(*SY_TRY(library(api.ctx)), id);
    if (!row) return not_found("recording", id);
    return *row;
}

/// GET /v1/iptv/recordings/{id}
core::Result<HttpResponse> get_one(IptvApi& api, HttpRequest& r) {
    return json_response(200, json::serialize(recording_json(SY_TRY(row_of(api, r)))));
}

/// GET /v1/iptv/recordings/{id}/file: the MPEG-TS of a completed recording.
core::Result<HttpResponse> get_file(IptvApi& api, HttpRequest& r) {
    const auto row = SY_TRY(row_of(api, r));
    if (row.status == "deleted") return not_found("recording", row.recording_id);
    if (row.status != "completed")
        return core::fail(
            Errc::Conflict, "id",
            fmt::format("recording {} is {}: it has no file yet", row.recording_id, row.status));
    std::ifstream in(row.file, std::ios::binary);
    if (!in)
        return core::fail(Errc::Internal, "file",
                          fmt::format("the file of recording {} cannot be read", row.recording_id));
    HttpResponse out;
    out.status = 200;
    out.content_type = "video/mp2t";
    out.headers.emplace_back(
        "Content-Disposition",
        fmt::format("attachment; filename=\"recording-{}.ts\"", row.recording_id));
    out.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return out;
}

/// DELETE /v1/iptv/recordings/{id}: the recorder removes its file.
core::Result<HttpResponse> remove(IptvApi& api, HttpRequest& r) {
    auto* recordings = SY_TRY(service(api));
    const auto id = SY_TRY(id_param(r, "id"));
    auto o = SY_TRY(recordings->execute(core::iptv::DeleteRecording{id, "operator"},
                                        decision_context(api.ctx, r, caller_of(r).actor)));
    return answer(200, deleted_json("recording_id", id), o.positions);
}

}  // namespace

IptvRoutes recording_routes() {
    return {
        {"POST", "/v1/iptv/recordings", roles::admin, schedule,
         "Schedules a recording of a stream with an archive: `start` and `end` (Unix seconds) "
         "or the EPG programme starting at `programme_start`."},
        {"GET", "/v1/iptv/recordings", roles::staff_read, list,
         "The recording library in id order, cursor-paginated."},
        {"GET", "/v1/iptv/recordings/{id}", roles::staff_read, get_one, "One recording."},
        {"GET", "/v1/iptv/recordings/{id}/file", roles::staff_read, get_file,
         "The MPEG-TS file of a completed recording."},
        {"DELETE", "/v1/iptv/recordings/{id}", roles::admin, remove,
         "Deletes a recording and its file."},
    };
}

}  // namespace switchyard::api::iptv
