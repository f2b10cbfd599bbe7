// Fuzz target: the M3U parser and the import mapping never crash and account for every entry.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/iptv/m3u.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace switchyard::core::iptv;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto playlist = parse_m3u(text);
    std::vector<M3uProblem> invalid;
    auto cmd = make_import(playlist, "us", CategoryFrom::Country, invalid);
    // Every parsed entry is either imported or reported.
    std::size_t reported = 0;
    for (const auto& p : invalid) reported += p.reason.empty() ? 0 : 1;
    if (cmd.entries.size() + invalid.size() < playlist.entries.size() || reported != invalid.size())
        std::abort();
    for (const auto& e : cmd.entries) {
        if (!validate_stream_fields(e.fields)) std::abort();
    }
    return 0;
}
