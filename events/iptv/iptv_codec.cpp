#include "events/iptv/iptv_codec.hpp"

#include "events/codec_kit.hpp"
#include "events/iptv/iptv_json.hpp"

namespace switchyard::events::iptv {

using namespace core::iptv;

json::object stream_fields_json(const StreamFields& f) {
    return {{"name", f.name},
            {"source_url", f.source_url},
            {"tvg_id", f.tvg_id},
            {"logo", f.logo},
            {"category_id", opt(f.category_id)},
            {"epg_channel_id", f.epg_channel_id},
            {"http_referrer", f.http_referrer},
            {"user_agent", f.user_agent}};
}

StreamFields get_stream_fields(const JsonObject& o) {
    return {o.str("name"),          o.str("source_url"),      o.str("tvg_id"),
            o.str("logo"),          o.opt_i64("category_id"), o.str("epg_channel_id"),
            o.str("http_referrer"), o.str("user_agent")};
}

json::object line_settings_json(const LineSettings& s) {
    return {{"status", to_string(s.status)},
            {"exp_date", opt(s.exp_date)},
            {"max_connections", s.max_connections},
            {"is_trial", s.is_trial},
            {"allowed_output_formats", strings(s.allowed_output_formats)},
            {"bouquets", ids(s.bouquets)}};
}

LineSettings get_line_settings(const JsonObject& o) {
    return {o.enumerated("status", parse_line_status),
            o.opt_i64("exp_date"),
            o.i64("max_connections"),
            o.boolean("is_trial"),
            o.str_list("allowed_output_formats"),
            o.i64_list("bouquets")};
}

namespace {

/// `{"<id_key>": id}` followed by the fields of `rest`.
json::object with_id(const char* id_key, std::int64_t id, const json::object& rest) {
    json::object o{{id_key, id}};
    merge(o, rest);
    return o;
}

/// The payloads of the IPTV events (events/codec_kit.hpp).
struct Codec {
    // ---- catalogue ----
    static json::object put(const CategoryCreated& e) {
        return {{"category_id", e.category_id},
                {"name", e.name},
                {"kind", to_string(e.kind)},
                {"parent_id", e.parent_id}};
    }
    static CategoryCreated get(const JsonObject& o, As<CategoryCreated>) {
        return {o.i64("category_id"), o.str("name"), o.enumerated("kind", parse_category_kind),
                o.i64("parent_id")};
    }
    static json::object put(const CategoryRenamed& e) {
        return {{"category_id", e.category_id}, {"name", e.name}};
    }
    static CategoryRenamed get(const JsonObject& o, As<CategoryRenamed>) {
        return {o.i64("category_id"), o.str("name")};
    }
    static json::object put(const CategoryDeleted& e) {
        return {{"category_id", e.category_id},
                {"streams_moved_to", opt(e.streams_moved_to)},
                {"moved_stream_ids", ids(e.moved_stream_ids)}};
    }
    static CategoryDeleted get(const JsonObject& o, As<CategoryDeleted>) {
        return {o.i64("category_id"), o.opt_i64("streams_moved_to"),
                o.i64_list("moved_stream_ids")};
    }
    static json::object put(const StreamAdded& e) {
        auto o = with_id("stream_id", e.stream_id, stream_fields_json(e.fields));
        o["added"] = core::format_rfc3339(e.added);
        o["source"] = e.source;
        return o;
    }
    static StreamAdded get(const JsonObject& o, As<StreamAdded>) {
        return {o.i64("stream_id"), get_stream_fields(o), o.time("added"), o.str("source")};
    }
    static json::object put(const StreamUpdated& e) {
        return with_id("stream_id", e.stream_id, stream_fields_json(e.fields));
    }
    static StreamUpdated get(const JsonObject& o, As<StreamUpdated>) {
        return {o.i64("stream_id"), get_stream_fields(o)};
    }
    static json::object put(const StreamRemoved& e) { return {{"stream_id", e.stream_id}}; }
    static StreamRemoved get(const JsonObject& o, As<StreamRemoved>) {
        return {o.i64("stream_id")};
    }
    /// A bouquet's events carry all its fields.
    template <OneOf<BouquetCreated, BouquetUpdated> E>
    static json::object put(const E& e) {
        return {{"bouquet_id", e.bouquet_id},
                {"name", e.name},
                {"category_ids", ids(e.category_ids)},
                {"stream_ids", ids(e.stream_ids)}};
    }
    template <OneOf<BouquetCreated, BouquetUpdated> E>
    static E get(const JsonObject& o, As<E>) {
        return {o.i64("bouquet_id"), o.str("name"), o.i64_list("category_ids"),
                o.i64_list("stream_ids")};
    }
    static json::object put(const BouquetDeleted& e) { return {{"bouquet_id", e.bouquet_id}}; }
    static BouquetDeleted get(const JsonObject& o, As<BouquetDeleted>) {
        return {o.i64("bouquet_id")};
    }
    static json::object put(const PlaylistImported& e) {
        return {{"source", e.source},
                {"entries", e.entries},
                {"created", e.created},
                {"unchanged", e.unchanged},
                {"invalid", e.invalid}};
    }
    static PlaylistImported get(const JsonObject& o, As<PlaylistImported>) {
        return {o.str("source"), o.i64("entries"), o.i64("created"), o.i64("unchanged"),
                o.i64("invalid")};
    }

