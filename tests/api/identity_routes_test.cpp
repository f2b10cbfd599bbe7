// Users, sign-in and sessions through the API, in memory, with a clock the tests move.
#include <doctest/doctest.h>

#include <set>

#include <fmt/format.h>

#include "tests/api/api_fixture.hpp"

using namespace switchyard;
using namespace std::chrono_literals;
using switchyard::testing::ApiFixture;
using switchyard::testing::check_problem;
using switchyard::testing::parse_json;
using switchyard::testing::str;

namespace {

const char* kPassword = "Corr3ct-Horse";

std::string bearer(const std::string& token) { return "Bearer " + token; }

/// Creates a user with `auth` (a key or session token); returns its id.
std::string create_user(ApiFixture& f, const std::string& auth, const std::string& username,
                        const std::string& role, const std::string& parent = {}) {
    auto body =
        fmt::format(R"({{"username":"{}","password":"{}","role":"{}"{}}})", username, kPassword,
                    role, parent.empty() ? "" : fmt::format(R"(,"parent":"{}")", parent));
    auto r = f.call("POST", "/v1/users", body, true, {{"authorization", bearer(auth)}});
    REQUIRE_MESSAGE(r.status == 201, r.body);
    simdjson::dom::parser p;
    return str(parse_json(p, r.body), "user_id");
}

/// Signs in; returns the session token.
std::string login(ApiFixture& f, const std::string& username,
                  const std::string& password = kPassword) {
    auto r =
        f.call("POST", "/v1/auth/login",
               fmt::format(R"({{"username":"{}","password":"{}"}})", username, password), false);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    simdjson::dom::parser p;
    auto token = str(parse_json(p, r.body), "token");
    CHECK(token.starts_with("syt_"));
    return token;
}

int me(ApiFixture& f, const std::string& token) {
    return f.call("GET", "/v1/auth/me", "", true, {{"authorization", bearer(token)}}).status;
}

}  // namespace

TEST_CASE("a user signs in with a password and acts with its role and scope") {
    ApiFixture f;
    const auto reseller = create_user(f, f.key, "acme", "reseller");
    const auto token = login(f, "acme");
    auto r = f.call("GET", "/v1/auth/me", "", true, {{"authorization", bearer(token)}});
    REQUIRE(r.status == 200);
    simdjson::dom::parser p;
    auto doc = parse_json(p, r.body);
    CHECK(str(doc, "id") == reseller);
    CHECK(str(doc, "role") == "reseller");
    CHECK(str(doc, "username") == "acme");
    CHECK(str(doc, "scope") == "/" + reseller + "/");
    // The session is a principal like a key: its role decides (the catalogue is admin-only).
    const auto before = f.log_size();
    auto refused = f.call("POST", "/v1/iptv/categories", R"({"name":"News"})", true,
                          {{"authorization", bearer(token)}});
    check_problem(f, refused, 403, "role", before);
}

TEST_CASE("a wrong password or an unknown user is 401 with one message, and is recorded") {
    ApiFixture f;
    create_user(f, f.key, "acme", "reseller");
    for (const auto* body : {R"({"username":"acme","password":"Wrong-pass1"})",
                             R"({"username":"nobody","password":"Wrong-pass1"})"}) {
        const auto before = f.log_size();
        auto r = f.call("POST", "/v1/auth/login", body, false);
        CHECK(r.status == 401);
        CHECK(r.body.find("wrong username or password") != std::string::npos);
        // One identity.login.failed event, and it never holds the password.
        CHECK(f.log_size() == before + 1);
        auto last = f.store->read_stream("auth_failures-op", 0, 100);
        REQUIRE(last);
        REQUIRE_FALSE(last->empty());
        CHECK(last->back().type == "identity.login.failed");
        CHECK(last->back().data.find("Wrong-pass1") == std::string::npos);
    }
    auto failures = f.store->read_stream("auth_failures-op", 0, 100);
    CHECK(failures->at(0).data.find(R"("reason":"bad_password")") != std::string::npos);
    CHECK(failures->at(1).data.find(R"("reason":"unknown_user")") != std::string::npos);
}

TEST_CASE(
    "user creation checks the password policy, the username and the role, appending "
    "nothing when it refuses") {
    ApiFixture f;
    auto before = f.log_size();
    auto weak = f.call("POST", "/v1/users",
                       R"({"username":"bob","password":"password","role":"customer"})");
    check_problem(f, weak, 400, "password", before);
    CHECK(weak.body.find("upper-case") != std::string::npos);
    CHECK(weak.body.find(R"("password")") != std::string::npos);
    auto role = f.call("POST", "/v1/users",
                       R"({"username":"bob","password":"Corr3ct-Horse","role":"king"})");
    check_problem(f, role, 400, "role", before);
    auto name = f.call("POST", "/v1/users",
                       R"({"username":"b b","password":"Corr3ct-Horse","role":"customer"})");
    check_problem(f, name, 400, "username", before);
    create_user(f, f.key, "bob", "customer");
    before = f.log_size();
    auto taken = f.call("POST", "/v1/users",
                        R"({"username":"BOB","password":"Corr3ct-Horse","role":"customer"})");
    check_problem(f, taken, 409, "username", before);
    auto no_parent = f.call(
        "POST", "/v1/users",
        R"({"username":"carol","password":"Corr3ct-Horse","role":"customer","parent":"u_x"})");
    check_problem(f, no_parent, 404, "parent", before);
}

