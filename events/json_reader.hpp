#pragma once
/// Reading event payloads with simdjson's DOM API. Include only in codec .cpp files.

#include <optional>
#include <string>
#include <string_view>
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

    std::string str(const char* key) const {
        auto r = get(key).get_string();
        if (r.error()) throw FieldError{key};
        return std::string(r.value());
    }
    std::int64_t i64(const char* key) const { return num(get(key), key); }
    /// An RFC 3339 time (core/time.hpp).
    core::Timestamp time(const char* key) const {
        auto t = core::parse_rfc3339(str(key));
        if (!t) throw FieldError{key};
        return *t;
    }
    /// True when the object has `key` (with any value, null included).
    bool has(const char* key) const { return !obj_[key].error(); }
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
    std::string opt_str(const char* key) const {
        auto r = obj_[key];
        if (r.error() || r.value().is_null()) return {};
        auto s = r.value().get_string();
        if (s.error()) throw FieldError{key};
        return std::string(s.value());
    }
    std::vector<std::int64_t> i64_list(const char* key) const {
        std::vector<std::int64_t> out;
        auto arr = get(key).get_array();
        if (arr.error()) throw FieldError{key};
        for (auto v : arr.value()) out.push_back(num(v, key));
        return out;
    }
    std::vector<std::string> str_list(const char* key) const {
        std::vector<std::string> out;
        auto arr = get(key).get_array();
        if (arr.error()) throw FieldError{key};
        for (auto v : arr.value()) {
            auto s = v.get_string();
            if (s.error()) throw FieldError{key};
            out.emplace_back(s.value());
        }
        return out;
    }

  private:
    simdjson::dom::element get(const char* key) const {
        auto r = obj_[key];
        if (r.error()) throw FieldError{key};
        return r.value();
    }
    static std::int64_t num(simdjson::dom::element e, const char* key) {
        auto r = e.get_int64();
        if (r.error()) throw FieldError{key};
        return r.value();
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
