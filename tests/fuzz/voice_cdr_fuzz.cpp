// Fuzz target: the CDR readers (Asterisk and FreeSWITCH CSV, FreeSWITCH JSON, the JSON batch,
// auto detection) never crash, account for every record and accept only consistent ones.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/voice/cdr_formats.hpp"
#include "events/voice/cdr_json.hpp"

namespace {

using namespace switchyard::core::voice;

void check(const switchyard::core::Result<Parsed<CallRecord>>& parsed) {
    if (!parsed) return;
    if (std::int64_t(parsed->rows.size() + parsed->errors.size()) != parsed->lines_read) {
        std::abort();
    }
    for (const auto& r : parsed->rows) {
        if (r.end < r.start || r.billsec > r.duration_s || r.billsec < 0 || r.destination.empty() ||
            r.switch_key.empty()) {
            std::abort();
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const CdrParseOptions options{"fuzz", std::chrono::seconds(size % 2 == 0 ? 0 : 10'800)};
    check(parse_asterisk_csv(text, options));
    check(parse_freeswitch_csv(text, options));
    check(switchyard::events::voice::parse_freeswitch_json(text, options));
    check(switchyard::events::voice::parse_json_batch(text, options));
    check(switchyard::events::voice::parse_cdrs(text, CdrFormat::Auto, options));
    return 0;
}
