#include "events/iptv/iptv_codec.hpp"

#include "events/codec_kit.hpp"
#include "events/iptv/iptv_json.hpp"

namespace switchyard::events::iptv {

using namespace core::iptv;

namespace {

/// The payloads of the IPTV events (events/codec_kit.hpp).
struct Codec {
    // ---- catalogue ----
    static auto payload(As<CategoryCreated>) {
        using E = CategoryCreated;
        return fields(field("category_id", &E::category_id), field("name", &E::name),
                      field("kind", &E::kind, parse_category_kind),
                      field("parent_id", &E::parent_id));
    }
    static auto payload(As<CategoryRenamed>) {
        return fields(field("category_id", &CategoryRenamed::category_id),
                      field("name", &CategoryRenamed::name));
    }
    static auto payload(As<CategoryDeleted>) {
        using E = CategoryDeleted;
        return fields(field("category_id", &E::category_id),
                      field("streams_moved_to", &E::streams_moved_to),
                      field("moved_stream_ids", &E::moved_stream_ids));
    }
    static constexpr auto kAdded = fields(
        field("stream_id", &StreamAdded::stream_id), flat(&StreamAdded::fields, kStreamFields),
        field("added", &StreamAdded::added), field("source", &StreamAdded::source));
    static constexpr auto kUpdated = fields(field("stream_id", &StreamUpdated::stream_id),
                                            flat(&StreamUpdated::fields, kStreamFields));
    /// A stream's events: its fields, then its worker settings (put_stream_settings).
    template <OneOf<StreamAdded, StreamUpdated> E>
    static json::object put(const E& e) {
        json::object o;
        if constexpr (std::is_same_v<E, StreamAdded>)
            o = to_json(e, kAdded);
        else
            o = to_json(e, kUpdated);
        put_stream_settings(o, e.fields);
        return o;
    }
    template <OneOf<StreamAdded, StreamUpdated> E>
    static E get(const JsonObject& o, As<E>) {
        E e;
        if constexpr (std::is_same_v<E, StreamAdded>)
            e = from_json<E>(o, kAdded);
        else
            e = from_json<E>(o, kUpdated);
        get_stream_settings(o, e.fields);
        return e;
    }
    static auto payload(As<StreamRemoved>) {
        return fields(field("stream_id", &StreamRemoved::stream_id));
    }
    /// A bouquet's events carry all its fields.
    template <OneOf<BouquetCreated, BouquetUpdated> E>
    static auto payload(As<E>) {
        return fields(field("bouquet_id", &E::bouquet_id), field("name", &E::name),
                      field("category_ids", &E::category_ids), field("stream_ids", &E::stream_ids));
    }
    static auto payload(As<BouquetDeleted>) {
        return fields(field("bouquet_id", &BouquetDeleted::bouquet_id));
    }
    static auto payload(As<PlaylistImported>) {
        using E = PlaylistImported;
        return fields(field("source", &E::source), field("entries", &E::entries),
                      field("created", &E::created), field("unchanged", &E::unchanged),
                      field("invalid", &E::invalid));
    }

    // ---- unique names ----
    /// A claim and its release: `{"kind", "name", "id"}`.
    template <OneOf<NameClaimed, NameReleased> E>
    static auto payload(As<E>) {
        return fields(field("kind", &E::kind, parse_claim_kind), field("name", &E::name),
                      field("id", &E::id));
    }

    // ---- line registry ----
    static auto payload(As<UsernameClaimed>) {
        using E = UsernameClaimed;
        return fields(field("username", &E::username), field("line_id", &E::line_id),
                      field("command_id", &E::command_id));
    }
    static auto payload(As<UsernameReleased>) {
        return fields(field("username", &UsernameReleased::username),
                      field("line_id", &UsernameReleased::line_id));
    }

    // ---- lines ----
    static auto payload(As<LineCreated>) {
        using E = LineCreated;
        // `owner_path` is absent from lines created before owners existed: they are `/`.
        return fields(field("line_id", &E::line_id), field("username", &E::username),
                      field("password_hash", &E::password_hash), flat(&E::settings, kLineSettings),
                      field("created_at", &E::created_at),
                      optional_field("owner_path", &E::owner_path));
    }
    static auto payload(As<LineUpdated>) {
        return fields(field("line_id", &LineUpdated::line_id),
                      flat(&LineUpdated::settings, kLineSettings));
    }
    static auto payload(As<LinePasswordChanged>) {
        return fields(field("line_id", &LinePasswordChanged::line_id),
                      field("password_hash", &LinePasswordChanged::password_hash));
    }
    static auto payload(As<LineDeleted>) {
        return fields(field("line_id", &LineDeleted::line_id),
                      field("username", &LineDeleted::username));
    }
};

}  // namespace

EncodedEvent encode(const CatalogueEvent& event) { return encode_as<Codec>(event); }
core::Result<CatalogueEvent> decode_catalogue_event(const RecordedEvent& e) {
    return decode_as<Codec, CatalogueEvent>(e);
}

EncodedEvent encode(const LineRegistryEvent& event) { return encode_as<Codec>(event); }
core::Result<LineRegistryEvent> decode_line_registry_event(const RecordedEvent& e) {
    return decode_as<Codec, LineRegistryEvent>(e);
}

EncodedEvent encode(const LineEvent& event) { return encode_as<Codec>(event); }
core::Result<LineEvent> decode_line_event(const RecordedEvent& e) {
    return decode_as<Codec, LineEvent>(e);
}

EncodedEvent encode(const ClaimEvent& event) { return encode_as<Codec>(event); }
core::Result<ClaimEvent> decode_claim_event(const RecordedEvent& e) {
    return decode_as<Codec, ClaimEvent>(e);
}

}  // namespace switchyard::events::iptv
