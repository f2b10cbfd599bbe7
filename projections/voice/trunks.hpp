#pragma once
/// The `voice_trunks` read model: the customer SIP trunks in trunk id order, for the API's
/// trunk lists (by customer). No secret is kept: a row says whether a digest password is set
/// and for which realm (events/voice/trunk_codec.hpp trunk_row_json).
///
/// Keys: `t/<trunk id>` -> the row's JSON.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "events/voice/trunk_codec.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::voice {

inline constexpr const char* kVoiceTrunks = "voice_trunks.v1";

std::unique_ptr<Projector> make_voice_trunks_projector();

/// The trunk with this id, or nullopt.
std::optional<events::voice::TrunkRow> find_trunk(const ReadModelView& view,
                                                  const std::string& trunk_id);
/// Up to `limit` trunks with ids after `after` (all when empty), of `customer_id` when set, in
/// trunk id order.
std::vector<events::voice::TrunkRow> list_trunks(const ReadModelView& view,
                                                 const std::string& after, std::size_t limit,
                                                 std::optional<std::int64_t> customer_id = {});

}  // namespace switchyard::projections::voice
