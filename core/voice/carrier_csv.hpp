#pragma once
/// A carrier's rate deck as a CSV file read with a column mapping: real decks differ in header
/// names, column order, separators, decimal commas, BOMs, line ends, `#` comments and quoting
/// (core/voice/csv.hpp reads all of them); the mapping says which column holds what. The TOML
/// form of the mapping is read by events/voice/column_mapping.hpp.
///
/// Each row becomes one Destination per prefix (id = the prefix), one RateGroup with two
/// intervals (the first increment from 0 s, the next increment from `first` s, both at the
/// row's rate per 60 s; id `<prefix>`, or `<prefix>@<effective date RFC 3339>` when the row has
/// one) and one DestinationRate row of id `rating_plan_id` (rounding `*middle` to 6 decimals so
/// no micro-unit is lost; effective_from from the row). One rating plan `rating_plan_id` at
/// timing `*any` holds them; no rating profile is made (a buy deck is rated by plan).
///
/// Prefixes: blanks around, then one leading `+` or `00` (the international forms) are
/// stripped; what remains must be digits only.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/voice/parsed_deck.hpp"

namespace switchyard::core::voice {

/// A column of a deck: by header name (ASCII case and blanks ignored) or by 0-based index.
/// Neither set = the deck has no such column.
struct ColumnRef {
    std::string name;
    std::optional<std::size_t> index;
    bool is_set() const { return !name.empty() || index.has_value(); }
};

/// Which columns of a carrier deck hold what, and how its text is written.
/// Required: `prefix`, `rate` (price per minute). Optional: `destination_name`, `connect_fee`
/// (default 0), `first_increment` and `next_increment` (whole seconds; default
/// `default_first_increment_s` / `default_next_increment_s` = 60), `effective_date`
/// (RFC 3339, `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS` UTC; `DD/MM/YYYY` when `day_first_dates`).
struct ColumnMapping {
    ColumnRef prefix;
    ColumnRef destination_name;
    ColumnRef rate;
    ColumnRef connect_fee;
    ColumnRef first_increment;
    ColumnRef next_increment;
    ColumnRef effective_date;
    std::string currency = "EUR";       ///< ISO 4217 of the deck's prices.
    std::optional<bool> decimal_comma;  ///< None = detected (with `;` separators only).
    std::optional<char> separator;      ///< None = sniffed from the header line.
    int skip_lines = 0;                 ///< Title lines above the header.
    bool header = true;                 ///< False: the first row is data (indexes only).
    bool day_first_dates = false;       ///< Dates written `DD/MM/YYYY`.
    std::int64_t default_first_increment_s = 60;
    std::int64_t default_next_increment_s = 60;
    std::string rating_plan_id = "deck";  ///< Id of the plan and of its DestinationRates.
};

/// Reads a carrier deck `text` (named `file_name` in errors) with `mapping` into a tariff.
/// Rows are refused one by one with their line and reason: a prefix with non-digits, a missing
/// or negative rate, a price with more than 6 decimals, an increment of 0 with a rate, an
/// unreadable date, a second row with the same prefix and the same effective date.
/// @errors Invalid with field = the mapping key (`prefix`, `rate`, ...) when a required column
/// is not mapped or a mapped column is not in the header; with field `file` when the text has
/// no header line.
Result<ParsedDeck> parse_carrier_csv(std::string_view text, const std::string& file_name,
                                     const ColumnMapping& mapping);

/// Reads an effective date: RFC 3339, `YYYY-MM-DD` (midnight UTC), `YYYY-MM-DD HH:MM[:SS]`
/// (UTC), or `DD/MM/YYYY` when `day_first`. None when the text is none of these.
std::optional<Timestamp> parse_deck_date(std::string_view text, bool day_first);

}  // namespace switchyard::core::voice
