#include "events/iptv/recording_codec.hpp"

#include "events/codec_kit.hpp"

namespace switchyard::events::iptv {

using namespace core::iptv;

namespace {

/// The payloads of the recording events (events/codec_kit.hpp).
struct Codec {
    static auto payload(As<RecordingScheduled>) {
        using E = RecordingScheduled;
        return fields(field("recording_id", &E::recording_id), field("stream_id", &E::stream_id),
                      field("start", &E::start), field("end", &E::end), field("title", &E::title),
                      field("channel_id", &E::channel_id));
    }
    static auto payload(As<RecordingStarted>) {
        return fields(field("recording_id", &RecordingStarted::recording_id));
    }
    static auto payload(As<RecordingCompleted>) {
        using E = RecordingCompleted;
        return fields(field("recording_id", &E::recording_id), field("file", &E::file),
                      field("size_bytes", &E::size_bytes), field("segments", &E::segments));
    }
    static auto payload(As<RecordingFailed>) {
        return fields(field("recording_id", &RecordingFailed::recording_id),
                      field("reason", &RecordingFailed::reason));
    }
    static auto payload(As<RecordingDeleted>) {
        return fields(field("recording_id", &RecordingDeleted::recording_id),
                      field("reason", &RecordingDeleted::reason));
    }
};

}  // namespace

EncodedEvent encode(const RecordingEvent& event) { return encode_as<Codec>(event); }
core::Result<RecordingEvent> decode_recording_event(const RecordedEvent& e) {
    return decode_as<Codec, RecordingEvent>(e);
}

}  // namespace switchyard::events::iptv
