#pragma once
/// RADIUS dictionaries in the FreeRADIUS 3 text format, as Debian `freeradius-common` ships them
/// (`/usr/share/freeradius/dictionary` and the `dictionary.*` files it `$INCLUDE`s). Pure: the
/// text of an included file comes from a caller-given loader (adapters/radius/dictionary_loader
/// reads them from disk).
///
/// Lines understood (`#` starts a comment anywhere on a line; fields are separated by spaces or
/// tabs; trailing spaces are ignored):
///   `VENDOR <name> <id> [format=<type size>,<length size>[,c]]`
///   `BEGIN-VENDOR <name> [format=Extended-Vendor-Specific-<n>]` ... `END-VENDOR <name>`
///   `ATTRIBUTE <name> <number> <type> [<flags> | <vendor name>]`
///   `VALUE <attribute> <name> <number>`
///   `BEGIN-TLV <name>` ... `END-TLV <name>`
///   `BEGIN-PROTOCOL <name>` ... `END-PROTOCOL <name>` (accepted and ignored)
///   `$INCLUDE <file>` and `$INCLUDE- <file>` (the second skips a missing file).
/// Numbers are decimal or `0x` hexadecimal; an attribute number may be a dotted path
/// (`241.26`, `1.2` inside a TLV or for an extended attribute).
///
/// @source FreeRADIUS 3.2 `man 5 dictionary` and the Debian files themselves.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"

namespace switchyard::core::radius {

/// The data type of an attribute's value, by the names FreeRADIUS dictionaries use.
enum class AttrType {
    String,        ///< Printable text, 0-253 octets (RFC 8044 3.5 "text" / "string").
    Octets,        ///< Opaque bytes, 0-253 octets.
    Ipaddr,        ///< IPv4 address, 4 octets (RFC 8044 3.8 "ipv4addr").
    Ipv4prefix,    ///< Reserved octet, prefix length, 4 octets of address (RFC 8044 3.11).
    Ipv6addr,      ///< IPv6 address, 16 octets (RFC 8044 3.9).
    Ipv6prefix,    ///< Reserved octet, prefix length, 0-16 octets of prefix (RFC 8044 3.10).
    Integer,       ///< Unsigned 32-bit, network order (RFC 8044 3.1).
    Integer64,     ///< Unsigned 64-bit, network order (RFC 8044 3.3).
    Date,          ///< Seconds since 1970-01-01 UTC, unsigned 32-bit (RFC 8044 3.2 "time").
    Byte,          ///< Unsigned 8-bit (FreeRADIUS extension).
    Short,         ///< Unsigned 16-bit (FreeRADIUS extension; `uint16` is read as this).
    Signed,        ///< Signed 32-bit (FreeRADIUS extension).
    Ether,         ///< MAC address, 6 octets.
    Ifid,          ///< IPv6 interface id, 8 octets (RFC 3162 2.2).
    Abinary,       ///< Ascend binary filter (opaque here).
    Tlv,           ///< Container of sub-attributes (RFC 8044 3.13).
    Extended,      ///< Extended-Type container, 241-244 (RFC 6929 2.1).
    LongExtended,  ///< Long Extended-Type container, 245-246 (RFC 6929 2.2).
    Evs,           ///< Extended-Vendor-Specific (RFC 6929 2.4).
    ComboIp,       ///< IPv4 or IPv6 address, told apart by length.
    Vsa,           ///< Vendor-Specific (26) itself (RFC 2865 5.26).
};

/// The dictionary name of a type, lower case (`string`, `ipaddr`, `integer64`, ...).
const char* to_string(AttrType type) noexcept;

/// Reads a dictionary type name; case-insensitive, as FreeRADIUS compares (`String` works).
/// Also reads `uint8`, `uint16`, `uint32`, `uint64`, `int32` (FreeRADIUS 4 names some files
/// use) and `octets[N]` (fixed size N, returned in `fixed_length`).
/// @returns false for a name no dictionary defines.
bool parse_attr_type(std::string_view text, AttrType& out, std::uint32_t& fixed_length) noexcept;

/// A vendor (Private Enterprise Number) and the size of its VSA sub-headers.
/// @source RFC 2865 5.26; FreeRADIUS `VENDOR ... format=t,l[,c]`.
struct Vendor {
    std::string name;
    std::uint32_t id = 0;          ///< IANA Private Enterprise Number, e.g. 14988 Mikrotik.
    std::uint8_t type_size = 1;    ///< Octets of the vendor type field: 1, 2 or 4.
    std::uint8_t length_size = 1;  ///< Octets of the vendor length field: 0, 1 or 2.
    bool continuation = false;     ///< WiMAX-style continuation octet after the length.
    std::uint32_t evs_parent = 0;  ///< 241-246 when the vendor lives in an EVS attribute.
    friend bool operator==(const Vendor&, const Vendor&) = default;
};

/// Flags after the type of an ATTRIBUTE line.
struct AttrFlags {
    std::uint8_t encrypt = 0;  ///< 1 User-Password style, 2 Tunnel-Password, 3 Ascend.
    bool has_tag = false;      ///< RFC 2868 tag octet.
    bool array = false;        ///< Several values packed in one attribute.
    bool concat = false;       ///< Long value split over consecutive attributes (EAP-Message).
    bool is_virtual = false;   ///< Server-internal, never on the wire.
    bool secret = false;       ///< Hidden in logs.
    friend bool operator==(const AttrFlags&, const AttrFlags&) = default;
};

/// One ATTRIBUTE definition.
struct Attribute {
    std::string name;                 ///< As first spelled, e.g. `Mikrotik-Rate-Limit`.
    std::uint32_t vendor = 0;         ///< 0 for standard attributes, else the vendor's id.
    std::vector<std::uint32_t> path;  ///< The number; several parts for TLV members (`1.2`).
    AttrType type = AttrType::Octets;
    std::uint32_t fixed_length = 0;  ///< N of `octets[N]`, else 0.
    AttrFlags flags;
    /// The last part of the path: the attribute number within its vendor or parent.
    std::uint32_t number() const { return path.empty() ? 0 : path.back(); }
    friend bool operator==(const Attribute&, const Attribute&) = default;
};

/// The text of a dictionary file and the name it is known by (a path for the disk loader).
struct DictionarySource {
    std::string name;
    std::string text;
};

/// Resolves `$INCLUDE include` seen in the file named `from` (relative to it, as the loader
/// decides). Errors: Errc::NotFound when the file does not exist (then `$INCLUDE-` skips it);
/// any other error stops the load.
using DictionaryLoader =
    std::function<Result<DictionarySource>(std::string_view from, std::string_view include)>;

/// The attributes, vendors and values of a set of dictionary files.
/// Names compare ASCII case-insensitively, as FreeRADIUS compares them.
/// @thread A const Dictionary may be read from many threads; loading is not thread-safe.
class Dictionary {
  public:
    /// Parses `source` and what it includes, adding to what is already loaded.
    /// @errors Errc::Invalid naming the file, the line and the reason (unknown keyword, bad
    ///   number, unknown type or flag, unknown vendor in BEGIN-VENDOR, unbalanced BEGIN/END,
    ///   VALUE for an attribute never defined, one name for two numbers, a vendor name for two
    ///   ids, an include loop,
    ///   more than 64 nested includes); an error of the loader as it gave it. On error the
    ///   dictionary keeps what the files before the faulty line defined.
    Result<void> add(const DictionarySource& source, const DictionaryLoader& loader = {});

