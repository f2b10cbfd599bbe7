// The Xtream Codes compatible surface: /player_api.php, /get.php (/live/ is delivery.cpp).
// Public routes that authenticate the line themselves (username and password on every request)
// and answer in the formats players expect; field names and types follow real panel answers
// (../shared/data/iptv/xtream). Lookups only: they run on the I/O thread.
#include <algorithm>
#include <chrono>
#include <string_view>

#include <fmt/format.h>

#include "api/access.hpp"
#include "api/input_checks.hpp"
#include "api/line_auth.hpp"
#include "api/routes/iptv/answer_cache.hpp"
#include "api/routes/iptv/iptv_support.hpp"
#include "core/iptv/line_decider.hpp"
#include "core/iptv/m3u.hpp"
#include "events/json_text.hpp"
#include "projections/iptv/line_directory.hpp"

namespace switchyard::api::iptv {

using core::Errc;
using projections::iptv::LineRow;

/// The line if the credentials are right and the line may use the service now. A source
/// locked out after too many failed sign-ins gets nothing; wrong credentials count towards
/// the lockout (api/access.hpp), as on /v1/auth/login.
std::shared_ptr<const LineRow> authorize_line(IptvApi& api, const HttpRequest& r,
                                              const std::string& username,
                                              const std::string& password) {
    auto& ctx = api.ctx;
    if (ctx.lockout.locked_until(r.remote_ip, ctx.clock.now())) return nullptr;
    if (username.empty() || password.empty()) return nullptr;
    const auto* view = ctx.runner.view(projections::iptv::kLineDirectory);
    if (!view) return nullptr;
    auto line = api.lines->find(*view, username);
    if (!line || !line_password_matches(ctx.line_secret, password, line->password_hash)) {
        note_failed_sign_in(ctx, r.remote_ip, "xtream");
        return nullptr;
    }
    if (!core::iptv::line_usable(line->settings, ctx.clock.now())) return nullptr;
    return line;
}

namespace {

constexpr const char* kLineRefused = "invalid username or password, or the line is not active\n";

/// A plain-text answer (get.php and /live/ refusals, as panels give them).
HttpResponse text_answer(int status, const char* body) {
    HttpResponse resp;
    resp.status = status;
    resp.content_type = "text/plain";
    resp.body = body;
    return resp;
}

/// Where players reach this server: the configured public URL; unless one was configured, the
/// Host header when it is a valid host[:port]. A Host header that is not (e.g. one carrying
/// `"><script>`) never reaches a playlist: the public URL stands instead.
PublicUrl public_url(const ApiContext& ctx, const HttpRequest& r) {
    if (ctx.public_url.configured) return ctx.public_url;
    const auto& host = r.header("host");
    if (!valid_host_header(host)) return ctx.public_url;
    PublicUrl out = ctx.public_url;
    const auto bracket = host.rfind(']');
    const auto colon = host.rfind(':');
    if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
        out.host = host.substr(0, colon);
        out.port = host.substr(colon + 1);
    } else {
        out.host = host;
        out.port = out.scheme == "https" ? "443" : "80";
    }
    return out;
}

/// The line's connection leases that are open and unexpired at `now` (Xtream `active_cons`);
/// 0 when live delivery is not set up or the leases cannot be read.
std::int64_t active_connections(IptvApi& api, std::int64_t line_id, core::Timestamp now) {
    if (!api.connections) return 0;
    auto state = api.connections->leases(line_id);
    if (!state) return 0;
    return std::count_if(state->leases.begin(), state->leases.end(),
                         [&](const auto& lease) { return lease.second.expires_at > now; });
}

/// The account answer of `player_api.php` for an authorized line, `{"user_info":{...},
/// "server_info":{...}}`, written by concatenation (every player's sign-in asks for it).
///
/// `user_info`: numbers as strings, as panels send them; `auth` 1 and `status` `Active` (only
/// usable lines get this far); `active_cons` the line's open connection leases.
///
/// `server_info`: where players reach this server (`url`), and its clock (UTC). Ports are
/// digit strings and `timestamp_now` an integer, as real panels send them
/// (../shared/data/iptv/xtream/*/auth.json). This server answers one scheme on one port: that
/// port is `port` or `https_port` by `server_protocol`; the other, and `rtmp_port` (no RTMP is
/// served), carry their scheme's standard port (80, 443, 1935) so that players that parse every
/// port as a number accept the answer.
std::string account_json(const LineRow& line, const std::string& password, std::int64_t active_cons,
                         const PublicUrl& url, core::Timestamp now) {
    const auto& s = line.settings;
    std::string out;
    out.reserve(512);
    auto key = [&](std::string_view name) {  // names are plain ASCII: nothing to escape
        out += '"';
        out += name;
        out += "\":";
    };
    auto text = [&](std::string_view name, std::string_view value) {
        key(name);
        events::append_json_string(out, value);
        out += ',';
    };
    out += "{\"user_info\":{";
    text("username", line.username);
    text("password", password);
    text("message", "");
    out += "\"auth\":1,";
    text("status", "Active");
    if (s.exp_date) {
        text("exp_date", std::to_string(*s.exp_date));
    } else {
        out += "\"exp_date\":null,";
    }
    text("is_trial", s.is_trial ? "1" : "0");
    text("active_cons", std::to_string(active_cons));
    text("created_at", std::to_string(line.created_at));
    text("max_connections", std::to_string(s.max_connections));
    key("allowed_output_formats");
    out += '[';
    for (std::size_t i = 0; i < s.allowed_output_formats.size(); ++i) {
        if (i > 0) out += ',';
        events::append_json_string(out, s.allowed_output_formats[i]);
    }
    out += "]},\"server_info\":{";
    const bool https = url.scheme == "https";
    const auto day = std::chrono::floor<std::chrono::days>(now);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss hms{std::chrono::floor<std::chrono::seconds>(now - day)};
    text("url", url.host);
    text("port", https ? std::string_view("80") : std::string_view(url.port));
    text("https_port", https ? std::string_view(url.port) : std::string_view("443"));
    text("server_protocol", url.scheme);
    text("rtmp_port", "1935");
    text("timezone", "UTC");
    key("timestamp_now");
    out += std::to_string(core::unix_seconds(now));
    out += ',';
    text("time_now", fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", int(ymd.year()),
                                 unsigned(ymd.month()), unsigned(ymd.day()), hms.hours().count(),
                                 hms.minutes().count(), hms.seconds().count()));
    out += "\"process\":true}}";
    return out;
}

