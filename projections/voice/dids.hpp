#pragma once
/// The `voice_did_fees` read model: every DID fee charged (`voice.did.fee_charged`), by
/// period, for billing (issue 16) and reports.
///
/// Keys: `f/<period YYYY-MM>/<number>/<setup|monthly>` -> the event's payload
/// (schemas/events/voice/voice.did.fee_charged.v1.json). A fee is charged at most once per
/// DID, period and kind while the DID stays with one order; a re-order in the same month after
/// a release replaces the row (the log keeps both).

#include <memory>
#include <string>
#include <vector>

#include "core/voice/did.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::voice {

inline constexpr const char* kVoiceDidFees = "voice_did_fees.v1";

std::unique_ptr<Projector> make_voice_did_fees_projector();

/// Up to `limit` fees of `period` (`YYYY-MM`) in (number, kind) order, after the fee whose
/// `<number>/<kind>` is `after` (empty: from the first).
std::vector<core::voice::DidFeeCharged> list_did_fees(const ReadModelView& view,
                                                      const std::string& period,
                                                      const std::string& after, std::size_t limit);

}  // namespace switchyard::projections::voice
