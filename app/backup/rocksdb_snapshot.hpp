#pragma once
/// Consistent copies and digests of the RocksDB databases of a data directory (the log,
/// the read models). RocksDB stays inside the .cpp.

#include <filesystem>
#include <map>
#include <string>

#include "core/result.hpp"

namespace switchyard::app {

/// True when `dir` holds a RocksDB database (it has a `CURRENT` file).
bool is_rocksdb_dir(const std::filesystem::path& dir);

/// Copies the database in `db` to `out` (which must not exist) as it stands at one moment.
/// With no other process using `db`: a `rocksdb::Checkpoint` (memtables flushed first, table
/// files hard-linked when on the same file system). While a server holds it open (its lock is
/// taken): a RocksDB secondary instance catches up with the server's log and MANIFEST and every
/// column family is copied key by key into a new database in `out`, so the copy holds the
/// same keys and values as `db` did at that moment.
/// @errors Unavailable naming `data_dir` when `db` can be opened neither way or `out` cannot
///         be written.
core::Result<void> snapshot_rocksdb(const std::filesystem::path& db,
                                    const std::filesystem::path& out);

/// The content of a database, per column family: name -> lower-case hex SHA-256 over every
/// key and value in key order (each as a 4-byte big-endian length and its bytes). Equal
/// digests mean equal contents, whatever the table files look like. Opens `db` read-only.
/// @errors Unavailable naming `data_dir` when it cannot be opened.
core::Result<std::map<std::string, std::string>> rocksdb_digests(const std::filesystem::path& db);

}  // namespace switchyard::app
