#include "events/platform/backup_codec.hpp"

#include "events/codec_kit.hpp"

namespace switchyard::events::platform {

using namespace core::platform;

namespace {

struct Codec {
    static auto payload(As<BackupCompleted>) {
        using E = BackupCompleted;
        return fields(field("file", &E::file), field("size_bytes", &E::size_bytes),
                      field("digest", &E::digest), field("log_head", &E::log_head),
                      field("files", &E::files), field("deleted", &E::deleted),
                      field("at", &E::at));
    }
    static auto payload(As<BackupFailed>) {
        using E = BackupFailed;
        return fields(field("file", &E::file), field("field", &E::field),
                      field("reason", &E::reason), field("at", &E::at));
    }
};

}  // namespace

EncodedEvent encode(const BackupEvent& event) { return encode_as<Codec>(event); }

core::Result<BackupEvent> decode_backup_event(const RecordedEvent& e) {
    return decode_as<Codec, BackupEvent>(e);
}

}  // namespace switchyard::events::platform
