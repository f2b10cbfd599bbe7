#include "core/voice/assignment.hpp"

#include <array>
#include <tuple>

namespace switchyard::core::voice {

namespace {

constexpr std::array<std::pair<ItemKind, const char*>, 6> kKindNames{{
    {ItemKind::RateCard, "rate_card"},
    {ItemKind::VoiceTier, "voice_tier"},
    {ItemKind::CodecSet, "codec_set"},
    {ItemKind::ChannelPlan, "channel_plan"},
    {ItemKind::RouteGroup, "route_group"},
    {ItemKind::Pop, "pop"},
}};

constexpr std::array<std::pair<AssignmentScope, const char*>, 4> kScopeNames{{
    {AssignmentScope::All, "all"},
    {AssignmentScope::Category, "category"},
    {AssignmentScope::Group, "group"},
    {AssignmentScope::Customer, "customer"},
}};

template <class Enum, std::size_t N>
const char* name_of(const std::array<std::pair<Enum, const char*>, N>& names, Enum v) {
    for (const auto& [e, n] : names)
        if (e == v) return n;
    return "unknown";
}

template <class Enum, std::size_t N>
bool parse_name(const std::array<std::pair<Enum, const char*>, N>& names, std::string_view text,
                Enum& out) {
    for (const auto& [e, n] : names)
        if (text == n) {
            out = e;
            return true;
        }
    return false;
}

}  // namespace

const char* to_string(ItemKind k) noexcept { return name_of(kKindNames, k); }
bool parse_item_kind(std::string_view text, ItemKind& out) noexcept {
    return parse_name(kKindNames, text, out);
}
const char* to_string(AssignmentScope s) noexcept { return name_of(kScopeNames, s); }
bool parse_assignment_scope(std::string_view text, AssignmentScope& out) noexcept {
    return parse_name(kScopeNames, text, out);
}

bool reaches(const Assignment& a, const CustomerRef& customer) {
    switch (a.scope) {
        case AssignmentScope::All:
            return true;
        case AssignmentScope::Category:
            return a.target == customer.category_id;
        case AssignmentScope::Group:
            return a.target == customer.group_id;
        case AssignmentScope::Customer:
            return a.target == std::to_string(customer.customer_id);
    }
    return false;
}

bool wins_over(const Assignment& a, const Assignment& b) {
    return std::tuple(static_cast<int>(a.scope), a.created_at, a.assignment_id) >
           std::tuple(static_cast<int>(b.scope), b.created_at, b.assignment_id);
}

EffectiveConfig resolve(const Assignments& assignments, const CustomerRef& customer) {
    EffectiveConfig out;
    for (const auto& [id, a] : assignments) {
        if (!reaches(a, customer)) continue;
        auto [it, fresh] = out.items.try_emplace(a.kind, a);
        if (!fresh && wins_over(a, it->second)) it->second = a;
    }
    return out;
}

}  // namespace switchyard::core::voice
