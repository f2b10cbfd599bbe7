// Fuzz target: the RouterOS API sentence decoder and reply reader never crash; every sentence
// decoded from the input encodes back to the same bytes it came from, fed in any chunking.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/hotspot/routeros_api.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace switchyard::core::hotspot::routeros;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    SentenceDecoder whole(4096);
    std::vector<Sentence> a;
    const bool ok = whole.feed(text).has_value();
    while (auto s = whole.next()) a.push_back(std::move(*s));
    // The same bytes in chunks of 1 to 7 bytes give the same sentences and the same verdict.
    SentenceDecoder chunked(4096);
    std::vector<Sentence> b;
    bool chunked_ok = true;
    for (std::size_t pos = 0, step = 1; pos < text.size() && chunked_ok;
         pos += step, step = step % 7 + 1) {
        chunked_ok = chunked.feed(text.substr(pos, step)).has_value();
        while (auto s = chunked.next()) b.push_back(std::move(*s));
    }
    if (ok != chunked_ok) std::abort();
    if (ok && a != b) std::abort();
    for (const auto& s : a) {
        SentenceDecoder again;
        if (!again.feed(encode_sentence(s))) std::abort();
        if (again.next() != s) std::abort();
        (void)parse_reply(s);
        if (auto r = parse_reply(s); r && r->type == ReplyType::Trap) (void)r->get("message");
    }
    (void)parse_duration(text.substr(0, 40));
    return 0;
}
