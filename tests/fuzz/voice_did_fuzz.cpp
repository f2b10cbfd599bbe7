// Fuzz target: the DID inventory CSV reader never crashes, accounts for every data row once,
// and every row it returns holds an E.164 number, a known type, non-negative money and 1 to
// 10,000 channels; the decider then imports or refuses each row without crashing.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/voice/did_csv.hpp"
#include "core/voice/did_decider.hpp"

namespace {

using namespace switchyard::core::voice;

void check(std::string_view text, const DidColumnMapping& mapping, const DidState& state) {
    const auto parsed = parse_did_csv(text, "fuzz.csv", mapping);
    if (!parsed) return;
    if (std::int64_t(parsed->rows.size() + parsed->errors.size()) != parsed->lines_read)
        std::abort();
    for (const auto& row : parsed->rows) {
        const auto& d = row.did;
        if (row.line < 1 || !did_number(d.number) || d.number.front() == '+') std::abort();
        if (d.setup_cost < 0 || d.monthly_cost < 0 || d.setup_price < 0 || d.monthly_price < 0)
            std::abort();
        if (d.channels < 1 || d.channels > 10000 || d.provider_id.empty()) std::abort();
        if (static_cast<int>(d.type) < 0 || static_cast<int>(d.type) > 3) std::abort();
    }
    ImportDids cmd;
    cmd.file = "fuzz.csv";
    cmd.rows = parsed->rows;
    switchyard::core::DecisionContext ctx;
    const auto decision = decide_import(state, cmd, ctx);
    if (std::int64_t(decision.events.size() + decision.errors.size() + decision.unchanged) !=
        std::int64_t(cmd.rows.size()))
        std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    static const DidState state = [] {
        DidState s;
        evolve(s, DidCountryDefined{{"DE", "Germany", {"id"}}});
        evolve(s, DidCountryDefined{{"GB", "United Kingdom", {}}});
        evolve(s, DidProviderDefined{{"didco", "DID Co", "EUR", ""}});
        return s;
    }();
    check(text, DidColumnMapping{}, state);
    DidColumnMapping by_index;
    by_index.number = {"", 0};
    by_index.country = {"", 1};
    by_index.provider = {};
    by_index.default_provider = "didco";
    by_index.type = {"", 2};
    by_index.monthly_price = {"", 3};
    by_index.channels = {"", 4};
    by_index.area = {};
    by_index.currency = {};
    by_index.setup_cost = {};
    by_index.monthly_cost = {};
    by_index.setup_price = {};
    by_index.header = size % 2 == 0;
    check(text, by_index, state);
    return 0;
}
