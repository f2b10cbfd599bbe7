// Fuzz target: the FreeRADIUS dictionary parser never crashes; it answers a clear error or a
// dictionary whose lookups agree with each other. `$INCLUDE x` resolves to the input itself
// (so include loops are exercised) and anything else to a small fixed file.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/radius/dictionary.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace switchyard::core::radius;
    const std::string text(reinterpret_cast<const char*>(data), size);
    DictionaryLoader loader =
        [&](std::string_view, std::string_view name) -> switchyard::core::Result<DictionarySource> {
        if (name == "x") return DictionarySource{"input", text};
        if (name == "missing") {
            return switchyard::core::fail(switchyard::core::Errc::NotFound, "dictionary", "none");
        }
        return DictionarySource{std::string(name), "VENDOR Inc 7\nATTRIBUTE Inc-A 1 string\n"};
    };
    Dictionary d;
    const auto r = d.add({"input", text}, loader);
    if (!r && r.error().message.empty()) std::abort();
    // Whatever got loaded answers consistently.
    for (std::string_view name : {"A", "Inc-A", "User-Name", "x"}) {
        if (const Attribute* a = d.attribute(name)) {
            if (a->path.empty()) std::abort();
            if (a->path.size() == 1 && !d.attribute(a->vendor, a->path[0])) std::abort();
        }
    }
    return 0;
}
