#pragma once
/// RADIUS packets on the wire (RFC 2865 section 3) and their attributes, typed by a Dictionary.
/// Pure: no sockets and no digests. The Request and Response Authenticators and the
/// Message-Authenticator need MD5 and HMAC-MD5, which the adapter computes
/// (adapters/radius/dae_client.hpp) over the bytes encode_packet gives.
///
/// Wire format (RFC 2865 3): Code (1 octet), Identifier (1), Length (2, network order, 20 to
/// 4096, counting the whole packet), Authenticator (16), then attributes: Type (1), Length (1,
/// counting type and length, 2 to 255), Value. Vendor-Specific (26, RFC 2865 5.26) carries a
/// 4-octet Vendor-Id and the vendor's own sub-attributes whose type and length field sizes the
/// dictionary gives (`VENDOR ... format=t,l`).

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/radius/dictionary.hpp"
#include "core/result.hpp"

namespace switchyard::core::radius {

using Bytes = std::vector<std::uint8_t>;

/// Packet codes of RFC 2865 3, RFC 2866 3, RFC 5997 and RFC 5176 2.
enum class Code : std::uint8_t {
    AccessRequest = 1,
    AccessAccept = 2,
    AccessReject = 3,
    AccountingRequest = 4,
    AccountingResponse = 5,
    AccessChallenge = 11,
    StatusServer = 12,
    StatusClient = 13,
    DisconnectRequest = 40,
    DisconnectAck = 41,
    DisconnectNak = 42,
    CoaRequest = 43,
    CoaAck = 44,
    CoaNak = 45,
};

/// The RFC name of a code (`Disconnect-Request`, `CoA-ACK`, ...); `Code-<n>` for others.
std::string to_string(Code code);

inline constexpr std::size_t kHeaderLength = 20;           ///< RFC 2865 3: the minimum Length.
inline constexpr std::size_t kMaxPacketLength = 4096;      ///< RFC 2865 3: the maximum Length.
inline constexpr std::size_t kMaxAttributeValue = 253;     ///< 255 minus type and length octets.
inline constexpr std::uint8_t kVendorSpecific = 26;        ///< RFC 2865 5.26.
inline constexpr std::uint8_t kMessageAuthenticator = 80;  ///< RFC 3579 3.2, 16 octets.

/// One attribute as it is on the wire (for Vendor-Specific, the whole VSA value).
struct RawAttribute {
    std::uint8_t type = 0;
    Bytes value;  ///< 0 to 253 octets.
    friend bool operator==(const RawAttribute&, const RawAttribute&) = default;
};

/// A RADIUS packet.
struct Packet {
    Code code = Code::AccessRequest;
    std::uint8_t identifier = 0;
    std::array<std::uint8_t, 16> authenticator{};
    std::vector<RawAttribute> attributes;
    friend bool operator==(const Packet&, const Packet&) = default;
};

/// The wire bytes of `packet`, with its authenticator as given.
/// @errors Errc::Invalid (field `attributes[i]`) when an attribute value is longer than 253
///   octets; Errc::Invalid (field `length`) when the packet would exceed 4096 octets.
Result<Bytes> encode_packet(const Packet& packet);

/// Reads a packet, strictly: at least 20 octets, Length between 20 and 4096 and not more than
/// the bytes received (octets past Length are padding and ignored, RFC 2865 3), every
/// attribute length at least 2 and inside Length, the attributes filling Length exactly.
/// @errors Errc::Invalid naming the field (`length`, `attributes[i].length`) and the reason.
Result<Packet> decode_packet(std::span<const std::uint8_t> bytes);

/// The wire value of `text` for an attribute of `definition`'s type, in the text forms
/// FreeRADIUS reads: string as is; octets as `0x` hex or as text; ipaddr dotted quad; ipv6addr
/// RFC 4291 text; ipv4prefix/ipv6prefix `address/length`; integer, integer64, byte, short,
/// signed and date as decimal or `0x` hex (integers also by VALUE name); ether
/// `aa:bb:cc:dd:ee:ff` (or `-`); ifid `xxxx:xxxx:xxxx:xxxx`; combo-ip either address family;
/// other types only as `0x` hex. Tagged attributes (`has_tag`, RFC 2868) are sent untagged.
/// @errors Errc::Invalid (field = the attribute name) saying why: out of range, not a number,
///   not an address, too long, wrong fixed length, encrypted attributes (encrypt=N needs the
///   Request Authenticator and is not supported here).
Result<Bytes> encode_value(const Dictionary& dictionary, const Attribute& definition,
                           std::string_view text);

/// The attribute `name` (any case) with value `text` as it goes on the wire: a standard
/// attribute as is, a vendor attribute wrapped in Vendor-Specific with the vendor's header
/// sizes, an extended attribute (241-246, RFC 6929) with its Extended-Type.
/// @errors Errc::Invalid: unknown attribute name, TLV members and EVS vendors (not supported),
///   the errors of encode_value, a value too long for one attribute.
Result<RawAttribute> make_attribute(const Dictionary& dictionary, std::string_view name,
                                    std::string_view text);

/// An attribute decoded with the dictionary.
struct AttributeValue {
    /// The dictionary definition, or null when the dictionary has none or the value did not fit
    /// the type (then `value` is the raw octets in hex, as FreeRADIUS prints unknown ones).
    const Attribute* definition = nullptr;
    std::uint32_t vendor = 0;  ///< 0 for standard attributes.
    std::uint32_t number = 0;  ///< The (vendor) attribute number.
    /// The dictionary name, or FreeRADIUS's name for an unknown one: `Attr-<n>`,
    /// `Attr-26.<vendor>.<n>`.
    std::string name;
    /// The text form (see format_value).
    std::string value;
    /// The number, for integer, integer64, byte, short, signed and date attributes.
    std::optional<std::uint64_t> integer;
};

/// The text form of a wire value: string as is; octets and unknown types `0x` hex; addresses
/// in their usual text; integers by VALUE name when the dictionary has one, else decimal;
/// date as decimal seconds since 1970 UTC; ether `aa:bb:cc:dd:ee:ff`.
/// @errors Errc::Invalid (field = attribute name) when the length does not fit the type.
Result<std::string> format_value(const Dictionary& dictionary, const Attribute& definition,
                                 std::span<const std::uint8_t> value);

/// Every attribute of `packet` decoded: Vendor-Specific split into its sub-attributes (by the
/// vendor's format; 1,1 for a vendor the dictionary does not know). Values that do not fit
/// their type and VSAs that do not parse come back raw (definition null, hex value), never as
/// an error, as FreeRADIUS does.
std::vector<AttributeValue> decode_attributes(const Dictionary& dictionary, const Packet& packet);

}  // namespace switchyard::core::radius
