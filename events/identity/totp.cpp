#include "events/identity/totp.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <array>
#include <cctype>

#include <fmt/format.h>

namespace switchyard::events::identity {

namespace {

const EVP_MD* digest_of(TotpAlgorithm a) {
    switch (a) {
        case TotpAlgorithm::Sha256:
            return EVP_sha256();
        case TotpAlgorithm::Sha512:
            return EVP_sha512();
        case TotpAlgorithm::Sha1:
            break;
    }
    return EVP_sha1();
}

const char* name_of(TotpAlgorithm a) {
    switch (a) {
        case TotpAlgorithm::Sha256:
            return "SHA256";
        case TotpAlgorithm::Sha512:
            return "SHA512";
        case TotpAlgorithm::Sha1:
            break;
    }
    return "SHA1";
}

/// HOTP value of one counter (RFC 4226 section 5.3).
std::string hotp(std::string_view secret, std::uint64_t counter, const TotpParams& p) {
    std::array<unsigned char, 8> message{};
    for (int i = 7; i >= 0; --i) {
        message[static_cast<std::size_t>(i)] = static_cast<unsigned char>(counter & 0xff);
        counter >>= 8;
    }
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int mac_len = 0;
    HMAC(digest_of(p.algorithm), secret.data(), static_cast<int>(secret.size()), message.data(),
         message.size(), mac.data(), &mac_len);
    const unsigned offset = mac[mac_len - 1] & 0x0f;
    const std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7f) << 24) |
                                 (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                                 (static_cast<std::uint32_t>(mac[offset + 2]) << 8) |
                                 static_cast<std::uint32_t>(mac[offset + 3]);
    std::uint32_t modulus = 1;
    for (int i = 0; i < p.digits; ++i) modulus *= 10;
    return fmt::format("{:0{}}", binary % modulus, p.digits);
}

std::string percent_encode(std::string_view text) {
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '@')
            out += static_cast<char>(c);
        else
            out += fmt::format("%{:02X}", c);
    }
    return out;
}

constexpr std::string_view kBase32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

}  // namespace

std::string totp_code(std::string_view secret, std::int64_t unix_seconds,
                      const TotpParams& params) {
    return hotp(secret, static_cast<std::uint64_t>(unix_seconds / params.step_seconds), params);
}

std::optional<std::int64_t> totp_match(std::string_view secret, std::string_view code,
                                       std::int64_t unix_seconds, const TotpParams& params) {
    if (code.size() != static_cast<std::size_t>(params.digits)) return std::nullopt;
    const std::int64_t now_step = unix_seconds / params.step_seconds;
    std::optional<std::int64_t> found;
    for (std::int64_t step = now_step - 1; step <= now_step + 1; ++step) {
        if (step < 0) continue;
        const auto expected = hotp(secret, static_cast<std::uint64_t>(step), params);
        // Every candidate is compared (no early exit), each in constant time.
        if (sodium_memcmp(expected.data(), code.data(), code.size()) == 0 && !found) found = step;
    }
    return found;
}

std::string base32_encode(std::string_view bytes) {
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (unsigned char c : bytes) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 5) {
            out += kBase32[(buffer >> (bits - 5)) & 0x1f];
            bits -= 5;
        }
    }
    if (bits > 0) out += kBase32[(buffer << (5 - bits)) & 0x1f];
    return out;
}

core::Result<std::string> base32_decode(std::string_view text) {
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char raw : text) {
        if (raw == '=' || raw == ' ') continue;
        const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(raw)));
        const auto v = kBase32.find(c);
        if (v == std::string_view::npos)
            return core::fail(core::Errc::Invalid, "secret",
                              fmt::format("'{}' is not a base32 character", raw));
        buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
        bits += 5;
        if (bits >= 8) {
            out += static_cast<char>((buffer >> (bits - 8)) & 0xff);
            bits -= 8;
        }
    }
    return out;
}

std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view secret,
                        const TotpParams& params) {
    return fmt::format("otpauth://totp/{}:{}?secret={}&issuer={}&algorithm={}&digits={}&period={}",
                       percent_encode(issuer), percent_encode(account), base32_encode(secret),
                       percent_encode(issuer), name_of(params.algorithm), params.digits,
                       params.step_seconds);
}

}  // namespace switchyard::events::identity
