#pragma once
/// JSON payloads of the backup events (schemas/events/platform/platform.backup.*.v1.json).

#include "core/platform/backup.hpp"
#include "core/result.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::platform {

EncodedEvent encode(const core::platform::BackupEvent& event);
/// @errors Invalid for another type or a malformed payload.
core::Result<core::platform::BackupEvent> decode_backup_event(const RecordedEvent& event);

}  // namespace switchyard::events::platform
