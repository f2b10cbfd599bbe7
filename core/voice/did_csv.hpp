#pragma once
/// A DID provider's inventory as a CSV file (core/voice/csv.hpp reads the dialects: BOM, line
/// ends, separators, quoting, `#` comments, decimal commas). Fixed headers by default
/// (`number,country,provider,type,area,currency,setup_cost,monthly_cost,setup_price,
/// monthly_price,channels`, in any order, ASCII case ignored), or a column mapping.
///
/// Per row: `number` E.164 (blanks, `-`, `.`, `(`, `)` ignored; one leading `+` or `00`
/// stripped; then 6 to 15 digits); `country` ISO 3166-1 alpha-2 (upper-cased); `provider` a
/// provider id (or the mapping's default); `type` `local`, `national`, `mobile`, `tollfree`
/// (also `toll_free`, `toll-free`; case ignored; default `local`); `area` free text; `currency`
/// ISO 4217 (empty: the provider's); the four money columns decimal (up to 6 decimals, default
/// 0, not negative); `channels` a whole number 1 to 10,000 (default 1).

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/voice/carrier_csv.hpp"
#include "core/voice/did_decider.hpp"
#include "core/voice/import_report.hpp"

namespace switchyard::core::voice {

/// Which columns of an inventory CSV hold what. Required: `number`, `country`, and `provider`
/// unless `default_provider` is set. Unset optional columns take their defaults.
struct DidColumnMapping {
    ColumnRef number{"number", {}};
    ColumnRef country{"country", {}};
    ColumnRef provider{"provider", {}};
    ColumnRef type{"type", {}};
    ColumnRef area{"area", {}};
    ColumnRef currency{"currency", {}};
    ColumnRef setup_cost{"setup_cost", {}};
    ColumnRef monthly_cost{"monthly_cost", {}};
    ColumnRef setup_price{"setup_price", {}};
    ColumnRef monthly_price{"monthly_price", {}};
    ColumnRef channels{"channels", {}};
    /// The provider of rows whose provider cell is empty (or of every row when the file has no
    /// provider column). Default: none.
    std::string default_provider;
    std::optional<char> separator;      ///< None = sniffed from the header line.
    std::optional<bool> decimal_comma;  ///< None = detected (with `;` separators only).
    int skip_lines = 0;                 ///< Title lines above the header.
    bool header = true;                 ///< False: the first row is data (indexes only).
};

/// Reads an inventory `text` (named `file_name` in errors) with `mapping`. With fixed headers
/// (the default mapping) an optional column missing from the header takes its default; a
/// column the mapping names explicitly (or a required one) must be there.
/// Bad rows are refused one by one (file, line, field, reason); the rest are returned.
/// @errors Invalid naming the mapping key (`number`, `country`, `provider`, ...) when a
///   required column is not in the header; Invalid naming `file` when there is no header line.
Result<Parsed<DidImportRow>> parse_did_csv(std::string_view text, const std::string& file_name,
                                           const DidColumnMapping& mapping = {});

}  // namespace switchyard::core::voice
