// Fuzz target: the MAC parser and the IEEE registry reader never crash; a parsed MAC prints
// back to the same 48 bits, and a registry built from the input answers lookups consistently.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <fmt/format.h>

#include "core/vpn/oui.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace switchyard::core::vpn;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto mac = parse_mac(text.substr(0, 32))) {
        if (*mac >> 48) std::abort();
        if (parse_mac(fmt::format("{:012x}", *mac)) != mac) std::abort();
    }
    OuiRegistry registry;
    const auto added = registry.add_text(text);
    if (registry.size() > added) std::abort();
    (void)registry.vendor(text.substr(0, 17));
    return 0;
}
