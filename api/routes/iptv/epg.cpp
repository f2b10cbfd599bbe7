// The programme guide (EPG): XMLTV imports (`POST /v1/iptv/epg/imports`), the line's guide
// (`/xmltv.php`) and the `player_api.php` actions `get_short_epg` and `get_simple_data_table`.
//
// The shape of an EPG listing follows what Xtream Codes panels send and clients read:
// tellytv/go.xtream-codes structs.go (`EPGInfo`: `id` and `epg_id` strings holding integers,
// `title` and `description` base64, `lang`, `start` and `end` as `YYYY-MM-DD hh:mm:ss`,
// `channel_id`, `start_timestamp` and `stop_timestamp` Unix times (quoted by panels),
// `now_playing` and `has_archive` 0/1) inside `{"epg_listings":[...]}`; the same fields in the
// Android client model `EPGListing` of cactuvi (timestamps as strings). Times are given in the
// server's timezone, which `server_info` announces as UTC.
#include <chrono>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/gzip.hpp"
#include "api/json_body.hpp"
#include "api/routes/iptv/iptv_support.hpp"
#include "core/base64.hpp"
#include "core/iptv/epg.hpp"
#include "core/iptv/epg_mapping.hpp"
#include "core/iptv/xmltv.hpp"
#include "projections/iptv/epg_guide.hpp"

