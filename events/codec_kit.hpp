#pragma once
/// What every event codec shares (events/<module>/*_codec.cpp): payloads written and read by
/// field tables, built with Boost.JSON and read with events/json_reader.hpp, and the dispatch
/// from an event variant to its payload and back by the `kType` each event struct carries
/// (events/encoded_event.hpp).
///
/// A module's codec is a struct with, for each event, either a field table (the JSON key of
/// each member, in the order written) or, for payloads no table describes, a pair of functions:
///
///     struct Codec {
///         static auto payload(As<LineDeleted>) {
///             return fields(field("line_id", &LineDeleted::line_id),
///                           field("username", &LineDeleted::username));
///         }
///         static json::object put(const PlanDefined& e);             // payload of an event
///         static PlanDefined get(const JsonObject& o, As<PlanDefined>);  // and back
///     };
///     EncodedEvent encode(const LineEvent& e) { return encode_as<Codec>(e); }
///     core::Result<LineEvent> decode_line_event(const RecordedEvent& e) {
///         return decode_as<Codec, LineEvent>(e);
///     }
///
/// Read models use the same tables for their rows (to_json, from_json).
/// Include only in .cpp files: it pulls in Boost.JSON and simdjson.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

#include <boost/json.hpp>

#include "core/result.hpp"
#include "core/time.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"
#include "events/json_reader.hpp"