TEST_CASE("a reseller creates users only inside its own subtree and sees only that subtree") {
    ApiFixture f;
    const auto r1 = create_user(f, f.key, "reseller-one", "reseller");
    const auto r2 = create_user(f, f.key, "reseller-two", "reseller");
    const auto t1 = login(f, "reseller-one");
    const auto t2 = login(f, "reseller-two");
    const auto c1 = create_user(f, t1, "cust-one", "customer");  // parent: r1 itself
    const auto sub = create_user(f, t1, "sub-one", "reseller");
    const auto t_sub = login(f, "sub-one");
    const auto c_sub = create_user(f, t_sub, "cust-sub", "customer");
    const auto c2 = create_user(f, t2, "cust-two", "customer");
    const auto c1b = create_user(f, t1, "cust-under-sub", "customer", sub);

    auto before = f.log_size();
    // Not an admin, not a support user, not under another reseller.
    check_problem(f,
                  f.call("POST", "/v1/users",
                         R"({"username":"evil","password":"Corr3ct-Horse","role":"admin"})", true,
                         {{"authorization", bearer(t1)}}),
                  403, "role", before);
    check_problem(f,
                  f.call("POST", "/v1/users",
                         fmt::format(R"({{"username":"evil","password":"Corr3ct-Horse",)"
                                     R"("role":"customer","parent":"{}"}})",
                                     r2),
                         true, {{"authorization", bearer(t1)}}),
                  403, "parent", before);
    // A sub-reseller cannot reach up to its parent's level.
    check_problem(f,
                  f.call("POST", "/v1/users",
                         fmt::format(R"({{"username":"evil","password":"Corr3ct-Horse",)"
                                     R"("role":"customer","parent":"{}"}})",
                                     r1),
                         true, {{"authorization", bearer(t_sub)}}),
                  403, "parent", before);
    // A customer creates nobody (the role table refuses before the decider).
    const auto tc = login(f, "cust-one");
    before = f.log_size();
    check_problem(f,
                  f.call("POST", "/v1/users",
                         R"({"username":"evil","password":"Corr3ct-Horse","role":"customer"})",
                         true, {{"authorization", bearer(tc)}}),
                  403, "role", before);

    auto list = [&](const std::string& token) {
        auto r =
            f.call("GET", "/v1/users?limit=1000", "", true, {{"authorization", bearer(token)}});
        REQUIRE_MESSAGE(r.status == 200, r.body);
        std::set<std::string> ids;
        simdjson::dom::parser p;
        for (auto item : parse_json(p, r.body)["items"].get_array())
            ids.insert(str(item, "user_id"));
        return ids;
    };
    CHECK(list(t1) == std::set<std::string>{c1, sub, c_sub, c1b});
    CHECK(list(t_sub) == std::set<std::string>{c_sub, c1b});
    CHECK(list(t2) == std::set<std::string>{c2});
    CHECK(list(f.key).size() == 7);  // the operator's key sees everyone
    // Another reseller's user does not exist for r1; its own does.
    CHECK(f.call("GET", "/v1/users/" + c2, "", true, {{"authorization", bearer(t1)}}).status ==
          404);
    CHECK(f.call("GET", "/v1/users/" + c_sub, "", true, {{"authorization", bearer(t1)}}).status ==
          200);
    CHECK(f.call("GET", "/v1/users/" + r1, "", true, {{"authorization", bearer(t1)}}).status ==
          404);  // itself: it lives in the operator's part of the tree
}