    /// The attribute of that name (any case), or null.
    const Attribute* attribute(std::string_view name) const;
    /// The top-level attribute `number` of `vendor` (0 = standard), or null. With two names for
    /// one number, the one defined last (FreeRADIUS 3 prints the newest name).
    const Attribute* attribute(std::uint32_t vendor, std::uint32_t number) const;
    /// The attribute at `path` of `vendor` (TLV members, extended attributes), or null.
    const Attribute* attribute(std::uint32_t vendor, const std::vector<std::uint32_t>& path) const;

    /// The vendor of that name (any case) or id, or null.
    const Vendor* vendor(std::string_view name) const;
    const Vendor* vendor(std::uint32_t id) const;

    /// The number of VALUE `name` of `attribute` (both any case), if defined.
    std::optional<std::uint64_t> value(std::string_view attribute, std::string_view name) const;
    /// The name of VALUE `number` of `attribute` (the first name defined for it), or null.
    /// Aliases of one attribute share their VALUEs.
    const std::string* value_name(std::string_view attribute, std::uint64_t number) const;

    std::size_t attribute_count() const { return attributes_.size(); }
    std::size_t vendor_count() const { return vendors_.size(); }
    std::size_t value_count() const;
    /// The names of the files loaded, in the order they were read.
    const std::vector<std::string>& files() const { return files_; }

  private:
    struct Values {
        std::map<std::string, std::uint64_t> by_name;  // lower-case name
        std::map<std::uint64_t, std::string> by_number;
    };
    struct PendingValue {
        std::string attribute, name, where;
        std::uint64_t number = 0;
    };
    Result<void> parse(const DictionarySource& source, const DictionaryLoader& loader,
                       std::vector<std::string>& stack, std::vector<PendingValue>& pending);
    Result<void> add_attribute(Attribute a, const std::string& where);
    void add_value(const Attribute& attribute, const std::string& name, std::uint64_t number);
    const Values* values_of(std::string_view attribute) const;

    std::vector<Attribute> attributes_;
    std::unordered_map<std::string, std::size_t> by_name_;  // lower-case name
    std::map<std::pair<std::uint32_t, std::vector<std::uint32_t>>, std::size_t> by_number_;
    std::vector<Vendor> vendors_;
    std::unordered_map<std::string, std::size_t> vendor_by_name_;
    std::unordered_map<std::uint32_t, std::size_t> vendor_by_id_;
    std::map<std::pair<std::uint32_t, std::vector<std::uint32_t>>, Values> values_;
    std::vector<std::string> files_;
};

}  // namespace switchyard::core::radius
