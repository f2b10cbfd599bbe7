#pragma once
/// IPv4 and IPv6 networks in CIDR notation, for allowlists and trusted proxies.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace switchyard::api {

/// An IPv4 or IPv6 network in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`; a bare address
/// is a /32 or /128). IPv4-mapped IPv6 addresses (`::ffff:10.1.2.3`) match IPv4 networks.
class Cidr {
  public:
    /// @errors Invalid naming `field` for anything else.
    static core::Result<Cidr> parse(std::string_view text, const char* field = "cidr");
    /// True when `address` (text) lies in the network; false for unparsable addresses.
    bool contains(std::string_view address) const;
    const std::string& text() const { return text_; }

  private:
    std::string text_;
    unsigned char bytes_[16]{};  ///< IPv6 bytes; IPv4 as IPv4-mapped
    int prefix_ = 128;           ///< In IPv6 bits.
};

/// True when some network of `list` contains `address`.
bool any_contains(const std::vector<Cidr>& list, std::string_view address);

/// True for an IPv4 or IPv6 address (brackets allowed), not a network.
bool is_ip_address(std::string_view text);

/// The networks of already validated CIDR texts (e.g. a stored allowlist); invalid ones are
/// skipped.
std::vector<Cidr> parse_cidrs(const std::vector<std::string>& texts);

}  // namespace switchyard::api
