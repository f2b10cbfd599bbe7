#pragma once
/// Tunnel address pools: an IPv4 or IPv6 CIDR block whose first host is the server's own
/// address and whose further hosts go to peers in order.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace switchyard::core::vpn {

/// Shortest prefix of a server's IPv4 pool: a /16 holds 65,534 peers, more than one WireGuard
/// interface carries; shorter blocks (`0.0.0.0/0`, `10.0.0.0/8`) would swallow other networks.
inline constexpr int kMinIpv4PoolPrefix = 16;
/// Shortest prefix of a server's IPv6 pool (`::/0` and other huge blocks are refused).
inline constexpr int kMinIpv6PoolPrefix = 48;

/// A parsed CIDR block.
struct AddressPool {
    bool v6 = false;
    unsigned char base[16]{};  ///< Network address, big-endian; IPv4 uses the first 4 bytes.
    int prefix = 0;

    /// Parses `10.8.0.0/24` or `fd42:8::/64`. Host bits must be zero, and the block must hold
    /// at least a server and one peer (IPv4 up to /30, IPv6 up to /126).
    /// @returns none with `error` set to the reason when malformed.
    static std::optional<AddressPool> parse(std::string_view cidr, std::string& error);

    /// The n-th address of the block (n = 1 is the server), or none when past its end or the
    /// IPv4 broadcast address.
    std::optional<std::string> host(std::uint64_t n) const;

    /// True when the two blocks share an address (same family, one contains the other).
    bool overlaps(const AddressPool& other) const noexcept;

    /// True when `address` (an IPv4 or IPv6 literal) lies in this block; false for a name.
    bool contains(std::string_view address) const;

    /// The first peer address (from host 2 on) not in `used`; none when the pool is full.
    /// Looks at most `max_scan` hosts.
    std::optional<std::string> first_free(const std::set<std::string>& used,
                                          std::uint64_t max_scan = 1u << 20) const;
};

/// True when `text` is an IPv4 or IPv6 address literal.
bool is_ip_address(std::string_view text);

/// True for a DNS host name (RFC 1123: dot-separated labels of letters, digits and inner
/// hyphens, 1 to 63 characters each, 253 in all; a trailing dot allowed).
bool is_hostname(std::string_view text);

/// True for `address/prefix` with a valid address and a prefix within its family.
bool is_cidr(std::string_view text);

}  // namespace switchyard::core::vpn
