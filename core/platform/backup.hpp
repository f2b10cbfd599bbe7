#pragma once
/// Events of scheduled backups (`switchyard serve --backup-dir`): the outcome of each run.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "core/time.hpp"

namespace switchyard::core::platform {

/// A scheduled backup was written and verified (restored into a temporary directory, every
/// digest equal). @source schemas/events/platform/platform.backup.completed.v1.json
struct BackupCompleted {
    static constexpr std::string_view kType = "platform.backup.completed";
    std::string file;             ///< Archive name in the backup directory.
    std::int64_t size_bytes = 0;  ///< Size of the archive.
    std::string digest;           ///< The manifest's content digest (hex SHA-256).
    std::string log_head;         ///< The log checkpoint the backup holds.
    std::int64_t files = 0;       ///< Files in the archive.
    std::int64_t deleted = 0;     ///< Older archives deleted by the retention (`--backup-keep`).
    Timestamp at{};               ///< When the snapshot was taken.
};

/// A scheduled backup failed; nothing was kept of it.
/// @source schemas/events/platform/platform.backup.failed.v1.json
struct BackupFailed {
    static constexpr std::string_view kType = "platform.backup.failed";
    std::string file;    ///< Archive name it would have had.
    std::string field;   ///< What failed (`data_dir`, `archive`, `file`, `backup_dir`, ...).
    std::string reason;  ///< The error message.
    Timestamp at{};
};

using BackupEvent = std::variant<BackupCompleted, BackupFailed>;

}  // namespace switchyard::core::platform
