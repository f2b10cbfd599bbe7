#pragma once
/// The tariff's JSON for the voice codecs (include only in .cpp files: it pulls in Boost.JSON
/// and simdjson through events/codec_kit.hpp).

#include "core/voice/tariff.hpp"
#include "events/codec_kit.hpp"

namespace switchyard::events::voice {

/// Writes every field of `t` into `o` (see tariff_codec.hpp for the shape).
void put_tariff(json::object& o, const core::voice::Tariff& t);
/// Reads a tariff from `o`. @throws FieldError naming a missing or malformed field.
core::voice::Tariff get_tariff(const JsonObject& o);

}  // namespace switchyard::events::voice
