#include "core/radius/packet.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

#include <fmt/format.h>

namespace switchyard::core::radius {

namespace {

bool parse_u64(std::string_view s, std::uint64_t& out) {
    int base = 10;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s.remove_prefix(2);
        base = 16;
    }
    if (s.empty()) return false;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out, base);
    return ec == std::errc() && p == s.data() + s.size();
}

bool parse_i64(std::string_view s, std::int64_t& out) {
    if (s.empty()) return false;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out, 10);
    return ec == std::errc() && p == s.data() + s.size();
}

void put_be(Bytes& out, std::uint64_t v, int octets) {
    for (int i = octets - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

std::uint64_t get_be(std::span<const std::uint8_t> b) {
    std::uint64_t v = 0;
    for (auto x : b) v = (v << 8) | x;
    return v;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool parse_hex(std::string_view s, Bytes& out) {
    if (s.size() % 2 != 0) return false;
    out.clear();
    for (std::size_t i = 0; i < s.size(); i += 2) {
        const int hi = hex_digit(s[i]), lo = hex_digit(s[i + 1]);
        if (hi < 0 || lo < 0) return false;
        out.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
    }
    return true;
}

std::string to_hex(std::span<const std::uint8_t> b) {
    std::string out = "0x";
    for (auto x : b) out += fmt::format("{:02x}", x);
    return out;
}

bool parse_ipv4(std::string_view s, Bytes& out) {
    if (s.size() > 15) return false;
    const std::string z(s);
    std::uint8_t a[4];
    if (inet_pton(AF_INET, z.c_str(), a) != 1) return false;
    out.assign(a, a + 4);
    return true;
}

bool parse_ipv6(std::string_view s, Bytes& out) {
    if (s.size() > 45) return false;
    const std::string z(s);
    std::uint8_t a[16];
    if (inet_pton(AF_INET6, z.c_str(), a) != 1) return false;
    out.assign(a, a + 16);
    return true;
}

std::string format_ip(std::span<const std::uint8_t> b) {
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(b.size() == 4 ? AF_INET : AF_INET6, b.data(), buf, sizeof buf);
    return buf;
}

/// `aa:bb:cc:dd:ee:ff` or `aa-bb-...`: `groups` groups of `group_octets` octets.
bool parse_grouped_hex(std::string_view s, std::size_t groups, std::size_t group_octets,
                       Bytes& out) {
    out.clear();
    const std::size_t width = group_octets * 2;
    if (s.size() != groups * width + (groups - 1)) return false;
    for (std::size_t g = 0; g < groups; ++g) {
        const auto part = s.substr(g * (width + 1), width);
        Bytes b;
        if (!parse_hex(part, b)) return false;
        out.insert(out.end(), b.begin(), b.end());
        if (g + 1 < groups) {
            const char sep = s[g * (width + 1) + width];
            if (sep != ':' && !(group_octets == 1 && sep == '-')) return false;
        }
    }
    return true;
}

std::string format_grouped_hex(std::span<const std::uint8_t> b, std::size_t group_octets) {
    std::string out;
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (i > 0 && i % group_octets == 0) out += ':';
        out += fmt::format("{:02x}", b[i]);
    }
    return out;
}

std::size_t fixed_size(AttrType t) {
    switch (t) {
        case AttrType::Ipaddr:
        case AttrType::Integer:
        case AttrType::Date:
        case AttrType::Signed:
            return 4;
        case AttrType::Ipv6addr:
            return 16;
        case AttrType::Integer64:
        case AttrType::Ifid:
            return 8;
        case AttrType::Byte:
            return 1;
        case AttrType::Short:
            return 2;
        case AttrType::Ether:
            return 6;
        default:
            return 0;
    }
}

bool is_integer_type(AttrType t) {
    return t == AttrType::Integer || t == AttrType::Integer64 || t == AttrType::Byte ||
           t == AttrType::Short || t == AttrType::Signed || t == AttrType::Date;
}

}  // namespace

std::string to_string(Code code) {
    switch (code) {
        case Code::AccessRequest:
            return "Access-Request";
        case Code::AccessAccept:
            return "Access-Accept";
        case Code::AccessReject:
            return "Access-Reject";
        case Code::AccountingRequest:
            return "Accounting-Request";
        case Code::AccountingResponse:
            return "Accounting-Response";
        case Code::AccessChallenge:
            return "Access-Challenge";
        case Code::StatusServer:
            return "Status-Server";
        case Code::StatusClient:
            return "Status-Client";
        case Code::DisconnectRequest:
            return "Disconnect-Request";
        case Code::DisconnectAck:
            return "Disconnect-ACK";
        case Code::DisconnectNak:
            return "Disconnect-NAK";
        case Code::CoaRequest:
            return "CoA-Request";
        case Code::CoaAck:
            return "CoA-ACK";
        case Code::CoaNak:
            return "CoA-NAK";
    }
    return fmt::format("Code-{}", static_cast<int>(code));
}

Result<Bytes> encode_packet(const Packet& packet) {
    Bytes out;
    out.reserve(kHeaderLength + 64);
    out.push_back(static_cast<std::uint8_t>(packet.code));
    out.push_back(packet.identifier);
    out.push_back(0);
    out.push_back(0);
    out.insert(out.end(), packet.authenticator.begin(), packet.authenticator.end());
    for (std::size_t i = 0; i < packet.attributes.size(); ++i) {
        const auto& a = packet.attributes[i];
        if (a.value.size() > kMaxAttributeValue) {
            return fail(Errc::Invalid, fmt::format("attributes[{}]", i),
                        fmt::format("attribute type {} has {} octets of value; at most {} fit",
                                    a.type, a.value.size(), kMaxAttributeValue));
        }
        out.push_back(a.type);
        out.push_back(static_cast<std::uint8_t>(a.value.size() + 2));
        out.insert(out.end(), a.value.begin(), a.value.end());
        if (out.size() > kMaxPacketLength) {
            return fail(
                Errc::Invalid, "length",
                fmt::format("the packet would exceed {} octets (RFC 2865 3)", kMaxPacketLength));
        }
    }
    out[2] = static_cast<std::uint8_t>(out.size() >> 8);
    out[3] = static_cast<std::uint8_t>(out.size() & 0xFF);
    return out;
}

Result<Packet> decode_packet(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < kHeaderLength) {
        return fail(Errc::Invalid, "length",
                    fmt::format("{} octets received; a RADIUS packet has at least {}", bytes.size(),
                                kHeaderLength));
    }
    const std::size_t length = (std::size_t{bytes[2]} << 8) | bytes[3];
    if (length < kHeaderLength || length > kMaxPacketLength) {
        return fail(Errc::Invalid, "length",
                    fmt::format("Length {} is outside 20 to 4096 (RFC 2865 3)", length));
    }
    if (length > bytes.size()) {
        return fail(Errc::Invalid, "length",
                    fmt::format("Length {} but only {} octets received", length, bytes.size()));
    }
    Packet p;
    p.code = static_cast<Code>(bytes[0]);
    p.identifier = bytes[1];
    std::memcpy(p.authenticator.data(), bytes.data() + 4, 16);
    std::size_t pos = kHeaderLength;
    while (pos < length) {
        const std::size_t index = p.attributes.size();
        if (length - pos < 2) {
            return fail(Errc::Invalid, fmt::format("attributes[{}].length", index),
                        "an attribute header is cut off by the packet's Length");
        }
        const std::size_t alen = bytes[pos + 1];
        if (alen < 2) {
            return fail(Errc::Invalid, fmt::format("attributes[{}].length", index),
                        fmt::format("attribute length {} is below 2", alen));
        }
        if (pos + alen > length) {
            return fail(Errc::Invalid, fmt::format("attributes[{}].length", index),
                        fmt::format("attribute length {} runs past the packet's Length", alen));
        }
        p.attributes.push_back(
            {bytes[pos], Bytes(bytes.begin() + static_cast<std::ptrdiff_t>(pos + 2),
                               bytes.begin() + static_cast<std::ptrdiff_t>(pos + alen))});
        pos += alen;
    }
    return p;
}

