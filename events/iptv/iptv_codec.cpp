#include "events/iptv/iptv_codec.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>

#include "events/json_reader.hpp"

namespace switchyard::events::iptv {

using namespace core::iptv;
namespace json = boost::json;

namespace {

json::value opt(const std::optional<std::int64_t>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

json::array ids(const std::vector<std::int64_t>& v) { return json::array(v.begin(), v.end()); }

json::array strings(const std::vector<std::string>& v) {
    json::array a;
    for (const auto& s : v) a.emplace_back(s);
    return a;
}

void put_fields(json::object& o, const StreamFields& f) {
    o["name"] = f.name;
    o["source_url"] = f.source_url;
    o["tvg_id"] = f.tvg_id;
    o["logo"] = f.logo;
    o["category_id"] = opt(f.category_id);
    o["epg_channel_id"] = f.epg_channel_id;
    o["http_referrer"] = f.http_referrer;
    o["user_agent"] = f.user_agent;
}

StreamFields get_fields(const JsonObject& o) {
    StreamFields f;
    f.name = o.str("name");
    f.source_url = o.str("source_url");
    f.tvg_id = o.str("tvg_id");
    f.logo = o.str("logo");
    f.category_id = o.opt_i64("category_id");
    f.epg_channel_id = o.str("epg_channel_id");
    f.http_referrer = o.str("http_referrer");
    f.user_agent = o.str("user_agent");
    return f;
}

void put_settings(json::object& o, const LineSettings& s) {
    o["status"] = to_string(s.status);
    o["exp_date"] = opt(s.exp_date);
    o["max_connections"] = s.max_connections;
    o["is_trial"] = s.is_trial;
    o["allowed_output_formats"] = strings(s.allowed_output_formats);
    o["bouquets"] = ids(s.bouquets);
}

LineSettings get_settings(const JsonObject& o) {
    LineSettings s;
    if (!parse_line_status(o.str("status"), s.status)) throw FieldError{"status"};
    s.exp_date = o.opt_i64("exp_date");
    s.max_connections = o.i64("max_connections");
    s.is_trial = o.boolean("is_trial");
    s.allowed_output_formats = o.str_list("allowed_output_formats");
    s.bouquets = o.i64_list("bouquets");
    return s;
}

EncodedEvent make(const char* type, const json::object& o) { return {type, 1, json::serialize(o)}; }

struct CatalogueEncoder {
    EncodedEvent operator()(const CategoryCreated& e) const {
        return make("iptv.category.created", {{"category_id", e.category_id},
                                              {"name", e.name},
                                              {"kind", to_string(e.kind)},
                                              {"parent_id", e.parent_id}});
    }
    EncodedEvent operator()(const CategoryRenamed& e) const {
        return make("iptv.category.renamed", {{"category_id", e.category_id}, {"name", e.name}});
    }
    EncodedEvent operator()(const CategoryDeleted& e) const {
        return make("iptv.category.deleted", {{"category_id", e.category_id},
                                              {"streams_moved_to", opt(e.streams_moved_to)},
                                              {"moved_stream_ids", ids(e.moved_stream_ids)}});
    }
    EncodedEvent operator()(const StreamAdded& e) const {
        json::object o{{"stream_id", e.stream_id}};
        put_fields(o, e.fields);
        o["added"] = core::format_rfc3339(e.added);
        o["source"] = e.source;
        return make("iptv.stream.added", o);
    }
    EncodedEvent operator()(const StreamUpdated& e) const {
        json::object o{{"stream_id", e.stream_id}};
        put_fields(o, e.fields);
        return make("iptv.stream.updated", o);
    }
    EncodedEvent operator()(const StreamRemoved& e) const {
        return make("iptv.stream.removed", {{"stream_id", e.stream_id}});
    }
    EncodedEvent operator()(const BouquetCreated& e) const {
        return make("iptv.bouquet.created", {{"bouquet_id", e.bouquet_id},
                                             {"name", e.name},
                                             {"category_ids", ids(e.category_ids)},
                                             {"stream_ids", ids(e.stream_ids)}});
    }
    EncodedEvent operator()(const BouquetUpdated& e) const {
        return make("iptv.bouquet.updated", {{"bouquet_id", e.bouquet_id},
                                             {"name", e.name},
                                             {"category_ids", ids(e.category_ids)},
                                             {"stream_ids", ids(e.stream_ids)}});
    }
    EncodedEvent operator()(const BouquetDeleted& e) const {
        return make("iptv.bouquet.deleted", {{"bouquet_id", e.bouquet_id}});
    }
    EncodedEvent operator()(const PlaylistImported& e) const {
        return make("iptv.playlist.imported", {{"source", e.source},
                                               {"entries", e.entries},
                                               {"created", e.created},
                                               {"unchanged", e.unchanged},
                                               {"invalid", e.invalid}});
    }
};

core::Error unknown(const RecordedEvent& e) {
    return core::Error{core::Errc::Invalid, "type",
                       fmt::format("unknown event type {} v{}", e.type, e.schema)};
}

}  // namespace

EncodedEvent encode(const CatalogueEvent& event) { return std::visit(CatalogueEncoder{}, event); }

EncodedEvent encode(const LineRegistryEvent& event) {
    if (auto* e = std::get_if<UsernameClaimed>(&event)) {
        return make(
            "iptv.username.claimed",
            {{"username", e->username}, {"line_id", e->line_id}, {"command_id", e->command_id}});
    }
    const auto& e = std::get<UsernameReleased>(event);
    return make("iptv.username.released", {{"username", e.username}, {"line_id", e.line_id}});
}

EncodedEvent encode(const LineEvent& event) {
    return std::visit(
        [](const auto& e) -> EncodedEvent {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, LineCreated>) {
                json::object o{{"line_id", e.line_id},
                               {"username", e.username},
                               {"password_hash", e.password_hash}};
                put_settings(o, e.settings);
                o["created_at"] = core::format_rfc3339(e.created_at);
                o["owner_path"] = e.owner_path;
                return make("iptv.line.created", o);
            } else if constexpr (std::is_same_v<T, LineUpdated>) {
                json::object o{{"line_id", e.line_id}};
                put_settings(o, e.settings);
                return make("iptv.line.updated", o);
            } else if constexpr (std::is_same_v<T, LinePasswordChanged>) {
                return make("iptv.line.password_changed",
                            {{"line_id", e.line_id}, {"password_hash", e.password_hash}});
            } else {
                return make("iptv.line.deleted",
                            {{"line_id", e.line_id}, {"username", e.username}});
            }
        },
        event);
}

EncodedEvent encode(const ClaimEvent& event) {
    return std::visit(
        [](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            return make(std::is_same_v<T, NameClaimed> ? "iptv.name.claimed" : "iptv.name.released",
                        {{"kind", to_string(e.kind)}, {"name", e.name}, {"id", e.id}});
        },
        event);
}

core::Result<ClaimEvent> decode_claim_event(const RecordedEvent& e) {
    if (e.schema != 1) return core::fail(unknown(e));
    return with_json_object(e.data,
                            [&](const JsonObject& o) -> core::Result<ClaimEvent> {
                                ClaimKind kind{};
                                if (!parse_claim_kind(o.str("kind"), kind))
                                    throw FieldError{"kind"};
                                if (e.type == "iptv.name.claimed")
                                    return NameClaimed{kind, o.str("name"), o.i64("id")};
                                if (e.type == "iptv.name.released")
                                    return NameReleased{kind, o.str("name"), o.i64("id")};
                                return core::fail(unknown(e));
                            })
        .and_then([](core::Result<ClaimEvent> r) { return r; });
}

core::Result<CatalogueEvent> decode_catalogue_event(const RecordedEvent& e) {
    if (e.schema != 1) return core::fail(unknown(e));
    const auto& t = e.type;
    return with_json_object(
               e.data,
               [&](const JsonObject& o) -> core::Result<CatalogueEvent> {
                   if (t == "iptv.category.created") {
                       CategoryCreated c{o.i64("category_id"), o.str("name"), CategoryKind::Live,
                                         o.i64("parent_id")};
                       if (!parse_category_kind(o.str("kind"), c.kind)) throw FieldError{"kind"};
                       return c;
                   }
                   if (t == "iptv.category.renamed")
                       return CategoryRenamed{o.i64("category_id"), o.str("name")};
                   if (t == "iptv.category.deleted") {
                       return CategoryDeleted{o.i64("category_id"), o.opt_i64("streams_moved_to"),
                                              o.i64_list("moved_stream_ids")};
                   }
                   if (t == "iptv.stream.added") {
                       return StreamAdded{o.i64("stream_id"), get_fields(o), o.time("added"),
                                          o.str("source")};
                   }
                   if (t == "iptv.stream.updated")
                       return StreamUpdated{o.i64("stream_id"), get_fields(o)};
                   if (t == "iptv.stream.removed") return StreamRemoved{o.i64("stream_id")};
                   if (t == "iptv.bouquet.created") {
                       return BouquetCreated{o.i64("bouquet_id"), o.str("name"),
                                             o.i64_list("category_ids"), o.i64_list("stream_ids")};
                   }
                   if (t == "iptv.bouquet.updated") {
                       return BouquetUpdated{o.i64("bouquet_id"), o.str("name"),
                                             o.i64_list("category_ids"), o.i64_list("stream_ids")};
                   }
                   if (t == "iptv.bouquet.deleted") return BouquetDeleted{o.i64("bouquet_id")};
                   if (t == "iptv.playlist.imported") {
                       return PlaylistImported{o.str("source"), o.i64("entries"), o.i64("created"),
                                               o.i64("unchanged"), o.i64("invalid")};
                   }
                   return core::fail(unknown(e));
               })
        .and_then([](core::Result<CatalogueEvent> r) { return r; });
}

core::Result<LineRegistryEvent> decode_line_registry_event(const RecordedEvent& e) {
    if (e.schema != 1) return core::fail(unknown(e));
    return with_json_object(e.data,
                            [&](const JsonObject& o) -> core::Result<LineRegistryEvent> {
                                if (e.type == "iptv.username.claimed") {
                                    return UsernameClaimed{o.str("username"), o.i64("line_id"),
                                                           o.str("command_id")};
                                }
                                if (e.type == "iptv.username.released")
                                    return UsernameReleased{o.str("username"), o.i64("line_id")};
                                return core::fail(unknown(e));
                            })
        .and_then([](core::Result<LineRegistryEvent> r) { return r; });
}

core::Result<LineEvent> decode_line_event(const RecordedEvent& e) {
    if (e.schema != 1) return core::fail(unknown(e));
    return with_json_object(
               e.data,
               [&](const JsonObject& o) -> core::Result<LineEvent> {
                   if (e.type == "iptv.line.created") {
                       auto owner = o.opt_str("owner_path");  // absent before owners existed
                       return LineCreated{o.i64("line_id"),       o.str("username"),
                                          o.str("password_hash"), get_settings(o),
                                          o.time("created_at"),   owner.empty() ? "/" : owner};
                   }
                   if (e.type == "iptv.line.updated")
                       return LineUpdated{o.i64("line_id"), get_settings(o)};
                   if (e.type == "iptv.line.password_changed") {
                       return LinePasswordChanged{o.i64("line_id"), o.str("password_hash")};
                   }
                   if (e.type == "iptv.line.deleted")
                       return LineDeleted{o.i64("line_id"), o.str("username")};
                   return core::fail(unknown(e));
               })
        .and_then([](core::Result<LineEvent> r) { return r; });
}

}  // namespace switchyard::events::iptv
