#pragma once
/// `switchyard admin backup` and `switchyard admin restore` (app/backup/backup_archive.hpp).

#include <string>

namespace switchyard::app {

struct BackupCommandOptions {
    std::string data_dir = "./var";
    std::string output;           ///< The archive to write.
    std::string passphrase_file;  ///< Empty: not encrypted.
};
/// `admin backup`: writes a verified backup of `data_dir` (the server may be running) and
/// prints the manifest summary (files, bytes, digest, log head). Exit 1 on any error, with the
/// field and reason on stderr.
int run_admin_backup(const BackupCommandOptions& options);

struct RestoreCommandOptions {
    std::string input;            ///< The archive to read.
    std::string data_dir;         ///< A new or empty directory.
    std::string passphrase_file;  ///< Required for an encrypted archive.
};
/// `admin restore`: restores an archive into a new data directory, verifying every file and
/// database digest, and prints the manifest summary. Exit 1 on any error (a non-empty target, a
/// missing or wrong passphrase, a corrupted archive), naming what failed on stderr; nothing is
/// left in the target then.
int run_admin_restore(const RestoreCommandOptions& options);

}  // namespace switchyard::app