Result<Bytes> encode_value(const Dictionary& dictionary, const Attribute& d,
                           std::string_view text) {
    auto bad = [&](const std::string& why) {
        return fail(Errc::Invalid, d.name,
                    fmt::format("{} value '{}': {}", d.name, text.substr(0, 64), why));
    };
    if (d.flags.encrypt != 0) {
        return bad(
            fmt::format("encrypted attributes (encrypt={}) are not supported", d.flags.encrypt));
    }
    Bytes out;
    auto integer = [&](std::uint64_t max, int octets) -> Result<Bytes> {
        std::uint64_t n = 0;
        if (!parse_u64(text, n)) {
            const auto named = dictionary.value(d.name, text);
            if (!named) return bad("not a number nor a VALUE name of the attribute");
            n = *named;
        }
        if (n > max) return bad(fmt::format("above the maximum {}", max));
        put_be(out, n, octets);
        return out;
    };
    switch (d.type) {
        case AttrType::String:
            out.assign(text.begin(), text.end());
            break;
        case AttrType::Octets:
            if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
                if (!parse_hex(text.substr(2), out)) return bad("not an even number of hex digits");
            } else {
                out.assign(text.begin(), text.end());
            }
            if (d.fixed_length != 0 && out.size() != d.fixed_length) {
                return bad(fmt::format("{} octets; the attribute has exactly {}", out.size(),
                                       d.fixed_length));
            }
            break;
        case AttrType::Ipaddr:
            if (!parse_ipv4(text, out)) return bad("not an IPv4 address (a.b.c.d)");
            break;
        case AttrType::Ipv6addr:
            if (!parse_ipv6(text, out)) return bad("not an IPv6 address");
            break;
        case AttrType::ComboIp:
            if (!parse_ipv4(text, out) && !parse_ipv6(text, out)) return bad("not an IP address");
            break;
        case AttrType::Ipv4prefix:
        case AttrType::Ipv6prefix: {
            const bool v4 = d.type == AttrType::Ipv4prefix;
            const auto slash = text.find('/');
            std::uint64_t bits = 0;
            Bytes addr;
            if (slash == std::string_view::npos || !parse_u64(text.substr(slash + 1), bits) ||
                bits > (v4 ? 32u : 128u) ||
                !(v4 ? parse_ipv4(text.substr(0, slash), addr)
                     : parse_ipv6(text.substr(0, slash), addr))) {
                return bad(v4 ? "not an IPv4 prefix (a.b.c.d/n, n <= 32)"
                              : "not an IPv6 prefix (address/n, n <= 128)");
            }
            out.push_back(0);
            out.push_back(static_cast<std::uint8_t>(bits));
            out.insert(out.end(), addr.begin(), addr.end());
            break;
        }
        case AttrType::Integer:
            return integer(0xFFFFFFFFu, 4);
        case AttrType::Date:
            return integer(0xFFFFFFFFu, 4);
        case AttrType::Integer64:
            return integer(~std::uint64_t{0}, 8);
        case AttrType::Byte:
            return integer(0xFFu, 1);
        case AttrType::Short:
            return integer(0xFFFFu, 2);
        case AttrType::Signed: {
            std::int64_t n = 0;
            if (!parse_i64(text, n)) return bad("not a decimal number");
            if (n < INT32_MIN || n > INT32_MAX) return bad("outside the signed 32-bit range");
            put_be(out, static_cast<std::uint32_t>(static_cast<std::int32_t>(n)), 4);
            break;
        }
        case AttrType::Ether:
            if (!parse_grouped_hex(text, 6, 1, out)) return bad("not a MAC (aa:bb:cc:dd:ee:ff)");
            break;
        case AttrType::Ifid:
            if (!parse_grouped_hex(text, 4, 2, out)) {
                return bad("not an interface id (xxxx:xxxx:xxxx:xxxx)");
            }
            break;
        default:
            if (text.size() < 2 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X') ||
                !parse_hex(text.substr(2), out)) {
                return bad(fmt::format("a {} value is given as 0x hex octets", to_string(d.type)));
            }
    }
    if (out.size() > kMaxAttributeValue) {
        return bad(fmt::format("{} octets; at most {} fit in one attribute", out.size(),
                               kMaxAttributeValue));
    }
    return out;
}

