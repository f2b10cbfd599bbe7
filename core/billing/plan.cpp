#include "core/billing/plan.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <set>

#include "core/overloaded.hpp"

namespace switchyard::core::billing {

namespace {

constexpr std::array<std::pair<Interval, const char*>, 6> kIntervals{{
    {Interval::Minute, "minute"},
    {Interval::Hour, "hour"},
    {Interval::Day, "day"},
    {Interval::Week, "week"},
    {Interval::Month, "month"},
    {Interval::Year, "year"},
}};

/// 128-bit intermediates for amount x days and amount x periods per year.
__extension__ typedef __int128 Wide;

constexpr Micros kMaxPrice = 1'000'000'000'000'000;  // 1e12 units of a currency

std::string price_field(std::size_t i, const char* member) {
    return "prices[" + std::to_string(i) + "]." + member;
}

/// Periods per year of one interval (for comparing prices per unit of time).
std::int64_t per_year(Interval i) {
    switch (i) {
        case Interval::Minute:
            return 525'600;
        case Interval::Hour:
            return 8'760;
        case Interval::Day:
            return 365;
        case Interval::Week:
            return 52;
        case Interval::Month:
            return 12;
        case Interval::Year:
            return 1;
    }
    return 1;
}

}  // namespace

const char* to_string(Interval i) noexcept {
    for (const auto& [v, name] : kIntervals)
        if (v == i) return name;
    return "month";
}

bool parse_interval(std::string_view text, Interval& out) noexcept {
    for (const auto& [v, name] : kIntervals)
        if (text == name) {
            out = v;
            return true;
        }
    return false;
}

const Price* price_in(const Plan& plan, const std::string& currency) noexcept {
    for (const auto& p : plan.prices)
        if (p.currency == currency) return &p;
    return nullptr;
}

Result<void> check_plan(const Plan& p) {
    if (!valid_id(p.plan_id))
        return fail(Errc::Invalid, "plan_id", "must be 1 to 64 letters, digits, '.', '_' or '-'");
    if (p.name.empty() || p.name.size() > 200)
        return fail(Errc::Invalid, "name", "must be 1 to 200 bytes");
    SY_TRY(parse_account("revenue:" + p.line, "line"));
    if (p.service_plan.size() > 128)
        return fail(Errc::Invalid, "service_plan", "must be at most 128 bytes");
    if (p.interval_count < 1 || p.interval_count > 36)
        return fail(Errc::Invalid, "interval_count", "must be 1 to 36");
    if (p.trial_days < 0 || p.trial_days > 365)
        return fail(Errc::Invalid, "trial_days", "must be 0 to 365");
    if (p.grace_days < 0 || p.grace_days > 60)
        return fail(Errc::Invalid, "grace_days", "must be 0 to 60");
    if (p.prices.empty() || p.prices.size() > 20)
        return fail(Errc::Invalid, "prices", "must hold 1 to 20 prices, one per currency");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < p.prices.size(); ++i) {
        const auto& price = p.prices[i];
        if (!valid_currency(price.currency))
            return fail(Errc::Invalid, price_field(i, "currency"),
                        "must be an ISO 4217 code such as EUR");
        if (!seen.insert(price.currency).second)
            return fail(Errc::Invalid, price_field(i, "currency"),
                        price.currency + " has a price already");
        if (price.amount_micros < 0 || price.amount_micros > kMaxPrice)
            return fail(Errc::Invalid, price_field(i, "amount_micros"),
                        "must be 0 to 1e18 micro-units");
        if (price.setup_fee_micros < 0 || price.setup_fee_micros > kMaxPrice)
            return fail(Errc::Invalid, price_field(i, "setup_fee_micros"),
                        "must be 0 to 1e18 micro-units");
    }
    return {};
}

void evolve(PlanState& s, const PlanEvent& e) {
    std::visit(Overloaded{[&](const PlanDefined& d) {
                              s.plan = d.plan;
                              s.retired = false;
                          },
                          [&](const PlanRetired&) { s.retired = true; }},
               e);
}