namespace switchyard::api::iptv {

namespace json = boost::json;
using core::Errc;
using projections::iptv::ChannelSourceRow;
using projections::iptv::LineRow;

namespace {

/// Largest guide accepted after inflating a gzip body.
constexpr std::size_t kMaxGuideBytes = std::size_t{512} << 20;
constexpr std::int64_t kForever = std::numeric_limits<std::int64_t>::max();

/// `YYYY-MM-DD hh:mm:ss` of Unix seconds, in UTC (the server's timezone).
std::string xtream_time(std::int64_t unix_seconds) {
    const std::chrono::sys_seconds t{std::chrono::seconds{unix_seconds}};
    const auto day = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day ymd{day};
    const std::chrono::hh_mm_ss hms{t - day};
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", int(ymd.year()),
                       unsigned(ymd.month()), unsigned(ymd.day()), hms.hours().count(),
                       hms.minutes().count(), hms.seconds().count());
}

/// The guide channels now served, for the mapper.
std::vector<core::iptv::GuideChannelNames> mapper_channels(
    const std::vector<ChannelSourceRow>& rows) {
    std::vector<core::iptv::GuideChannelNames> out;
    out.reserve(rows.size());
    for (const auto& row : rows) out.push_back({row.channel_id, row.display_names});
    return out;
}

/// POST /v1/iptv/epg/imports?source=<name>&priority=<0..1000> with an XMLTV guide as the body
/// (plain or gzip): the guide into the log, answered with its counts, how many of its channels
/// map to streams of the catalogue, and the refused items by line.
core::Result<HttpResponse> import_xmltv(IptvApi& api, HttpRequest& r) {
    if (!api.epg) return core::fail(Errc::Internal, "epg", "the EPG service is not running");
    const auto& source = r.query_param("source");
    SY_TRY(core::iptv::validate_epg_source(source));
    const auto priority = SY_TRY(int_query(r, "priority", 0, 0, 1000));
    std::string inflated;
    std::string_view body = r.body;
    if (core::is_gzip(body) || r.header("content-encoding") == "gzip") {
        auto text = core::gunzip(body, kMaxGuideBytes);
        if (!text) return core::fail(Errc::Invalid, "body", "is not a valid gzip stream");
        inflated = std::move(*text);
        body = inflated;
    }
    auto guide = core::iptv::parse_xmltv(body);
    json::array problems;
    for (const auto& p : guide.invalid)
        problems.push_back({{"line", p.line}, {"reason", p.reason}});
    if (guide.channels.empty() && guide.programmes.empty()) {
        return problem(
            core::Error{Errc::Rejected, "body", "the guide has no usable <channel> or <programme>"},
            {{"channels", 0}, {"programmes", 0}, {"invalid", std::move(problems)}});
    }
    // Which of the guide's channels the catalogue's streams map to.
    std::vector<core::iptv::GuideChannelNames> names;
    std::set<std::string> ids;
    for (const auto& c : guide.channels) {
        if (ids.insert(c.id).second) names.push_back({c.id, c.display_names});
    }
    for (const auto& p : guide.programmes) {
        if (ids.insert(p.channel).second) names.push_back({p.channel, {}});
    }
    const auto* view = api.ctx.runner.view(projections::iptv::kEpgGuide);
    const core::iptv::EpgMapper mapper(
        names, api.channel_directory,
        view ? projections::iptv::epg_overrides(*view) : std::map<std::int64_t, std::string>{});
    std::set<std::string> mapped;
    for (const auto& s : api.catalogue.get()->streams()) {
        auto id = mapper.map(s.id, s.epg_channel_id, s.name);
        if (id && ids.count(*id)) mapped.insert(*id);
    }
    json::array unmapped;
    for (const auto& n : names) {
        if (!mapped.count(n.id)) unmapped.emplace_back(n.id);
    }
    core::iptv::ImportGuide cmd{source, priority, std::move(guide.channels),
                                std::move(guide.programmes),
                                static_cast<std::int64_t>(guide.invalid.size())};
    auto o = SY_TRY(api.epg->execute(cmd, decision_context(api.ctx, r, caller_of(r).actor)));
    const auto& s = o.summary;
    return answer(200,
                  {{"source", source},
                   {"priority", priority},
                   {"channels", s.channels},
                   {"programmes", s.programmes},
                   {"changed", s.changed},
                   {"unchanged", s.unchanged},
                   {"mapped", static_cast<std::int64_t>(mapped.size())},
                   {"unmapped", static_cast<std::int64_t>(unmapped.size())},
                   {"unmapped_channels", std::move(unmapped)},
                   {"invalid", std::move(problems)}},
                  o.positions);
}

/// PUT /v1/iptv/epg/mappings/{id} with `{"channel_id": "<XMLTV channel id>"}`: ties stream
/// `{id}` to a guide channel, over the automatic mapping; an empty `channel_id` unties it.
core::Result<HttpResponse> set_mapping(IptvApi& api, HttpRequest& r) {
    if (!api.epg) return core::fail(Errc::Internal, "epg", "the EPG service is not running");
    const auto id = SY_TRY(id_param(r, "id"));
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"channel_id"}));
    auto channel = SY_TRY(b.string("channel_id"));
    if (!api.iptv.stream(id)) return not_found("stream", id);
    auto o = SY_TRY(api.epg->execute(core::iptv::SetEpgMapping{id, channel},
                                     decision_context(api.ctx, r, caller_of(r).actor)));
    return answer(200, {{"stream_id", id}, {"channel_id", channel}}, o.positions);
}

/// PUT /v1/iptv/epg/programmes with `{"source", "channel_id", "start", "stop", "title",
/// "sub_title"?, "desc"?, "categories"?, "episode_num"?, "icon"?, "lang"?}` (times in Unix
/// seconds): creates or changes the programme of that start (the programme editor).
core::Result<HttpResponse> save_programme(IptvApi& api, HttpRequest& r) {
    if (!api.epg) return core::fail(Errc::Internal, "epg", "the EPG service is not running");
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"source", "channel_id", "start", "stop", "title", "sub_title", "desc",
                   "categories", "episode_num", "icon", "lang"}));
    core::iptv::SaveProgramme c;
    c.source = SY_TRY(b.string("source"));
    c.channel_id = SY_TRY(b.string("channel_id"));
    auto& p = c.programme;
    const auto start = SY_TRY(b.opt_int("start"));
    const auto stop = SY_TRY(b.opt_int("stop"));
    if (!start) return core::fail(Errc::Invalid, "start", "is required: Unix seconds");
    if (!stop) return core::fail(Errc::Invalid, "stop", "is required: Unix seconds");
    p.start = *start;
    p.stop = *stop;
    p.title = SY_TRY(b.string("title"));
    p.sub_title = SY_TRY(b.opt_string("sub_title")).value_or("");
    p.desc = SY_TRY(b.opt_string("desc")).value_or("");
    p.categories = SY_TRY(b.opt_string_list("categories")).value_or(std::vector<std::string>{});
    p.episode_num = SY_TRY(b.opt_string("episode_num")).value_or("");
    p.icon = SY_TRY(b.opt_string("icon")).value_or("");
    p.lang = SY_TRY(b.opt_string("lang")).value_or("");
    auto o = SY_TRY(api.epg->execute(c, decision_context(api.ctx, r, caller_of(r).actor)));
    return answer(200,
                  {{"source", c.source},
                   {"channel_id", c.channel_id},
                   {"start", p.start},
                   {"changed", o.changed}},
                  o.positions);
}

