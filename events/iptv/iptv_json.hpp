#pragma once
/// JSON shapes of IPTV values that several payloads and read models share: a stream's fields
/// (in `iptv.stream.added` and `iptv.stream.updated`) and a line's settings (in
/// `iptv.line.created`, `iptv.line.updated` and the `line_directory` rows).
/// Include only in .cpp files (it pulls in Boost.JSON and simdjson).

#include <boost/json.hpp>

#include "core/iptv/catalogue.hpp"
#include "core/iptv/line.hpp"
#include "events/json_reader.hpp"

namespace switchyard::events::iptv {

/// `{"name", "source_url", "tvg_id", "logo", "category_id", "epg_channel_id", "http_referrer",
/// "user_agent"}`; `category_id` null when none.
boost::json::object stream_fields_json(const core::iptv::StreamFields& fields);
/// @throws FieldError naming a missing or mistyped field (caught by with_json_object).
core::iptv::StreamFields get_stream_fields(const JsonObject& o);

/// `{"status", "exp_date", "max_connections", "is_trial", "allowed_output_formats",
/// "bouquets"}`; `exp_date` null when the line never expires.
boost::json::object line_settings_json(const core::iptv::LineSettings& settings);
/// @throws FieldError as get_stream_fields (also for an unknown `status`).
core::iptv::LineSettings get_line_settings(const JsonObject& o);

}  // namespace switchyard::events::iptv
