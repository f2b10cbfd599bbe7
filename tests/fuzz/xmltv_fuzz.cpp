// Fuzz target: the XMLTV parser never crashes, and what it keeps is usable: every channel has an
// id, every programme a channel and a stop not before its start.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/iptv/xmltv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace switchyard::core::iptv;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto guide = parse_xmltv(text);
    for (const auto& c : guide.channels) {
        if (c.id.empty()) std::abort();
    }
    for (const auto& p : guide.programmes) {
        if (p.channel.empty() || p.stop < p.start) std::abort();
    }
    for (const auto& p : guide.invalid) {
        if (p.reason.empty()) std::abort();
    }
    // What is written reads back with as many channels and programmes.
    const auto again = parse_xmltv(write_xmltv(guide.channels, guide.programmes));
    if (again.channels.size() != guide.channels.size() ||
        again.programmes.size() != guide.programmes.size())
        std::abort();
    return 0;
}
