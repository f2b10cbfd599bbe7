// Xtream Codes compatible surface: /player_api.php, /get.php, /live/<user>/<pass>/<id>.<ext>.
// Field names and types follow real panel answers (../shared/data/iptv/xtream).
#include <charconv>
#include <string_view>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/input_checks.hpp"
#include "api/line_auth.hpp"
#include "api/problem.hpp"
#include "api/routes/iptv/iptv_api.hpp"
#include "core/iptv/line_decider.hpp"
#include "events/json_text.hpp"
#include "projections/iptv/line_directory.hpp"

namespace switchyard::api {

namespace json = boost::json;
using projections::iptv::LineRow;

namespace {

/// The line if the credentials are right and the line may use the service now. A source
/// locked out after too many failed sign-ins gets nothing; wrong credentials count towards
/// the lockout (api/access.hpp), as on /v1/auth/login.
std::optional<LineRow> authorize_line(ApiContext& ctx, const HttpRequest& r,
                                      const std::string& username, const std::string& password) {
    if (ctx.lockout.locked_until(r.remote_ip, ctx.clock.now())) return std::nullopt;
    if (username.empty() || password.empty()) return std::nullopt;
    const auto* view = ctx.runner.view(projections::iptv::kLineDirectory);
    if (!view) return std::nullopt;
    auto line = projections::iptv::find_line_by_username(*view, username);
    if (!line || !line_password_matches(ctx.line_secret, password, line->password_hash)) {
        note_failed_sign_in(ctx, r.remote_ip, "xtream");
        return std::nullopt;
    }
    if (!core::iptv::line_usable(line->settings, ctx.clock.now())) return std::nullopt;
    return line;
}

HttpResponse auth_failed() { return json_response(200, R"({"user_info":{"auth":0}})"); }

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

std::string user_and_server_info(ApiContext& ctx, const HttpRequest& r, const LineRow& line,
                                 const std::string& password) {
    const auto& s = line.settings;
    json::array formats;
    for (const auto& f : s.allowed_output_formats) formats.emplace_back(f);
    const auto now = ctx.clock.now();
    const auto url = public_url(ctx, r);
    const bool https = url.scheme == "https";
    const auto secs = core::unix_seconds(now);
    const auto day = std::chrono::floor<std::chrono::days>(now);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss hms{std::chrono::floor<std::chrono::seconds>(now - day)};
    json::object user{
        {"username", line.username},
        {"password", password},
        {"message", ""},
        {"auth", 1},
        {"status", "Active"},
        {"exp_date", s.exp_date ? json::value(std::to_string(*s.exp_date)) : json::value(nullptr)},
        {"is_trial", s.is_trial ? "1" : "0"},
        {"active_cons", "0"},
        {"created_at", std::to_string(line.created_at)},
        {"max_connections", std::to_string(s.max_connections)},
        {"allowed_output_formats", formats}};
    json::object server{
        {"url", url.host},
        {"port", url.port},
        {"https_port", https ? url.port : std::string()},
        {"server_protocol", url.scheme},
        {"rtmp_port", ""},
        {"timezone", "UTC"},
        {"timestamp_now", secs},
        {"time_now", fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", int(ymd.year()),
                                 unsigned(ymd.month()), unsigned(ymd.day()), hms.hours().count(),
                                 hms.minutes().count(), hms.seconds().count())},
        {"process", true}};
    return json::serialize(json::object{{"user_info", user}, {"server_info", server}});
}

/// m3u / m3u_plus playlist of a line (`get.php`); stream URLs point at `/live/...` of this server.
std::string playlist(const ApiContext& ctx, const HttpRequest& r,
                     const projections::iptv::CatalogueSnapshot& snap, const LineRow& line,
                     const std::string& password, bool plus, const std::string& ext) {
    const auto base =
        fmt::format("{}/live/{}/{}/", public_url(ctx, r).base(), line.username, password);
    std::string out = "#EXTM3U\n";
    auto attr = [](std::string_view v) {
        std::string s(v);
        for (auto& c : s) {
            if (c == '"') c = '\'';
        }
        return s;
    };
    for (const auto* s : snap.visible_streams(line.settings.bouquets)) {
        if (plus) {
            const auto* cat = s->category_id ? snap.category(*s->category_id) : nullptr;
            out += fmt::format(
                "#EXTINF:-1 tvg-id=\"{}\" tvg-name=\"{}\" tvg-logo=\"{}\" group-title=\"{}\",{}\n",
                attr(s->tvg_id), attr(s->name), attr(s->logo), attr(cat ? cat->name : ""), s->name);
        } else {
            out += fmt::format("#EXTINF:-1,{}\n", s->name);
        }
        out += fmt::format("{}{}.{}\n", base, s->id, ext);
    }
    return out;
}

}  // namespace

