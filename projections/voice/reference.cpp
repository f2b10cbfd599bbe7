#include "projections/voice/reference.hpp"

#include "events/voice/reference_codec.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::voice {

using namespace core::voice;

namespace {

template <class Item>
std::string item_key(std::string_view id) {
    return key_of(Item::kKind, std::string(id));
}

template <class Item>
std::optional<Entry<Item>> decode(std::string_view text) {
    auto item = events::voice::parse_item<Item>(text);
    if (!item) return std::nullopt;
    auto retired = events::with_json_object(
        text, [](const events::JsonObject& o) { return o.opt_boolean("retired", false); });
    return Entry<Item>{std::move(*item), retired && *retired};
}

template <class Item>
void put(ProjectionWrites& w, const Item& item, bool retired) {
    auto o = events::voice::item_json(item);
    o["retired"] = retired;
    w.put(item_key<Item>(item.id()), events::json::serialize(o));
}

core::Result<void> apply(const ReferenceEvent& event, const events::RecordedEvent&,
                         ProjectionWrites& w) {
    std::visit(
        [&]<class E>(const E& e) {
            if constexpr (requires { e.item; }) {
                put(w, e.item, false);
            } else {
                [&]<class Item>(const ItemRetired<Item>& r) {
                    auto text = w.get(item_key<Item>(r.id));
                    if (!text) return;
                    if (auto entry = decode<Item>(*text)) put(w, entry->item, true);
                }(e);
            }
        },
        event);
    return {};
}

}  // namespace

std::unique_ptr<Projector> make_voice_reference_projector() {
    return make_projector<ReferenceEvent>(kVoiceReference, events::voice::decode_reference_event,
                                          apply);
}

template <class Item>
std::optional<Entry<Item>> find_item(const ReadModelView& view, const std::string& id) {
    auto text = view.get(item_key<Item>(id));
    return text ? decode<Item>(*text) : std::nullopt;
}

template <class Item>
std::vector<Entry<Item>> list_items(const ReadModelView& view, const std::string& after_id,
                                    std::size_t limit, bool with_retired) {
    std::vector<Entry<Item>> out;
    if (limit == 0) return out;
    const auto prefix = std::string(Item::kKind) + "/";
    // Keys after `after_id`: the smallest key greater than `<kind>/<after_id>` is that key with
    // a NUL appended.
    std::string start = after_id.empty() ? "" : prefix + after_id + std::string(1, '\0');
    view.scan(prefix, start, [&](std::string_view, std::string_view value) {
        auto e = decode<Item>(value);
        if (!e || (e->retired && !with_retired)) return true;
        out.push_back(std::move(*e));
        return out.size() < limit;
    });
    return out;
}

#define SY_VOICE_REFERENCE_QUERIES(Item)                                                     \
    template std::optional<Entry<Item>> find_item(const ReadModelView&, const std::string&); \
    template std::vector<Entry<Item>> list_items(const ReadModelView&, const std::string&,   \
                                                 std::size_t, bool);

SY_VOICE_REFERENCE_QUERIES(Pop)
SY_VOICE_REFERENCE_QUERIES(VoiceTier)
SY_VOICE_REFERENCE_QUERIES(Codec)
SY_VOICE_REFERENCE_QUERIES(CodecSet)
SY_VOICE_REFERENCE_QUERIES(ChannelPlan)
SY_VOICE_REFERENCE_QUERIES(Carrier)

#undef SY_VOICE_REFERENCE_QUERIES

}  // namespace switchyard::projections::voice
