#include "core/vpn/address_pool.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace switchyard::core::vpn {

std::optional<AddressPool> AddressPool::parse(std::string_view cidr, std::string& error) {
    const auto slash = cidr.find('/');
    if (slash == std::string_view::npos) {
        error = "is not a CIDR block (address/prefix)";
        return std::nullopt;
    }
    AddressPool pool;
    const std::string addr(cidr.substr(0, slash));
    pool.v6 = addr.find(':') != std::string::npos;
    if (inet_pton(pool.v6 ? AF_INET6 : AF_INET, addr.c_str(), pool.base) != 1) {
        error = "has a malformed address";
        return std::nullopt;
    }
    const auto len = cidr.substr(slash + 1);
    auto [p, ec] = std::from_chars(len.data(), len.data() + len.size(), pool.prefix);
    const int bits = pool.v6 ? 128 : 32;
    if (ec != std::errc() || p != len.data() + len.size() || pool.prefix < 0 ||
        pool.prefix > bits - 2) {
        error = pool.v6 ? "prefix must be 0 to 126" : "prefix must be 0 to 30";
        return std::nullopt;
    }
    for (int bit = pool.prefix; bit < bits; ++bit) {
        if (pool.base[bit / 8] & (0x80 >> (bit % 8))) {
            error = "has host bits set";
            return std::nullopt;
        }
    }
    return pool;
}

std::optional<std::string> AddressPool::host(std::uint64_t n) const {
    const int bits = v6 ? 128 : 32;
    const int host_bits = bits - prefix;
    if (host_bits < 64 && n >= (std::uint64_t{1} << host_bits)) return std::nullopt;
    if (!v6 && n == (std::uint64_t{1} << host_bits) - 1) return std::nullopt;  // broadcast
    unsigned char a[16];
    std::memcpy(a, base, sizeof a);
    // Add n to the low 64 bits (host parts beyond 2^64 are never reached).
    const int bytes = bits / 8;
    std::uint64_t carry = n;
    for (int i = bytes - 1; i >= 0 && carry; --i) {
        const std::uint64_t sum = a[i] + (carry & 0xff);
        a[i] = static_cast<unsigned char>(sum & 0xff);
        carry = (carry >> 8) + (sum >> 8);
    }
    char out[INET6_ADDRSTRLEN];
    if (!inet_ntop(v6 ? AF_INET6 : AF_INET, a, out, sizeof out)) return std::nullopt;
    return std::string(out);
}

namespace {

/// True when the first `bits` bits of `a` and `b` are equal.
bool same_prefix(const unsigned char* a, const unsigned char* b, int bits) {
    for (int bit = 0; bit < bits; ++bit) {
        const unsigned char mask = static_cast<unsigned char>(0x80 >> (bit % 8));
        if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) return false;
    }
    return true;
}

}  // namespace

bool AddressPool::overlaps(const AddressPool& other) const noexcept {
    return v6 == other.v6 && same_prefix(base, other.base, std::min(prefix, other.prefix));
}

bool AddressPool::contains(std::string_view address) const {
    if (address.empty() || address.size() >= INET6_ADDRSTRLEN) return false;
    const std::string s(address);
    unsigned char a[16]{};
    if (inet_pton(v6 ? AF_INET6 : AF_INET, s.c_str(), a) != 1) return false;
    return same_prefix(base, a, prefix);
}

std::optional<std::string> AddressPool::first_free(const std::set<std::string>& used,
                                                   std::uint64_t max_scan) const {
    for (std::uint64_t n = 2; n < max_scan + 2; ++n) {
        auto h = host(n);
        if (!h) return std::nullopt;
        if (!used.count(*h)) return h;
    }
    return std::nullopt;
}

bool is_ip_address(std::string_view text) {
    if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return false;
    const std::string s(text);
    unsigned char buf[16];
    return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

bool is_hostname(std::string_view text) {
    if (!text.empty() && text.back() == '.') text.remove_suffix(1);
    if (text.empty() || text.size() > 253) return false;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('.', start);
        if (end == std::string_view::npos) end = text.size();
        const auto label = text.substr(start, end - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return false;
        for (char ch : label) {
            const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                            (ch >= '0' && ch <= '9') || ch == '-';
            if (!ok) return false;
        }
        start = end + 1;
    }
    return true;
}

bool is_cidr(std::string_view text) {
    const auto slash = text.find('/');
    if (slash == std::string_view::npos) return false;
    const auto addr = text.substr(0, slash);
    if (!is_ip_address(addr)) return false;
    const auto len = text.substr(slash + 1);
    int prefix = -1;
    auto [p, ec] = std::from_chars(len.data(), len.data() + len.size(), prefix);
    if (ec != std::errc() || p != len.data() + len.size() || len.empty()) return false;
    const int bits = addr.find(':') != std::string_view::npos ? 128 : 32;
    return prefix >= 0 && prefix <= bits;
}

}  // namespace switchyard::core::vpn
