#pragma once
/// Big-endian integer encodings for storage keys, so that keys sort numerically.

#include <cstdint>
#include <string>
#include <string_view>

namespace switchyard::core {

/// `v` as 8 big-endian bytes.
inline std::string be64(std::uint64_t v) {
    std::string s(8, '\0');
    for (int i = 7; i >= 0; --i) {
        s[static_cast<std::size_t>(i)] = static_cast<char>(v & 0xff);
        v >>= 8;
    }
    return s;
}

/// `v` as 4 big-endian bytes.
inline std::string be32(std::uint32_t v) { return be64(v).substr(4); }

/// Decodes the first 8 bytes of `s` (fewer bytes decode as a shorter number).
inline std::uint64_t from_be64(std::string_view s) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < 8 && i < s.size(); ++i)
        v = (v << 8) | static_cast<unsigned char>(s[i]);
    return v;
}

}  // namespace switchyard::core
