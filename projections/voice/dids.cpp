#include "projections/voice/dids.hpp"

#include "events/voice/did_codec.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::voice {

using namespace core::voice;

namespace {

bool is_fee(std::string_view type) { return type == DidFeeCharged::kType; }

core::Result<void> apply(const DidEvent& event, const events::RecordedEvent& recorded,
                         ProjectionWrites& w) {
    if (const auto* fee = std::get_if<DidFeeCharged>(&event))
        w.put(key_of("f", fee->period, fee->number, std::string(to_string(fee->kind))),
              recorded.data);
    return {};
}

}  // namespace

std::unique_ptr<Projector> make_voice_did_fees_projector() {
    return make_projector<DidEvent>(kVoiceDidFees, events::voice::decode_did_event, apply, is_fee);
}

std::vector<DidFeeCharged> list_did_fees(const ReadModelView& view, const std::string& period,
                                         const std::string& after, std::size_t limit) {
    std::vector<DidFeeCharged> out;
    if (limit == 0) return out;
    const auto prefix = key_of("f", period) + "/";
    const std::string start = after.empty() ? "" : prefix + after + std::string(1, '\0');
    view.scan(prefix, start, [&](std::string_view, std::string_view value) {
        events::RecordedEvent e;
        e.type = std::string(DidFeeCharged::kType);
        e.schema = 1;
        e.data = std::string(value);
        if (auto decoded = events::voice::decode_did_event(e))
            if (const auto* fee = std::get_if<DidFeeCharged>(&*decoded)) out.push_back(*fee);
        return out.size() < limit;
    });
    return out;
}

}  // namespace switchyard::projections::voice
