#include "core/voice/money.hpp"

#include <limits>

namespace switchyard::core::voice {

namespace {
constexpr std::int64_t kScale = 1'000'000;
constexpr std::int64_t kPow10[] = {1, 10, 100, 1'000, 10'000, 100'000, 1'000'000};
}  // namespace

std::string format_micros(Micros amount, int decimals) {
    if (decimals < 0) decimals = 0;
    if (decimals > 6) decimals = 6;
    const bool negative = amount < 0;
    // Unsigned arithmetic so that INT64_MIN has a magnitude.
    const auto magnitude =
        negative ? std::uint64_t(0) - std::uint64_t(amount) : std::uint64_t(amount);
    const auto whole = magnitude / kScale;
    const auto fraction = (magnitude % kScale) / std::uint64_t(kPow10[6 - decimals]);
    std::string out;
    if (negative && (whole != 0 || fraction != 0)) out += '-';
    out += std::to_string(whole);
    if (decimals > 0) {
        auto digits = std::to_string(fraction);
        out += '.';
        out.append(std::size_t(decimals) - digits.size(), '0');
        out += digits;
    }
    return out;
}

Result<Micros> parse_micros(std::string_view text, const std::string& field, bool decimal_comma) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    if (text.empty()) return fail(Errc::Invalid, field, "is empty; a decimal number is expected");
    bool negative = false;
    if (text.front() == '-' || text.front() == '+') {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    const char mark = decimal_comma ? ',' : '.';
    std::int64_t whole = 0;
    std::int64_t fraction = 0;
    int decimals = 0;
    bool seen_mark = false;
    bool seen_digit = false;
    for (const char c : text) {
        if (c == mark && !seen_mark) {
            seen_mark = true;
            continue;
        }
        if (c < '0' || c > '9') {
            return fail(Errc::Invalid, field,
                        "'" + std::string(text) + "' is not a decimal number");
        }
        seen_digit = true;
        if (seen_mark) {
            if (++decimals > 6) {
                return fail(Errc::Invalid, field,
                            "'" + std::string(text) +
                                "' has more than 6 decimals (money is kept in micro-units)");
            }
            fraction = fraction * 10 + (c - '0');
        } else {
            if (whole > (std::numeric_limits<std::int64_t>::max() / kScale - 9) / 10) {
                return fail(Errc::Invalid, field, "'" + std::string(text) + "' is out of range");
            }
            whole = whole * 10 + (c - '0');
        }
    }
    if (!seen_digit) {
        return fail(Errc::Invalid, field, "'" + std::string(text) + "' is not a decimal number");
    }
    const std::int64_t micros = whole * kScale + fraction * kPow10[6 - decimals];
    return negative ? -micros : micros;
}

}  // namespace switchyard::core::voice
