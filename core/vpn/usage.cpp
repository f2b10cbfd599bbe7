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

}  // namespace switchyard::core::vpn
