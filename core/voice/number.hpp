#pragma once
/// E.164 normalisation of dialled numbers, as a switch's CDR writes them, before rating:
/// `+4930123456`, `004930123456`, `030123456` from Germany, `89247239112` or `8109...` from
/// Russia all become the international digits without `+` (ITU-T E.164) the rate decks use.
/// Uses Google's libphonenumber metadata (national and international prefixes per country).

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace switchyard::core::voice {

/// Where a number was dialled from.
struct NumberContext {
    /// ISO 3166-1 alpha-2 country of the customer (`DE`, `RU`); its national prefix (`0`, `8`)
    /// and international prefix (`00`, `810`) are the ones understood.
    std::string country;
    /// Tech prefixes a PBX or carrier puts in front of the number (`#31#`, `1010`); the
    /// longest one that starts the dialled string is removed first.
    std::vector<std::string> tech_prefixes;
};

/// The E.164 digits (no `+`) of `dialled`. Accepts `+` and the country's international
/// prefix, the national prefix, already-international digits without `+` (`79247239112` from
/// RU, `4930123456` from anywhere when the national reading is not a valid number), and
/// common separators (blanks, `-`, `.`, `(`, `)`). A number dialled like an earlier one (the
/// same country, the same digits up to two past the part rewritten, the same length) is
/// rewritten the same way from a bounded cache, without libphonenumber's parse (tens of
/// microseconds): CDR files repeat a few shapes millions of times.
/// @errors Invalid with field `dialled` when nothing dialable is left or no reading gives a
///   possible number; Invalid with field `country` when the country is not a known region.
Result<std::string> to_e164(std::string_view dialled, const NumberContext& ctx);

/// The kind of line an E.164 number is (libphonenumber's PhoneNumberType).
enum class NumberType {
    FixedLine,
    Mobile,
    FixedLineOrMobile,  ///< Countries where the two cannot be told apart (US, CA).
    TollFree,
    PremiumRate,
    SharedCost,
    Voip,
    PersonalNumber,
    Pager,
    Uan,
    Voicemail,
    Unknown,  ///< Not a valid number, or a range libphonenumber does not classify.
};

/// Classifies E.164 digits (no `+`). Unknown for anything invalid.
NumberType classify_e164(std::string_view e164);

/// Lower-case name of a NumberType: `fixed`, `mobile`, `fixed_or_mobile`, `toll_free`,
/// `premium_rate`, `shared_cost`, `voip`, `personal`, `pager`, `uan`, `voicemail`, `unknown`.
const char* to_string(NumberType type) noexcept;

}  // namespace switchyard::core::voice
