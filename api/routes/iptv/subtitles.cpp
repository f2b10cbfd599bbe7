// Subtitles of movies and episodes: upload SRT or WebVTT (with an offset), download either.
//   POST /v1/iptv/movies/{id}/subtitles?language=en[&offset_ms=-1500][&format=srt|vtt]
//   POST /v1/iptv/episodes/{id}/subtitles?...        (body: the file; format detected by
//                                                      its `WEBVTT` header unless given)
//   GET  /v1/iptv/movies/{id}/subtitles/{language}.{srt|vtt}[?offset_ms=]
//   GET  /v1/iptv/episodes/{id}/subtitles/{language}.{srt|vtt}[?offset_ms=]
#include <fmt/format.h>

#include "api/routes/iptv/iptv_support.hpp"
#include "core/iptv/subtitles.hpp"
#include "core/iptv/vod_decider.hpp"

namespace switchyard::api::iptv {

using core::Errc;
using namespace core::iptv;

namespace {

constexpr long long kMaxOffsetMs = 24LL * 3600 * 1000;

/// The upload's cues: parsed in `format` (or as detected), shifted by `offset_ms`.
core::Result<std::vector<Cue>> uploaded_cues(const HttpRequest& r) {
    auto format = detect_subtitle_format(r.body);
    if (r.has_query("format") && !parse_subtitle_format(r.query_param("format"), format))
        return core::fail(Errc::Invalid, "format", "must be srt or vtt");
    const auto offset = SY_TRY(int_query(r, "offset_ms", 0, -kMaxOffsetMs, kMaxOffsetMs));
    auto cues = shift_cues(SY_TRY(parse_subtitles(r.body, format)), offset);
    if (cues.empty())
        return core::fail(Errc::Invalid, "offset_ms", "moves every cue before the start");
    return cues;
}

template <SubtitleTarget Target>
core::Result<HttpResponse> attach(IptvApi& api, HttpRequest& r) {
    const auto id = SY_TRY(id_param(r, "id"));
    const auto& language = r.query_param("language");
    SY_TRY(validate_language(language));
    AttachSubtitle c{Target, id, 0, language, SY_TRY(uploaded_cues(r))};
    if constexpr (Target == SubtitleTarget::Episode) {
        SY_TRY(wait_for_position(api.ctx, r));
        const auto* episode = api.vod_catalogue.get()->episode(id);
        if (!episode) return not_found("episode", id);
        c.series_id = episode->series_id;
    }
    const auto cues = static_cast<std::int64_t>(c.cues.size());
    auto o = SY_TRY(api.vod.execute(c, decision_context(api.ctx, r, caller_of(r).actor)));
    return answer_created({{Target == SubtitleTarget::Movie ? "movie_id" : "episode_id", id},
                           {"language", language},
                           {"cues", cues}},
                          o);
}

template <SubtitleTarget Target>
core::Result<HttpResponse> download(IptvApi& api, HttpRequest& r) {
    const auto id = SY_TRY(id_param(r, "id"));
    const auto& file = r.params["file"];
    const auto dot = file.rfind('.');
    SubtitleFormat format = SubtitleFormat::Vtt;
    if (dot == std::string::npos || !parse_subtitle_format(file.substr(dot + 1), format))
        return core::fail(Errc::Invalid, "file", "must be <language>.srt or <language>.vtt");
    const auto language = file.substr(0, dot);
    SY_TRY(validate_language(language));
    const auto offset = SY_TRY(int_query(r, "offset_ms", 0, -kMaxOffsetMs, kMaxOffsetMs));
    SY_TRY(wait_for_position(api.ctx, r));
    const auto* view = api.ctx.runner.view(projections::iptv::kXtreamVod);
    const auto vtt =
        view ? projections::iptv::find_subtitles(*view,
                                                 Target == SubtitleTarget::Movie
                                                     ? projections::iptv::SubtitleOf::Movie
                                                     : projections::iptv::SubtitleOf::Episode,
                                                 id, language)
             : std::nullopt;
    if (!vtt)
        return core::fail(Errc::NotFound, "file",
                          fmt::format("no {} subtitles for {} {}", language,
                                      Target == SubtitleTarget::Movie ? "movie" : "episode", id));
    auto cues = shift_cues(SY_TRY(parse_subtitles(*vtt, SubtitleFormat::Vtt)), offset);
    HttpResponse resp;
    resp.content_type = format == SubtitleFormat::Vtt ? "text/vtt" : "application/x-subrip";
    resp.body = write_subtitles(cues, format);
    return resp;
}

}  // namespace

IptvRoutes subtitle_routes() {
    return {
        {"POST", "/v1/iptv/movies/{id}/subtitles", roles::admin, attach<SubtitleTarget::Movie>,
         "Attaches SRT or WebVTT subtitles (the body) of `language` to a movie, shifted by "
         "`offset_ms`; replaces that language's."},
        {"POST", "/v1/iptv/episodes/{id}/subtitles", roles::admin, attach<SubtitleTarget::Episode>,
         "Attaches SRT or WebVTT subtitles (the body) of `language` to an episode, shifted by "
         "`offset_ms`; replaces that language's."},
        {"GET", "/v1/iptv/movies/{id}/subtitles/{file}", roles::staff_read,
         download<SubtitleTarget::Movie>,
         "A movie's subtitles as `<language>.srt` or `<language>.vtt`, shifted by `offset_ms`."},
        {"GET", "/v1/iptv/episodes/{id}/subtitles/{file}", roles::staff_read,
         download<SubtitleTarget::Episode>,
         "An episode's subtitles as `<language>.srt` or `<language>.vtt`, shifted by "
         "`offset_ms`."},
    };
}

}  // namespace switchyard::api::iptv
