#include "events/iptv/stream_lifecycle_codec.hpp"

#include "events/codec_kit.hpp"

namespace switchyard::events::iptv {

using namespace core::iptv;

namespace {

/// The payloads of the lifecycle events (events/codec_kit.hpp).
struct Codec {
    static auto payload(As<StreamStarted>) {
        return fields(field("stream_id", &StreamStarted::stream_id),
                      field("pid", &StreamStarted::pid));
    }
    static auto payload(As<StreamStopped>) {
        return fields(field("stream_id", &StreamStopped::stream_id),
                      field("pid", &StreamStopped::pid), field("reason", &StreamStopped::reason));
    }
    static auto payload(As<StreamFailed>) {
        using E = StreamFailed;
        return fields(field("stream_id", &E::stream_id), field("pid", &E::pid),
                      field("reason", &E::reason), field("attempt", &E::attempt),
                      field("down", &E::down), field("next_retry", &E::next_retry));
    }
    static auto payload(As<StreamProbed>) {
        using E = StreamProbed;
        return fields(field("stream_id", &E::stream_id), field("pid", &E::pid),
                      field("format", &E::format), field("video_codec", &E::video_codec),
                      field("audio_codec", &E::audio_codec), field("width", &E::width),
                      field("height", &E::height), field("fps_milli", &E::fps_milli),
                      field("bitrate_bps", &E::bitrate_bps));
    }
};

}  // namespace

EncodedEvent encode(const StreamLifecycleEvent& event) { return encode_as<Codec>(event); }
core::Result<StreamLifecycleEvent> decode_stream_lifecycle_event(const RecordedEvent& e) {
    return decode_as<Codec, StreamLifecycleEvent>(e);
}

}  // namespace switchyard::events::iptv
