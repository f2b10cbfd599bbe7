#pragma once
/// A CSV reader for the files carriers and switches write (rate decks, CDRs): RFC 4180 quoting
/// plus the dialects found in the wild: a UTF-8 byte order mark, CRLF, LF or lone CR line ends,
/// `,` `;` tab or `|` separators (sniffed from the header line when not given), `#` comment
/// lines, blank lines, and decimal commas (detected when the separator is `;` and the numbers
/// look like `0,0125`). Bytes are passed through as they are: invalid UTF-8 is not an error.
/// Pure; never fails and never crashes, whatever the bytes.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::core::voice {

/// How to read a CSV text. Defaults: sniff the separator, detect decimal commas, skip `#` lines.
struct CsvOptions {
    std::optional<char> separator;      ///< Given separator; none = sniffed from the first line.
    std::optional<bool> decimal_comma;  ///< Given; none = detected (only with `;`).
    bool comments = true;               ///< Skip lines whose first byte is `#`.
    int skip_lines = 0;                 ///< Physical lines skipped at the start (titles).
};

/// One record: its fields (quotes removed, doubled quotes undone, bytes otherwise as in the
/// file) and the 1-based physical line it starts on.
struct CsvRow {
    std::int64_t line = 0;
    std::vector<std::string> fields;
};

/// The records of a file, the first one usually its header, and the dialect that was used.
struct CsvTable {
    char separator = ',';
    bool decimal_comma = false;
    std::vector<CsvRow> rows;  ///< Blank and comment lines excluded.
};

/// Reads `text` as CSV with `options`. Never fails: an unterminated quote takes the rest of the
/// file into its field.
CsvTable read_csv(std::string_view text, const CsvOptions& options = {});

/// The separator of a header line: the most frequent of `,` `;` tab `|` outside quotes (ties
/// in that order); `,` when none occurs.
char sniff_separator(std::string_view line);

/// `text` without leading and trailing blanks (space, tab).
std::string_view trim_blanks(std::string_view text);

/// The 0-based index of the header field equal to `name` (ASCII case and surrounding blanks
/// ignored, a leading `#` on the first field too), or none.
std::optional<std::size_t> find_column(const std::vector<std::string>& header,
                                       std::string_view name);

/// The field at `index` of `row`, or an empty view when the row is shorter.
std::string_view field_at(const CsvRow& row, std::size_t index);

}  // namespace switchyard::core::voice
