#include "core/voice/markup.hpp"

#include <limits>
#include <optional>
#include <string>

namespace switchyard::core::voice {

namespace {

__extension__ typedef __int128 Wide;

constexpr std::int64_t kPow10[] = {1, 10, 100, 1'000, 10'000, 100'000, 1'000'000};

/// `value` rounded up to a multiple of `step` (value >= 0), or none on overflow.
std::optional<Micros> round_up(Wide value, std::int64_t step) {
    if (value < 0) value = 0;
    const Wide rounded = (value + step - 1) / step * step;
    if (rounded > std::numeric_limits<Micros>::max()) return std::nullopt;
    return Micros(rounded);
}

/// `per_minute` scaled to a price per `unit_s` seconds.
Wide per_unit(Micros per_minute, std::int64_t unit_s) {
    return Wide(per_minute) * (unit_s > 0 ? unit_s : 60) / 60;
}

}  // namespace

Result<Tariff> apply_markup(const Tariff& buy, const MarkupRule& rule) {
    if (rule.percent_bp < -10'000) {
        return fail(Errc::Invalid, "percent", "a markup below -100 % would make prices negative");
    }
    if (rule.fixed_micros_per_minute < 0) return fail(Errc::Invalid, "fixed", "is negative");
    if (rule.minimum_margin_micros_per_minute < 0) {
        return fail(Errc::Invalid, "minimum_margin", "is negative");
    }
    if (rule.rounding_decimals < 0 || rule.rounding_decimals > 6) {
        return fail(Errc::Invalid, "rounding_decimals", "must be 0 to 6");
    }
    const std::int64_t step = kPow10[6 - rule.rounding_decimals];
    Tariff sell = buy;
    for (std::size_t g = 0; g < sell.rate_groups.size(); ++g) {
        auto& group = sell.rate_groups[g];
        const auto overflow = [&] {
            return fail(Errc::Invalid, "rate_groups[" + std::to_string(g) + "]",
                        "the sell price of rate group " + group.id + " is out of range");
        };
        const auto fee =
            round_up(Wide(group.connect_fee_micros) * (10'000 + rule.percent_bp) / 10'000, step);
        if (!fee) return overflow();
        group.connect_fee_micros = *fee;
        for (auto& interval : group.intervals) {
            const Wide b = interval.rate_micros;
            Wide price = b * (10'000 + rule.percent_bp) / 10'000 +
                         per_unit(rule.fixed_micros_per_minute, interval.rate_unit_s);
            const Wide floor =
                b + per_unit(rule.minimum_margin_micros_per_minute, interval.rate_unit_s);
            if (price < floor) price = floor;
            const auto rounded = round_up(price, step);
            if (!rounded) return overflow();
            interval.rate_micros = *rounded;
        }
    }
    return sell;
}

}  // namespace switchyard::core::voice
