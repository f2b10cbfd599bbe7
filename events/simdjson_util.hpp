#pragma once
/// simdjson On-Demand needs padded input; this wraps the copy and the parser's lifetime.
/// Include only in .cpp files that parse JSON.

#include <string>
#include <string_view>

#include <simdjson.h>
#include <tl/expected.hpp>

namespace switchyard::events {

/// A parser plus a padded copy of the input; one document at a time.
class PaddedParser {
  public:
    /// Parses `json`; the document lives until the next call or the parser's end.
    /// @returns the document, or simdjson's error text.
    tl::expected<simdjson::ondemand::document*, std::string> parse(std::string_view json) {
        buffer_.assign(json.data(), json.size());
        buffer_.append(simdjson::SIMDJSON_PADDING, '\0');
        auto r = parser_.iterate(buffer_.data(), json.size(), buffer_.size());
        if (r.error()) return tl::unexpected(std::string(simdjson::error_message(r.error())));
        doc_ = std::move(r).value_unsafe();
        return &doc_;
    }

  private:
    std::string buffer_;
    simdjson::ondemand::parser parser_;
    simdjson::ondemand::document doc_;
};

}  // namespace switchyard::events
