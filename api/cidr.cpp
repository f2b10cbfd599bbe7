#include "api/cidr.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace switchyard::api {

using core::Errc;

namespace {

/// Parses an address into 16 bytes (IPv4 as IPv4-mapped IPv6); false when it is not one.
bool to_bytes(std::string_view text, unsigned char out[16]) {
    std::string s(text);
    if (s.size() > 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
    in_addr v4{};
    if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
        std::memset(out, 0, 10);
        out[10] = out[11] = 0xff;
        std::memcpy(out + 12, &v4, 4);
        return true;
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
        std::memcpy(out, &v6, 16);
        return true;
    }
    return false;
}

}  // namespace

core::Result<Cidr> Cidr::parse(std::string_view text, const char* field) {
    Cidr c;
    c.text_ = std::string(text);
    auto slash = text.find('/');
    const auto address = text.substr(0, slash);
    if (!to_bytes(address, c.bytes_))
        return core::fail(Errc::Invalid, field,
                          fmt::format("'{}' is not an IPv4 or IPv6 address or network", text));
    const bool written_v4 = address.find(':') == std::string_view::npos;
    const int max = written_v4 ? 32 : 128;
    int prefix = max;
    if (slash != std::string_view::npos) {
        const auto digits = text.substr(slash + 1);
        if (digits.empty() || digits.size() > 3 ||
            !std::all_of(digits.begin(), digits.end(),
                         [](char ch) { return ch >= '0' && ch <= '9'; }))
            return core::fail(Errc::Invalid, field,
                              fmt::format("'{}' has a bad prefix length", text));
        prefix = std::stoi(std::string(digits));
        if (prefix > max)
            return core::fail(Errc::Invalid, field,
                              fmt::format("'{}': the prefix length is at most {}", text, max));
    }
    // Kept as IPv6 bits: an IPv4 /n is the mapped /96+n.
    c.prefix_ = written_v4 ? 96 + prefix : prefix;
    return c;
}

bool Cidr::contains(std::string_view address) const {
    unsigned char a[16];
    if (!to_bytes(address, a)) return false;
    int bits = prefix_;
    for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
        const unsigned char mask =
            bits >= 8 ? 0xff : static_cast<unsigned char>(0xff << (8 - bits));
        if ((a[i] & mask) != (bytes_[i] & mask)) return false;
    }
    return true;
}

bool any_contains(const std::vector<Cidr>& list, std::string_view address) {
    return std::any_of(list.begin(), list.end(),
                       [&](const Cidr& c) { return c.contains(address); });
}

bool is_ip_address(std::string_view text) {
    unsigned char bytes[16];
    return to_bytes(text, bytes);
}

std::vector<Cidr> parse_cidrs(const std::vector<std::string>& texts) {
    std::vector<Cidr> out;
    for (const auto& t : texts) {
        if (auto c = Cidr::parse(t)) out.push_back(*c);
    }
    return out;
}

}  // namespace switchyard::api