Result<RawAttribute> make_attribute(const Dictionary& dictionary, std::string_view name,
                                    std::string_view text) {
    const Attribute* d = dictionary.attribute(name);
    if (!d) {
        return fail(Errc::Invalid, std::string(name),
                    fmt::format("no dictionary defines an attribute named {}", name));
    }
    if (d->flags.is_virtual) {
        return fail(
            Errc::Invalid, d->name,
            fmt::format("{} is a server-internal (virtual) attribute, never sent", d->name));
    }
    auto value = SY_TRY(encode_value(dictionary, *d, text));
    auto too_long = [&] {
        return fail(Errc::Invalid, d->name,
                    fmt::format("{} value of {} octets does not fit in one attribute", d->name,
                                value.size()));
    };
    if (d->vendor == 0) {
        if (d->path.size() == 1) {
            if (d->path[0] == 0 || d->path[0] > 255) {
                return fail(Errc::Invalid, d->name,
                            fmt::format("{} is a server-internal attribute (number {}), never "
                                        "sent",
                                        d->name, d->path[0]));
            }
            return RawAttribute{static_cast<std::uint8_t>(d->path[0]), std::move(value)};
        }
        const std::uint32_t top = d->path[0];
        if (d->path.size() == 2 && top >= 241 && top <= 246 && d->path[1] <= 255) {
            // RFC 6929 2.1 / 2.2: Extended-Type, then (long form) a flags octet.
            Bytes ext{static_cast<std::uint8_t>(d->path[1])};
            if (top >= 245) ext.push_back(0);
            if (ext.size() + value.size() > kMaxAttributeValue) return too_long();
            ext.insert(ext.end(), value.begin(), value.end());
            return RawAttribute{static_cast<std::uint8_t>(top), std::move(ext)};
        }
        return fail(Errc::Invalid, d->name,
                    fmt::format("{} is a TLV member; encoding TLVs is not supported", d->name));
    }
    const Vendor* v = dictionary.vendor(d->vendor);
    if (!v || d->path.size() != 1 || v->evs_parent != 0) {
        return fail(Errc::Invalid, d->name,
                    fmt::format("{}: only plain Vendor-Specific attributes (RFC 2865 5.26) are "
                                "supported, not TLV members or Extended-Vendor-Specific",
                                d->name));
    }
    Bytes vsa;
    put_be(vsa, v->id, 4);
    put_be(vsa, d->path[0], v->type_size);
    const std::size_t header = v->type_size + v->length_size + (v->continuation ? 1 : 0);
    if (v->length_size > 0) put_be(vsa, header + value.size(), v->length_size);
    if (v->continuation) vsa.push_back(0);
    if (vsa.size() + value.size() > kMaxAttributeValue) return too_long();
    vsa.insert(vsa.end(), value.begin(), value.end());
    return RawAttribute{kVendorSpecific, std::move(vsa)};
}