    // ---- unique names ----
    /// A claim and its release: `{"kind", "name", "id"}`.
    template <OneOf<NameClaimed, NameReleased> E>
    static json::object put(const E& e) {
        return {{"kind", to_string(e.kind)}, {"name", e.name}, {"id", e.id}};
    }
    template <OneOf<NameClaimed, NameReleased> E>
    static E get(const JsonObject& o, As<E>) {
        return {o.enumerated("kind", parse_claim_kind), o.str("name"), o.i64("id")};
    }

    // ---- line registry ----
    static json::object put(const UsernameClaimed& e) {
        return {{"username", e.username}, {"line_id", e.line_id}, {"command_id", e.command_id}};
    }
    static UsernameClaimed get(const JsonObject& o, As<UsernameClaimed>) {
        return {o.str("username"), o.i64("line_id"), o.str("command_id")};
    }
    static json::object put(const UsernameReleased& e) {
        return {{"username", e.username}, {"line_id", e.line_id}};
    }
    static UsernameReleased get(const JsonObject& o, As<UsernameReleased>) {
        return {o.str("username"), o.i64("line_id")};
    }

    // ---- lines ----
    static json::object put(const LineCreated& e) {
        json::object o{
            {"line_id", e.line_id}, {"username", e.username}, {"password_hash", e.password_hash}};
        merge(o, line_settings_json(e.settings));
        o["created_at"] = core::format_rfc3339(e.created_at);
        o["owner_path"] = e.owner_path;
        return o;
    }
    static LineCreated get(const JsonObject& o, As<LineCreated>) {
        auto owner = o.opt_str("owner_path");  // absent before owners existed
        return {o.i64("line_id"),     o.str("username"),    o.str("password_hash"),
                get_line_settings(o), o.time("created_at"), owner.empty() ? "/" : owner};
    }
    static json::object put(const LineUpdated& e) {
        return with_id("line_id", e.line_id, line_settings_json(e.settings));
    }
    static LineUpdated get(const JsonObject& o, As<LineUpdated>) {
        return {o.i64("line_id"), get_line_settings(o)};
    }
    static json::object put(const LinePasswordChanged& e) {
        return {{"line_id", e.line_id}, {"password_hash", e.password_hash}};
    }
    static LinePasswordChanged get(const JsonObject& o, As<LinePasswordChanged>) {
        return {o.i64("line_id"), o.str("password_hash")};
    }
    static json::object put(const LineDeleted& e) {
        return {{"line_id", e.line_id}, {"username", e.username}};
    }
    static LineDeleted get(const JsonObject& o, As<LineDeleted>) {
        return {o.i64("line_id"), o.str("username")};
    }
};

}  // namespace

EncodedEvent encode(const CatalogueEvent& event) { return encode_as<Codec>(event); }
EncodedEvent encode(const LineRegistryEvent& event) { return encode_as<Codec>(event); }
EncodedEvent encode(const LineEvent& event) { return encode_as<Codec>(event); }
EncodedEvent encode(const ClaimEvent& event) { return encode_as<Codec>(event); }

core::Result<CatalogueEvent> decode_catalogue_event(const RecordedEvent& e) {
    return decode_as<Codec, CatalogueEvent>(e);
}
core::Result<LineRegistryEvent> decode_line_registry_event(const RecordedEvent& e) {
    return decode_as<Codec, LineRegistryEvent>(e);
}
core::Result<ClaimEvent> decode_claim_event(const RecordedEvent& e) {
    return decode_as<Codec, ClaimEvent>(e);
}
core::Result<LineEvent> decode_line_event(const RecordedEvent& e) {
    return decode_as<Codec, LineEvent>(e);
}

}  // namespace switchyard::events::iptv
