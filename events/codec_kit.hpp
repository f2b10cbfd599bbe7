#pragma once
/// What every event codec shares (events/<module>/*_codec.cpp): payloads built with Boost.JSON
/// and read with events/json_reader.hpp, and the dispatch from an event variant to its payload
/// and back by the `kType` each event struct carries (events/encoded_event.hpp).
///
/// A module's codec is a struct of two overloads per event, found by the templates below:
///
///     struct Codec {
///         static json::object put(const LineDeleted& e);                // payload of an event
///         static LineDeleted get(const JsonObject& o, As<LineDeleted>);  // and back
///     };
///     EncodedEvent encode(const LineEvent& e) { return encode_as<Codec>(e); }
///     core::Result<LineEvent> decode_line_event(const RecordedEvent& e) {
///         return decode_as<Codec, LineEvent>(e);
///     }
///
/// Include only in .cpp files: it pulls in Boost.JSON and simdjson.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
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

/// The payload of one event: `Codec::put(event)` under `E::kType`.
template <class Codec, WireEvent E>
EncodedEvent encode_event(const E& event) {
    return {std::string(E::kType), schema_of<E>(), json::serialize(Codec::put(event))};
}

/// The payload of the event a variant holds.
template <class Codec, class Variant>
EncodedEvent encode_as(const Variant& event) {
    return std::visit([](const auto& e) { return encode_event<Codec>(e); }, event);
}

/// Reads an event of the variant `Variant`: the alternative whose `kType` and schema match the
/// recorded event's, read by `Codec::get(o, As<E>{})`.
/// @errors Invalid naming `type` when no alternative matches; Invalid naming the field when the
///         payload is malformed (FieldError) or not a JSON object.
template <class Codec, class Variant>
core::Result<Variant> decode_as(const RecordedEvent& event) {
    std::optional<core::Result<Variant>> out;
    for_each_alternative<Variant>([&]<class E>(std::type_identity<E>) {
        if (out || event.type != E::kType || event.schema != schema_of<E>()) return;
        out = with_json_object(
            event.data, [](const JsonObject& o) -> Variant { return Codec::get(o, As<E>{}); });
    });
    if (!out) return core::fail(unknown_type(event));
    return std::move(*out);
}

}  // namespace switchyard::events
