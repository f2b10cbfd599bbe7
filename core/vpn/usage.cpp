#include "core/vpn/usage.hpp"

#include <chrono>

#include <fmt/format.h>

namespace switchyard::core::vpn {

std::string usage_month(Timestamp t) {
    const auto days = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day ymd{days};
    return fmt::format("{:04}-{:02}", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()));
}

Result<std::string> usage_month_of(const std::string& requested, Timestamp now) {
    if (requested.empty()) return usage_month(now);
    if (requested.size() != 7 || requested[4] != '-' || !parse_rfc3339(requested + "-01T00:00:00Z"))
        return fail(Errc::Invalid, "month", "must be YYYY-MM");
    return requested;
}

}  // namespace switchyard::core::vpn
