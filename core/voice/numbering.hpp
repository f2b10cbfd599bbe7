#pragma once
/// What an E.164 number is: its destination name (the longest prefix of the A2Billing prefix
/// table, `9370` = `Afghanistan Mobile`) and its country (the longest ITU country calling code,
/// `7` = RU, `1684` = AS). Read from two data files the voice module ships in config/voice/
/// (see config/voice/README.md for their sources): `destinations.csv` (`prefix,destination`)
/// and `countries.csv` (`dial,country,name,currency`). Decks without destination names and the
/// CDR reports use it. Pure: the caller reads the files.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/voice/prefix_index.hpp"

namespace switchyard::core::voice {

/// A country of the numbering plan: its calling code (digits, `1684`), ISO 3166-1 alpha-2 code,
/// English name and ISO 4217 currency.
struct CountryCode {
    std::string dial;
    std::string country;
    std::string name;
    std::string currency;
    friend bool operator==(const CountryCode&, const CountryCode&) = default;
};

/// A destination name matched by prefix.
struct DestinationName {
    std::string prefix;
    std::string name;
    friend bool operator==(const DestinationName&, const DestinationName&) = default;
};

/// Destination names and countries by longest prefix. @thread const members are thread-safe.
class NumberingPlan {
  public:
    /// Reads both files (CSV with a header line; core/voice/csv.hpp dialects).
    /// @errors Invalid naming the file and line: a prefix or dial code that is not digits, a
    ///         row with too few columns, a country code that is not two upper-case letters.
    static Result<NumberingPlan> parse(std::string_view destinations_csv,
                                       std::string_view countries_csv);

    /// The name of the longest destination prefix of `e164` (digits without `+`), if any.
    std::optional<DestinationName> destination(std::string_view e164) const;
    /// The country of the longest calling code of `e164`, if any.
    std::optional<CountryCode> country(std::string_view e164) const;

    std::size_t destinations() const noexcept { return names_.size(); }
    std::size_t countries() const noexcept { return countries_.size(); }

  private:
    std::vector<DestinationName> names_;
    std::vector<CountryCode> countries_;
    PrefixIndex name_index_, country_index_;
};

}  // namespace switchyard::core::voice
