#pragma once
/// Users and sessions for the API tests: create a user, sign in, call as that user. Requests go
/// through the ApiFixture's router (tests/api/api_fixture.hpp).

#include <doctest/doctest.h>

#include <string>

#include <fmt/format.h>

#include "tests/api/api_fixture.hpp"

namespace switchyard::testing {

/// The password of the users these helpers create; it meets the password policy.
inline constexpr const char* kPassword = "Corr3ct-Horse";

/// The `Authorization` value of a session token or API key.
inline std::string bearer(const std::string& token) { return "Bearer " + token; }

/// A request with `token` (a session token or API key) instead of the fixture's admin key.
inline api::HttpResponse as(ApiFixture& f, const std::string& token, const std::string& method,
                            const std::string& target, const std::string& body = {}) {
    return f.call(method, target, body, true, {{"authorization", bearer(token)}});
}

/// Creates a user with `token`'s rights, under `parent` when given; returns the user id.
inline std::string create_user(ApiFixture& f, const std::string& token, const std::string& username,
                               const std::string& role, const std::string& parent = {}) {
    auto body =
        fmt::format(R"({{"username":"{}","password":"{}","role":"{}"{}}})", username, kPassword,
                    role, parent.empty() ? "" : fmt::format(R"(,"parent":"{}")", parent));
    auto r = as(f, token, "POST", "/v1/users", body);
    REQUIRE_MESSAGE(r.status == 201, r.body);
    simdjson::dom::parser p;
    return str(parse_json(p, r.body), "user_id");
}

/// POST /v1/auth/login with a password, without credentials; the answer as it comes.
inline api::HttpResponse login(ApiFixture& f, const std::string& username,
                               const std::string& password = kPassword) {
    return f.call("POST", "/v1/auth/login",
                  fmt::format(R"({{"username":"{}","password":"{}"}})", username, password), false);
}

/// POST /v1/auth/login with kPassword and a second factor (a TOTP or backup code).
inline api::HttpResponse login_with_code(ApiFixture& f, const std::string& username,
                                         const std::string& code) {
    return f.call("POST", "/v1/auth/login",
                  fmt::format(R"({{"username":"{}","password":"{}","totp":"{}"}})", username,
                              kPassword, code),
                  false);
}

/// The session token of a sign-in that must have succeeded (`syt_...`).
inline std::string token_of(const api::HttpResponse& r) {
    REQUIRE_MESSAGE(r.status == 200, r.body);
    simdjson::dom::parser p;
    auto token = str(parse_json(p, r.body), "token");
    CHECK(token.starts_with("syt_"));
    return token;
}

/// Signs in with a password; returns the session token.
inline std::string sign_in(ApiFixture& f, const std::string& username,
                           const std::string& password = kPassword) {
    return token_of(login(f, username, password));
}

}  // namespace switchyard::testing
