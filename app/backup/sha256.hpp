#pragma once
/// Streaming SHA-256 (FIPS 180-4, libsodium's `crypto_hash_sha256`) as lower-case hex.

#include <sodium.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace switchyard::app {

/// Feeds bytes in any number of calls; `hex` ends it.
class Sha256 {
  public:
    Sha256() { crypto_hash_sha256_init(&state_); }
    void update(std::string_view bytes) {
        crypto_hash_sha256_update(&state_, reinterpret_cast<const unsigned char*>(bytes.data()),
                                  bytes.size());
    }
    /// The digest as 64 lower-case hex digits; call once.
    std::string hex() {
        unsigned char out[crypto_hash_sha256_BYTES];
        crypto_hash_sha256_final(&state_, out);
        std::string text(2 * sizeof out + 1, '\0');
        sodium_bin2hex(text.data(), text.size(), out, sizeof out);
        text.pop_back();
        return text;
    }

  private:
    crypto_hash_sha256_state state_{};
};

}  // namespace switchyard::app
