#pragma once
/// The code lists a voice customer's and carrier's fields are checked against: countries
/// (ISO 3166-1 alpha-2, e.g. `DE`) and currencies (ISO 4217 alphabetic, e.g. `EUR`).
/// @source the Debian iso-codes package (iso_3166-1.json, iso_4217.json), copied into
///         reference_codes.cpp.

#include <string_view>

namespace switchyard::core::voice {

/// True for an assigned ISO 3166-1 alpha-2 country code, upper case (`DE`, `US`; not `de`, `UK`).
bool is_iso3166_alpha2(std::string_view code) noexcept;
/// True for an ISO 4217 alphabetic currency code, upper case (`EUR`, `USD`; not `eur`).
bool is_iso4217(std::string_view code) noexcept;

}  // namespace switchyard::core::voice
