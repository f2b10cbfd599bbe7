#pragma once
/// One entry for reading a rate deck in any of the formats the voice module imports (issue 12
/// item 3): the CDRTool CSV tables (core/voice/cdrtool_deck.hpp), a CGRateS tariff plan folder
/// (core/voice/cgrates_plan.hpp) and a carrier CSV read with a column mapping
/// (core/voice/carrier_csv.hpp, the mapping from TOML by events/voice/column_mapping.hpp or from
/// a JSON object with the same keys). The API (`POST /v1/voice/decks/imports`) and the CLI
/// (`switchyard import deck`) both go through it. I/O-free: the caller passes the files' bytes.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/voice/carrier_csv.hpp"
#include "core/voice/deck.hpp"
#include "core/voice/numbering.hpp"
#include "core/voice/parsed_deck.hpp"

namespace switchyard::events::voice {

/// One file of a deck: its name as the caller gives it (a path is allowed; only the part after
/// the last `/` is matched) and its bytes.
struct DeckFile {
    std::string name;
    std::string bytes;
};

/// How to read a deck.
struct DeckReadOptions {
    /// ISO 4217 code of the deck's prices. Overrides the column mapping's `currency` for `csv`.
    /// Default EUR.
    std::string currency = "EUR";
    /// `csv` only (required there): which column holds what.
    std::optional<core::voice::ColumnMapping> mapping;
    /// `cgrates`: keep only the rating profiles of this tenant (empty: all).
    std::string tenant_filter;
    /// `cdrtool`: the tenant its rating profiles are written for (the operator tenant the
    /// pricing query and CDR rating ask with). Default `op`.
    std::string tenant = "op";
    /// When given, destinations the deck does not name (a carrier CSV without a name column)
    /// are named from it by longest prefix (the A2Billing table, config/voice/destinations.csv).
    const core::voice::NumberingPlan* names = nullptr;
};

/// Reads a deck of `format` (`Cdrtool`, `Cgrates` or `Csv`) from `files`:
/// - Cdrtool: files named `destinations.csv`, `rates.csv` (required), `profiles.csv`,
///   `customers.csv` (optional), matched by the name after the last `/`, case-insensitively.
/// - Cgrates: each file by its name after the last `/` (`Rates.csv`, ...); other files are
///   ignored by the plan reader.
/// - Csv: exactly one file, read with `options.mapping`.
/// Refused rows come back in `errors` (file, line, field, reason) with the rows accepted in
/// `tariff`; `lines_read` counts the data lines of all files.
/// @errors Invalid naming `format` for `Derived`; `files` when there is no file, a CDRTool file
///         is not one of the four or is named twice, a required file is missing, or a CSV
///         import has more than one file; `mapping` when a CSV import has none; the parsers'
///         file-level errors (a missing column, an empty file) naming the file or mapping key.
core::Result<core::voice::ParsedDeck> read_deck(core::voice::DeckFormat format,
                                                const std::vector<DeckFile>& files,
                                                const DeckReadOptions& options);

/// Reads a column mapping given as a JSON object with the keys of the TOML form
/// (events/voice/column_mapping.hpp): strings, integers and booleans.
/// @errors Invalid naming `mapping` when `json_object` is not a JSON object, `mapping.<key>`
///         for a value of another type or for the TOML reader's errors on that key.
core::Result<core::voice::ColumnMapping> column_mapping_from_json(std::string_view json_object);

/// The JSON object form of a TOML column mapping (the CLI sends a `--mapping FILE` this way):
/// the mapping is read first with read_column_mapping, then its keys are written as JSON.
/// @errors those of read_column_mapping (`file_name` names the file).
core::Result<std::string> column_mapping_json_from_toml(std::string_view toml_text,
                                                        const std::string& file_name);

}  // namespace switchyard::events::voice
