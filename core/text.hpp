#pragma once
/// Text checks shared by the domain's validators.

#include <string_view>

namespace switchyard::core {

/// True when `s` is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view s) noexcept;

/// True when `s` contains an ASCII control character (0x00-0x1F or 0x7F).
bool has_control_chars(std::string_view s) noexcept;

/// ASCII case-insensitive prefix test.
bool starts_with_ci(std::string_view s, std::string_view prefix) noexcept;

}  // namespace switchyard::core