/// DELETE /v1/iptv/epg/programmes?source=&channel_id=&start=: deletes the programme of that
/// start (the programme editor); deleting one that is gone answers 200 and changes nothing.
core::Result<HttpResponse> delete_programme(IptvApi& api, HttpRequest& r) {
    if (!api.epg) return core::fail(Errc::Internal, "epg", "the EPG service is not running");
    core::iptv::DeleteProgramme c;
    c.source = r.query_param("source");
    c.channel_id = r.query_param("channel_id");
    if (c.channel_id.empty())
        return core::fail(Errc::Invalid, "channel_id", "is required: the XMLTV channel id");
    const auto start =
        SY_TRY(opt_int_query(r, "start", 0, std::numeric_limits<std::int32_t>::max()));
    if (!start) return core::fail(Errc::Invalid, "start", "is required: Unix seconds");
    c.start = *start;
    auto o = SY_TRY(api.epg->execute(c, decision_context(api.ctx, r, caller_of(r).actor)));
    return answer(200,
                  {{"source", c.source},
                   {"channel_id", c.channel_id},
                   {"start", c.start},
                   {"deleted", true},
                   {"changed", o.changed}},
                  o.positions);
}

/// A plain-text answer (xmltv.php refusals, as panels give them).
HttpResponse text_answer(int status, const char* body) {
    HttpResponse resp;
    resp.status = status;
    resp.content_type = "text/plain";
    resp.body = body;
    return resp;
}

/// The XMLTV document of the streams `bouquets` sees (see xmltv()), rendered from the guide
/// model `view` and the catalogue snapshot `catalogue`; programmes ending after `from`.
std::string render_xmltv(IptvApi& api, const projections::ReadModelView& view,
                         const projections::iptv::CatalogueSnapshot& catalogue,
                         const std::vector<std::int64_t>& bouquets, std::int64_t from) {
    std::vector<core::iptv::XmltvChannel> channels;
    std::vector<core::iptv::XmltvProgramme> programmes;
    const auto rows = projections::iptv::guide_channels(view);
    std::map<std::string, const ChannelSourceRow*> by_id;
    for (const auto& row : rows) by_id[row.channel_id] = &row;
    const core::iptv::EpgMapper mapper(mapper_channels(rows), api.channel_directory,
                                       projections::iptv::epg_overrides(view));
    std::set<std::string> written;
    for (const auto* s : catalogue.visible_streams(bouquets)) {
        const auto guide_id = mapper.map(s->id, s->epg_channel_id, s->name);
        if (!guide_id) continue;
        const auto out_id = s->epg_channel_id.empty() ? *guide_id : s->epg_channel_id;
        const auto found = by_id.find(*guide_id);
        if (found == by_id.end()) continue;
        const auto& row = *found->second;
        if (!written.insert(out_id).second) continue;
        channels.push_back(
            {0, out_id, {s->name}, s->logo.empty() ? row.icon : s->logo, std::string()});
        for (auto& p : projections::iptv::guide_programmes(view, row, from, kForever)) {
            programmes.push_back({0, out_id, p.start, p.stop, std::move(p.title),
                                  std::move(p.sub_title), std::move(p.desc),
                                  std::move(p.categories), std::move(p.episode_num),
                                  std::move(p.icon), std::move(p.lang)});
        }
    }
    return core::iptv::write_xmltv(channels, programmes);
}

}  // namespace
}  // namespace switchyard::api::iptv

