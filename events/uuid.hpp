#pragma once
/// Event ids: UUID version 7 (RFC 9562 section 5.7): 48-bit Unix milliseconds, then random bits,
/// so ids sort by creation time.

#include <string>
#include <string_view>

#include "core/time.hpp"

namespace switchyard::events {

/// A new UUIDv7 in canonical 8-4-4-4-12 lower-case hex, timed at `now`; randomness from libsodium.
std::string new_uuid_v7(core::Timestamp now);

/// `n` random bytes encoded as URL-safe base64 without padding (libsodium randombytes).
std::string random_token(std::size_t n);

/// Lower-case hex SHA-256 of `text` (libsodium): how API keys are stored and looked up.
std::string sha256_hex(std::string_view text);

}  // namespace switchyard::events
