#pragma once
/// Small helpers for building JSON text by concatenation (pre-rendered read models, envelopes).
/// Escaping is Boost.JSON's; nothing here parses.

#include <cstdint>
#include <string>
#include <string_view>

namespace switchyard::events {

/// Appends `text` as a JSON string literal (quoted and escaped per RFC 8259) to `out`.
void append_json_string(std::string& out, std::string_view text);

/// `text` as a JSON string literal.
std::string json_string(std::string_view text);

/// Appends `"key":` to `out` (key is escaped).
void append_json_key(std::string& out, std::string_view key);

}  // namespace switchyard::events
