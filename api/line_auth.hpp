#pragma once
/// Line passwords. Xtream players send the line password on every request (`player_api.php`,
/// `get.php`, `/live/...`), so a deliberately slow hash (argon2id) per request would cap the
/// player API at a few hundred requests per second per core. Line passwords are generated or
/// checked to be URL-safe tokens, so they are stored as a keyed hash instead:
/// HMAC-SHA-256 under a server secret that never leaves the data directory. A stolen log or read
/// model then reveals nothing usable without the secret, and a check costs about a microsecond.

#include <string>
#include <string_view>

namespace switchyard::api {

/// Lower-case hex HMAC-SHA-256 (RFC 2104, libsodium `crypto_auth_hmacsha256`) of `password`
/// under `secret` (32 bytes).
std::string line_password_hash(std::string_view secret, std::string_view password);

/// Compares `password` with a stored hash in constant time (libsodium `sodium_memcmp`).
bool line_password_matches(std::string_view secret, std::string_view password,
                           std::string_view stored_hash);

}  // namespace switchyard::api
