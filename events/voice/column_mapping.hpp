#pragma once
/// The column mapping of a carrier deck (core/voice/carrier_csv.hpp) read from a TOML file:
///
/// ```toml
/// prefix = "Code"            # a header name ...
/// destination = "Destination"
/// rate = 3                   # ... or a 0-based column index
/// connect_fee = "Setup"
/// first_increment = "Min"
/// next_increment = "Incr"
/// effective_date = "Valid From"
/// date_format = "DD/MM/YYYY" # or "YYYY-MM-DD" (default; RFC 3339 also reads)
/// currency = "USD"
/// decimal_comma = true
/// separator = ";"            # one character, or "tab"
/// skip_lines = 2
/// header = true
/// default_first_increment = 60
/// default_next_increment = 60
/// rating_plan = "carrier_x"
/// ```
///
/// `destination_name` is accepted for `destination`. Unknown keys are refused naming the key.

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/voice/carrier_csv.hpp"

namespace switchyard::events::voice {

/// Reads a TOML column mapping (`file_name` names it in errors).
/// @errors Invalid with field = the key at fault (unknown key, wrong type, negative index,
/// separator longer than one character, unknown date format, currency not 3 letters); with
/// field = `file_name` when the text is not TOML (toml++'s message and line).
core::Result<core::voice::ColumnMapping> read_column_mapping(std::string_view toml_text,
                                                             const std::string& file_name);

}  // namespace switchyard::events::voice
