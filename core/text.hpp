#pragma once
/// Text checks shared by the domain's validators.

#include <string>
#include <string_view>

namespace switchyard::core {

/// True when `s` is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view s) noexcept;

/// True when `s` contains an ASCII control character (0x00-0x1F or 0x7F).
bool has_control_chars(std::string_view s) noexcept;

/// ASCII case-insensitive prefix test.
bool starts_with_ci(std::string_view s, std::string_view prefix) noexcept;

/// `s` for HTML text and attribute values: `&`, `<`, `>`, `"` and `'` as character references
/// (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;`); other bytes as they are.
std::string html_escape(std::string_view s);

/// `s` with ASCII letters upper-cased (other bytes as they are): `eur` -> `EUR`.
std::string ascii_upper(std::string_view s);
/// `s` with ASCII letters lower-cased (other bytes as they are): `EUR` -> `eur`.
std::string ascii_lower(std::string_view s);

/// One CSV field (RFC 4180): `s` as it is, or quoted with its quotes doubled when it holds a
/// comma, a quote or a line break: `a"b,c` -> `"a""b,c"`.
std::string csv_field(std::string_view s);

}  // namespace switchyard::core
