#include "core/voice/tariff.hpp"

namespace switchyard::core::voice {

const char* to_string(RoundingMethod m) noexcept {
    switch (m) {
        case RoundingMethod::Up:
            return "*up";
        case RoundingMethod::Middle:
            return "*middle";
        case RoundingMethod::Down:
            return "*down";
    }
    return "*middle";
}

const char* to_string(MaxCostStrategy s) noexcept {
    switch (s) {
        case MaxCostStrategy::None:
            return "";
        case MaxCostStrategy::Free:
            return "*free";
        case MaxCostStrategy::Disconnect:
            return "*disconnect";
    }
    return "";
}

const char* to_string(PricingModel p) noexcept {
    return p == PricingModel::Exact ? "exact" : "cgrates";
}

bool parse_pricing_model(std::string_view text, PricingModel& out) noexcept {
    if (text == "cgrates") {
        out = PricingModel::Cgrates;
    } else if (text == "exact") {
        out = PricingModel::Exact;
    } else {
        return false;
    }
    return true;
}

bool parse_rounding_method(std::string_view text, RoundingMethod& out) noexcept {
    if (text == "*up") {
        out = RoundingMethod::Up;
    } else if (text == "*middle") {
        out = RoundingMethod::Middle;
    } else if (text == "*down") {
        out = RoundingMethod::Down;
    } else {
        return false;
    }
    return true;
}

bool parse_max_cost_strategy(std::string_view text, MaxCostStrategy& out) noexcept {
    if (text.empty()) {
        out = MaxCostStrategy::None;
    } else if (text == "*free") {
        out = MaxCostStrategy::Free;
    } else if (text == "*disconnect") {
        out = MaxCostStrategy::Disconnect;
    } else {
        return false;
    }
    return true;
}

}  // namespace switchyard::core::voice
