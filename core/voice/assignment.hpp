#pragma once
/// The DIDTron assignment system: every configuration item (a rate card, a voice tier, a codec
/// set, a channel/CPS plan, a route group, a POP) is assigned to ALL customers, to a customer
/// category, to a customer group, or to one named customer. A customer's effective
/// configuration holds, per item kind, the value of the most specific assignment that reaches
/// it: customer > group > category > all. Between assignments of the same specificity the
/// latest wins (the later `created_at`; at the same instant, the higher `assignment_id`, which
/// the log hands out in order). Deleting an assignment lets the next one in that order win.
/// docs/voice-assignments.md states these rules for operators.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.hpp"

namespace switchyard::core::voice {

/// The kind of configuration item an assignment carries. Wire names `rate_card`,
/// `voice_tier`, `codec_set`, `channel_plan`, `route_group`, `pop`.
enum class ItemKind { RateCard, VoiceTier, CodecSet, ChannelPlan, RouteGroup, Pop };
inline constexpr ItemKind kItemKinds[] = {ItemKind::RateCard,   ItemKind::VoiceTier,
                                          ItemKind::CodecSet,   ItemKind::ChannelPlan,
                                          ItemKind::RouteGroup, ItemKind::Pop};
const char* to_string(ItemKind k) noexcept;
bool parse_item_kind(std::string_view text, ItemKind& out) noexcept;

/// Whom an assignment reaches. Wire names `all`, `category`, `group`, `customer`; the order
/// of the enum is the order of specificity (All least).
enum class AssignmentScope { All, Category, Group, Customer };
const char* to_string(AssignmentScope s) noexcept;
bool parse_assignment_scope(std::string_view text, AssignmentScope& out) noexcept;

/// One assignment of a configuration item.
struct Assignment {
    std::int64_t assignment_id = 0;  ///< From 1, in the order the log recorded them.
    ItemKind kind = ItemKind::RateCard;
    /// The item: a voice tier, codec set, channel plan or POP id; a rate card's deck id; a
    /// route group's id (both opaque here).
    std::string value;
    AssignmentScope scope = AssignmentScope::All;
    /// The category id, group id, or customer id (decimal) the scope names; empty for All.
    std::string target;
    Timestamp created_at{};
    friend bool operator==(const Assignment&, const Assignment&) = default;
};

/// Every live assignment, by id.
using Assignments = std::map<std::int64_t, Assignment>;

/// What the resolver needs to know of a customer: who it is and where it sits.
struct CustomerRef {
    std::int64_t customer_id = 0;
    std::string category_id;
    std::string group_id;
};

/// A customer's effective configuration: per item kind, the assignment that won. A kind no
/// assignment reaches is absent.
struct EffectiveConfig {
    std::map<ItemKind, Assignment> items;
    /// The winning assignment of `kind`, or null.
    const Assignment* find(ItemKind kind) const {
        auto it = items.find(kind);
        return it == items.end() ? nullptr : &it->second;
    }
    /// The value of `kind` (a deck id, a tier id, ...), or nullopt.
    std::optional<std::string> value(ItemKind kind) const {
        const auto* a = find(kind);
        return a ? std::optional<std::string>(a->value) : std::nullopt;
    }
};

/// True when `a` reaches `customer`.
bool reaches(const Assignment& a, const CustomerRef& customer);
/// True when `a` wins over `b` for one customer both reach: the more specific scope, then the
/// later `created_at`, then the higher id.
bool wins_over(const Assignment& a, const Assignment& b);

/// The effective configuration of `customer` under `assignments` (the rules at the top of
/// this file). Pure; the rating path calls it with the catalogue's assignments.
/// @thread safe (no state).
EffectiveConfig resolve(const Assignments& assignments, const CustomerRef& customer);

}  // namespace switchyard::core::voice
