#pragma once
/// Backups of a data directory: one archive file holding a consistent copy of the log, the read
/// models and the key files, compressed (zlib, RFC 1950) and optionally encrypted with a
/// passphrase (libsodium secretstream XChaCha20-Poly1305, key from Argon2id `crypto_pwhash`).
///
/// Archive layout (all integers big-endian):
///
/// | bytes | field |
/// |---|---|
/// | 8 | magic `SYBACKUP` |
/// | 1 | format version, 1 |
/// | 1 | flags: bit 0 set when encrypted |
/// | 4 | length N of the manifest |
/// | N | the manifest, JSON (`manifest_json`): readable without the passphrase |
/// | 32 | SHA-256 of the manifest |
/// | encrypted only: 16 | Argon2id salt |
/// | encrypted only: 8 + 8 | `crypto_pwhash` opslimit, memlimit (bytes) |
/// | encrypted only: 32 | key check: BLAKE2b-256 of the key under the context `switchyard-backup` |
/// | encrypted only: 24 | secretstream header |
/// | rest | the body |
///
/// The body is the zlib stream of the manifest's files, their bytes one after the other in
/// manifest order. Encrypted, that stream is cut into secretstream messages of at most 64 KiB,
/// each written as a 4-byte length and the ciphertext; the first message authenticates every
/// header byte before the secretstream header as additional data, the last carries TAG_FINAL.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace switchyard::app {

/// One file of a backup, by its path relative to the data directory.
struct BackupFile {
    std::string path;  ///< Relative, `/`-separated, e.g. `log/000012.sst`, `master.key`.
    std::uint64_t size_bytes = 0;
    std::string sha256;  ///< Lower-case hex.
};

/// What a backup holds; stored in clear at the head of the archive.
struct BackupManifest {
    int format = 1;
    std::string created;          ///< RFC 3339 UTC time the snapshot was taken.
    std::string log_head;         ///< Checkpoint of the log's head (`partition:next_offset,...`).
    std::int64_t log_events = 0;  ///< Events in the log.
    bool encrypted = false;
    std::vector<BackupFile> files;  ///< Sorted by path.
    /// `<database dir>/<column family>` (e.g. `log/log`, `readmodels/xtream_catalogue.v1`) ->
    /// content digest (app/backup/rocksdb_snapshot.hpp `rocksdb_digests`).
    std::map<std::string, std::string> databases;
    /// SHA-256 (hex) over the log head, every file (path, size, SHA-256) and every database
    /// digest: the one digest that names the backup's content.
    std::string digest;

    std::uint64_t total_bytes() const;
};

/// The manifest as JSON: `{"format", "created", "log_head", "log_events", "encrypted",
/// "digest", "files": [{"path", "size_bytes", "sha256"}], "databases": {name: digest}}`.
std::string manifest_json(const BackupManifest& manifest);
/// Reads `manifest_json` output. @errors Invalid naming `manifest` and the field at fault.
core::Result<BackupManifest> parse_manifest(std::string_view json);
/// The `digest` field computed from the other fields.
std::string content_digest(const BackupManifest& manifest);

struct BackupOptions {
    /// Encrypts with a key derived from it when not empty. Default: empty (not encrypted).
    std::string passphrase;
    /// Recorded as `created` (RFC 3339 UTC).
    std::string created;
    /// Directory for the snapshot and the verification restore. Default: the system temp dir.
    std::filesystem::path work_dir;
};

/// Backs up `data_dir` into the archive `output` (written to `output.tmp`, renamed when
/// complete): every RocksDB database in it is snapshotted (`snapshot_rocksdb`; the read models
/// before the log, so a restored read model is never ahead of its log), every other file copied
/// (skipped: RocksDB info logs, `*.tmp`, secondary-instance directories, anything under
/// `output`'s directory). The archive is then verified by restoring it into a temporary
/// directory and comparing every file and database digest with the manifest.
/// Safe while a server runs on `data_dir`.
/// @returns the manifest written.
/// @errors Invalid naming `data_dir` when it holds no log; Unavailable when a database cannot be
///         snapshotted or a file read or written; Internal when the verification fails.
core::Result<BackupManifest> create_backup(const std::filesystem::path& data_dir,
                                           const std::filesystem::path& output,
                                           const BackupOptions& options);

/// Restores the archive `input` into `data_dir`, which must be missing or empty, checking each
/// file's size and SHA-256 and each database's content digest against the manifest. On any
/// failure what was written is removed again.
/// @param passphrase required when the archive is encrypted; ignored otherwise.
/// @errors Conflict naming `data_dir` when it is not empty; Unauthorized naming `passphrase`
///         when the archive is encrypted and the passphrase is missing or wrong; Invalid naming
///         `archive` when it is not a backup or is corrupted (the message says which part failed:
///         the header, the manifest, a block, the compressed stream, a file or a database);
///         Unavailable when a file cannot be read or written.
core::Result<BackupManifest> restore_backup(const std::filesystem::path& input,
                                            const std::filesystem::path& data_dir,
                                            const std::string& passphrase);

/// Reads only the header and manifest of the archive `input` (no passphrase needed).
/// @errors Invalid naming `archive` when it is not a backup or its manifest is corrupted;
///         Unavailable when it cannot be read.
core::Result<BackupManifest> read_backup_manifest(const std::filesystem::path& input);

/// Reads a passphrase file: its text without the trailing line break.
/// @errors Invalid naming `passphrase_file` when it cannot be read or is empty.
core::Result<std::string> read_passphrase_file(const std::filesystem::path& path);

}  // namespace switchyard::app
