#pragma once
/// Files of a data directory: `log/` (the embedded log), `readmodels/`, `server.secret` (32 random
/// bytes, mode 0600, keys the line password hashes), `admin.key` (the bootstrap API key, 0600).

#include <filesystem>
#include <string>

#include "core/result.hpp"

namespace switchyard::app {

/// Reads `path`, creating it first with `size` random bytes and mode 0600 when missing.
/// @errors Unavailable when the file cannot be read or written.
core::Result<std::string> load_or_create_secret(const std::filesystem::path& path,
                                                std::size_t size);

/// Writes `text` to `path` with mode 0600 (atomically: temp file, then rename).
core::Result<void> write_private_file(const std::filesystem::path& path, const std::string& text);

/// Reads a whole file. @errors Unavailable when it cannot be read.
core::Result<std::string> read_file(const std::filesystem::path& path);

}  // namespace switchyard::app
