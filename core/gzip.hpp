#pragma once
/// gzip streams (RFC 1952) with zlib: guides sent or published compressed, and answers for
/// players that accept gzip.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace switchyard::core {

/// Whether `data` starts with the gzip magic bytes (1f 8b).
bool is_gzip(std::string_view data) noexcept;

/// The inflated content of a gzip stream (concatenated members too); nullopt when it is not
/// valid gzip or inflates beyond `max_bytes`.
std::optional<std::string> gunzip(std::string_view data, std::size_t max_bytes);

/// `data` as one gzip member (default compression level).
std::string gzip(std::string_view data);

}  // namespace switchyard::core
