#pragma once
/// JSON shapes of IPTV values that several payloads and read models share: a stream's fields
/// (in `iptv.stream.added` and `iptv.stream.updated`) and a line's settings (in
/// `iptv.line.created`, `iptv.line.updated` and the `line_directory` rows).
/// Include only in .cpp files (it pulls in Boost.JSON and simdjson).

#include "core/iptv/catalogue.hpp"
#include "core/iptv/line.hpp"
#include "events/codec_kit.hpp"

namespace switchyard::events::iptv {

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
