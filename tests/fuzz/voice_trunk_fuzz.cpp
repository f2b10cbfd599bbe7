// Fuzz target: the trunk address parser (API input `source_ips`, IpBlock::parse) never crashes;
// a block contains its own network address, overlaps itself, and its family decides what it
// contains; the digest username check never crashes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/voice/trunk_decider.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace switchyard::core::voice;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto cut = text.find('\n');
    const auto first = text.substr(0, cut);
    const auto rest = cut == std::string_view::npos ? std::string_view{} : text.substr(cut + 1);
    std::string error;
    auto block = IpBlock::parse(first, error);
    if (block) {
        if (!error.empty()) std::abort();
        if (!block->overlaps(*block)) std::abort();
        if (block->prefix < 0 || block->prefix > (block->v6 ? 128 : 32)) std::abort();
        const auto addr = first.substr(0, first.find('/'));
        if (!block->contains(addr)) std::abort();
        (void)block->contains(rest);
        std::string other_error;
        if (auto other = IpBlock::parse(rest, other_error))
            if (block->overlaps(*other) != other->overlaps(*block)) std::abort();
    } else if (error.empty()) {
        std::abort();
    }
    (void)valid_digest_username(text);
    return 0;
}
