#pragma once
/// Query parameters of list and search routes: integers in a range, one-of-a-set values, and
/// cursor pagination (`?cursor=&limit=` in, `{"items":[...],"next_cursor":...}` out), so every
/// list of every module pages the same way (DESIGN.md: cursor-paginated lists).

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "api/http_types.hpp"
#include "core/result.hpp"

namespace switchyard::api {

/// An integer query parameter in [lo, hi]; `def` when absent.
/// @errors Invalid naming the parameter ("must be an integer from lo to hi") otherwise.
core::Result<long long> int_query(const HttpRequest& r, const char* name, long long def,
                                  long long lo, long long hi);

/// An optional integer query parameter in [lo, hi]; nullopt when absent.
/// @errors Invalid naming the parameter otherwise.
core::Result<std::optional<long long>> opt_int_query(const HttpRequest& r, const char* name,
                                                     long long lo, long long hi);

/// A query parameter that must be one of `allowed`; `def` when absent or empty.
/// @errors Invalid naming the parameter and listing the allowed values otherwise.
core::Result<std::string> enum_query(const HttpRequest& r, const char* name,
                                     std::initializer_list<std::string_view> allowed,
                                     std::string def);

/// `?cursor=<opaque>&limit=<1..max_limit>` of a list route.
struct PageRequest {
    std::string cursor;     ///< Empty: the first page. Else the `next_cursor` of a page.
    std::size_t limit = 0;  ///< Items per page.
};

/// Reads `cursor` and `limit` (default `default_limit`, at most `max_limit`).
/// @errors Invalid naming `limit` out of range.
core::Result<PageRequest> page_query(const HttpRequest& r, std::size_t default_limit = 100,
                                     std::size_t max_limit = 1000);

/// The cursor of a list ordered by a non-negative integer id: 0 when absent.
/// @errors Invalid naming `cursor` when it is not a cursor from a previous page.
core::Result<std::int64_t> id_cursor(const PageRequest& page);

/// Builds one page: call `add` with each item's JSON text and its cursor, in order, until it
/// returns false; then `body()` gives `{"items":[...],"next_cursor":"<cursor of the last item
/// shown>"|null}` (null when no item was left over).
class PageWriter {
  public:
    explicit PageWriter(const PageRequest& page);
    /// Adds an item unless the page is full. @returns false once it is full (an item was left
    /// over: there is a next page); stop then.
    bool add(std::string item_json, std::string_view cursor);
    /// Items added so far.
    std::size_t size() const { return count_; }
    std::string body() const;

  private:
    std::size_t limit_;
    std::size_t count_ = 0;
    bool more_ = false;
    std::string items_;
    std::string last_cursor_;
};

}  // namespace switchyard::api
