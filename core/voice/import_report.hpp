#pragma once
/// What every voice file import (rate decks, tariff plans, CDRs) reports: the rows it read and,
/// for each refused row, the file, the 1-based line and the reason. A refused file appends
/// nothing unless the caller asked for `partial=true` (issue 12, Bad input).

#include <cstdint>
#include <string>
#include <vector>

namespace switchyard::core::voice {

/// One refused row: `file` as the caller named it, `line` 1-based (0 = the file as a whole),
/// `field` the column or field at fault (may be empty), `reason` a plain sentence.
struct RowError {
    std::string file;
    std::int64_t line = 0;
    std::string field;
    std::string reason;
    friend bool operator==(const RowError&, const RowError&) = default;
};

/// The rows a parser accepted and the ones it refused.
template <class Row>
struct Parsed {
    std::vector<Row> rows;
    std::vector<RowError> errors;
    std::int64_t lines_read = 0;  ///< Data lines seen (headers, blanks and comments excluded).
};

}  // namespace switchyard::core::voice
