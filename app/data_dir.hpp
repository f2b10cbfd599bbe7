#pragma once
/// Files of a data directory: `log/` (the embedded log), `readmodels/`, `server.secret` (32 random
/// bytes, mode 0600, keys the line password hashes), `admin.key` (the bootstrap API key, 0600).
/// Every directory in it is 0700 and every file 0600: the log holds argon2 hashes and sealed
/// seeds that other local users have no business reading.

#include <filesystem>
#include <string>

#include "core/result.hpp"

namespace switchyard::app {

/// Makes `dir` private before anything is written to it: sets the process umask to 077 (so that
/// RocksDB and every later file is created 0600, every directory 0700), creates `dir` when
/// missing, refuses a tree that others could have written, then narrows what is left of looser
/// modes (0755 -> 0700, 0644 -> 0600).
/// @errors Unavailable naming `data_dir` with the path when `dir` or a directory under it is
/// group- or world-writable, is owned by another user, or cannot be created, read or changed.
core::Result<void> secure_data_dir(const std::filesystem::path& dir);

/// Reads `path`, creating it first with `size` random bytes and mode 0600 when missing.
/// @errors Unavailable when the file cannot be read or written.
core::Result<std::string> load_or_create_secret(const std::filesystem::path& path,
                                                std::size_t size);

/// Writes `text` to `path` with mode 0600 (atomically: temp file, then rename).
core::Result<void> write_private_file(const std::filesystem::path& path, const std::string& text);

/// Reads a whole file. @errors Unavailable when it cannot be read.
core::Result<std::string> read_file(const std::filesystem::path& path);

}  // namespace switchyard::app
