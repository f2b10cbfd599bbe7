#pragma once
/// Decide and evolve for customer SIP trunks (pure; see core/voice/trunk.hpp).

#include <string>
#include <vector>

#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "core/voice/customer.hpp"
#include "core/voice/reference.hpp"
#include "core/voice/reference_decider.hpp"
#include "core/voice/trunk.hpp"

namespace switchyard::core::voice {

/// Creates (mode Create) or replaces (mode Update) a trunk; `created_at` is handed out by the
/// decider (kept on Update) and its customer never changes.
struct DefineTrunk {
    Trunk trunk;
    DefineMode mode = DefineMode::Create;
    std::string command_id;  ///< Create only: a second command with it defines nothing.
};
/// Records a trunk's digest credential (the service computed and sealed the HA1).
struct SetTrunkPassword {
    std::string trunk_id;
    TrunkCredential credential;
};
/// Removes a trunk. Removing one already removed decides nothing.
struct RemoveTrunk {
    std::string trunk_id;
};

void evolve(TrunkState& state, const TrunkEvent& event);

/// @errors Invalid naming `trunk_id`, `name`, `source_ips` (not an address or CIDR block, or
///         more than 64), `username`, `tech_prefix`, `cli_prefixes` (not 1 to 15 digits),
///         `default_cli`, `cli_policy`/`pai_policy` (`replace`/`set` without a default CLI),
///         `channels`, `cps`, or `source_ips` naming both auth modes when neither is set;
///         NotFound naming `customer_id`, `codec_set_id` or `pop_id` when unknown (Rejected
///         when retired); Conflict naming `trunk_id` when Create finds another trunk under the
///         id, `source_ips` when a block overlaps another customer's trunk (or equals another
///         trunk's block), `username` when another trunk has it; NotFound naming `trunk_id` when
///         Update finds none; Rejected naming `customer_id` when Update moves the trunk.
Result<std::vector<TrunkEvent>> decide(const TrunkState& s, const DirectoryState& directory,
                                       const ReferenceState& reference, const DefineTrunk& c,
                                       const DecisionContext& ctx);
/// @errors NotFound naming `trunk_id`; Rejected naming `username` when the trunk has no digest
///         username or the credential was made for another username; Invalid naming `realm`
///         when empty or with control characters, `ha1_sealed` when empty.
Result<std::vector<TrunkEvent>> decide(const TrunkState& s, const SetTrunkPassword& c,
                                       const DecisionContext& ctx);
/// @errors NotFound naming `trunk_id` for a trunk that never existed.
Result<std::vector<TrunkEvent>> decide(const TrunkState& s, const RemoveTrunk& c,
                                       const DecisionContext& ctx);

/// True for a digest username: `[A-Za-z0-9_.@+-]{1,64}`.
bool valid_digest_username(std::string_view name) noexcept;

}  // namespace switchyard::core::voice
