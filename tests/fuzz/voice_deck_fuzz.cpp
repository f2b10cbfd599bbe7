// Fuzz target: the rate deck readers (CSV dialects, CDRTool deck, carrier CSV with a column
// mapping, the TOML mapping) never crash and account for every data row.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/voice/carrier_csv.hpp"
#include "core/voice/cdrtool_deck.hpp"
#include "core/voice/csv.hpp"
#include "events/voice/column_mapping.hpp"

namespace {

using namespace switchyard::core::voice;

constexpr std::string_view kDestinations =
    "Ops,Reseller,Trusted peer,Domain,Subscriber,Destination,Region,Description,Incr,Min Dur,"
    "Max Dur,Max Price\n2,0,,,,44,,UK,60,0,0,\n";
constexpr std::string_view kRates =
    "Ops,Reseller,Rate,Destination,App,Connect,Duration,Conn In,Duration In\n"
    "2,0,std,44,audio,0,999,,\n";

void check_carrier(std::string_view text, const ColumnMapping& mapping) {
    const auto deck = parse_carrier_csv(text, "fuzz.csv", mapping);
    if (!deck) return;
    // Every data row is either imported or refused, once.
    const auto accounted =
        std::int64_t(deck->tariff.destination_rates.size() + deck->errors.size());
    if (accounted != deck->lines_read) std::abort();
    for (const auto& g : deck->tariff.rate_groups) {
        for (const auto& i : g.intervals) {
            if (i.rate_micros < 0 || i.rate_increment_s <= 0) std::abort();
        }
    }
    for (const auto& d : deck->tariff.destinations) {
        if (d.id.empty() || d.id.find_first_not_of("0123456789") != std::string::npos) std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    const auto table = read_csv(text);
    for (const auto& row : table.rows) {
        if (row.line < 1 || row.fields.empty()) std::abort();
    }

    ColumnMapping by_name;
    by_name.prefix.name = "Code";
    by_name.destination_name.name = "Destination";
    by_name.rate.name = "Rate";
    by_name.connect_fee.name = "Connect";
    by_name.first_increment.name = "Min";
    by_name.next_increment.name = "Incr";
    by_name.effective_date.name = "Effective";
    check_carrier(text, by_name);
    ColumnMapping by_index;
    by_index.prefix.index = 0;
    by_index.destination_name.index = 1;
    by_index.rate.index = 2;
    by_index.effective_date.index = 3;
    by_index.day_first_dates = true;
    by_index.header = size % 2 == 0;
    check_carrier(text, by_index);

    for (const auto& files : {CdrtoolDeckFiles{text, kRates, "", ""},
                              CdrtoolDeckFiles{kDestinations, text, text, text}}) {
        const auto deck = parse_cdrtool_deck(files);
        if (deck && std::int64_t(deck->errors.size()) > deck->lines_read) std::abort();
    }

    const auto mapping = switchyard::events::voice::read_column_mapping(text, "fuzz.toml");
    if (mapping && (!mapping->prefix.is_set() || !mapping->rate.is_set())) std::abort();
    return 0;
}
