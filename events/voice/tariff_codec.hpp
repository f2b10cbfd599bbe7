#pragma once
/// A tariff (core/voice/tariff.hpp) as JSON, every field of it: the payload of
/// `voice.deck.rates_loaded` chunks (schemas/events/voice/voice.deck.rates_loaded.v1.json) and
/// the canonical text a deck version's content hash is taken of when the importer gives none.
///
/// Shape: `{"currency", "destinations": [{"id","name","prefixes"}], "rate_groups": [{"id",
/// "connect_fee_micros","intervals": [{"group_interval_start_s","rate_micros","rate_unit_s",
/// "rate_increment_s"}]}], "destination_rates": [...], "timings": [...], "rating_plans": [...],
/// "rating_profiles": [...]}`. Money in micro-units, durations in seconds, times RFC 3339, enum
/// values by their CGRateS wire names; fields at their default are left out of rows where the
/// schema marks them optional. A plan entry's weight is written as decimal text (`"10"`, `"2.5"`)
/// so that it reads back to the same double.

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/voice/tariff.hpp"

namespace switchyard::events::voice {

/// `t` as a JSON object text. Deterministic: the same tariff always gives the same bytes.
std::string encode_tariff(const core::voice::Tariff& t);

/// Reads what encode_tariff writes. @errors Invalid naming the field that is missing or
/// malformed (e.g. `rounding`, `weight`).
core::Result<core::voice::Tariff> decode_tariff(std::string_view json);

/// Lower-case hex SHA-256 of `bytes` (FIPS 180-4).
std::string sha256_hex(std::string_view bytes);

}  // namespace switchyard::events::voice
