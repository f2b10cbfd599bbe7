#include "core/vpn/oui.hpp"

#include <cctype>

namespace switchyard::core::vpn {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

/// Parses `n` hex digits; none when one is not a hex digit.
std::optional<std::uint64_t> hex_digits(std::string_view s, std::size_t n) {
    if (s.size() < n) return std::nullopt;
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const int d = hex_value(s[i]);
        if (d < 0) return std::nullopt;
        v = (v << 4) | static_cast<std::uint64_t>(d);
    }
    return v;
}

constexpr int kBits[3] = {24, 28, 36};

}  // namespace

std::optional<std::uint64_t> parse_mac(std::string_view text) {
    std::string digits;
    for (char c : text) {
        if (c == ':' || c == '-' || c == '.') continue;
        if (hex_value(c) < 0) return std::nullopt;
        digits += c;
    }
    if (digits.size() != 12) return std::nullopt;
    // Separators, when present, must sit between whole groups (no `a:bbccddeeff`).
    const auto seps = text.size() - digits.size();
    if (seps != 0 && seps != 5 && seps != 2) return std::nullopt;
    return hex_digits(digits, 12);
}

bool locally_administered(std::uint64_t mac) { return ((mac >> 40) & 0x02) != 0; }

std::size_t OuiRegistry::add_text(std::string_view text) {
    std::size_t added = 0;
    std::optional<std::uint64_t> pending;  // the 24-bit prefix of the last `(hex)` line
    std::string organization;
    while (!text.empty()) {
        auto end = text.find('\n');
        auto line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        if (auto at = line.find("(hex)"); at != std::string_view::npos) {
            auto head = trim(line.substr(0, at));
            // `XX-XX-XX`
            if (head.size() == 8 && head[2] == '-' && head[5] == '-') {
                std::string joined{head[0], head[1], head[3], head[4], head[6], head[7]};
                pending = hex_digits(joined, 6);
                organization = std::string(trim(line.substr(at + 5)));
            } else {
                pending.reset();
            }
            continue;
        }
        auto at = line.find("(base 16)");
        if (at == std::string_view::npos || !pending) continue;
        auto range = trim(line.substr(0, at));
        int kind = 0;  // MA-L
        std::uint64_t prefix = *pending;
        if (auto dash = range.find('-'); dash != std::string_view::npos) {
            // `X00000-XFFFFF` (MA-M: one more digit) or `XXX000-XXXFFF` (MA-S: three more).
            const auto low = range.substr(0, dash);
            const auto high = range.substr(dash + 1);
            std::size_t fixed = 0;
            while (fixed < low.size() && fixed < high.size() && low[fixed] == high[fixed]) ++fixed;
            kind = fixed == 1 ? 1 : fixed == 3 ? 2 : -1;
            auto more = hex_digits(low, fixed);
            if (kind < 0 || !more) {
                pending.reset();
                continue;
            }
            prefix = (prefix << (4 * fixed)) | *more;
        }
        blocks_[kind].emplace(prefix, organization);
        ++added;
        pending.reset();
    }
    return added;
}

std::optional<std::string> OuiRegistry::vendor(std::string_view text) const {
    auto mac = parse_mac(text);
    if (!mac || locally_administered(*mac)) return std::nullopt;
    for (int kind = 2; kind >= 0; --kind) {  // most specific first
        auto it = blocks_[kind].find(*mac >> (48 - kBits[kind]));
        if (it != blocks_[kind].end()) return it->second;
    }
    return std::nullopt;
}

}  // namespace switchyard::core::vpn