Result<std::vector<PlanEvent>> decide(const PlanState& s, const Plan& c) {
    SY_TRY(check_plan(c));
    if (s.plan && s.plan->line != c.line)
        return fail(Errc::Rejected, "line",
                    "plan " + c.plan_id + " sells " + s.plan->line +
                        "; a plan keeps its service line (define a new plan)");
    if (s.plan && *s.plan == c && !s.retired) return std::vector<PlanEvent>{};
    return std::vector<PlanEvent>{PlanDefined{c}};
}

Result<std::vector<PlanEvent>> decide_retire(const PlanState& s, const std::string& plan_id) {
    if (!s.plan) return fail(Errc::NotFound, "plan_id", "no plan " + plan_id);
    if (s.retired) return std::vector<PlanEvent>{};
    return std::vector<PlanEvent>{PlanRetired{plan_id}};
}

int minor_unit_digits(std::string_view c) noexcept {
    static constexpr std::array<std::string_view, 17> kZero{
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
        "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"};
    static constexpr std::array<std::string_view, 7> kThree{"BHD", "IQD", "JOD", "KWD",
                                                            "LYD", "OMR", "TND"};
    if (std::find(kZero.begin(), kZero.end(), c) != kZero.end()) return 0;
    if (std::find(kThree.begin(), kThree.end(), c) != kThree.end()) return 3;
    return 2;
}

Micros minor_unit(std::string_view currency) noexcept {
    switch (minor_unit_digits(currency)) {
        case 0:
            return 1'000'000;
        case 3:
            return 1'000;
        default:
            return 10'000;
    }
}

namespace {

/// n / d rounded half away from zero (d > 0).
Wide div_round(Wide n, Wide d) {
    const Wide q = n / d;
    const Wide r = n % d;
    if (r == 0) return q;
    const bool neg = n < 0;
    const Wide twice = (neg ? -r : r) * 2;
    if (twice >= d) return neg ? q - 1 : q + 1;
    return q;
}

}  // namespace

Micros round_to_minor_unit(Micros micros, std::string_view currency) noexcept {
    const Micros unit = minor_unit(currency);
    return static_cast<Micros>(div_round(micros, unit) * unit);
}

Micros prorate(Micros amount, std::int64_t part, std::int64_t whole,
               std::string_view currency) noexcept {
    if (whole <= 0) return 0;
    const Micros unit = minor_unit(currency);
    // In minor units: amount * part / whole, rounded once.
    const Wide n = static_cast<Wide>(amount) * part;
    return static_cast<Micros>(div_round(n, static_cast<Wide>(whole) * unit) * unit);
}

Timestamp add_intervals(Timestamp anchor, Interval interval, std::int64_t count, std::int64_t k) {
    using namespace std::chrono;
    const std::int64_t n = count * k;
    switch (interval) {
        case Interval::Minute:
            return anchor + minutes(n);
        case Interval::Hour:
            return anchor + hours(n);
        case Interval::Day:
            return anchor + days(n);
        case Interval::Week:
            return anchor + weeks(n);
        case Interval::Month:
        case Interval::Year: {
            const auto day = floor<days>(anchor);
            const auto time_of_day = anchor - day;
            const year_month_day ymd{day};
            const auto moved = interval == Interval::Month
                                   ? year_month{ymd.year(), ymd.month()} + months(n)
                                   : year_month{ymd.year(), ymd.month()} + years(n);
            const auto last = year_month_day_last{moved.year(), month_day_last{moved.month()}};
            const auto d = std::min(ymd.day(), last.day());
            return Timestamp(sys_days{year_month_day{moved.year(), moved.month(), d}}) +
                   time_of_day;
        }
    }
    return anchor;
}

std::int64_t whole_days(Timestamp from, Timestamp to) noexcept {
    if (to <= from) return 0;
    return std::chrono::floor<std::chrono::days>(to - from).count();
}

bool is_upgrade(const Plan& from, const Price& from_price, const Plan& to,
                const Price& to_price) noexcept {
    // Yearly value = amount * periods per year / interval_count; compared cross-multiplied.
    const Wide to_value =
        static_cast<Wide>(to_price.amount_micros) * per_year(to.interval) * from.interval_count;
    const Wide from_value =
        static_cast<Wide>(from_price.amount_micros) * per_year(from.interval) * to.interval_count;
    return to_value >= from_value;
}

}  // namespace switchyard::core::billing
