#include "core/billing/report.hpp"

#include <chrono>
#include <deque>
#include <utility>

#include <fmt/format.h>

namespace switchyard::core::billing {

namespace {

constexpr std::pair<MrrMovement, const char*> kMovements[] = {
    {MrrMovement::None, "none"},           {MrrMovement::New, "new"},
    {MrrMovement::Expansion, "expansion"}, {MrrMovement::Contraction, "contraction"},
    {MrrMovement::Churn, "churn"},         {MrrMovement::Reactivation, "reactivation"},
};

constexpr std::pair<ReportGrain, const char*> kGrains[] = {
    {ReportGrain::Day, "day"},
    {ReportGrain::Month, "month"},
    {ReportGrain::Quarter, "quarter"},
    {ReportGrain::Year, "year"},
};

std::int64_t interval_seconds(Interval i) noexcept {
    switch (i) {
        case Interval::Minute:
            return 60;
        case Interval::Hour:
            return 3'600;
        case Interval::Day:
            return 86'400;
        case Interval::Week:
            return 604'800;
        case Interval::Month:
            return kAverageMonthSeconds;
        case Interval::Year:
            return 12 * kAverageMonthSeconds;
    }
    return kAverageMonthSeconds;
}

}  // namespace

Micros monthly_recurring(const Plan& plan, const Price& price) noexcept {
    const auto count = plan.interval_count > 0 ? plan.interval_count : 1;
    return prorate(price.amount_micros, kAverageMonthSeconds,
                   interval_seconds(plan.interval) * count, price.currency);
}

const char* to_string(MrrMovement m) noexcept {
    for (const auto& [v, name] : kMovements)
        if (v == m) return name;
    return "none";
}

MrrMovement classify_mrr(Micros before, Micros after, bool counted_before) noexcept {
    if (before == after) return MrrMovement::None;
    if (before == 0) return counted_before ? MrrMovement::Reactivation : MrrMovement::New;
    if (after == 0) return MrrMovement::Churn;
    return after > before ? MrrMovement::Expansion : MrrMovement::Contraction;
}

bool counts_for_mrr(SubscriptionStatus status) noexcept {
    return status == SubscriptionStatus::Active || status == SubscriptionStatus::PastDue;
}

AgingBuckets age_receivable(const std::vector<ReceivableLine>& lines, Timestamp as_of) {
    // Open charges, oldest first: what is left of each after the credits applied so far.
    std::deque<std::pair<Timestamp, Micros>> open;
    Micros unapplied = 0;
    for (const auto& l : lines) {
        if (l.time > as_of) break;
        if (l.debit_micros > 0) {
            // A charge first settles an unapplied credit (a prepayment).
            const auto settled = std::min(unapplied, l.debit_micros);
            unapplied -= settled;
            if (l.debit_micros > settled) open.emplace_back(l.time, l.debit_micros - settled);
        }
        auto credit = l.credit_micros;
        while (credit > 0 && !open.empty()) {
            auto& oldest = open.front();
            const auto take = std::min(credit, oldest.second);
            oldest.second -= take;
            credit -= take;
            if (oldest.second == 0) open.pop_front();
        }
        unapplied += credit;
    }
    AgingBuckets out;
    using std::chrono::days;
    for (const auto& [time, amount] : open) {
        const auto age = std::chrono::floor<days>(as_of - time).count();
        if (age <= 30)
            out.current_micros += amount;
        else if (age <= 60)
            out.days_31_60_micros += amount;
        else if (age <= 90)
            out.days_61_90_micros += amount;
        else
            out.over_90_micros += amount;
    }
    out.current_micros -= unapplied;
    return out;
}

std::string day_of(Timestamp t) {
    const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(t)};
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

const char* to_string(ReportGrain g) noexcept {
    for (const auto& [v, name] : kGrains)
        if (v == g) return name;
    return "month";
}

bool parse_report_grain(std::string_view text, ReportGrain& out) noexcept {
    for (const auto& [v, name] : kGrains)
        if (text == name) {
            out = v;
            return true;
        }
    return false;
}

std::string period_of(std::string_view day, ReportGrain grain) {
    if (day.size() < 10) return std::string(day);
    switch (grain) {
        case ReportGrain::Day:
            return std::string(day.substr(0, 10));
        case ReportGrain::Month:
            return std::string(day.substr(0, 7));
        case ReportGrain::Quarter: {
            const int month = (day[5] - '0') * 10 + (day[6] - '0');
            return fmt::format("{}-Q{}", day.substr(0, 4), (month - 1) / 3 + 1);
        }
        case ReportGrain::Year:
            return std::string(day.substr(0, 4));
    }
    return std::string(day);
}

}  // namespace switchyard::core::billing
