#pragma once
/// MAC address vendors from the IEEE registries (MA-L: 24-bit blocks, MA-M: 28-bit, MA-S:
/// 36-bit), read from the registry files Debian's `ieee-data` installs
/// (/usr/share/ieee-data/{oui,mam,oui36}.txt). No vendor is known from code.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace switchyard::core::vpn {

/// A 48-bit MAC address parsed from `aa:bb:cc:dd:ee:ff`, `AA-BB-CC-DD-EE-FF`,
/// `aabb.ccdd.eeff` or `aabbccddeeff`; none for anything else.
std::optional<std::uint64_t> parse_mac(std::string_view text);

/// True for a locally administered address (bit 0x02 of the first octet): phones and laptops
/// randomise their MAC per network this way, so such an address names no vendor.
bool locally_administered(std::uint64_t mac);

class OuiRegistry {
  public:
    /// Adds the blocks of one registry file in the IEEE text format: a
    /// `XX-XX-XX   (hex)  <organization>` line per block, followed by `XXXXXX  (base 16)` (MA-L)
    /// or a range `X00000-XFFFFF  (base 16)` (MA-M) / `XXX000-XXXFFF  (base 16)` (MA-S).
    /// @returns the number of blocks added.
    std::size_t add_text(std::string_view text);

    /// The organization of the most specific block holding `mac`; none for a malformed or
    /// locally administered address, or one in no block.
    std::optional<std::string> vendor(std::string_view mac) const;

    std::size_t size() const { return blocks_[0].size() + blocks_[1].size() + blocks_[2].size(); }

  private:
    // Keyed by the block's prefix: 24, 28 and 36 bits.
    std::unordered_map<std::uint64_t, std::string> blocks_[3];
};

}  // namespace switchyard::core::vpn
