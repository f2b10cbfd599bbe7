#pragma once
/// Base64 with the standard alphabet and `=` padding (RFC 4648 section 4), as Xtream panels
/// send EPG titles and descriptions.

#include <optional>
#include <string>
#include <string_view>

namespace switchyard::core {

/// `bytes` in base64, padded.
std::string base64_encode(std::string_view bytes);
/// The bytes of padded base64 `text`; nullopt when it is not (wrong length, a character
/// outside the alphabet, misplaced padding).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace switchyard::core
