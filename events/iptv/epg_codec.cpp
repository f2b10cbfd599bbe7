#include "events/iptv/epg_codec.hpp"

#include "events/codec_kit.hpp"

namespace switchyard::events::iptv {

using namespace core::iptv;

namespace {

constexpr auto kProgramme = fields(
    field("start", &EpgProgramme::start), field("stop", &EpgProgramme::stop),
    field("title", &EpgProgramme::title), optional_field("sub_title", &EpgProgramme::sub_title),
    optional_field("desc", &EpgProgramme::desc),
    optional_field("categories", &EpgProgramme::categories),
    optional_field("episode_num", &EpgProgramme::episode_num),
    optional_field("icon", &EpgProgramme::icon), optional_field("lang", &EpgProgramme::lang));

struct Codec {
    static auto payload(As<ChannelGuideReplaced>) {
        using E = ChannelGuideReplaced;
        return fields(field("source", &E::source), field("priority", &E::priority),
                      field("channel_id", &E::channel_id),
                      field("display_names", &E::display_names), field("icon", &E::icon),
                      field("window_start", &E::window_start), field("window_end", &E::window_end),
                      objects("programmes", &E::programmes, kProgramme));
    }
    static auto payload(As<EpgImported>) {
        using E = EpgImported;
        return fields(field("source", &E::source), field("priority", &E::priority),
                      field("channels", &E::channels), field("programmes", &E::programmes),
                      field("changed", &E::changed), field("unchanged", &E::unchanged),
                      field("invalid", &E::invalid));
    }
    static auto payload(As<ProgrammeSaved>) {
        return fields(field("source", &ProgrammeSaved::source),
                      field("channel_id", &ProgrammeSaved::channel_id),
                      flat(&ProgrammeSaved::programme, kProgramme));
    }
    static auto payload(As<ProgrammeDeleted>) {
        return fields(field("source", &ProgrammeDeleted::source),
                      field("channel_id", &ProgrammeDeleted::channel_id),
                      field("start", &ProgrammeDeleted::start));
    }
    static auto payload(As<EpgMappingSet>) {
        return fields(field("stream_id", &EpgMappingSet::stream_id),
                      field("channel_id", &EpgMappingSet::channel_id));
    }
};

}  // namespace

EncodedEvent encode(const EpgEvent& event) { return encode_as<Codec>(event); }
core::Result<EpgEvent> decode_epg_event(const RecordedEvent& e) {
    return decode_as<Codec, EpgEvent>(e);
}

}  // namespace switchyard::events::iptv
