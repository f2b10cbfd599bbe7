#include "events/identity/password.hpp"

#include <sodium.h>

#include <vector>

#include <fmt/format.h>

#include "core/text.hpp"

namespace switchyard::events::identity {

core::Result<void> check_password_policy(const PasswordPolicy& policy, std::string_view password) {
    if (!core::is_valid_utf8(password))
        return core::fail(core::Errc::Invalid, "password", "must be UTF-8 text");
    std::size_t code_points = 0;
    bool upper = false, lower = false, digit = false, special = false;
    for (unsigned char c : password) {
        if ((c & 0xc0) != 0x80) ++code_points;
        if (c >= 'A' && c <= 'Z')
            upper = true;
        else if (c >= 'a' && c <= 'z')
            lower = true;
        else if (c >= '0' && c <= '9')
            digit = true;
        else if (c >= 0x20 && c != 0x7f)
            special = true;  // punctuation, space, or any non-ASCII character
    }
    std::vector<std::string> broken;
    if (code_points < policy.min_length)
        broken.push_back(fmt::format("be at least {} characters long", policy.min_length));
    if (code_points > policy.max_length)
        broken.push_back(fmt::format("be at most {} characters long", policy.max_length));
    if (policy.require_upper && !upper) broken.emplace_back("contain an upper-case letter");
    if (policy.require_lower && !lower) broken.emplace_back("contain a lower-case letter");
    if (policy.require_digit && !digit) broken.emplace_back("contain a digit");
    if (policy.require_special && !special) broken.emplace_back("contain a special character");
    if (broken.empty()) return {};
    std::string message = "must ";
    for (std::size_t i = 0; i < broken.size(); ++i) {
        if (i > 0) message += i + 1 == broken.size() ? " and " : ", ";
        message += broken[i];
    }
    return core::fail(core::Errc::Invalid, "password", message);
}

PasswordHashCost PasswordHashCost::minimum() {
    return PasswordHashCost{crypto_pwhash_argon2id_OPSLIMIT_MIN,
                            crypto_pwhash_argon2id_MEMLIMIT_MIN};
}

core::Result<std::string> hash_password(std::string_view password, const PasswordHashCost& cost) {
    if (sodium_init() < 0) return core::fail(core::Errc::Internal, "password", "libsodium init");
    std::string out(crypto_pwhash_STRBYTES, '\0');
    if (crypto_pwhash_argon2id_str(out.data(), password.data(), password.size(), cost.opslimit,
                                   cost.memlimit) != 0) {
        return core::fail(core::Errc::Internal, "password", "argon2id ran out of memory");
    }
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

bool verify_password(std::string_view stored, std::string_view password) {
    if (sodium_init() < 0) return false;
    if (stored.size() >= crypto_pwhash_STRBYTES || !stored.starts_with("$argon2id$")) return false;
    std::string terminated(stored);
    return crypto_pwhash_argon2id_str_verify(terminated.c_str(), password.data(),
                                             password.size()) == 0;
}

}  // namespace switchyard::events::identity
