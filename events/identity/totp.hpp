#pragma once
/// Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP), as authenticator apps compute
/// them, and the `otpauth://` URI they scan (Google Authenticator Key Uri Format).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace switchyard::events::identity {

/// HMAC of the TOTP computation. Authenticator apps default to SHA-1 (RFC 6238 section 1.2).
enum class TotpAlgorithm { Sha1, Sha256, Sha512 };

/// The parameters both sides agree on. Defaults: SHA-1, 30-second steps, 6 digits.
struct TotpParams {
    TotpAlgorithm algorithm = TotpAlgorithm::Sha1;
    std::int64_t step_seconds = 30;  ///< X in RFC 6238; T0 is the Unix epoch.
    int digits = 6;                  ///< 6 to 8.
};

/// The code for `secret` (raw key bytes) at `unix_seconds`: HOTP (RFC 4226 section 5.3,
/// dynamic truncation) over the counter floor(unix_seconds / step), zero-padded to `digits`.
std::string totp_code(std::string_view secret, std::int64_t unix_seconds,
                      const TotpParams& params = {});

/// Checks `code` against the steps `unix_seconds` falls in, one step earlier and one later
/// (RFC 6238 section 5.2 allows for that clock drift), comparing in constant time.
/// @returns the counter of the matching step, so that the caller can refuse a code whose step
///          was already used; none when the code matches no step or is not `digits` digits.
std::optional<std::int64_t> totp_match(std::string_view secret, std::string_view code,
                                       std::int64_t unix_seconds, const TotpParams& params = {});

/// RFC 4648 base32 (upper case, no padding): how otpauth URIs carry the secret.
std::string base32_encode(std::string_view bytes);
/// Decodes base32 (either case; padding and spaces ignored).
/// @errors Invalid naming `secret` for another character.
core::Result<std::string> base32_decode(std::string_view text);

/// `otpauth://totp/<issuer>:<account>?secret=<base32>&issuer=<issuer>&algorithm=SHA1&digits=6
/// &period=30`, with issuer and account percent-encoded.
std::string otpauth_uri(std::string_view issuer, std::string_view account, std::string_view secret,
                        const TotpParams& params = {});

}  // namespace switchyard::events::identity
