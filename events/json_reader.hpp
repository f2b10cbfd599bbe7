#pragma once
/// Reading event payloads and read-model rows with simdjson's DOM API. Include only in .cpp files
/// (codecs and projections).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <simdjson.h>

#include "core/result.hpp"
#include "core/time.hpp"

namespace switchyard::events {

/// Thrown inside a decoder when a field is missing or mistyped; caught at the decoder boundary.
struct FieldError {
    std::string field;
};

/// Typed access to a parsed JSON object; every getter throws FieldError naming the field.
class JsonObject {
  public:
    explicit JsonObject(simdjson::dom::object obj) : obj_(obj) {}

    std::string str(const char* key) const { return string_of(get(key), key); }
    std::int64_t i64(const char* key) const { return num(get(key), key); }
    /// An RFC 3339 time (core/time.hpp).
    core::Timestamp time(const char* key) const {
        auto t = core::parse_rfc3339(str(key));
        if (!t) throw FieldError{key};
        return *t;
    }
    /// An RFC 3339 time, or none when absent, null or empty.
    std::optional<core::Timestamp> opt_time(const char* key) const {
        auto s = opt_str(key);
        if (s.empty()) return std::nullopt;
        auto t = core::parse_rfc3339(s);
        if (!t) throw FieldError{key};
        return t;
    }
    /// True when the object has `key` (with any value, null included).
    bool has(const char* key) const { return !obj_[key].error(); }
    /// True when the object has `key` with a value other than null.
    bool is_set(const char* key) const {
        auto r = obj_[key];
        return !r.error() && !r.value().is_null();
    }
    bool boolean(const char* key) const {
        auto r = get(key).get_bool();
        if (r.error()) throw FieldError{key};
        return r.value();
    }
    std::optional<std::int64_t> opt_i64(const char* key) const {
        auto r = obj_[key];
        if (r.error() || r.value().is_null()) return std::nullopt;
        return num(r.value(), key);
    }
    /// A string, or empty when absent or null.
    std::string opt_str(const char* key) const {
        auto r = obj_[key];
        if (r.error() || r.value().is_null()) return {};
        return string_of(r.value(), key);
    }
    /// An enum by its wire name, read with the module's `parse` function (e.g.
    /// core::iptv::parse_line_status); an unknown name is a FieldError too.
    template <class Enum>
    Enum enumerated(const char* key, bool (*parse)(std::string_view, Enum&)) const {
        Enum out{};
        if (!parse(str(key), out)) throw FieldError{key};
        return out;
    }
    std::vector<std::int64_t> i64_list(const char* key) const {
        return list(key, [key](simdjson::dom::element v) { return num(v, key); });
    }
    std::vector<std::string> str_list(const char* key) const {
        return list(key, [key](simdjson::dom::element v) { return string_of(v, key); });
    }

    /// A nested object.
    JsonObject obj(const char* key) const { return object_of(get(key), key); }
    /// An array of objects.
    std::vector<JsonObject> obj_list(const char* key) const {
        return list(key, [key](simdjson::dom::element v) { return object_of(v, key); });
    }
    /// An object of integers, e.g. `{"ip_camera": 1}`.
    std::map<std::string, std::int64_t> i64_map(const char* key) const {
        std::map<std::string, std::int64_t> out;
        auto o = get(key).get_object();
        if (o.error()) throw FieldError{key};
        for (auto field : o.value()) out[std::string(field.key)] = num(field.value, key);
        return out;
    }
    /// A boolean, or `fallback` when absent or null.
    bool opt_boolean(const char* key, bool fallback) const {
        auto r = obj_[key];
        if (r.error() || r.value().is_null()) return fallback;
        auto b = r.value().get_bool();
        if (b.error()) throw FieldError{key};
        return b.value();
    }

  private:
    simdjson::dom::element get(const char* key) const {
        auto r = obj_[key];
        if (r.error()) throw FieldError{key};
        return r.value();
    }
    /// The items of the array at `key`, each converted by `item` (which throws on a wrong type).
    template <class Item>
    std::vector<std::invoke_result_t<Item, simdjson::dom::element>> list(const char* key,
                                                                         Item item) const {
        std::vector<std::invoke_result_t<Item, simdjson::dom::element>> out;
        auto arr = get(key).get_array();
        if (arr.error()) throw FieldError{key};
        for (auto v : arr.value()) out.push_back(item(v));
        return out;
    }
    static std::int64_t num(simdjson::dom::element e, const char* key) {
        auto r = e.get_int64();
        if (r.error()) throw FieldError{key};
        return r.value();
    }
    static std::string string_of(simdjson::dom::element e, const char* key) {
        auto r = e.get_string();
        if (r.error()) throw FieldError{key};
        return std::string(r.value());
    }
    static JsonObject object_of(simdjson::dom::element e, const char* key) {
        auto r = e.get_object();
        if (r.error()) throw FieldError{key};
        return JsonObject(r.value());
    }
    simdjson::dom::object obj_;
};

/// Parses `json` as an object and calls `fn(JsonObject)`; maps FieldError and parse errors to
/// Invalid naming the field.
template <class Fn>
auto with_json_object(std::string_view json, Fn&& fn)
    -> core::Result<decltype(fn(std::declval<JsonObject&>()))> {
    thread_local simdjson::dom::parser parser;
    auto doc = parser.parse(json.data(), json.size());
    if (doc.error()) {
        return core::fail(core::Errc::Invalid, "data", simdjson::error_message(doc.error()));
    }
    auto obj = doc.value().get_object();
    if (obj.error()) return core::fail(core::Errc::Invalid, "data", "is not a JSON object");
    JsonObject o(obj.value());
    try {
        return fn(o);
    } catch (const FieldError& e) {
        return core::fail(core::Errc::Invalid, e.field, "is missing or has the wrong type");
    } catch (const simdjson::simdjson_error& e) {
        return core::fail(core::Errc::Invalid, "data", e.what());
    }
}

}  // namespace switchyard::events
