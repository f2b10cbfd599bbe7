// TOTP against the RFC 6238 Appendix B vectors; the password policy and argon2id storage.
#include <doctest/doctest.h>

#include <string>

#include "events/identity/password.hpp"
#include "events/identity/totp.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard::events::identity;
using switchyard::testing::error_of;

namespace {

struct Vector {
    std::int64_t time;
    const char* sha1;
    const char* sha256;
    const char* sha512;
};

// RFC 6238 Appendix B: 8 digits, 30 s steps, the ASCII seeds below.
constexpr Vector kRfc6238[] = {
    {59, "94287082", "46119246", "90693936"},
    {1111111109, "07081804", "68084774", "25091201"},
    {1111111111, "14050471", "67062674", "99943326"},
    {1234567890, "89005924", "91819424", "93441116"},
    {2000000000, "69279037", "90698825", "38618901"},
    {20000000000, "65353130", "77737706", "47863826"},
};
const std::string kSeed1 = "12345678901234567890";
const std::string kSeed256 = "12345678901234567890123456789012";
const std::string kSeed512 = "1234567890123456789012345678901234567890123456789012345678901234";

}  // namespace

TEST_CASE("TOTP codes equal the RFC 6238 Appendix B vectors for SHA-1, SHA-256 and SHA-512") {
    for (const auto& v : kRfc6238) {
        CAPTURE(v.time);
        CHECK(totp_code(kSeed1, v.time, {TotpAlgorithm::Sha1, 30, 8}) == v.sha1);
        CHECK(totp_code(kSeed256, v.time, {TotpAlgorithm::Sha256, 30, 8}) == v.sha256);
        CHECK(totp_code(kSeed512, v.time, {TotpAlgorithm::Sha512, 30, 8}) == v.sha512);
        // The 6-digit code an authenticator shows is the last 6 digits of the same value.
        CHECK(totp_code(kSeed1, v.time) == std::string(v.sha1).substr(2));
    }
}

TEST_CASE("a TOTP code matches its step and one step of drift either way, nothing further") {
    const std::int64_t now = 1111111111;  // step 37037037
    const auto step = now / 30;
    CHECK(totp_match(kSeed1, totp_code(kSeed1, now), now) == step);
    CHECK(totp_match(kSeed1, totp_code(kSeed1, now - 30), now) == step - 1);
    CHECK(totp_match(kSeed1, totp_code(kSeed1, now + 30), now) == step + 1);
    CHECK_FALSE(totp_match(kSeed1, totp_code(kSeed1, now - 60), now));
    CHECK_FALSE(totp_match(kSeed1, totp_code(kSeed1, now + 60), now));
    CHECK_FALSE(totp_match(kSeed1, "12345", now));   // wrong length
    CHECK_FALSE(totp_match(kSeed1, "abcdef", now));  // not a code
    CHECK_FALSE(totp_match("another secret", totp_code(kSeed1, now), now));
}

TEST_CASE("base32 round-trips (RFC 4648 section 10 vectors) and otpauth URIs carry it") {
    CHECK(base32_encode("f") == "MY");
    CHECK(base32_encode("fo") == "MZXQ");
    CHECK(base32_encode("foo") == "MZXW6");
    CHECK(base32_encode("foob") == "MZXW6YQ");
    CHECK(base32_encode("fooba") == "MZXW6YTB");
    CHECK(base32_encode("foobar") == "MZXW6YTBOI");
    CHECK(base32_decode("mzxw6ytboi======").value() == "foobar");
    CHECK(base32_decode(base32_encode(kSeed512)).value() == kSeed512);
    auto bad = base32_decode("MZX1");
    REQUIRE_FALSE(bad);
    CHECK(bad.error().field == "secret");
    CHECK(otpauth_uri("Switchyard ISP", "alice@example.com", kSeed1) ==
          "otpauth://totp/Switchyard%20ISP:alice@example.com?secret="
          "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Switchyard%20ISP&algorithm=SHA1&digits=6"
          "&period=30");
}

TEST_CASE("the password policy names every rule a password breaks") {
    const PasswordPolicy policy;
    CHECK(check_password_policy(policy, "Corr3ct-Horse"));
    CHECK(check_password_policy(policy, "Ünïcødé9A"));  // non-ASCII counts as special
    auto r = check_password_policy(policy, "short");
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "password");
    CHECK(r.error().message ==
          "must be at least 8 characters long, contain an upper-case letter, contain a digit and "
          "contain a special character");
    CHECK(error_of(check_password_policy(policy, "alllowercase1!")).message ==
          "must contain an upper-case letter");
    CHECK(error_of(check_password_policy(policy, "NoDigitsHere!")).message ==
          "must contain a digit");
    CHECK(error_of(check_password_policy(policy, "NoSpecial123")).message ==
          "must contain a special character");
    CHECK_FALSE(check_password_policy(policy, std::string("Aa1!\xff\xfe", 6)));  // not UTF-8
    PasswordPolicy relaxed;
    relaxed.require_special = false;
    relaxed.min_length = 4;
    CHECK(check_password_policy(relaxed, "Ab12"));
    // The message never contains the password.
    CHECK(error_of(check_password_policy(policy, "secretpw")).message.find("secretpw") ==
          std::string::npos);
}

TEST_CASE("argon2id hashes verify the right password only and carry their parameters") {
    auto hash = hash_password("Corr3ct-Horse", PasswordHashCost::minimum());
    REQUIRE(hash);
    CHECK(hash->starts_with("$argon2id$v=19$m=8,t=1,p=1$"));
    CHECK(verify_password(*hash, "Corr3ct-Horse"));
    CHECK_FALSE(verify_password(*hash, "Corr3ct-Horsf"));
    CHECK_FALSE(verify_password(*hash, ""));
    CHECK_FALSE(verify_password("", "Corr3ct-Horse"));
    CHECK_FALSE(verify_password("$2y$10$notargon", "Corr3ct-Horse"));
    // Two hashes of one password differ (random salt), and both verify.
    auto again = hash_password("Corr3ct-Horse", PasswordHashCost::minimum());
    CHECK(*again != *hash);
    CHECK(verify_password(*again, "Corr3ct-Horse"));
    // The default cost is libsodium's interactive one.
    auto strong = hash_password("Corr3ct-Horse");
    REQUIRE(strong);
    CHECK(strong->starts_with("$argon2id$v=19$m=65536,t=2,p=1$"));
}
