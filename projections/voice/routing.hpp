#pragma once
/// The `voice_routing` read model: gateways, routes and route groups
/// (core/voice/routing.hpp), for the API's lists.
///
/// Keys: `<kind>/<id>` (kind as `kKind`: `gateway/acme-fra`, `route/de`,
/// `route_group/std`) -> the item's JSON (events/voice/routing_codec.hpp routing_item_json).
/// A deleted item's key is erased.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/voice/routing.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::voice {

inline constexpr const char* kVoiceRouting = "voice_routing.v1";

std::unique_ptr<Projector> make_voice_routing_projector();

/// The item of kind `Item` (Gateway, Route, RouteGroup) with this id, or nullopt.
template <class Item>
std::optional<Item> find_routing_item(const ReadModelView& view, const std::string& id);
/// Up to `limit` items of kind `Item` with ids after `after_id` (empty: from the first), in id
/// order.
template <class Item>
std::vector<Item> list_routing_items(const ReadModelView& view, const std::string& after_id,
                                     std::size_t limit);

}  // namespace switchyard::projections::voice
