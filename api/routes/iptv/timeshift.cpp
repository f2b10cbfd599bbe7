// Xtream timeshift (catch-up): the archived span of a stream for a line's player.
//
// The two URL forms and their meaning, as the XC panels serve them (XC_VM / Xtream UI source,
// wwwdir/streaming/auth.php and timeshift.php, e.g. github.com/Vateron-Media/Xtream_main):
//   /timeshift/{username}/{password}/{duration}/{start}/{stream_id}.ts
//   /streaming/timeshift.php?username=&password=&stream=&start=&duration=
// `duration` is in minutes, `start` is `YYYY-MM-DD:HH-MM` in the server's timezone (Switchyard
// reports `timezone` UTC in server_info, so UTC), and the answer is the archive's MPEG-TS from
// `start` for `duration` minutes, the segments one after the other. The panels answer 400 for
// missing or empty parameters and 404 when the archive holds nothing at `start`.
#include <charconv>
#include <cstdio>
#include <fstream>

#include <fmt/format.h>

#include "api/routes/iptv/iptv_support.hpp"
#include "core/iptv/line_decider.hpp"

namespace switchyard::api::iptv {

namespace {

HttpResponse text(int status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.content_type = "text/plain; charset=utf-8";
    r.body = std::move(body);
    return r;
}

/// `YYYY-MM-DD:HH-MM` as a UTC time; none when malformed or not a real date.
std::optional<core::Timestamp> parse_start(const std::string& s) {
    int y, mo, d, h, mi;
    char end = 0;
    if (s.size() != 16 ||
        std::sscanf(s.c_str(), "%4d-%2d-%2d:%2d-%2d%c", &y, &mo, &d, &h, &mi, &end) != 5)
        return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(mo),
                                          std::chrono::day(d)};
    if (!ymd.ok() || h < 0 || h > 23 || mi < 0 || mi > 59) return std::nullopt;
    return core::Timestamp(std::chrono::sys_days(ymd) + std::chrono::hours(h) +
                           std::chrono::minutes(mi));
}

std::optional<std::int64_t> positive(const std::string& s) {
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v <= 0) return std::nullopt;
    return v;
}

/// The archived span for a line: 400 text naming the bad parameter, 401 for bad credentials,
/// 403 for a line that may not use `ts`, 404 for a stream the line does not see, without an
/// archive, or with nothing archived in the span (before the archive's window, or in the
/// future); else 200 `video/mp2t` with the segments that overlap [start, start + duration).
core::Result<HttpResponse> answer_timeshift(IptvApi& api, const HttpRequest& r,
                                            const std::string& username,
                                            const std::string& password,
                                            const std::string& duration_text,
                                            const std::string& start_text,
                                            const std::string& stream_text) {
    if (username.empty() || password.empty() || duration_text.empty() || start_text.empty() ||
        stream_text.empty())
        return text(400,
                    "missing parameters: username, password, stream, start and duration are "
                    "required\n");
    auto line = authorize_line(api, r, username, password);
    if (!line) return text(401, "invalid username or password, or the line is not active\n");
    const auto duration_min = positive(duration_text);
    if (!duration_min || *duration_min > core::iptv::kMaxArchiveDays * 24 * 60)
        return text(400, fmt::format("duration must be 1 to {} minutes\n",
                                     core::iptv::kMaxArchiveDays * 24 * 60));
    const auto start = parse_start(start_text);
    if (!start) return text(400, "start must be a UTC time as YYYY-MM-DD:HH-MM\n");
    const auto id = positive(stream_text);
    if (!id) return text(404, "no such stream for this line\n");
    SY_TRY(core::iptv::check_output_allowed(line->settings, "ts"));
    auto snap = api.catalogue.get();
    const projections::iptv::StreamRow* stream = nullptr;
    for (const auto* s : snap->visible_streams(line->settings.bouquets))
        if (s->id == *id) stream = s;
    if (!stream) return text(404, "no such stream for this line\n");
    if (!stream->tv_archive || !api.archive) return text(404, "this stream has no archive\n");
    const auto now = api.ctx.clock.now();
    const auto window_start = now - std::chrono::days(stream->tv_archive_duration);
    const auto end = *start + std::chrono::minutes(*duration_min);
    if (end <= window_start || *start > now)
        return text(404, fmt::format("outside the archive window: {} to now\n",
                                     core::format_rfc3339(window_start)));
    const auto length = api.archive->segment_length();
    HttpResponse out;
    out.status = 200;
    out.content_type = "video/mp2t";
    std::size_t pieces = 0;
    for (const auto& seg : api.archive->segments(*id)) {
        if (seg.start >= end || seg.start + length <= *start || seg.start < window_start) continue;
        std::ifstream in(seg.file, std::ios::binary);
        if (!in) continue;  // deleted by retention meanwhile
        out.body.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        ++pieces;
    }
    if (pieces == 0) return text(404, "outside the archive window: nothing archived then\n");
    return out;
}

/// GET /timeshift/{username}/{password}/{duration}/{start}/{id}.ts
core::Result<HttpResponse> timeshift_path(IptvApi& api, HttpRequest& r) {
    auto file = r.params["file"];
    if (file.ends_with(".ts")) file.resize(file.size() - 3);
    return answer_timeshift(api, r, r.params["username"], r.params["password"],
                            r.params["duration"], r.params["start"], file);
}

/// GET /streaming/timeshift.php?username=&password=&stream=&start=&duration=
core::Result<HttpResponse> timeshift_php(IptvApi& api, HttpRequest& r) {
    return answer_timeshift(api, r, r.query_param("username"), r.query_param("password"),
                            r.query_param("duration"), r.query_param("start"),
                            r.query_param("stream"));
}

}  // namespace

IptvRoutes timeshift_routes() {
    constexpr auto open = Reach::Public;
    return {
        {"GET",
         "/timeshift/{username}/{password}/{duration}/{start}/{file}",
         {},
         timeshift_path,
         "Xtream timeshift: `duration` minutes of the stream `<id>.ts` archived from `start` "
         "(`YYYY-MM-DD:HH-MM`, UTC), as MPEG-TS.",
         open},
        {"GET",
         "/streaming/timeshift.php",
         {},
         timeshift_php,
         "Xtream timeshift with query parameters `username`, `password`, `stream`, `start`, "
         "`duration`, as the path form.",
         open},
    };
}

}  // namespace switchyard::api::iptv
