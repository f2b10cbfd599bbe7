#pragma once
/// JSON shapes of IPTV values that several payloads and read models share: a stream's fields
/// (in `iptv.stream.added` and `iptv.stream.updated`) and a line's settings (in
/// `iptv.line.created`, `iptv.line.updated` and the `line_directory` rows).
/// Include only in .cpp files (it pulls in Boost.JSON and simdjson).

#include "core/iptv/catalogue.hpp"
#include "core/iptv/line.hpp"
#include "events/codec_kit.hpp"

namespace switchyard::events::iptv {

/// A stream's transcoding profile: `{"name", "video_codec", "audio_codec",
/// "video_bitrate_kbps", "audio_bitrate_kbps", "width", "height", "preset"}`.
inline constexpr auto kStreamProfile =
    fields(field("name", &core::iptv::StreamProfile::name),
           field("video_codec", &core::iptv::StreamProfile::video_codec),
           field("audio_codec", &core::iptv::StreamProfile::audio_codec),
           field("video_bitrate_kbps", &core::iptv::StreamProfile::video_bitrate_kbps),
           field("audio_bitrate_kbps", &core::iptv::StreamProfile::audio_bitrate_kbps),
           field("width", &core::iptv::StreamProfile::width),
           field("height", &core::iptv::StreamProfile::height),
           field("preset", &core::iptv::StreamProfile::preset));

/// Writes the worker settings of a stream that differ from the defaults into `o` (so that the
/// events of streams without them keep their earlier shape): `"profile": {kStreamProfile}`
/// unless copy, `"always_on": true`, `"tv_archive": 1` with `"tv_archive_duration"` (days).
inline void put_stream_settings(json::object& o, const core::iptv::StreamFields& f) {
    if (f.profile != core::iptv::StreamProfile{}) o["profile"] = to_json(f.profile, kStreamProfile);
    if (f.always_on) o["always_on"] = true;
    if (f.tv_archive) o["tv_archive"] = 1;
    if (f.tv_archive_duration) o["tv_archive_duration"] = f.tv_archive_duration;
}
/// Reads what put_stream_settings wrote; absent keys keep the defaults.
/// @throws FieldError naming a mistyped field.
inline void get_stream_settings(const JsonObject& o, core::iptv::StreamFields& f) {
    if (o.is_set("profile"))
        f.profile = from_json<core::iptv::StreamProfile>(o.obj("profile"), kStreamProfile);
    f.always_on = o.opt_boolean("always_on", false);
    f.tv_archive = o.opt_i64("tv_archive").value_or(0) != 0;
    f.tv_archive_duration = o.opt_i64("tv_archive_duration").value_or(0);
}

/// A stream's fields (events/codec_kit.hpp field table): `{"name", "source_url", "tvg_id",
/// "logo", "category_id", "epg_channel_id", "http_referrer", "user_agent", "direct_source"}`
/// (`direct_source` left out when false in older events: read as false); `category_id` null when
/// none.
inline constexpr auto kStreamFields =
    fields(field("name", &core::iptv::StreamFields::name),
           field("source_url", &core::iptv::StreamFields::source_url),
           field("tvg_id", &core::iptv::StreamFields::tvg_id),
           field("logo", &core::iptv::StreamFields::logo),
           field("category_id", &core::iptv::StreamFields::category_id),
           field("epg_channel_id", &core::iptv::StreamFields::epg_channel_id),
           field("http_referrer", &core::iptv::StreamFields::http_referrer),
           field("user_agent", &core::iptv::StreamFields::user_agent),
           optional_field("direct_source", &core::iptv::StreamFields::direct_source));

/// A line's settings: `{"status", "exp_date", "max_connections", "is_trial",
/// "allowed_output_formats", "bouquets", "signed_url_ttl_s"}`; `exp_date` null when the line
/// never expires; `signed_url_ttl_s` absent in older events (read as 0).
inline constexpr auto kLineSettings =
    fields(field("status", &core::iptv::LineSettings::status, core::iptv::parse_line_status),
           field("exp_date", &core::iptv::LineSettings::exp_date),
           field("max_connections", &core::iptv::LineSettings::max_connections),
           field("is_trial", &core::iptv::LineSettings::is_trial),
           field("allowed_output_formats", &core::iptv::LineSettings::allowed_output_formats),
           field("bouquets", &core::iptv::LineSettings::bouquets),
           optional_field("signed_url_ttl_s", &core::iptv::LineSettings::signed_url_ttl_s));

}  // namespace switchyard::events::iptv