/// `category_id` of get_live_streams as panels read it: a leading integer (`1e9` is 1), none
/// when absent or empty. @returns false when it does not start with a number.
bool live_category(const HttpRequest& r, std::optional<std::int64_t>& out) {
    if (!r.has_query("category_id") || r.query_param("category_id").empty()) return true;
    try {
        out = std::stoll(r.query_param("category_id"));
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

/// Actions of the Xtream player API that answer a list and that this server does not fill
/// yet: players get an empty list, as from a panel without movies, series or a guide.
bool unfilled_list_action(std::string_view action) {
    static constexpr std::string_view kActions[] = {
        "get_vod_categories", "get_vod_streams", "get_vod_info",  "get_series_categories",
        "get_series",         "get_series_info", "get_short_epg", "get_simple_data_table"};
    return std::find(std::begin(kActions), std::end(kActions), action) != std::end(kActions);
}

/// The snapshots the cached answers of this request are rendered from.
AnswerCache::Generation generation(
    IptvApi& api, std::shared_ptr<const projections::iptv::CatalogueSnapshot> snap) {
    return {std::move(snap), api.vod_catalogue.get()};
}

/// GET|POST /player_api.php?username=&password=&action=: the live categories or streams the
/// line sees for those actions; for no action and for any action a panel does not know
/// (`get_profile`, `get_server_info`, a typo) the line's account (`user_info` and
/// `server_info`), as real panels answer. Failed authentication answers 200 with
/// `{"user_info":{"auth":0}}`, as panels do. `get_live_streams` comes from the answer cache
/// (per bouquet set and category), gzipped when the player accepts it.
core::Result<HttpResponse> player_api(IptvApi& api, HttpRequest& r) {
    const auto& password = r.query_param("password");
    auto line = authorize_line(api, r, r.query_param("username"), password);
    if (!line) return json_response(200, R"({"user_info":{"auth":0}})");
    const auto& bouquets = line->settings.bouquets;
    const auto& action = r.query_param("action");
    if (action == "get_live_categories")
        return json_response(200, api.catalogue.get()->live_categories_json(bouquets));
    if (action == "get_live_streams") {
        std::optional<std::int64_t> category;
        if (!live_category(r, category)) return json_response(200, "[]");
        auto snap = api.catalogue.get();
        std::string key = "get_live_streams";
        add_key_part(key, bouquets);
        add_key_part(key, category ? std::to_string(*category) : std::string());
        const auto answer = api.answers->get(generation(api, snap), key, [&] {
            return snap->live_streams_json(bouquets, category);
        });
        return answer_response(r, *answer, "application/json");
    }
    if (auto answered = vod_action(api, r, *line, action)) return *answered;
    if (auto epg = epg_action(api, r, *line, action)) return std::move(*epg);
    if (unfilled_list_action(action)) return json_response(200, "[]");
    const auto now = api.ctx.clock.now();
    return json_response(200,
                         account_json(*line, password, active_connections(api, line->line_id, now),
                                      public_url(api.ctx, r), now));
}

/// The line's playlist (`get.php`): its visible streams, with URLs at `/live/...` of this
/// server (`base`) in the `ext` format, then the movies and episodes `include` asks for. The
/// `tvg-id` of each entry is the stream's XMLTV channel id, the same id `player_api` sends as
/// `epg_channel_id` (and the guide uses), so that a player matches the playlist to the guide;
/// the iptv-org feed id (`2GB.au@SD`) stays in the catalogue. What is the line's own in it:
/// its username and password in every URL, or, for a line with signed URLs, a token per stream
/// that expires `signed_url_ttl_s` after now.
std::string playlist(IptvApi& api, const projections::iptv::CatalogueSnapshot& snap,
                     const LineRow& line, const std::string& password, const std::string& base,
                     core::iptv::M3uLayout layout, const std::string& ext, VodInclude include) {
    const auto live_base = fmt::format("{}/live/{}/{}/", base, line.username, password);
    const auto ttl = line.settings.signed_url_ttl_s;
    const auto expires = core::unix_seconds(api.ctx.clock.now()) + ttl;
    std::vector<core::iptv::M3uItem> items;
    for (const auto* s : snap.visible_streams(line.settings.bouquets)) {
        const auto* category = s->category_id ? snap.category(*s->category_id) : nullptr;
        // A line with signed URLs gets `/play/<token>/<id>.<ext>`: no password in the URL.
        auto url = ttl > 0 ? fmt::format("{}/play/{}/{}.{}", base,
                                         media_url_token(api.ctx, line.line_id, s->id, expires),
                                         s->id, ext)
                           : fmt::format("{}{}.{}", live_base, s->id, ext);
        items.push_back({s->name, s->epg_channel_id, s->logo,
                         category ? std::string_view(category->name) : std::string_view(),
                         std::move(url)});
    }
    auto out = core::iptv::write_m3u(items, layout);
    append_vod_playlist(api, line, password, base, layout, include, out);
    return out;
}

/// GET /get.php?username=&password=&type=m3u|m3u_plus&output=ts|m3u8[&include=movies,series]:
/// 401 text for bad credentials; problems for bad parameters or an output the line may not use.
/// Playlists come from the answer cache, keyed by everything in them that is the line's or the
/// request's (username, password, URL base, bouquets, type, output, include), and gzipped when
/// the player accepts it. A line with signed URLs gets a playlist rendered for the request (its
/// tokens expire from now), sent plain.
core::Result<HttpResponse> get_playlist(IptvApi& api, HttpRequest& r) {
    const auto& password = r.query_param("password");
    auto line = authorize_line(api, r, r.query_param("username"), password);
    if (!line) return text_answer(401, kLineRefused);
    const auto type = r.has_query("type") ? r.query_param("type") : std::string("m3u_plus");
    const auto output = r.has_query("output") ? r.query_param("output") : std::string("ts");
    auto layout = core::iptv::M3uLayout::Plus;
    if (!parse_m3u_layout(type, layout))
        return core::fail(Errc::Invalid, "type", "must be m3u or m3u_plus");
    if (output != "ts" && output != "m3u8")
        return core::fail(Errc::Invalid, "output", "must be ts or m3u8");
    SY_TRY(core::iptv::check_output_allowed(line->settings, output));
    const auto include = SY_TRY(parse_vod_include(r));
    const auto base = public_url(api.ctx, r).base();
    auto snap = api.catalogue.get();
    constexpr const char* kType = "audio/x-mpegurl";
    HttpResponse resp;
    if (line->settings.signed_url_ttl_s > 0) {
        resp.content_type = kType;
        resp.body = playlist(api, *snap, *line, password, base, layout, output, include);
        resp.headers.emplace_back("Vary", "Accept-Encoding");
    } else {
        std::string key = "get.php";
        for (const auto& part : {line->username, password, base, type, output})
            add_key_part(key, part);
        add_key_part(key, std::string(include.movies ? "m" : "") + (include.series ? "s" : ""));
        add_key_part(key, line->settings.bouquets);
        const auto answer = api.answers->get(generation(api, snap), key, [&] {
            return playlist(api, *snap, *line, password, base, layout, output, include);
        });
        resp = answer_response(r, *answer, kType);
    }
    resp.headers.emplace_back("Content-Disposition", "attachment; filename=\"playlist.m3u\"");
    return resp;
}

}  // namespace

IptvRoutes xtream_routes() {
    constexpr auto open = Reach::Public;
    constexpr bool lookup = true;  // non-blocking: answered on the I/O thread
    return {
        {"GET",
         "/player_api.php",
         {},
         player_api,
         "Xtream player API: the line's account, or its live categories or streams (`action`).",
         open,
         lookup},
        {"POST", "/player_api.php", {}, player_api, "Xtream player API, as GET.", open, lookup},
        {"GET",
         "/get.php",
         {},
         get_playlist,
         "The line's playlist (m3u or m3u_plus) with `/live/` URLs in the `output` format.",
         open,
         lookup},
    };
}

}  // namespace switchyard::api::iptv