Result<std::string> format_value(const Dictionary& dictionary, const Attribute& d,
                                 std::span<const std::uint8_t> value) {
    const std::size_t want = fixed_size(d.type);
    auto bad = [&] {
        return fail(Errc::Invalid, d.name,
                    fmt::format("{} value of {} octets does not fit type {}", d.name, value.size(),
                                to_string(d.type)));
    };
    if (want != 0 && value.size() != want) return bad();
    if (d.flags.encrypt != 0) return to_hex(value);  // hidden with the Request Authenticator
    if (is_integer_type(d.type)) {
        const std::uint64_t n = get_be(value);
        if (d.type == AttrType::Signed) {
            return std::to_string(static_cast<std::int32_t>(static_cast<std::uint32_t>(n)));
        }
        if (const std::string* named = dictionary.value_name(d.name, n)) return *named;
        return std::to_string(n);
    }
    switch (d.type) {
        case AttrType::String:
            return std::string(value.begin(), value.end());
        case AttrType::Ipaddr:
        case AttrType::Ipv6addr:
            return format_ip(value);
        case AttrType::ComboIp:
            if (value.size() != 4 && value.size() != 16) return bad();
            return format_ip(value);
        case AttrType::Ipv4prefix:
        case AttrType::Ipv6prefix: {
            const bool v4 = d.type == AttrType::Ipv4prefix;
            const std::size_t full = v4 ? 4 : 16;
            // RFC 8044 3.10 and 3.11: the Reserved octet is always zero.
            if (value.size() < 2 || value.size() > 2 + full || value[0] != 0 ||
                value[1] > full * 8 || (v4 && value.size() != 6)) {
                return bad();
            }
            std::uint8_t addr[16] = {};
            std::memcpy(addr, value.data() + 2, value.size() - 2);
            return fmt::format("{}/{}", format_ip(std::span<const std::uint8_t>(addr, full)),
                               value[1]);
        }
        case AttrType::Ether:
            return format_grouped_hex(value, 1);
        case AttrType::Ifid:
            return format_grouped_hex(value, 2);
        case AttrType::Octets:
            if (d.fixed_length != 0 && value.size() != d.fixed_length) return bad();
            return to_hex(value);
        default:
            return to_hex(value);
    }
}