namespace switchyard::events {

// ---- payloads ----

namespace json = boost::json;

/// The tag a codec's `get` overloads take to say which event they read.
template <class E>
using As = std::type_identity<E>;

/// A number, or null.
json::value opt(const std::optional<std::int64_t>& v);
/// An RFC 3339 time, or null.
json::value opt_time(const std::optional<core::Timestamp>& t);
/// A string, or null when empty.
json::value opt_string(const std::string& s);
/// An array of numbers.
json::array ids(const std::vector<std::int64_t>& v);
/// An array of strings.
json::array strings(const std::vector<std::string>& v);

/// Copies every field of `from` into `into` (the fields of a nested shape written flat, e.g. a
/// line's settings inside `iptv.line.created`).
void merge(json::object& into, const json::object& from);

/// Invalid naming `type`: `unknown event type <type> v<schema>`.
core::Error unknown_type(const RecordedEvent& event);

// ---- field tables ----

/// Whether a field is always there (`Required`) or left out when empty (`Optional`: an empty
/// string or list, false, none; read back as the member's default when absent, null or empty).
enum class Presence { Required, Optional };

/// A member written under `key`: strings, integers, booleans, times (RFC 3339), optional
/// integers and times (null when none), and lists of strings or integers.
template <class S, class M>
struct Field {
    const char* key;
    M S::*member;
    Presence presence = Presence::Required;
};
/// An enum member, written by its wire name (`to_string`) and read with `parse`.
template <class S, class M>
struct EnumField {
    const char* key;
    M S::*member;
    bool (*parse)(std::string_view, M&);
};
/// A member whose own fields are written flat into the same object (e.g. a line's settings).
template <class S, class M, class Table>
struct FlatField {
    M S::*member;
    Table table;
};
/// A list of objects, each written with `table`; an optional one is left out when empty.
template <class S, class M, class Table>
struct ObjectsField {
    const char* key;
    std::vector<M> S::*member;
    Table table;
    Presence presence = Presence::Required;
};

template <class S, class M>
constexpr Field<S, M> field(const char* key, M S::*member) {
    return {key, member};
}
template <class S, class M>
constexpr Field<S, M> optional_field(const char* key, M S::*member) {
    return {key, member, Presence::Optional};
}
template <class S, class M>
constexpr EnumField<S, M> field(const char* key, M S::*member,
                                std::type_identity_t<bool (*)(std::string_view, M&)> parse) {
    return {key, member, parse};
}
template <class S, class M, class... F>
constexpr FlatField<S, M, std::tuple<F...>> flat(M S::*member, std::tuple<F...> table) {
    return {member, table};
}
template <class S, class M, class... F>
constexpr ObjectsField<S, M, std::tuple<F...>> objects(const char* key, std::vector<M> S::*member,
                                                       std::tuple<F...> table) {
    return {key, member, table};
}
template <class S, class M, class... F>
constexpr ObjectsField<S, M, std::tuple<F...>> optional_objects(const char* key,
                                                                std::vector<M> S::*member,
                                                                std::tuple<F...> table) {
    return {key, member, table, Presence::Optional};
}
/// A field table: the fields in the order they are written.
template <class... F>
constexpr std::tuple<F...> fields(F... f) {
    return {f...};
}

namespace detail {

inline void put_value(json::object& o, const char* key, const std::string& v) { o[key] = v; }
inline void put_value(json::object& o, const char* key, std::int64_t v) { o[key] = v; }
inline void put_value(json::object& o, const char* key, int v) { o[key] = v; }
inline void put_value(json::object& o, const char* key, bool v) { o[key] = v; }
inline void put_value(json::object& o, const char* key, core::Timestamp v) {
    o[key] = core::format_rfc3339(v);
}
inline void put_value(json::object& o, const char* key, const std::optional<std::int64_t>& v) {
    o[key] = opt(v);
}
inline void put_value(json::object& o, const char* key, const std::optional<core::Timestamp>& v) {
    o[key] = opt_time(v);
}
inline void put_value(json::object& o, const char* key, const std::vector<std::string>& v) {
    o[key] = strings(v);
}
inline void put_value(json::object& o, const char* key, const std::vector<std::int64_t>& v) {
    o[key] = ids(v);
}

inline void get_value(const JsonObject& o, const char* key, std::string& v) { v = o.str(key); }
inline void get_value(const JsonObject& o, const char* key, std::int64_t& v) { v = o.i64(key); }
inline void get_value(const JsonObject& o, const char* key, int& v) {
    v = static_cast<int>(o.i64(key));
}
inline void get_value(const JsonObject& o, const char* key, bool& v) { v = o.boolean(key); }
inline void get_value(const JsonObject& o, const char* key, core::Timestamp& v) { v = o.time(key); }
inline void get_value(const JsonObject& o, const char* key, std::optional<std::int64_t>& v) {
    v = o.opt_i64(key);
}
inline void get_value(const JsonObject& o, const char* key, std::optional<core::Timestamp>& v) {
    v = o.opt_time(key);
}
inline void get_value(const JsonObject& o, const char* key, std::vector<std::string>& v) {
    v = o.str_list(key);
}
inline void get_value(const JsonObject& o, const char* key, std::vector<std::int64_t>& v) {
    v = o.i64_list(key);
}

template <class M>
bool is_empty(const M& v) {
    if constexpr (std::is_same_v<M, bool>) {
        return !v;
    } else if constexpr (requires { v.has_value(); }) {
        return !v.has_value();
    } else if constexpr (requires { v.empty(); }) {
        return v.empty();
    } else {
        return false;
    }
}

}  // namespace detail

template <class S, class... F>
void put_fields(json::object& o, const S& s, const std::tuple<F...>& table);
template <class S, class... F>
void get_fields(const JsonObject& o, S& s, const std::tuple<F...>& table);

/// `s` as a JSON object, written by `table`.
template <class S, class Table>
json::object to_json(const S& s, const Table& table) {
    json::object o;
    put_fields(o, s, table);
    return o;
}
/// An `S` read by `table` (members it does not name keep their defaults).
/// @throws FieldError naming a missing or mistyped field (caught by with_json_object).
template <class S, class Table>
S from_json(const JsonObject& o, const Table& table) {
    S s{};
    get_fields(o, s, table);
    return s;
}

template <class S, class M>
void put_field(json::object& o, const S& s, const Field<S, M>& f) {
    const auto& v = s.*f.member;
    if (f.presence == Presence::Optional && detail::is_empty(v)) return;
    detail::put_value(o, f.key, v);
}
template <class S, class M>
void put_field(json::object& o, const S& s, const EnumField<S, M>& f) {
    o[f.key] = to_string(s.*f.member);
}
template <class S, class M, class Table>
void put_field(json::object& o, const S& s, const FlatField<S, M, Table>& f) {
    put_fields(o, s.*f.member, f.table);
}
template <class S, class M, class Table>
void put_field(json::object& o, const S& s, const ObjectsField<S, M, Table>& f) {
    if (f.presence == Presence::Optional && (s.*f.member).empty()) return;
    json::array items;
    for (const auto& item : s.*f.member) items.push_back(to_json(item, f.table));
    o[f.key] = std::move(items);
}

template <class S, class M>
void get_field(const JsonObject& o, S& s, const Field<S, M>& f) {
    if (f.presence == Presence::Required) return detail::get_value(o, f.key, s.*f.member);
    if (!o.is_set(f.key)) return;
    M v{};
    detail::get_value(o, f.key, v);
    if (!detail::is_empty(v)) s.*f.member = std::move(v);
}
template <class S, class M>
void get_field(const JsonObject& o, S& s, const EnumField<S, M>& f) {
    s.*f.member = o.enumerated(f.key, f.parse);
}
template <class S, class M, class Table>
void get_field(const JsonObject& o, S& s, const FlatField<S, M, Table>& f) {
    get_fields(o, s.*f.member, f.table);
}
template <class S, class M, class Table>
void get_field(const JsonObject& o, S& s, const ObjectsField<S, M, Table>& f) {
    if (f.presence == Presence::Optional && !o.is_set(f.key)) return;
    for (const auto& item : o.obj_list(f.key)) (s.*f.member).push_back(from_json<M>(item, f.table));
}

/// Writes every field of `table` of `s` into `o`, in order.
template <class S, class... F>
void put_fields(json::object& o, const S& s, const std::tuple<F...>& table) {
    std::apply([&](const auto&... f) { (put_field(o, s, f), ...); }, table);
}
/// Reads every field of `table` from `o` into `s`, in order.
template <class S, class... F>
void get_fields(const JsonObject& o, S& s, const std::tuple<F...>& table) {
    std::apply([&](const auto&... f) { (get_field(o, s, f), ...); }, table);
}

// ---- events ----

/// The codec has a field table for `E` (`Codec::payload(As<E>)`).
template <class Codec, class E>
concept HasTable = requires {
    Codec::payload(As<E>{});
};

/// The payload of one event, under `E::kType`: its table's fields, or `Codec::put(event)`.
template <class Codec, WireEvent E>
EncodedEvent encode_event(const E& event) {
    json::object payload;
    if constexpr (HasTable<Codec, E>) {
        payload = to_json(event, Codec::payload(As<E>{}));
    } else {
        payload = Codec::put(event);
    }
    return {std::string(E::kType), schema_of<E>(), json::serialize(payload)};
}

/// One event read from its payload: by its table, or by `Codec::get(o, As<E>{})`.
/// @throws FieldError naming a missing or mistyped field.
template <class Codec, WireEvent E>
E read_event(const JsonObject& o) {
    if constexpr (HasTable<Codec, E>) {
        return from_json<E>(o, Codec::payload(As<E>{}));
    } else {
        return Codec::get(o, As<E>{});
    }
}

/// The payload of the event a variant holds.
template <class Codec, class Variant>
EncodedEvent encode_as(const Variant& event) {
    return std::visit([](const auto& e) { return encode_event<Codec>(e); }, event);
}

/// Reads an event of the variant `Variant`: the alternative whose `kType` and schema match the
/// recorded event's, by its table or `Codec::get(o, As<E>{})`.
/// @errors Invalid naming `type` when no alternative matches; Invalid naming the field when the
///         payload is malformed (FieldError) or not a JSON object.
template <class Codec, class Variant>
core::Result<Variant> decode_as(const RecordedEvent& event) {
    std::optional<core::Result<Variant>> out;
    for_each_alternative<Variant>([&]<class E>(std::type_identity<E>) {
        if (out || event.type != E::kType || event.schema != schema_of<E>()) return;
        out = with_json_object(
            event.data, [](const JsonObject& o) -> Variant { return read_event<Codec, E>(o); });
    });
    if (!out) return core::fail(unknown_type(event));
    return std::move(*out);
}

}  // namespace switchyard::events
