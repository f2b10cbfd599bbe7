#include "api/query.hpp"

#include <fmt/format.h>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

namespace switchyard::api {

using core::Errc;

namespace {

std::optional<long long> parse_ll(const std::string& text) {
    try {
        std::size_t used = 0;
        auto v = std::stoll(text, &used);
        if (used == text.size()) return v;
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

}  // namespace

core::Result<long long> int_query(const HttpRequest& r, const char* name, long long def,
                                  long long lo, long long hi) {
    auto v = SY_TRY(opt_int_query(r, name, lo, hi));
    return v ? *v : def;
}

core::Result<std::optional<long long>> opt_int_query(const HttpRequest& r, const char* name,
                                                     long long lo, long long hi) {
    if (!r.has_query(name)) return std::optional<long long>();
    auto v = parse_ll(r.query_param(name));
    if (v && *v >= lo && *v <= hi) return v;
    return core::fail(Errc::Invalid, name, fmt::format("must be an integer from {} to {}", lo, hi));
}

core::Result<std::string> enum_query(const HttpRequest& r, const char* name,
                                     std::initializer_list<std::string_view> allowed,
                                     std::string def) {
    const auto& v = r.query_param(name);
    if (v.empty()) return def;
    for (auto a : allowed)
        if (v == a) return v;
    return core::fail(Errc::Invalid, name,
                      fmt::format("must be one of {}", fmt::join(allowed, ", ")));
}

core::Result<PageRequest> page_query(const HttpRequest& r, std::size_t default_limit,
                                     std::size_t max_limit) {
    PageRequest p;
    p.cursor = r.query_param("cursor");
    p.limit = static_cast<std::size_t>(SY_TRY(int_query(
        r, "limit", static_cast<long long>(default_limit), 1, static_cast<long long>(max_limit))));
    return p;
}

core::Result<std::int64_t> id_cursor(const PageRequest& page) {
    if (page.cursor.empty()) return std::int64_t{0};
    auto v = parse_ll(page.cursor);
    if (!v || *v < 0)
        return core::fail(Errc::Invalid, "cursor", "must be a cursor from a previous page");
    return static_cast<std::int64_t>(*v);
}

PageWriter::PageWriter(const PageRequest& page) : limit_(page.limit) { items_ = "["; }

bool PageWriter::add(std::string item_json, std::string_view cursor) {
    if (count_ == limit_) {
        more_ = true;
        return false;
    }
    if (count_) items_ += ',';
    items_ += item_json;
    last_cursor_.assign(cursor);
    ++count_;
    return true;
}

std::string PageWriter::body() const {
    std::string out = "{\"items\":" + items_ + "],\"next_cursor\":";
    out += more_ ? boost::json::serialize(boost::json::string(last_cursor_)) : "null";
    out += '}';
    return out;
}

}  // namespace switchyard::api