void add_xtream_routes(Router& router, IptvApi& api) {
    auto& ctx = api.ctx;
    auto player_api = [&ctx, &api](HttpRequest& r) {
        const auto& username = r.query_param("username");
        const auto& password = r.query_param("password");
        auto line = authorize_line(ctx, r, username, password);
        if (!line) return auth_failed();
        const auto& action = r.query_param("action");
        if (action.empty())
            return json_response(200, user_and_server_info(ctx, r, *line, password));
        if (action == "get_live_categories") {
            return json_response(
                200, api.catalogue.get()->live_categories_json(line->settings.bouquets));
        }
        if (action == "get_live_streams") {
            std::optional<std::int64_t> category;
            if (r.has_query("category_id") && !r.query_param("category_id").empty()) {
                try {
                    category = std::stoll(r.query_param("category_id"));
                } catch (const std::exception&) {
                    return json_response(200, "[]");
                }
            }
            return json_response(
                200, api.catalogue.get()->live_streams_json(line->settings.bouquets, category));
        }
        // VOD and series kinds are reserved: players get empty lists, as from a panel without them.
        return json_response(200, "[]");
    };
    router.add({"GET", "/player_api.php", player_api, true});
    router.add({"POST", "/player_api.php", player_api, true});

    router.add({"GET", "/get.php",
                [&ctx, &api](HttpRequest& r) {
                    const auto& password = r.query_param("password");
                    auto line = authorize_line(ctx, r, r.query_param("username"), password);
                    if (!line) {
                        HttpResponse resp;
                        resp.status = 401;
                        resp.content_type = "text/plain";
                        resp.body = "invalid username or password, or the line is not active\n";
                        return resp;
                    }
                    const auto type =
                        r.has_query("type") ? r.query_param("type") : std::string("m3u_plus");
                    const auto output =
                        r.has_query("output") ? r.query_param("output") : std::string("ts");
                    if (type != "m3u" && type != "m3u_plus")
                        return problem(core::Errc::Invalid, "type", "must be m3u or m3u_plus");
                    if (output != "ts" && output != "m3u8")
                        return problem(core::Errc::Invalid, "output", "must be ts or m3u8");
                    const auto& formats = line->settings.allowed_output_formats;
                    if (std::find(formats.begin(), formats.end(), output) == formats.end()) {
                        return problem(core::Errc::Forbidden, "output",
                                       fmt::format("this line may not use the {} output", output));
                    }
                    HttpResponse resp;
                    resp.content_type = "audio/x-mpegurl";
                    resp.headers.emplace_back("Content-Disposition",
                                              "attachment; filename=\"playlist.m3u\"");
                    resp.body = playlist(ctx, r, *api.catalogue.get(), *line, password,
                                         type == "m3u_plus", output);
                    return resp;
                },
                true});

    router.add({"GET", "/live/{username}/{password}/{file}",
                [&ctx, &api](HttpRequest& r) {
                    const auto& password = r.params["password"];
                    auto line = authorize_line(ctx, r, r.params["username"], password);
                    HttpResponse resp;
                    resp.content_type = "text/plain";
                    if (!line) {
                        resp.status = 401;
                        resp.body = "invalid username or password, or the line is not active\n";
                        return resp;
                    }
                    const auto& file = r.params["file"];
                    const auto dot = file.rfind('.');
                    const auto ext =
                        dot == std::string::npos ? std::string("ts") : file.substr(dot + 1);
                    // The id is all digits: `1e9.ts`, `1abc.ts`, `+1.ts` and ` 1.ts` name no
                    // stream.
                    std::int64_t id = 0;
                    const std::string_view digits = std::string_view(file).substr(0, dot);
                    const auto [end, ec] =
                        std::from_chars(digits.data(), digits.data() + digits.size(), id);
                    if (digits.empty() || ec != std::errc() ||
                        end != digits.data() + digits.size() || digits.front() == '-') {
                        resp.status = 404;
                        resp.body = "no such stream for this line\n";
                        return resp;
                    }
                    const auto& formats = line->settings.allowed_output_formats;
                    if (std::find(formats.begin(), formats.end(), ext) == formats.end()) {
                        return problem(core::Errc::Forbidden, "output",
                                       fmt::format("this line may not use the {} output", ext));
                    }
                    auto snap = api.catalogue.get();
                    for (const auto* s : snap->visible_streams(line->settings.bouquets)) {
                        if (s->id != id) continue;
                        // Direct-source delivery: the player fetches the source itself.
                        resp.status = 302;
                        resp.headers.emplace_back("Location", s->source_url);
                        return resp;
                    }
                    resp.status = 404;
                    resp.body = "no such stream for this line\n";
                    return resp;
                },
                true});
}

}  // namespace switchyard::api
