#include "projections/voice/routing.hpp"

#include "events/voice/routing_codec.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::voice {

using namespace core::voice;

namespace {

template <class Item>
std::string item_key(std::string_view id) {
    return key_of(Item::kKind, std::string(id));
}

template <class Item>
std::optional<Item> decode(std::string_view text) {
    auto item = events::voice::parse_routing_item<Item>(text);
    if (!item) return std::nullopt;
    return std::move(*item);
}

core::Result<void> apply(const RoutingEvent& event, const events::RecordedEvent&,
                         ProjectionWrites& w) {
    std::visit(
        [&]<class E>(const E& e) {
            if constexpr (requires { e.item; }) {
                using Item = std::decay_t<decltype(e.item)>;
                w.put(item_key<Item>(e.item.id()),
                      events::json::serialize(events::voice::routing_item_json(e.item)));
            } else {
                [&]<class Item>(const ItemRetired<Item>& d) { w.erase(item_key<Item>(d.id)); }(e);
            }
        },
        event);
    return {};
}

}  // namespace

std::unique_ptr<Projector> make_voice_routing_projector() {
    return make_projector<RoutingEvent>(kVoiceRouting, events::voice::decode_routing_event, apply);
}

template <class Item>
std::optional<Item> find_routing_item(const ReadModelView& view, const std::string& id) {
    auto text = view.get(item_key<Item>(id));
    return text ? decode<Item>(*text) : std::nullopt;
}

template <class Item>
std::vector<Item> list_routing_items(const ReadModelView& view, const std::string& after_id,
                                     std::size_t limit) {
    std::vector<Item> out;
    if (limit == 0) return out;
    const auto prefix = std::string(Item::kKind) + "/";
    // The smallest key greater than `<kind>/<after_id>` is that key with a NUL appended.
    std::string start = after_id.empty() ? "" : prefix + after_id + std::string(1, '\0');
    view.scan(prefix, start, [&](std::string_view, std::string_view value) {
        if (auto item = decode<Item>(value)) out.push_back(std::move(*item));
        return out.size() < limit;
    });
    return out;
}

#define SY_VOICE_ROUTING_QUERIES(Item)                                                        \
    template std::optional<Item> find_routing_item(const ReadModelView&, const std::string&); \
    template std::vector<Item> list_routing_items(const ReadModelView&, const std::string&,   \
                                                  std::size_t);

SY_VOICE_ROUTING_QUERIES(Gateway)
SY_VOICE_ROUTING_QUERIES(Route)
SY_VOICE_ROUTING_QUERIES(RouteGroup)

#undef SY_VOICE_ROUTING_QUERIES

}  // namespace switchyard::projections::voice
