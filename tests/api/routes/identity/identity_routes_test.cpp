// Users, sign-in and sessions through the API, in memory, with a clock the tests move.
#include <doctest/doctest.h>

#include <set>

#include <fmt/format.h>

#include "tests/api/sign_in.hpp"

using namespace switchyard;
using namespace switchyard::testing;
using namespace std::chrono_literals;

namespace {

int me(ApiFixture& f, const std::string& token) {
    return as(f, token, "GET", "/v1/auth/me").status;
}

}  // namespace

TEST_CASE("a user signs in with a password and acts with its role and scope") {
    ApiFixture f;
    const auto reseller = create_user(f, f.key, "acme", "reseller");
    const auto token = sign_in(f, "acme");
    auto r = as(f, token, "GET", "/v1/auth/me");
    REQUIRE(r.status == 200);
    simdjson::dom::parser p;
    auto doc = parse_json(p, r.body);
    CHECK(str(doc, "id") == reseller);
    CHECK(str(doc, "role") == "reseller");
    CHECK(str(doc, "username") == "acme");
    CHECK(str(doc, "scope") == "/" + reseller + "/");
    // The session is a principal like a key: its role decides (the catalogue is admin-only).
    const auto before = f.log_size();
    auto refused = as(f, token, "POST", "/v1/iptv/categories", R"({"name":"News"})");
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
    const auto t1 = sign_in(f, "reseller-one");
    const auto t2 = sign_in(f, "reseller-two");
    const auto c1 = create_user(f, t1, "cust-one", "customer");  // parent: r1 itself
    const auto sub = create_user(f, t1, "sub-one", "reseller");
    const auto t_sub = sign_in(f, "sub-one");
    const auto c_sub = create_user(f, t_sub, "cust-sub", "customer");
    const auto c2 = create_user(f, t2, "cust-two", "customer");
    const auto c1b = create_user(f, t1, "cust-under-sub", "customer", sub);

    // `evil` is refused (403 naming `field`) and the log does not grow.
    auto refused = [&](const std::string& token, const std::string& role, const std::string& parent,
                       const char* field) {
        const auto before = f.log_size();
        const auto body =
            fmt::format(R"({{"username":"evil","password":"{}","role":"{}"{}}})", kPassword, role,
                        parent.empty() ? "" : R"(,"parent":")" + parent + "\"");
        check_problem(f, as(f, token, "POST", "/v1/users", body), 403, field, before);
    };
    // Not an admin, not a support user, not under another reseller.
    refused(t1, "admin", "", "role");
    refused(t1, "customer", r2, "parent");
    // A sub-reseller cannot reach up to its parent's level.
    refused(t_sub, "customer", r1, "parent");
    // A customer creates nobody (the role table refuses before the decider).
    refused(sign_in(f, "cust-one"), "customer", "", "role");

    auto list = [&](const std::string& token) {
        auto r = as(f, token, "GET", "/v1/users?limit=1000");
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
    CHECK(as(f, t1, "GET", "/v1/users/" + c2).status == 404);
    CHECK(as(f, t1, "GET", "/v1/users/" + c_sub).status == 200);
    CHECK(as(f, t1, "GET", "/v1/users/" + r1).status ==
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
    const auto token = sign_in(f, "acme");
    f.clock.advance(20min);
    CHECK(me(f, token) == 200);
    f.clock.advance(20min);  // 40 min since sign-in, 20 since the last request
    CHECK(me(f, token) == 200);
    f.clock.advance(31min);
    CHECK(me(f, token) == 401);
    CHECK(me(f, token) == 401);  // stays ended

    const auto busy = sign_in(f, "acme");
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
        tokens.push_back(sign_in(f, "acme"));
        f.clock.advance(1s);
    }
    CHECK(me(f, tokens[0]) == 401);
    for (int i = 1; i < 4; ++i) CHECK(me(f, tokens[i]) == 200);
    auto out = as(f, tokens[1], "POST", "/v1/auth/logout");
    CHECK(out.status == 200);
    CHECK(me(f, tokens[1]) == 401);
    CHECK(me(f, tokens[2]) == 200);
    auto revoke = as(f, tokens[2], "POST", "/v1/auth/sessions/revoke");
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
    const auto token = sign_in(f, "acme");
    auto change = [&](const std::string& current, const std::string& next) {
        return as(f, token, "POST", "/v1/auth/password",
                  fmt::format(R"({{"current_password":"{}","password":"{}"}})", current, next));
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
    sign_in(f, "acme", kPassword);
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
    const auto before = f.log_size();
    check_problem(f, as(f, token, "GET", "/v1/users"), 403, "password", before);
    REQUIRE(as(f, token, "POST", "/v1/auth/password",
               R"({"current_password":"Corr3ct-Horse","password":"Fresh-Passw0rd"})")
                .status == 200);
    // Signed in again with the new password: a full session.
    const auto fresh = sign_in(f, "acme", "Fresh-Passw0rd");
    CHECK(as(f, fresh, "GET", "/v1/users").status == 200);
}