namespace switchyard::api {

/// Rendered `/xmltv.php` bodies per bouquet set and encoding, valid while the catalogue
/// snapshot, the guide model's version and the retention window's hour stay the same (a guide
/// of 4,500 programmes takes tens of milliseconds to render and more to compress).
struct XmltvCache {
    std::mutex mu;
    std::shared_ptr<const projections::iptv::CatalogueSnapshot> catalogue;
    std::string guide_version;
    std::int64_t from = 0;
    std::map<std::pair<std::vector<std::int64_t>, bool>, std::shared_ptr<const std::string>> bodies;
};

std::shared_ptr<XmltvCache> make_xmltv_cache() { return std::make_shared<XmltvCache>(); }

}  // namespace switchyard::api

namespace switchyard::api::iptv {
namespace {

/// At most this many bouquet sets and encodings are kept; the cache starts over beyond.
constexpr std::size_t kXmltvCacheEntries = 256;

/// GET /xmltv.php?username=&password=: the XMLTV guide of the streams the line sees, one
/// `<channel>` per guide channel id (the stream's `epg_channel_id`, else the guide channel it
/// maps to), programmes within the retention window (counted from the start of the hour);
/// gzip when the player accepts it. Rendered bodies are cached (XmltvCache).
core::Result<HttpResponse> xmltv(IptvApi& api, HttpRequest& r) {
    auto line = authorize_line(api, r, r.query_param("username"), r.query_param("password"));
    if (!line) return text_answer(401, "invalid username or password, or the line is not active\n");
    const bool gzip = accepts_gzip(r);
    const auto now = core::unix_seconds(api.ctx.clock.now());
    const auto from = now - now % 3600 - std::int64_t{api.epg_retention_days} * 86400;
    const auto catalogue = api.catalogue.get();
    const auto* view = api.ctx.runner.view(projections::iptv::kEpgGuide);
    const auto version = view ? projections::iptv::guide_version(*view) : std::string();
    const auto& bouquets = line->settings.bouquets;
    std::shared_ptr<const std::string> body;
    auto& cache = *api.xmltv_cache;
    const bool cacheable = view == nullptr || !version.empty();
    if (cacheable) {
        std::lock_guard lock(cache.mu);
        if (cache.catalogue != catalogue || cache.guide_version != version || cache.from != from) {
            cache.bodies.clear();
            cache.catalogue = catalogue;
            cache.guide_version = version;
            cache.from = from;
        }
        if (auto hit = cache.bodies.find({bouquets, gzip}); hit != cache.bodies.end())
            body = hit->second;
    }
    if (!body) {
        auto text = view ? render_xmltv(api, *view, *catalogue, bouquets, from)
                         : core::iptv::write_xmltv({}, {});
        body = std::make_shared<const std::string>(gzip ? core::gzip(text) : std::move(text));
        if (cacheable) {
            std::lock_guard lock(cache.mu);
            if (cache.catalogue == catalogue && cache.guide_version == version &&
                cache.from == from) {
                if (cache.bodies.size() >= kXmltvCacheEntries) cache.bodies.clear();
                cache.bodies.emplace(std::make_pair(bouquets, gzip), body);
            }
        }
    }
    HttpResponse resp;
    resp.content_type = "application/xml; charset=utf-8";
    resp.body = *body;
    if (gzip) resp.headers.emplace_back("Content-Encoding", "gzip");
    resp.headers.emplace_back("Vary", "Accept-Encoding");
    return resp;
}

/// One listing as panels send it; `now_playing` and `has_archive` only in
/// get_simple_data_table.
json::object listing(const core::iptv::EpgProgramme& p, const std::string& channel_id,
                     std::int64_t now, bool simple) {
    json::object o{{"id", std::to_string(p.start)},
                   {"epg_id", "1"},
                   {"title", core::base64_encode(p.title)},
                   {"lang", p.lang},
                   {"start", xtream_time(p.start)},
                   {"end", xtream_time(p.stop)},
                   {"description", core::base64_encode(p.desc)},
                   {"channel_id", channel_id},
                   {"start_timestamp", std::to_string(p.start)},
                   {"stop_timestamp", std::to_string(p.stop)}};
    if (simple) {
        o["now_playing"] = p.start <= now && now < p.stop ? 1 : 0;
        o["has_archive"] = 0;
    }
    return o;
}

/// A positive integer query parameter, required. @errors Invalid naming it.
core::Result<std::int64_t> required_id(const HttpRequest& r, const char* name) {
    auto id = SY_TRY(id_query(r, name));
    if (!id) return core::fail(Errc::Invalid, name, "is required: a positive integer");
    return *id;
}

}  // namespace

std::optional<core::Result<HttpResponse>> epg_action(IptvApi& api, const HttpRequest& r,
                                                     const LineRow& line,
                                                     const std::string& action) {
    const bool simple = action == "get_simple_data_table";
    if (!simple && action != "get_short_epg") return std::nullopt;
    auto run = [&]() -> core::Result<HttpResponse> {
        const auto stream_id = SY_TRY(required_id(r, "stream_id"));
        // Panels send 4 listings when the player names no limit.
        long long limit = 0;
        if (!simple) limit = SY_TRY(int_query(r, "limit", 4, 1, 1000));
        const auto now = core::unix_seconds(api.ctx.clock.now());
        json::array listings;
        const auto* view = api.ctx.runner.view(projections::iptv::kEpgGuide);
        const projections::iptv::StreamRow* stream = nullptr;
        for (const auto* s : api.catalogue.get()->visible_streams(line.settings.bouquets)) {
            if (s->id == stream_id) stream = s;
        }
        if (view && stream) {
            const auto rows = projections::iptv::guide_channels(*view);
            const core::iptv::EpgMapper mapper(mapper_channels(rows), api.channel_directory,
                                               projections::iptv::epg_overrides(*view));
            if (auto guide_id = mapper.map(stream->id, stream->epg_channel_id, stream->name)) {
                const auto row = projections::iptv::guide_channel(*view, *guide_id);
                const auto from = simple ? now - std::int64_t{api.epg_retention_days} * 86400 : now;
                const auto channel_id =
                    stream->epg_channel_id.empty() ? *guide_id : stream->epg_channel_id;
                if (row) {
                    for (const auto& p : projections::iptv::guide_programmes(
                             *view, *row, from, kForever, static_cast<std::size_t>(limit)))
                        listings.push_back(listing(p, channel_id, now, simple));
                }
            }
        }
        return json_response(200, json::serialize(json::object{{"epg_listings", listings}}));
    };
    return run();
}

IptvRoutes epg_routes() {
    return {
        {"POST", "/v1/iptv/epg/imports", roles::admin, import_xmltv,
         "Imports an XMLTV guide (plain or gzip) from a named `source` with a `priority`; "
         "answers channel, programme, mapped and unmapped counts and the refused items by line."},
        {"PUT", "/v1/iptv/epg/programmes", roles::admin, save_programme,
         "Programme editor: creates or changes the programme of `start` on a source's guide "
         "channel."},
        {"DELETE", "/v1/iptv/epg/programmes", roles::admin, delete_programme,
         "Programme editor: deletes the programme of `start` (query) from a source's guide "
         "channel."},
        {"PUT", "/v1/iptv/epg/mappings/{id}", roles::admin, set_mapping,
         "Ties stream `{id}` to an XMLTV guide channel over the automatic mapping (`channel_id`; "
         "empty unties it)."},
        {"GET",
         "/xmltv.php",
         {},
         xmltv,
         "The line's XMLTV guide: the channels of the streams it sees (gzip when accepted).",
         Reach::Public},
    };
}

}  // namespace switchyard::api::iptv
