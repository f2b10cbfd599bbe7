#pragma once
/// Backups of the data directory (issue 15 item 9): `switchyard admin backup` and `admin
/// restore`, scheduled backups in `serve` (`--backup-dir`, `--backup-every`, `--backup-keep`)
/// recorded as `platform.backup.completed` / `platform.backup.failed`, and
/// `GET /v1/admin/backups` (app/backup, api/routes/platform/backups.hpp).

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "api/routes/platform/backups.hpp"
#include "app/modules/module.hpp"
#include "core/platform/backup.hpp"

namespace switchyard::app {

/// `switchyard serve` options of the scheduled backups.
struct ScheduledBackupOptions {
    std::string dir;           ///< Where archives go; empty: no scheduled backups.
    std::string every = "1d";  ///< Interval: `90s`, `15m`, `6h`, `1d`. Default: 1d.
    int keep = 7;              ///< Archives kept (the newest); older ones are deleted. Default: 7.
    std::string passphrase_file;  ///< Encrypts the archives when set. Default: empty.
};

class BackupModule final : public Module {
  public:
    ~BackupModule() override;
    std::string name() const override { return "platform"; }
    void add_serve_options(CLI::App& serve) override;
    /// `switchyard admin backup`, `switchyard admin restore` (under the `admin` command).
    void add_subcommands(CLI::App& app, std::vector<Subcommand>& out) override;
    /// Checks the options. @errors Invalid naming `backup_every`, `backup_keep` or
    /// `passphrase_file`; Invalid naming `backup_dir` when there is no embedded log to back up.
    core::Result<void> start(ModuleHost& host) override;
    void add_routes(api::Router& router) override;
    /// Starts the worker: one backup every `every`, the first one `every` after start.
    core::Result<void> start_workers(ModuleHost& host) override;
    void stop() override;

    /// Takes one scheduled backup now: writes and verifies the archive, deletes the oldest
    /// beyond `keep`, appends the outcome event. @returns the event appended.
    /// @errors the store's append errors (the backup's own failure is a BackupFailed event).
    /// @pre `start` succeeded and `options.dir` is set.
    core::Result<core::platform::BackupEvent> run_once();

    ScheduledBackupOptions options;

  private:
    ModuleHost* host_ = nullptr;
    std::chrono::seconds every_{};
    std::string passphrase_;
    std::unique_ptr<api::BackupsApi> api_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread worker_;
};

}  // namespace switchyard::app
