// Two-factor authentication through the API: setup with a QR code a real decoder reads,
// enabling, sign-in with codes (each step once) and backup codes (each once), admin enrollment.
#include <doctest/doctest.h>

#include <sodium.h>

#include <cstdio>
#include <fstream>
#include <set>

#include <fmt/format.h>

#include "events/identity/totp.hpp"
#include "tests/api/sign_in.hpp"

using namespace switchyard;
using namespace switchyard::testing;
using namespace std::chrono_literals;

namespace {

/// The current 6-digit code of a base32 secret at the fixture's clock.
std::string code_at(ApiFixture& f, const std::string& secret_base32) {
    auto seed = events::identity::base32_decode(secret_base32);
    REQUIRE(seed);
    return events::identity::totp_code(*seed, core::unix_seconds(f.clock.now()));
}

/// Reads a QR code PNG with zbarimg (zbar-tools): what a phone camera would read.
std::string decode_qr(const std::string& png) {
    testing::TempDir dir;
    const auto file = dir.path() / "qr.png";
    std::ofstream(file, std::ios::binary) << png;
    std::string out;
    FILE* pipe = ::popen(
        fmt::format("zbarimg --quiet --raw -Sdisable -Sqrcode.enable '{}'", file.string()).c_str(),
        "r");
    REQUIRE(pipe);
    char buf[512];
    while (auto n = std::fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
    ::pclose(pipe);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
}

struct Enrolled {
    std::string secret;
    std::vector<std::string> backup_codes;
};

Enrolled enroll(ApiFixture& f, const std::string& token) {
    auto setup = as(f, token, "POST", "/v1/auth/2fa/setup");
    REQUIRE_MESSAGE(setup.status == 200, setup.body);
    simdjson::dom::parser p;
    auto doc = parse_json(p, setup.body);
    Enrolled e{str(doc, "secret"), {}};
    auto enable = as(f, token, "POST", "/v1/auth/2fa/enable",
                     fmt::format(R"({{"code":"{}"}})", code_at(f, e.secret)));
    REQUIRE_MESSAGE(enable.status == 200, enable.body);
    simdjson::dom::parser p2;
    for (auto c : parse_json(p2, enable.body)["backup_codes"].get_array())
        e.backup_codes.emplace_back(c.get_string().value());
    return e;
}

}  // namespace

TEST_CASE("a 2FA setup gives an otpauth URI and a QR code that decodes to it") {
    ApiFixture f;
    create_user(f, f.key, "acme", "reseller");
    const auto token = sign_in(f, "acme");
    auto setup = as(f, token, "POST", "/v1/auth/2fa/setup");
    REQUIRE_MESSAGE(setup.status == 200, setup.body);
    simdjson::dom::parser p;
    auto doc = parse_json(p, setup.body);
    const auto secret = str(doc, "secret");
    const auto uri = str(doc, "otpauth_uri");
    CHECK(secret.size() == 32);  // 160 bits in base32
    CHECK(uri == fmt::format("otpauth://totp/Switchyard:acme?secret={}&issuer=Switchyard"
                             "&algorithm=SHA1&digits=6&period=30",
                             secret));
    const auto data_uri = str(doc, "qr_png");
    const std::string prefix = "data:image/png;base64,";
    REQUIRE(data_uri.starts_with(prefix));
    std::string png(data_uri.size(), '\0');
    std::size_t len = 0;
    REQUIRE(sodium_base642bin(reinterpret_cast<unsigned char*>(png.data()), png.size(),
                              data_uri.data() + prefix.size(), data_uri.size() - prefix.size(),
                              nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) == 0);
    png.resize(len);
    CHECK(png.starts_with("\x89PNG\r\n\x1a\n"));
    CHECK(decode_qr(png) == uri);
    // Until enabled, sign-in needs no code.
    CHECK(login(f, "acme").status == 200);
}

TEST_CASE("with 2FA on, sign-in needs a code: each step once, backup codes once") {
    ApiFixture f;
    create_user(f, f.key, "acme", "reseller");
    const auto token = sign_in(f, "acme");
    // A wrong code does not enable it.
    REQUIRE(as(f, token, "POST", "/v1/auth/2fa/setup").status == 200);
    auto before = f.log_size();
    check_problem(f, as(f, token, "POST", "/v1/auth/2fa/enable", R"({"code":"000000"})"), 401,
                  "code", before);
    auto e = enroll(f, token);
    CHECK(e.backup_codes.size() == 10);
    CHECK(std::set<std::string>(e.backup_codes.begin(), e.backup_codes.end()).size() == 10);

    // Password alone: 401 naming totp. A wrong code: 401, recorded as bad_totp.
    auto no_code = login(f, "acme");
    CHECK(no_code.status == 401);
    CHECK(no_code.body.find(R"("field":"totp")") != std::string::npos);
    CHECK(login_with_code(f, "acme", "123456").status == 401);
    auto failures = f.store->read_stream("auth_failures-op", 0, 10);
    REQUIRE(failures);
    REQUIRE_FALSE(failures->empty());
    CHECK(failures->back().data.find("bad_totp") != std::string::npos);

    // The code of this step was used to enable 2FA: it is spent. The next step's code works,
    // once; the one after needs the clock to move.
    CHECK(login_with_code(f, "acme", code_at(f, e.secret)).status == 401);
    f.clock.advance(30s);
    const auto code = code_at(f, e.secret);
    CHECK(login_with_code(f, "acme", code).status == 200);
    CHECK(login_with_code(f, "acme", code).status == 401);  // replay in the same step
    f.clock.advance(30s);
    // One step of drift: the code of the previous step is accepted if not used... but it was.
    CHECK(login_with_code(f, "acme", code).status == 401);
    CHECK(login_with_code(f, "acme", code_at(f, e.secret)).status == 200);

    // A backup code works once, with or without its dash, in any case.
    auto upper = e.backup_codes[3];
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(login_with_code(f, "acme", upper).status == 200);
    CHECK(login_with_code(f, "acme", e.backup_codes[3]).status == 401);
    std::string no_dash = e.backup_codes[4];
    no_dash.erase(5, 1);
    CHECK(login_with_code(f, "acme", no_dash).status == 200);

    // Disabling needs a code; then the password alone signs in again.
    const auto t2 = token_of(login_with_code(f, "acme", e.backup_codes[5]));
    CHECK(as(f, t2, "POST", "/v1/auth/2fa/disable", R"({"code":"999999"})").status == 401);
    f.clock.advance(30s);
    CHECK(as(f, t2, "POST", "/v1/auth/2fa/disable",
             fmt::format(R"({{"code":"{}"}})", code_at(f, e.secret)))
              .status == 200);
    CHECK(login(f, "acme").status == 200);
}

TEST_CASE("an admin without 2FA may only enable it and after signing in again with a code, all") {
    ApiFixture f;
    create_user(f, f.key, "boss", "admin");
    auto first = login(f, "boss");
    REQUIRE(first.status == 200);
    CHECK(first.body.find(R"("restriction":"totp_enrollment")") != std::string::npos);
    const auto token = token_of(first);
    const auto before = f.log_size();
    check_problem(f, as(f, token, "GET", "/v1/iptv/lines"), 403, "totp", before);
    check_problem(f,
                  as(f, token, "POST", "/v1/users",
                     R"({"username":"x-y","password":"Corr3ct-Horse","role":"admin"})"),
                  403, "totp", before);
    CHECK(as(f, token, "GET", "/v1/auth/me").status == 200);
    auto e = enroll(f, token);
    // The restricted session stays restricted; a new sign-in with a code is a full session.
    CHECK(as(f, token, "GET", "/v1/iptv/lines").status == 403);
    f.clock.advance(30s);
    auto full = login_with_code(f, "boss", code_at(f, e.secret));
    REQUIRE(full.status == 200);
    CHECK(full.body.find("restriction") == std::string::npos);
    CHECK(as(f, token_of(full), "GET", "/v1/iptv/lines").status == 200);
}

TEST_CASE("no password, TOTP seed, backup code or token appears in any event") {
    ApiFixture f;
    create_user(f, f.key, "acme", "reseller");
    const auto token = sign_in(f, "acme");
    auto e = enroll(f, token);
    f.clock.advance(30s);
    const auto token2 = token_of(login_with_code(f, "acme", code_at(f, e.secret)));
    REQUIRE(as(f, token2, "POST", "/v1/auth/password",
               R"({"current_password":"Corr3ct-Horse","password":"N3w-Horse-Battery"})")
                .status == 200);
    auto all = f.store->read_all(events::Checkpoint{}, 100000);
    REQUIRE(all);
    auto seed = events::identity::base32_decode(e.secret).value();
    std::string everything;
    for (const auto& ev : *all) everything += ev.data + "\n";
    std::vector<std::string> secrets{
        "Corr3ct-Horse", "N3w-Horse-Battery", e.secret, token, token2, f.key};
    for (const auto& c : e.backup_codes) {
        secrets.push_back(c);
        secrets.push_back(c.substr(0, 5) + c.substr(6));
    }
    for (const auto& s : secrets) CHECK_MESSAGE(everything.find(s) == std::string::npos, s);
    CHECK(everything.find(seed) == std::string::npos);
    // The seed is in the log only sealed, and opens only with the master key.
    CHECK(everything.find("sy1:" + f.keyring.current_id()) != std::string::npos);
}

TEST_CASE("an admin's security changes need a sign-in with the second factor in the last 10 min") {
    // Its password, admin keys and admin accounts: what a stolen session could keep using.
    ApiFixture f;
    create_user(f, f.key, "boss", "admin");
    auto e = enroll(f, sign_in(f, "boss"));
    f.clock.advance(30s);
    const auto token = token_of(login_with_code(f, "boss", code_at(f, e.secret)));
    // Fresh: an admin key, its rotation.
    auto made = as(f, token, "POST", "/v1/api-keys", R"({"name":"deploy"})");
    REQUIRE_MESSAGE(made.status == 201, made.body);
    simdjson::dom::parser p;
    const auto admin_key = str(parse_json(p, made.body), "key_id");
    CHECK(as(f, token, "POST", "/v1/api-keys/" + admin_key + "/rotate").status == 200);

    // Eleven minutes on, the session still acts, but makes no security change.
    f.clock.advance(11min);
    CHECK(as(f, token, "GET", "/v1/iptv/lines").status == 200);
    f.settle();
    const auto before = f.log_size();
    check_problem(f, as(f, token, "POST", "/v1/api-keys", R"({"name":"later"})"), 403, "totp",
                  before);
    check_problem(f, as(f, token, "POST", "/v1/api-keys/" + admin_key + "/rotate"), 403, "totp",
                  before);
    check_problem(f,
                  as(f, token, "POST", "/v1/auth/password",
                     R"({"current_password":"Corr3ct-Horse","password":"N3w-Horse-Battery"})"),
                  403, "totp", before);
    check_problem(f,
                  as(f, token, "POST", "/v1/users",
                     R"({"username":"boss2","password":"Corr3ct-Horse","role":"admin"})"),
                  403, "totp", before);
    // Keys with less than admin rights need no fresh factor, and turning off 2FA takes a code.
    CHECK(as(f, token, "POST", "/v1/api-keys", R"({"name":"report","role":"support"})").status ==
          201);
    CHECK(as(f, token, "POST", "/v1/auth/2fa/disable", R"({"code":"000000"})").status == 401);
    CHECK(as(f, token, "POST", "/v1/users",
             R"({"username":"clerk","password":"Corr3ct-Horse","role":"support"})")
              .status == 201);

    // Signed in again with a code: fresh again.
    f.clock.advance(30s);
    const auto again = token_of(login_with_code(f, "boss", code_at(f, e.secret)));
    CHECK(as(f, again, "POST", "/v1/api-keys/" + admin_key + "/rotate").status == 200);
    CHECK(as(f, again, "POST", "/v1/users",
             R"({"username":"boss2","password":"Corr3ct-Horse","role":"admin"})")
              .status == 201);
    CHECK(as(f, again, "POST", "/v1/auth/password",
             R"({"current_password":"Corr3ct-Horse","password":"N3w-Horse-Battery"})")
              .status == 200);
    // A second factor proven by a backup code counts as well.
    f.clock.advance(11min);
    const auto backup = token_of(
        f.call("POST", "/v1/auth/login",
               fmt::format(R"({{"username":"boss","password":"N3w-Horse-Battery","totp":"{}"}})",
                           e.backup_codes[0]),
               false));
    CHECK(as(f, backup, "POST", "/v1/api-keys", R"({"name":"deploy 2"})").status == 201);
}
