#include "events/voice/reference_codec.hpp"

#include "events/codec_kit.hpp"

namespace switchyard::events::voice {

using namespace core::voice;

namespace {

constexpr auto table(As<Pop>) {
    return fields(field("pop_id", &Pop::pop_id), field("name", &Pop::name),
                  field("region", &Pop::region), field("sip_addresses", &Pop::sip_addresses));
}
constexpr auto table(As<VoiceTier>) {
    return fields(field("tier_id", &VoiceTier::tier_id), field("name", &VoiceTier::name),
                  field("description", &VoiceTier::description),
                  field("asr_percent", &VoiceTier::asr_percent),
                  field("acd_seconds", &VoiceTier::acd_seconds),
                  field("pdd_ms", &VoiceTier::pdd_ms),
                  field("display_order", &VoiceTier::display_order));
}
constexpr auto table(As<Codec>) {
    return fields(field("codec_id", &Codec::codec_id), field("name", &Codec::name),
                  field("payload_type", &Codec::payload_type),
                  field("clock_rate", &Codec::clock_rate));
}
constexpr auto table(As<CodecSet>) {
    return fields(field("codec_set_id", &CodecSet::codec_set_id), field("name", &CodecSet::name),
                  field("codecs", &CodecSet::codecs));
}
constexpr auto table(As<ChannelPlan>) {
    return fields(field("channel_plan_id", &ChannelPlan::channel_plan_id),
                  field("name", &ChannelPlan::name), field("channels", &ChannelPlan::channels),
                  field("cps", &ChannelPlan::cps));
}
constexpr auto table(As<Carrier>) {
    return fields(field("carrier_id", &Carrier::carrier_id), field("name", &Carrier::name),
                  field("trunk_hosts", &Carrier::trunk_hosts),
                  field("currency", &Carrier::currency),
                  field("tech_prefix", &Carrier::tech_prefix),
                  field("status", &Carrier::status, parse_carrier_status));
}

struct Wire {
    template <class Item>
    static auto payload(As<ItemDefined<Item>>) {
        return fields(flat(&ItemDefined<Item>::item, table(As<Item>{})));
    }
    template <class Item>
    static auto payload(As<ItemRetired<Item>>) {
        return fields(field(Item::kIdKey, &ItemRetired<Item>::id));
    }
};

}  // namespace

EncodedEvent encode(const ReferenceEvent& event) { return encode_as<Wire>(event); }

core::Result<ReferenceEvent> decode_reference_event(const RecordedEvent& event) {
    return decode_as<Wire, ReferenceEvent>(event);
}

template <class Item>
json::object item_json(const Item& item) {
    return to_json(item, table(As<Item>{}));
}

template <class Item>
core::Result<Item> parse_item(std::string_view json) {
    return with_json_object(
        json, [](const JsonObject& o) { return from_json<Item>(o, table(As<Item>{})); });
}

template <class Item>
std::vector<std::string> item_keys() {
    std::vector<std::string> out;
    for (const auto& member : item_json(Item{})) out.emplace_back(member.key());
    return out;
}

core::Result<std::vector<VoiceTier>> parse_tiers(std::string_view json) {
    return with_json_object(json, [](const JsonObject& o) {
        std::vector<VoiceTier> out;
        for (const auto& t : o.obj_list("tiers"))
            out.push_back(from_json<VoiceTier>(t, table(As<VoiceTier>{})));
        return out;
    });
}

#define SY_VOICE_ITEM_JSON(Item)                                   \
    template json::object item_json(const Item&);                  \
    template core::Result<Item> parse_item(std::string_view json); \
    template std::vector<std::string> item_keys<Item>();

SY_VOICE_ITEM_JSON(Pop)
SY_VOICE_ITEM_JSON(VoiceTier)
SY_VOICE_ITEM_JSON(Codec)
SY_VOICE_ITEM_JSON(CodecSet)
SY_VOICE_ITEM_JSON(ChannelPlan)
SY_VOICE_ITEM_JSON(Carrier)

#undef SY_VOICE_ITEM_JSON

}  // namespace switchyard::events::voice