TEST_CASE("paging through users follows next_cursor without repeats") {
    ApiFixture f;
    std::set<std::string> created;
    for (int i = 0; i < 5; ++i)
        created.insert(create_user(f, f.key, fmt::format("u{}x", i), "customer"));
    std::set<std::string> seen;
    std::string cursor;
    int pages = 0;
    for (;;) {
        auto r = f.call("GET", "/v1/users?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor));
        REQUIRE(r.status == 200);
        simdjson::dom::parser p;
        auto doc = parse_json(p, r.body);
        for (auto item : doc["items"].get_array()) CHECK(seen.insert(str(item, "user_id")).second);
        ++pages;
        auto next = doc["next_cursor"].get_string();
        if (next.error()) break;
        cursor = std::string(next.value());
    }
    CHECK(seen == created);
    CHECK(pages == 3);
    CHECK(f.call("GET", "/v1/users?limit=0").status == 400);
}

TEST_CASE("a session ends after 30 idle minutes, activity keeps it, and 12 hours end it anyway") {
    ApiFixture f;
    create_user(f, f.key, "acme", "reseller");
    const auto token = login(f, "acme");
    f.clock.advance(20min);
    CHECK(me(f, token) == 200);
    f.clock.advance(20min);  // 40 min since sign-in, 20 since the last request
    CHECK(me(f, token) == 200);
    f.clock.advance(31min);
    CHECK(me(f, token) == 401);
    CHECK(me(f, token) == 401);  // stays ended

    const auto busy = login(f, "acme");
    for (int i = 0; i < 48; ++i) {  // a request every 15 minutes for 12 hours
        f.clock.advance(15min);
        if (i < 47) CHECK(me(f, busy) == 200);
    }
    CHECK(me(f, busy) == 401);  // absolute lifetime reached
}

TEST_CASE("a fourth session evicts the oldest and logout and revoke-all end sessions at once") {
    ApiFixture f;
    create_user(f, f.key, "acme", "reseller");
    std::vector<std::string> tokens;
    for (int i = 0; i < 4; ++i) {
        tokens.push_back(login(f, "acme"));
        f.clock.advance(1s);
    }
    CHECK(me(f, tokens[0]) == 401);
    for (int i = 1; i < 4; ++i) CHECK(me(f, tokens[i]) == 200);
    auto out = f.call("POST", "/v1/auth/logout", "", true, {{"authorization", bearer(tokens[1])}});
    CHECK(out.status == 200);
    CHECK(me(f, tokens[1]) == 401);
    CHECK(me(f, tokens[2]) == 200);
    auto revoke = f.call("POST", "/v1/auth/sessions/revoke", "", true,
                         {{"authorization", bearer(tokens[2])}});
    CHECK(revoke.status == 200);
    CHECK(me(f, tokens[2]) == 401);
    CHECK(me(f, tokens[3]) == 401);
    // The ends are events with their reasons.
    std::string reasons;
    auto all = f.store->read_all(events::Checkpoint{}, 10000);
    for (const auto& e : *all) {
        if (e.type == "identity.session.ended") reasons += e.data.substr(e.data.find("reason"), 20);
    }
    CHECK(reasons.find("evicted") != std::string::npos);
    CHECK(reasons.find("logout") != std::string::npos);
    CHECK(reasons.find("revoked") != std::string::npos);
    // An API key has no session to end, and may not end its owner's.
    CHECK(f.call("POST", "/v1/auth/logout").status == 403);
}

TEST_CASE("a password change checks the current one, the policy and the last five") {
    ApiFixture f;
    create_user(f, f.key, "acme", "reseller");
    const auto token = login(f, "acme");
    auto change = [&](const std::string& current, const std::string& next) {
        return f.call("POST", "/v1/auth/password",
                      fmt::format(R"({{"current_password":"{}","password":"{}"}})", current, next),
                      true, {{"authorization", bearer(token)}});
    };
    auto before = f.log_size();
    check_problem(f, change("Wrong-pass1", "New-Passw0rd"), 401, "current_password", before);
    check_problem(f, change(kPassword, "weak"), 400, "password", before);
    check_problem(f, change(kPassword, kPassword), 400, "password", before);
    // Five changes in a row; each earlier password is refused while it is among the last five.
    std::vector<std::string> passwords{kPassword};
    for (int i = 1; i <= 5; ++i) {
        passwords.push_back(fmt::format("Next-Passw0rd{}", i));
        REQUIRE(change(passwords[i - 1], passwords[i]).status == 200);
    }
    before = f.log_size();
    // Current is #5; the last five before it are #0..#4: all refused.
    for (int i = 0; i < 5; ++i)
        check_problem(f, change(passwords[5], passwords[static_cast<std::size_t>(i)]), 400,
                      "password", before);
    REQUIRE(change(passwords[5], "Next-Passw0rd6").status == 200);
    // Now #0 is six changes back: allowed again.
    CHECK(change("Next-Passw0rd6", kPassword).status == 200);
    // The new password signs in; the old one does not.
    login(f, "acme", kPassword);
    CHECK(f.call("POST", "/v1/auth/login", R"({"username":"acme","password":"Next-Passw0rd6"})",
                 false)
              .status == 401);
}

TEST_CASE("a password older than the policy's 90 days signs in flagged as expired") {
    ApiFixture f;
    create_user(f, f.key, "acme", "reseller");
    f.clock.advance(std::chrono::hours(24 * 91));
    auto r = f.call("POST", "/v1/auth/login", R"({"username":"acme","password":"Corr3ct-Horse"})",
                    false);
    REQUIRE(r.status == 200);
    CHECK(r.body.find(R"("password_expired":true)") != std::string::npos);
    CHECK(r.body.find(R"("restriction":"password_expired")") != std::string::npos);
    simdjson::dom::parser p;
    const auto token = str(parse_json(p, r.body), "token");
    const auto auth = std::map<std::string, std::string>{{"authorization", bearer(token)}};
    const auto before = f.log_size();
    check_problem(f, f.call("GET", "/v1/users", "", true, auth), 403, "password", before);
    REQUIRE(f.call("POST", "/v1/auth/password",
                   R"({"current_password":"Corr3ct-Horse","password":"Fresh-Passw0rd"})", true,
                   auth)
                .status == 200);
    // Signed in again with the new password: a full session.
    const auto fresh = login(f, "acme", "Fresh-Passw0rd");
    CHECK(f.call("GET", "/v1/users", "", true, {{"authorization", bearer(fresh)}}).status == 200);
}
