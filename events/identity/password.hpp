#pragma once
/// Passwords of users (not of IPTV lines; see api/line_auth.hpp): the policy they must meet and
/// their storage as argon2id hashes (libsodium `crypto_pwhash_str`, RFC 9106).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace switchyard::events::identity {

/// The password policy. Defaults are the WiFight specification's (wifight-isp-plan-part2.md,
/// section 13.2): at least 8 characters with an upper-case letter, a lower-case letter, a digit
/// and a special character; none of the last 5 passwords again; expiry after 90 days.
struct PasswordPolicy {
    std::size_t min_length = 8;    ///< In code points.
    std::size_t max_length = 256;  ///< Bounds the hashing work an attacker can ask for.
    bool require_upper = true;     ///< An ASCII upper-case letter.
    bool require_lower = true;     ///< An ASCII lower-case letter.
    bool require_digit = true;     ///< 0-9.
    bool require_special = true;   ///< Any other printable character (punctuation, space, ...).
    int history = 5;               ///< A new password must differ from this many previous ones.
    std::chrono::seconds max_age = std::chrono::hours(24 * 90);  ///< 0 = never expires.
};

/// Checks `password` against the rules of `policy` that need no history (length and classes).
/// @errors Invalid naming `password`, with every rule it breaks in the message, e.g.
///         "must contain an upper-case letter and a digit". The password is never echoed.
core::Result<void> check_password_policy(const PasswordPolicy& policy, std::string_view password);

/// Cost of argon2id. Defaults: libsodium's INTERACTIVE limits (2 passes over 64 MiB, about
/// 0.1 s on one core here), its recommendation for online logins. Tests use `minimum()`.
struct PasswordHashCost {
    std::uint64_t opslimit = 2;
    std::size_t memlimit = 64u * 1024 * 1024;
    /// libsodium's lower bounds (1 pass over 8 KiB): for tests only.
    static PasswordHashCost minimum();
};

/// The argon2id hash of `password` with a random salt, in the PHC string format
/// (`$argon2id$v=19$m=65536,t=2,p=1$<salt>$<hash>`), which carries its own parameters.
/// @errors Internal when libsodium cannot allocate the memory.
core::Result<std::string> hash_password(std::string_view password,
                                        const PasswordHashCost& cost = {});

/// True when `password` matches `stored` (an argon2id PHC string); false for anything else.
bool verify_password(std::string_view stored, std::string_view password);

}  // namespace switchyard::events::identity
