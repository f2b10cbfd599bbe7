#pragma once
/// What a rate deck parser (CDRTool deck, carrier CSV) returns: the tariff built from the rows
/// it accepted and the rows it refused, each with its file, line and reason.

#include <cstdint>
#include <vector>

#include "core/voice/import_report.hpp"
#include "core/voice/tariff.hpp"

namespace switchyard::core::voice {

/// A deck read into one tariff version. `errors` empty means every row was imported; the
/// caller refuses the whole file on any error unless it asked for a partial import.
struct ParsedDeck {
    Tariff tariff;
    std::vector<RowError> errors;
    std::int64_t lines_read = 0;  ///< Data lines seen in all files (headers, blanks excluded).
};

}  // namespace switchyard::core::voice
