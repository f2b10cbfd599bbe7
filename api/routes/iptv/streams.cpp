// /v1/iptv/streams: list (by category), read, add, update, remove.
#include <boost/json.hpp>

#include "api/json_body.hpp"
#include "api/routes/iptv/iptv_support.hpp"
#include "core/iptv/m3u.hpp"

namespace switchyard::api::iptv {

namespace json = boost::json;
using core::iptv::StreamFields;
using Snapshot = projections::iptv::CatalogueSnapshot;

namespace {

json::object profile_json(const core::iptv::StreamProfile& p) {
    return {{"name", p.name},
            {"video_codec", p.video_codec},
            {"audio_codec", p.audio_codec},
            {"video_bitrate_kbps", p.video_bitrate_kbps},
            {"audio_bitrate_kbps", p.audio_bitrate_kbps},
            {"width", p.width},
            {"height", p.height},
            {"preset", p.preset}};
}

json::object stream_json(const projections::iptv::StreamRow& s) {
    return {{"stream_id", s.id},
            {"name", s.name},
            {"source_url", s.source_url},
            {"tvg_id", s.tvg_id},
            {"logo", s.logo},
            {"category_id", s.category_id ? json::value(*s.category_id) : json::value(nullptr)},
            {"epg_channel_id", s.epg_channel_id},
            {"http_referrer", s.http_referrer},
            {"user_agent", s.user_agent},
            {"direct_source", s.direct_source},
            {"source", s.source},
            {"added", core::format_rfc3339(core::from_unix_seconds(s.added))},
            {"profile", profile_json(s.profile)},
            {"always_on", s.always_on},
            {"tv_archive", s.tv_archive ? 1 : 0},
            {"tv_archive_duration", s.tv_archive_duration}};
}

/// Reads a `profile` object (fields as StreamProfile; absent ones keep `base`'s values).
/// @errors Invalid naming `profile.<field>` for an unknown field or a wrong type; as
/// IptvApi::check_profile.
core::Result<core::iptv::StreamProfile> read_profile(IptvApi& api, const JsonBody& b,
                                                     core::iptv::StreamProfile base) {
    SY_TRY(b.only({"name", "video_codec", "audio_codec", "video_bitrate_kbps", "audio_bitrate_kbps",
                   "width", "height", "preset"}));
    for (auto [key, slot] :
         {std::pair{"name", &base.name}, std::pair{"video_codec", &base.video_codec},
          std::pair{"audio_codec", &base.audio_codec}, std::pair{"preset", &base.preset}})
        if (auto v = SY_TRY(b.opt_string(key))) *slot = *v;
    for (auto [key, slot] : {std::pair{"video_bitrate_kbps", &base.video_bitrate_kbps},
                             std::pair{"audio_bitrate_kbps", &base.audio_bitrate_kbps},
                             std::pair{"width", &base.width}, std::pair{"height", &base.height}})
        if (auto v = SY_TRY(b.opt_int(key))) *slot = *v;
    if (api.check_profile) {
        if (auto checked = api.check_profile(base); !checked) {
            auto e = checked.error();
            e.field = "profile." + e.field;
            return tl::unexpected(std::move(e));
        }
    }
    return base;
}

/// Reads stream fields from a body; with `base` set, absent fields keep its values (PATCH).
/// Without one, `name` and `source_url` are required and `epg_channel_id` defaults from
/// `tvg_id` (core::iptv::epg_channel_of). `profile` is an object of StreamProfile fields
/// (checked with IptvApi::check_profile), `always_on` a boolean, `tv_archive` 0, 1 or a boolean,
/// `tv_archive_duration` days (1 to 30 with an archive); turning the archive off clears it.
core::Result<StreamFields> stream_fields(IptvApi& api, const JsonBody& b,
                                         const StreamFields* base) {
    SY_TRY(b.only({"name", "source_url", "tvg_id", "logo", "category_id", "epg_channel_id",
                   "http_referrer", "user_agent", "direct_source", "profile", "always_on",
                   "tv_archive", "tv_archive_duration"}));
    StreamFields f = base ? *base : StreamFields{};
    auto text = [&](const char* key, std::string& out) -> core::Result<void> {
        if (auto v = SY_TRY(b.opt_string(key))) out = *v;
        return {};
    };
    if (!base) {
        f.name = SY_TRY(b.string("name"));
        f.source_url = SY_TRY(b.string("source_url"));
    } else {
        SY_TRY(text("name", f.name));
        SY_TRY(text("source_url", f.source_url));
    }
    for (auto [key, slot] :
         {std::pair{"tvg_id", &f.tvg_id}, std::pair{"logo", &f.logo},
          std::pair{"epg_channel_id", &f.epg_channel_id},
          std::pair{"http_referrer", &f.http_referrer}, std::pair{"user_agent", &f.user_agent}})
        SY_TRY(text(key, *slot));
    if (auto c = SY_TRY(b.opt_nullable_int("category_id"))) f.category_id = *c;
    if (auto d = SY_TRY(b.opt_bool("direct_source"))) f.direct_source = *d;
    if (!base && !b.has("epg_channel_id")) f.epg_channel_id = core::iptv::epg_channel_of(f.tvg_id);
    if (auto p = SY_TRY(b.opt_object("profile")))
        f.profile = SY_TRY(read_profile(api, *p, f.profile));
    if (auto v = SY_TRY(b.opt_bool("always_on"))) f.always_on = *v;
    // `tv_archive` as Xtream panels send it (0 or 1), or a JSON boolean.
    if (b.has("tv_archive")) {
        auto flag = b.opt_bool("tv_archive");
        if (flag && *flag) {
            f.tv_archive = **flag;
        } else {
            auto n = SY_TRY(b.opt_int("tv_archive"));
            if (n && *n != 0 && *n != 1)
                return core::fail(core::Errc::Invalid, "tv_archive", "must be 0, 1 or a boolean");
            if (n) f.tv_archive = *n == 1;
        }
    }
    if (auto v = SY_TRY(b.opt_int("tv_archive_duration"))) f.tv_archive_duration = *v;
    if (!f.tv_archive && b.has("tv_archive") && !b.has("tv_archive_duration"))
        f.tv_archive_duration = 0;
    return f;
}

/// GET /v1/iptv/streams?category_id=&cursor=&limit=
core::Result<HttpResponse> list_streams(IptvApi& api, HttpRequest& r) {
    const auto category = SY_TRY(id_query(r, "category_id"));
    return catalogue_list(api, r, &Snapshot::streams, stream_json,
                          [&](const auto& s) { return !category || s.category_id == category; });
}

/// GET /v1/iptv/streams/{id}
core::Result<HttpResponse> get_stream(IptvApi& api, HttpRequest& r) {
    return catalogue_item(api, r, "stream", &Snapshot::stream, stream_json);
}

/// POST /v1/iptv/streams {"name", "source_url", ...}
core::Result<HttpResponse> add_stream(IptvApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    core::iptv::AddStream c{SY_TRY(stream_fields(api, b, nullptr)), ""};
    auto o = SY_TRY(execute(api, r, c));
    return answer_created({{"stream_id", o.id}}, o);
}

/// PATCH /v1/iptv/streams/{id}: the fields the body names change.
core::Result<HttpResponse> update_stream(IptvApi& api, HttpRequest& r) {
    const auto id = SY_TRY(id_param(r, "id"));
    auto b = SY_TRY(JsonBody::parse(r.body));
    auto current = api.iptv.stream(id);
    if (!current) return not_found("stream", id);
    core::iptv::UpdateStream c{id, SY_TRY(stream_fields(api, b, &current->fields))};
    auto o = SY_TRY(execute(api, r, c));
    return answer(200, {{"stream_id", id}}, o.positions);
}

/// DELETE /v1/iptv/streams/{id}
core::Result<HttpResponse> remove_stream(IptvApi& api, HttpRequest& r) {
    return delete_by_id<core::iptv::RemoveStream>(api, r, "stream_id");
}

}  // namespace

IptvRoutes stream_routes() {
    return {
        {"GET", "/v1/iptv/streams", roles::staff_read, list_streams,
         "Streams of the catalogue in id order, of one category with `category_id`, "
         "cursor-paginated."},
        {"GET", "/v1/iptv/streams/{id}", roles::staff_read, get_stream, "One stream."},
        {"POST", "/v1/iptv/streams", roles::admin, add_stream,
         "Adds a stream; repeating the same request answers 200 with its id."},
        {"PATCH", "/v1/iptv/streams/{id}", roles::admin, update_stream,
         "Changes the fields of a stream that the body names."},
        {"DELETE", "/v1/iptv/streams/{id}", roles::admin, remove_stream, "Removes a stream."},
    };
}

}  // namespace switchyard::api::iptv
