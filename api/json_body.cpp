#include "api/json_body.hpp"

#include <algorithm>
#include <cstring>
#include <unordered_set>

#include <fmt/format.h>
#include <simdjson.h>

namespace switchyard::api {

using core::Errc;

struct JsonBody::Impl {
    std::shared_ptr<simdjson::dom::parser> parser = std::make_shared<simdjson::dom::parser>();
    simdjson::dom::object object;
    bool empty = true;
    std::string prefix;  ///< Path of a nested object, e.g. `devices[2].`.
    std::string name(std::string_view key) const { return prefix + std::string(key); }
};

namespace {

/// The dotted path of the first member name that repeats inside an object of `e` (nested objects
/// and arrays included), or nullopt. simdjson's DOM keeps every duplicate and answers lookups
/// with the first, so a body such as `{"status":"active","status":"disabled"}` must be refused
/// rather than read as either.
std::optional<std::string> first_duplicate(simdjson::dom::element e, const std::string& path) {
    if (auto obj = e.get_object(); !obj.error()) {
        std::unordered_set<std::string_view> seen;
        for (auto field : obj.value()) {
            if (!seen.insert(field.key).second) return path + std::string(field.key);
        }
        for (auto field : obj.value()) {
            if (auto d = first_duplicate(field.value, path + std::string(field.key) + "."))
                return d;
        }
        return std::nullopt;
    }
    if (auto arr = e.get_array(); !arr.error()) {
        std::string base = path;
        if (!base.empty() && base.back() == '.') base.pop_back();
        std::size_t i = 0;
        for (auto item : arr.value()) {
            if (auto d = first_duplicate(item, fmt::format("{}[{}].", base, i))) return d;
            ++i;
        }
    }
    return std::nullopt;
}

}  // namespace

JsonBody::JsonBody() : impl_(std::make_unique<Impl>()) {}
JsonBody::JsonBody(JsonBody&&) noexcept = default;
JsonBody& JsonBody::operator=(JsonBody&&) noexcept = default;
JsonBody::~JsonBody() = default;

core::Result<JsonBody> JsonBody::parse(const std::string& body) {
    JsonBody b;
    if (std::all_of(body.begin(), body.end(),
                    [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; })) {
        return b;
    }
    auto doc = b.impl_->parser->parse(body);
    if (doc.error()) {
        return core::fail(
            Errc::Invalid, "body",
            fmt::format("is not valid JSON: {}", simdjson::error_message(doc.error())));
    }
    auto obj = doc.value().get_object();
    if (obj.error()) return core::fail(Errc::Invalid, "body", "must be a JSON object");
    if (auto dup = first_duplicate(doc.value(), ""))
        return core::fail(Errc::Invalid, *dup, "appears more than once in the object");
    b.impl_->object = obj.value();
    b.impl_->empty = false;
    return b;
}

core::Result<void> JsonBody::only(std::initializer_list<const char*> allowed) const {
    if (impl_->empty) return {};
    for (auto field : impl_->object) {
        bool ok = std::any_of(allowed.begin(), allowed.end(),
                              [&](const char* a) { return field.key == a; });
        if (!ok) return core::fail(Errc::Invalid, impl_->name(field.key), "is not a known field");
    }
    return {};
}

bool JsonBody::has(const char* key) const { return !impl_->empty && !impl_->object[key].error(); }

core::Error JsonBody::wrong(const char* key, const char* what) const {
    return core::Error{Errc::Invalid, impl_->name(key), fmt::format("must be {}", what)};
}

core::Result<std::optional<std::string>> JsonBody::opt_string(const char* key) const {
    if (!has(key)) return std::optional<std::string>();
    auto s = impl_->object[key].get_string();
    if (s.error()) return core::fail(wrong(key, "a string"));
    return std::optional<std::string>(std::string(s.value()));
}

core::Result<std::string> JsonBody::string(const char* key) const {
    auto s = SY_TRY(opt_string(key));
    if (!s) return core::fail(Errc::Invalid, impl_->name(key), "is required");
    return *s;
}

core::Result<std::optional<std::int64_t>> JsonBody::opt_int(const char* key) const {
    if (!has(key)) return std::optional<std::int64_t>();
    auto v = impl_->object[key].get_int64();
    if (v.error()) return core::fail(wrong(key, "an integer"));
    return std::optional<std::int64_t>(v.value());
}

core::Result<std::optional<std::optional<std::int64_t>>> JsonBody::opt_nullable_int(
    const char* key) const {
    using R = std::optional<std::optional<std::int64_t>>;
    if (!has(key)) return R();
    auto e = impl_->object[key].value();
    if (e.is_null()) return R(std::optional<std::int64_t>());
    auto v = e.get_int64();
    if (v.error()) return core::fail(wrong(key, "an integer or null"));
    return R(std::optional<std::int64_t>(v.value()));
}

core::Result<std::optional<bool>> JsonBody::opt_bool(const char* key) const {
    if (!has(key)) return std::optional<bool>();
    auto v = impl_->object[key].get_bool();
    if (v.error()) return core::fail(wrong(key, "true or false"));
    return std::optional<bool>(v.value());
}

core::Result<std::optional<std::vector<std::int64_t>>> JsonBody::opt_int_list(
    const char* key) const {
    using R = std::optional<std::vector<std::int64_t>>;
    if (!has(key)) return R();
    auto arr = impl_->object[key].get_array();
    if (arr.error()) return core::fail(wrong(key, "an array of integers"));
    std::vector<std::int64_t> out;
    std::size_t i = 0;
    for (auto e : arr.value()) {
        auto v = e.get_int64();
        if (v.error())
            return core::fail(Errc::Invalid, fmt::format("{}{}[{}]", impl_->prefix, key, i),
                              "must be an integer");
        out.push_back(v.value());
        ++i;
    }
    return R(std::move(out));
}

core::Result<std::optional<std::vector<std::string>>> JsonBody::opt_string_list(
    const char* key) const {
    using R = std::optional<std::vector<std::string>>;
    if (!has(key)) return R();
    auto arr = impl_->object[key].get_array();
    if (arr.error()) return core::fail(wrong(key, "an array of strings"));
    std::vector<std::string> out;
    std::size_t i = 0;
    for (auto e : arr.value()) {
        auto v = e.get_string();
        if (v.error())
            return core::fail(Errc::Invalid, fmt::format("{}{}[{}]", impl_->prefix, key, i),
                              "must be a string");
        out.emplace_back(v.value());
        ++i;
    }
    return R(std::move(out));
}

core::Result<std::optional<std::vector<JsonBody>>> JsonBody::opt_object_list(
    const char* key) const {
    using R = std::optional<std::vector<JsonBody>>;
    if (!has(key)) return R();
    auto arr = impl_->object[key].get_array();
    if (arr.error()) return core::fail(wrong(key, "an array of objects"));
    std::vector<JsonBody> out;
    std::size_t i = 0;
    for (auto e : arr.value()) {
        auto o = e.get_object();
        if (o.error())
            return core::fail(Errc::Invalid, fmt::format("{}{}[{}]", impl_->prefix, key, i),
                              "must be an object");
        JsonBody b;
        b.impl_->parser = impl_->parser;
        b.impl_->object = o.value();
        b.impl_->empty = false;
        b.impl_->prefix = fmt::format("{}{}[{}].", impl_->prefix, key, i);
        out.push_back(std::move(b));
        ++i;
    }
    return R(std::move(out));
}

core::Result<std::optional<JsonBody>> JsonBody::opt_object(const char* key) const {
    using R = std::optional<JsonBody>;
    if (!has(key)) return R();
    auto o = impl_->object[key].get_object();
    if (o.error()) return core::fail(wrong(key, "an object"));
    JsonBody b;
    b.impl_->parser = impl_->parser;
    b.impl_->object = o.value();
    b.impl_->empty = false;
    b.impl_->prefix = impl_->name(key) + ".";
    return R(std::move(b));
}

std::vector<std::string> JsonBody::keys() const {
    std::vector<std::string> out;
    if (impl_->empty) return out;
    for (auto field : impl_->object) out.emplace_back(field.key);
    return out;
}

bool JsonBody::is_null(const char* key) const {
    return has(key) && impl_->object[key].value().is_null();
}

const std::string& JsonBody::prefix() const { return impl_->prefix; }

}  // namespace switchyard::api
