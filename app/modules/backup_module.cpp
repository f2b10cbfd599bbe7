#include "app/modules/backup_module.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "app/backup/backup_archive.hpp"
#include "app/backup/backup_command.hpp"
#include "app/backup/backup_schedule.hpp"
#include "app/backup/rocksdb_snapshot.hpp"
#include "events/command_handler.hpp"
#include "events/platform/backup_codec.hpp"

namespace switchyard::app {

namespace fs = std::filesystem;
using core::Errc;

BackupModule::~BackupModule() { stop(); }

void BackupModule::add_serve_options(CLI::App& serve) {
    serve.add_option("--backup-dir", options.dir,
                     "Write scheduled backups (verified archives) into this directory");
    serve
        .add_option("--backup-every", options.every,
                    "Interval of scheduled backups: 90s, 15m, 6h, 1d")
        ->capture_default_str();
    serve.add_option("--backup-keep", options.keep, "Scheduled backups kept (the newest)")
        ->capture_default_str();
    serve.add_option("--backup-passphrase-file", options.passphrase_file,
                     "Encrypt scheduled backups with the passphrase in this file");
}

void BackupModule::add_subcommands(CLI::App& app, std::vector<Subcommand>& out) {
    CLI::App* admin = nullptr;
    try {
        admin = app.get_subcommand("admin");
    } catch (const CLI::OptionNotFound&) {
        admin = app.add_subcommand("admin", "Maintenance of a data directory");
        admin->require_subcommand(1);
    }
    auto backup = std::make_shared<BackupCommandOptions>();
    auto* backup_cmd = admin->add_subcommand(
        "backup",
        "Write a verified backup of a data directory (log, read models, keys) into one archive; "
        "the server may be running");
    backup_cmd->add_option("--data-dir", backup->data_dir, "Data directory")->capture_default_str();
    backup_cmd->add_option("--output", backup->output, "Archive to write")->required();
    backup_cmd->add_option("--passphrase-file", backup->passphrase_file,
                           "Encrypt with the passphrase in this file");
    out.push_back({backup_cmd, [backup] { return run_admin_backup(*backup); }});

    auto restore = std::make_shared<RestoreCommandOptions>();
    auto* restore_cmd = admin->add_subcommand(
        "restore", "Restore an archive of `admin backup` into a new data directory");
    restore_cmd->add_option("--input", restore->input, "Archive to read")->required();
    restore_cmd->add_option("--data-dir", restore->data_dir, "New (or empty) data directory")
        ->required();
    restore_cmd->add_option("--passphrase-file", restore->passphrase_file,
                            "The passphrase of an encrypted archive");
    out.push_back({restore_cmd, [restore] { return run_admin_restore(*restore); }});
}

core::Result<void> BackupModule::start(ModuleHost& host) {
    host_ = &host;
    if (options.dir.empty()) return {};
    every_ = SY_TRY(parse_backup_interval(options.every, "backup_every"));
    if (options.keep < 1)
        return core::fail(Errc::Invalid, "backup_keep",
                          fmt::format("keep at least 1 backup, got {}", options.keep));
    if (!options.passphrase_file.empty())
        passphrase_ = SY_TRY(read_passphrase_file(options.passphrase_file));
    if (host.data_dir.empty() || !is_rocksdb_dir(host.data_dir / "log"))
        return core::fail(Errc::Invalid, "backup_dir",
                          "scheduled backups need the embedded log in --data-dir");
    std::error_code ec;
    fs::create_directories(options.dir, ec);
    if (ec)
        return core::fail(Errc::Unavailable, "backup_dir",
                          fmt::format("cannot create {}: {}", options.dir, ec.message()));
    return {};
}

void BackupModule::add_routes(api::Router& router) {
    api_ = std::make_unique<api::BackupsApi>(
        api::BackupsApi{host_->api, options.dir, every_.count(), options.keep, {}});
    if (!options.dir.empty()) {
        api_->list =
            [dir = fs::path(options.dir)]() -> core::Result<std::vector<api::BackupListing>> {
            std::vector<api::BackupListing> out;
            for (auto& e : SY_TRY(list_backups(dir)))
                out.push_back(api::BackupListing{e.name, e.size_bytes, e.created, e.digest,
                                                 e.log_head, e.log_events, e.encrypted, e.problem});
            return out;
        };
    }
    api::add_backup_routes(router, *api_);
}

core::Result<core::platform::BackupEvent> BackupModule::run_once() {
    const auto now = host_->clock.now();
    const auto name = backup_file_name(now);
    const fs::path dir = options.dir;
    BackupOptions backup;
    backup.passphrase = passphrase_;
    backup.created = core::format_rfc3339(now);
    core::platform::BackupEvent event;
    auto written = create_backup(host_->data_dir, dir / name, backup);
    if (written) {
        std::error_code ec;
        core::platform::BackupCompleted done;
        done.file = name;
        done.size_bytes = static_cast<std::int64_t>(fs::file_size(dir / name, ec));
        done.digest = written->digest;
        done.log_head = written->log_head;
        done.files = static_cast<std::int64_t>(written->files.size());
        done.at = now;
        auto pruned = prune_backups(dir, options.keep);
        if (pruned) {
            done.deleted = static_cast<std::int64_t>(pruned->size());
            event = done;
        } else {
            event = core::platform::BackupFailed{
                name, pruned.error().field,
                "written, but the retention failed: " + pruned.error().message, now};
        }
    } else {
        event =
            core::platform::BackupFailed{name, written.error().field, written.error().message, now};
    }
    core::DecisionContext ctx;
    ctx.now = now;
    ctx.actor = core::Actor{core::ActorKind::System, "backup", ""};
    ctx.correlation_id = "backup-" + name.substr(0, name.find('.'));
    events::StreamWrite write{
        ctx.correlation_id,
        events::ExpectedRevision::no_stream(),
        {events::make_new_event(events::platform::encode(event), ctx, host_->tenant)}};
    std::vector<events::StreamWrite> writes;
    writes.push_back(std::move(write));
    SY_TRY(host_->store.append(std::move(writes)));
    return event;
}

core::Result<void> BackupModule::start_workers(ModuleHost&) {
    if (options.dir.empty()) return {};
    worker_ = std::thread([this] {
        std::unique_lock lock(mutex_);
        while (!stopping_) {
            if (wake_.wait_for(lock, every_, [this] { return stopping_; })) break;
            lock.unlock();
            auto outcome = run_once();
            if (!outcome)
                spdlog::error("backup: cannot record the outcome: {}", outcome.error().message);
            else if (auto* failed = std::get_if<core::platform::BackupFailed>(&*outcome))
                spdlog::error("backup {} failed: {}: {}", failed->file, failed->field,
                              failed->reason);
            else
                spdlog::info("backup {} written",
                             std::get<core::platform::BackupCompleted>(*outcome).file);
            lock.lock();
        }
    });
    return {};
}

void BackupModule::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (worker_.joinable()) worker_.join();
}

}  // namespace switchyard::app
