#pragma once
/// Scheduled backups: archive names in a backup directory, the listing, the retention, and the
/// `--backup-every` duration.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace switchyard::app {

/// The archive name of a backup taken at `t`: `switchyard-YYYYMMDDTHHMMSSmmmZ.backup` (UTC, with
/// milliseconds), so that names sort by time.
std::string backup_file_name(core::Timestamp t);

/// True for a name `backup_file_name` makes.
bool is_backup_file_name(std::string_view name);

/// One archive of a backup directory, as `GET /v1/admin/backups` lists it.
struct BackupEntry {
    std::string name;              ///< File name in the backup directory.
    std::uint64_t size_bytes = 0;  ///< Size of the archive file.
    std::string created;           ///< From the manifest (RFC 3339 UTC).
    std::string digest;            ///< The manifest's content digest.
    std::string log_head;          ///< The log head the backup holds.
    std::int64_t log_events = 0;
    bool encrypted = false;
    /// Empty for a readable archive; else why its manifest cannot be read (the other fields
    /// then stay empty).
    std::string problem;
};

/// The archives in `dir` named as `backup_file_name` makes them, newest first. A missing
/// directory lists nothing.
/// @errors Unavailable naming `backup_dir` when `dir` cannot be listed.
core::Result<std::vector<BackupEntry>> list_backups(const std::filesystem::path& dir);

/// Deletes the oldest archives of `dir` beyond the newest `keep` (only names that
/// `backup_file_name` makes; other files are left alone).
/// @returns the names deleted. @errors Unavailable naming `backup_dir` when one cannot be.
core::Result<std::vector<std::string>> prune_backups(const std::filesystem::path& dir, int keep);

/// Parses a duration: a positive integer with the unit `s`, `m`, `h` or `d` (`90s`, `15m`,
/// `6h`, `1d`). @errors Invalid naming `field` with the text when it is not one.
core::Result<std::chrono::seconds> parse_backup_interval(std::string_view text,
                                                         const std::string& field);

}  // namespace switchyard::app
