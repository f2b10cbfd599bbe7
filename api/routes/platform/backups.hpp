#pragma once
/// `GET /v1/admin/backups`: the archives of the scheduled-backup directory
/// (`switchyard serve --backup-dir`), read by the composition root (app/backup).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "api/api_context.hpp"
#include "api/router.hpp"
#include "core/result.hpp"

namespace switchyard::api {

/// One archive as the route lists it.
struct BackupListing {
    std::string name;              ///< File name in the backup directory.
    std::uint64_t size_bytes = 0;  ///< Size of the archive file.
    std::string created;           ///< RFC 3339 UTC, from the manifest.
    std::string digest;            ///< The manifest's content digest (hex SHA-256).
    std::string log_head;          ///< The log checkpoint the backup holds.
    std::int64_t log_events = 0;
    bool encrypted = false;
    std::string problem;  ///< Why the manifest cannot be read; empty when it can.
};

/// The state of the backup routes.
struct BackupsApi {
    ApiContext& ctx;
    std::string backup_dir;  ///< Empty when scheduled backups are off.
    std::int64_t every_s = 0;
    int keep = 0;
    /// The archives of `backup_dir`, newest first. @errors Unavailable when it cannot be listed.
    std::function<core::Result<std::vector<BackupListing>>()> list;
};

/// Adds `GET /v1/admin/backups` (admin role): `{"backup_dir", "every_s", "keep", "backups":
/// [{"name", "size_bytes", "created", "digest", "log_head", "log_events", "encrypted",
/// "problem"?}]}`, newest first; `backup_dir` null and no backups when they are off.
void add_backup_routes(Router& router, BackupsApi& api);

}  // namespace switchyard::api
