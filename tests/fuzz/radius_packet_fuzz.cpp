// Fuzz target: RADIUS packet decoding never crashes; a packet that decodes encodes back to the
// same octets (up to its Length field), and its attributes decode with a dictionary that has
// VSAs of three header formats.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

#include "core/radius/dictionary.hpp"
#include "core/radius/packet.hpp"

namespace {
const char* kDictionary = R"(
ATTRIBUTE User-Name 1 string
ATTRIBUTE NAS-IP-Address 4 ipaddr
ATTRIBUTE Session-Timeout 27 integer
ATTRIBUTE Event-Timestamp 55 date
ATTRIBUTE Error-Cause 101 integer
ATTRIBUTE Delegated-IPv6-Prefix 123 ipv6prefix
ATTRIBUTE Framed-IPv6-Address 168 ipv6addr
ATTRIBUTE Test-Ether 250 ether
ATTRIBUTE Test-Ifid 249 ifid
ATTRIBUTE Test-Prefix 248 ipv4prefix
ATTRIBUTE Test-Signed 247 signed
VALUE Error-Cause Session-Context-Not-Found 503
VENDOR Mikrotik 14988
BEGIN-VENDOR Mikrotik
ATTRIBUTE Mikrotik-Rate-Limit 8 string
END-VENDOR Mikrotik
VENDOR Lucent 4846 format=2,1
BEGIN-VENDOR Lucent
ATTRIBUTE Lucent-Max-Shared-Users 2 integer
END-VENDOR Lucent
VENDOR USR 429 format=4,0
VENDOR WiMAX 24757 format=1,1,c
)";
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace switchyard::core::radius;
    static const Dictionary dictionary = [] {
        Dictionary d;
        if (!d.add({"fuzz", kDictionary})) std::abort();
        return d;
    }();
    const std::span<const std::uint8_t> bytes(data, size);
    auto packet = decode_packet(bytes);
    if (!packet) return 0;
    auto again = encode_packet(*packet);
    if (!again) std::abort();
    const std::size_t length = (std::size_t{data[2]} << 8) | data[3];
    if (again->size() != length || !std::equal(again->begin(), again->end(), data)) std::abort();
    for (const auto& a : decode_attributes(dictionary, *packet)) {
        if (a.name.empty() || (a.value.empty() && a.definition == nullptr)) std::abort();
    }
    // A standard attribute's value prints to text that encodes back to the same octets
    // (ipv6prefix excepted: it is always sent with the full 16 octets of address).
    for (const auto& raw : packet->attributes) {
        const Attribute* d = dictionary.attribute(0, raw.type);
        if (!d || d->type == AttrType::Ipv6prefix || d->type == AttrType::Vsa) continue;
        auto text = format_value(dictionary, *d, raw.value);
        if (!text) continue;
        auto back = encode_value(dictionary, *d, *text);
        if (!back || *back != raw.value) {
            std::fprintf(stderr, "%s [%s] %d\n", d->name.c_str(), text->c_str(), back ? 1 : 0);
            std::abort();
        }
    }
    return 0;
}
