#pragma once
/// The `voice_reference` read model: the voice reference items (POPs, voice tiers, codecs,
/// codec sets, channel plans, carriers), retired ones included, for the API's lists.
///
/// Keys: `<kind>/<id>` (kind as core/voice/reference.hpp `kKind`, e.g. `pop/fra1`) -> the
/// item's JSON (events/voice/reference_codec.hpp item_json) with `"retired": true|false`.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/voice/reference.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::voice {

inline constexpr const char* kVoiceReference = "voice_reference.v1";

std::unique_ptr<Projector> make_voice_reference_projector();

/// The item of kind `Item` with this id (retired or not), or nullopt.
template <class Item>
std::optional<core::voice::Entry<Item>> find_item(const ReadModelView& view, const std::string& id);
/// Up to `limit` items of kind `Item` with ids after `after_id` (empty: from the first), in id
/// order; retired ones only with `with_retired`.
template <class Item>
std::vector<core::voice::Entry<Item>> list_items(const ReadModelView& view,
                                                 const std::string& after_id, std::size_t limit,
                                                 bool with_retired);

}  // namespace switchyard::projections::voice