namespace {

AttributeValue raw(std::uint32_t vendor, std::uint32_t number, std::span<const std::uint8_t> v) {
    AttributeValue out;
    out.vendor = vendor;
    out.number = number;
    out.name =
        vendor == 0 ? fmt::format("Attr-{}", number) : fmt::format("Attr-26.{}.{}", vendor, number);
    out.value = to_hex(v);
    return out;
}

AttributeValue typed(const Dictionary& dictionary, std::uint32_t vendor, std::uint32_t number,
                     std::span<const std::uint8_t> v) {
    const Attribute* d = dictionary.attribute(vendor, number);
    if (!d) return raw(vendor, number, v);
    auto text = format_value(dictionary, *d, v);
    if (!text) return raw(vendor, number, v);
    AttributeValue out;
    out.definition = d;
    out.vendor = vendor;
    out.number = number;
    out.name = d->name;
    out.value = std::move(*text);
    if (is_integer_type(d->type) && d->type != AttrType::Signed) out.integer = get_be(v);
    return out;
}

/// The sub-attributes of one Vendor-Specific value, or false when they do not parse.
bool split_vsa(const Dictionary& dictionary, std::span<const std::uint8_t> v,
               std::vector<AttributeValue>& out) {
    if (v.size() < 5) return false;
    const auto vendor_id = static_cast<std::uint32_t>(get_be(v.first(4)));
    const Vendor* vendor = dictionary.vendor(vendor_id);
    if (vendor && vendor->evs_parent != 0) return false;
    const std::size_t ts = vendor ? vendor->type_size : 1;
    const std::size_t ls = vendor ? vendor->length_size : 1;
    const std::size_t cs = vendor && vendor->continuation ? 1 : 0;
    std::vector<AttributeValue> subs;
    std::size_t pos = 4;
    while (pos < v.size()) {
        if (v.size() - pos < ts + ls + cs) return false;
        const auto type = static_cast<std::uint32_t>(get_be(v.subspan(pos, ts)));
        std::size_t len = v.size() - pos;  // length size 0: the rest of the attribute
        if (ls > 0) {
            len = static_cast<std::size_t>(get_be(v.subspan(pos + ts, ls)));
            if (len < ts + ls + cs || pos + len > v.size()) return false;
        }
        if (cs == 1 && (v[pos + ts + ls] & 0x80) != 0) return false;  // continued: not read
        const std::size_t header = ts + ls + cs;
        subs.push_back(typed(dictionary, vendor_id, type, v.subspan(pos + header, len - header)));
        pos += len;
    }
    out.insert(out.end(), subs.begin(), subs.end());
    return true;
}

}  // namespace

std::vector<AttributeValue> decode_attributes(const Dictionary& dictionary, const Packet& packet) {
    std::vector<AttributeValue> out;
    for (const auto& a : packet.attributes) {
        if (a.type == kVendorSpecific) {
            if (!split_vsa(dictionary, a.value, out)) {
                AttributeValue v = raw(0, kVendorSpecific, a.value);
                v.name = "Vendor-Specific";
                out.push_back(std::move(v));
            }
            continue;
        }
        out.push_back(typed(dictionary, 0, a.type, a.value));
    }
    return out;
}

}  // namespace switchyard::core::radius
