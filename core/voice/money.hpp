#pragma once
/// Money in the voice module: integer micro-units (1e-6) of a currency (DESIGN.md), read from
/// and written as decimal text.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace switchyard::core::voice {

/// An amount in micro-units (1e-6) of a currency: 0.0999 EUR is 99'900.
using Micros = std::int64_t;

/// A decimal text of micro-units with exactly `decimals` (0..6) digits after the point,
/// truncated toward zero: `format_micros(99'900, 4)` = `0.0999`, `format_micros(-1'500'000, 2)`
/// = `-1.50`, `format_micros(5, 0)` = `0`.
std::string format_micros(Micros amount, int decimals = 6);

/// Parses a decimal price: `0.0999`, `1`, `-2.5`, `.5`, `+3`; with `decimal_comma` a comma is
/// the decimal mark (`0,0999`). Surrounding blanks are ignored.
/// @errors Invalid with field `field`: empty, not a number, more than 6 decimals, out of range.
Result<Micros> parse_micros(std::string_view text, const std::string& field,
                            bool decimal_comma = false);

}  // namespace switchyard::core::voice
