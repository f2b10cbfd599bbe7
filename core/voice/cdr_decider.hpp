#pragma once
/// Decide and evolve for CDRs (pure; see core/voice/cdr.hpp). The pricing itself is done by the
/// command side against the tariff registry; these rules decide what of it the log records.

#include <optional>
#include <vector>

#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "core/voice/cdr.hpp"

namespace switchyard::core::voice {

/// Records a CDR as rated: a new CDR, or one that was unrated (rated again after a fix).
/// Decides nothing for a CDR that is already rated (a duplicate).
struct RateCdr {
    CdrRated rated;
};
/// Records a CDR as unrated. Decides nothing for a CDR the log already has.
struct MarkCdrUnrated {
    CdrUnrated unrated;
};
/// Records a rated CDR's new price. Decides nothing when both costs are the ones recorded.
struct RerateCdr {
    std::string cdr_id;
    SideCost sell;
    std::optional<SideCost> buy;
};

void evolve(CdrState& state, const CdrEvent& event);

/// @errors Invalid `cdr_id` when empty.
Result<std::vector<CdrEvent>> decide(const CdrState& s, const RateCdr& c,
                                     const DecisionContext& ctx);
/// @errors Invalid `cdr_id` when empty.
Result<std::vector<CdrEvent>> decide(const CdrState& s, const MarkCdrUnrated& c,
                                     const DecisionContext& ctx);
/// @errors NotFound `cdr_id` for a CDR the log does not have; Rejected `cdr_id` for an unrated
///         one (rate it with RateCdr); Rejected `currency` when the new sell price is in another
///         currency than the recorded one.
Result<std::vector<CdrEvent>> decide(const CdrState& s, const RerateCdr& c,
                                     const DecisionContext& ctx);

}  // namespace switchyard::core::voice
