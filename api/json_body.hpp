#pragma once
/// Reading JSON request bodies (simdjson DOM) with errors that name the field and the reason.

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace switchyard::api {

/// A request body that is a JSON object.
class JsonBody {
  public:
    /// Parses `body`. @errors Invalid naming `body` when it is not a JSON object (an empty body
    /// is an empty object).
    static core::Result<JsonBody> parse(const std::string& body);

    JsonBody(JsonBody&&) noexcept;
    JsonBody& operator=(JsonBody&&) noexcept;
    ~JsonBody();

    /// Refuses fields other than `allowed`. @errors Invalid naming the first unknown field.
    core::Result<void> only(std::initializer_list<const char*> allowed) const;

    bool has(const char* key) const;
    /// @errors Invalid when present and not a string.
    core::Result<std::optional<std::string>> opt_string(const char* key) const;
    /// @errors Invalid when absent or not a string.
    core::Result<std::string> string(const char* key) const;
    /// @errors Invalid when present and not an integer.
    core::Result<std::optional<std::int64_t>> opt_int(const char* key) const;
    /// Absent -> nullopt; `null` -> optional holding nullopt. @errors Invalid for other types.
    core::Result<std::optional<std::optional<std::int64_t>>> opt_nullable_int(
        const char* key) const;
    /// @errors Invalid when present and not a boolean.
    core::Result<std::optional<bool>> opt_bool(const char* key) const;
    /// @errors Invalid when present and not an array of integers (naming `key[i]`).
    core::Result<std::optional<std::vector<std::int64_t>>> opt_int_list(const char* key) const;
    /// @errors Invalid when present and not an array of strings.
    core::Result<std::optional<std::vector<std::string>>> opt_string_list(const char* key) const;

    /// Nested objects; their errors name the path (`devices[2].mac`).
    /// @errors Invalid when present and not an array of objects.
    core::Result<std::optional<std::vector<JsonBody>>> opt_object_list(const char* key) const;
    /// @errors Invalid when present and not an object.
    core::Result<std::optional<JsonBody>> opt_object(const char* key) const;
    /// The member names in order.
    std::vector<std::string> keys() const;
    /// True when `key` is present and `null`.
    bool is_null(const char* key) const;
    /// The path of this object inside the body (`devices[2].`), empty at the top.
    const std::string& prefix() const;

  private:
    core::Error wrong(const char* key, const char* what) const;
    JsonBody();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::api
