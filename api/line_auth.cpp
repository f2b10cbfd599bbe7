#include "api/line_auth.hpp"

#include <sodium.h>

namespace switchyard::api {

std::string line_password_hash(std::string_view secret, std::string_view password) {
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()),
                                secret.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(password.data()),
                                  password.size());
    crypto_auth_hmacsha256_final(&st, mac);
    char hex[sizeof mac * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    return hex;
}

bool line_password_matches(std::string_view secret, std::string_view password,
                           std::string_view stored_hash) {
    const auto computed = line_password_hash(secret, password);
    return computed.size() == stored_hash.size() &&
           sodium_memcmp(computed.data(), stored_hash.data(), computed.size()) == 0;
}

}  // namespace switchyard::api
