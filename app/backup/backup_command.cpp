#include "app/backup/backup_command.hpp"

#include <cstdio>
#include <filesystem>

#include "app/backup/backup_archive.hpp"

namespace switchyard::app {

namespace fs = std::filesystem;

namespace {

int report(const core::Error& e) {
    std::fprintf(stderr, "error: %s: %s\n", e.field.c_str(), e.message.c_str());
    return 1;
}

void print_summary(const BackupManifest& m) {
    std::printf("created:   %s\n", m.created.c_str());
    std::printf("files:     %zu\n", m.files.size());
    std::printf("bytes:     %llu\n", static_cast<unsigned long long>(m.total_bytes()));
    std::printf("databases: %zu column families\n", m.databases.size());
    std::printf("log head:  %s (%lld events)\n", m.log_head.c_str(),
                static_cast<long long>(m.log_events));
    std::printf("encrypted: %s\n", m.encrypted ? "yes" : "no");
    std::printf("digest:    %s\n", m.digest.c_str());
}

}  // namespace

int run_admin_backup(const BackupCommandOptions& o) {
    BackupOptions options;
    if (!o.passphrase_file.empty()) {
        auto passphrase = read_passphrase_file(o.passphrase_file);
        if (!passphrase) return report(passphrase.error());
        options.passphrase = std::move(*passphrase);
    }
    if (o.output.empty())
        return report(core::Error{core::Errc::Invalid, "output", "give the archive to write"});
    std::error_code ec;
    if (fs::exists(o.output, ec))
        return report(core::Error{core::Errc::Conflict, "output",
                                  o.output + " exists: choose a new file name"});
    auto m = create_backup(o.data_dir, o.output, options);
    if (!m) return report(m.error());
    std::printf("backup:    %s (%llu bytes)\n", o.output.c_str(),
                static_cast<unsigned long long>(fs::file_size(o.output, ec)));
    print_summary(*m);
    std::printf(
        "verified:  restored into a temporary directory; every file and database "
        "digest matches\n");
    return 0;
}

int run_admin_restore(const RestoreCommandOptions& o) {
    std::string passphrase;
    if (!o.passphrase_file.empty()) {
        auto p = read_passphrase_file(o.passphrase_file);
        if (!p) return report(p.error());
        passphrase = std::move(*p);
    }
    auto m = restore_backup(o.input, o.data_dir, passphrase);
    if (!m) return report(m.error());
    std::printf("restored:  %s into %s\n", o.input.c_str(), o.data_dir.c_str());
    print_summary(*m);
    std::printf("verified:  every file and database digest matches the manifest\n");
    return 0;
}

}  // namespace switchyard::app
