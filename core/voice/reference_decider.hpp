#pragma once
/// Decide and evolve for the voice reference data (pure; see core/voice/reference.hpp).

#include <vector>

#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "core/voice/reference.hpp"

namespace switchyard::core::voice {

/// Whether a definition creates a new item or replaces an existing one.
enum class DefineMode { Create, Update };

/// Creates (mode Create) or replaces (mode Update) an item with all its fields.
template <class Item>
struct DefineItem {
    Item item;
    DefineMode mode = DefineMode::Create;
};
/// Retires an item.
template <class Item>
struct RetireItem {
    std::string id;
};
/// Appends `tiers` only when the tier list never had a tier (first start).
struct SeedTiers {
    std::vector<VoiceTier> tiers;
};

void evolve(ReferenceState& state, const ReferenceEvent& event);

/// Create: an item with the same id and the same fields decides nothing (a retry).
/// @errors Invalid naming the malformed field (the id, `name`, `sip_addresses`, `asr_percent`,
///         `payload_type`, `clock_rate`, `codecs`, `channels`, `cps`, `trunk_hosts`,
///         `currency`, `tech_prefix`); Conflict naming the id when Create finds another item
///         under it (retired or not); NotFound naming the id when Update finds none; Rejected
///         naming the id when Update addresses a retired item; Rejected naming `codecs` for a
///         codec set naming a retired codec (NotFound when it names an unknown one).
template <class Item>
Result<std::vector<ReferenceEvent>> decide(const ReferenceState& s, const DefineItem<Item>& c,
                                           const DecisionContext& ctx);
/// An item already retired decides nothing. @errors NotFound naming the id for an unknown item.
template <class Item>
Result<std::vector<ReferenceEvent>> decide(const ReferenceState& s, const RetireItem<Item>& c,
                                           const DecisionContext& ctx);
/// @errors Invalid as for DefineItem, the field prefixed with `tiers[<i>].`.
Result<std::vector<ReferenceEvent>> decide(const ReferenceState& s, const SeedTiers& c,
                                           const DecisionContext& ctx);

/// The field problems of an item alone (not against the state): Invalid naming the field.
Result<void> check_item(const Pop& p);
Result<void> check_item(const VoiceTier& t);
Result<void> check_item(const Codec& c);
Result<void> check_item(const CodecSet& c);
Result<void> check_item(const ChannelPlan& p);
Result<void> check_item(const Carrier& c);

/// True for `host` or `host:port` (DNS name, IPv4, or `[IPv6]`; port 1 to 65535); with
/// `need_port` the port is required.
bool valid_host_port(std::string_view text, bool need_port) noexcept;
/// True for a tech prefix: 1 to 16 of `0-9`, `#`, `*`.
bool valid_tech_prefix(std::string_view text) noexcept;

}  // namespace switchyard::core::voice
