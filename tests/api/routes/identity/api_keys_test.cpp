// API keys over the API: shown once, listed by prefix, scoped by role, owner and route
// prefixes, expiring, rotated, revoked, with their last use.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "tests/api/sign_in.hpp"

using namespace switchyard;
using namespace switchyard::testing;
using namespace std::chrono_literals;

namespace {

struct NewKey {
    std::string id, key;
};

/// Creates a key with `auth` (default: the fixture's admin key).
NewKey create(ApiFixture& f, const std::string& body, const std::string& auth = {}) {
    auto r = as(f, auth.empty() ? f.key : auth, "POST", "/v1/api-keys", body);
    REQUIRE_MESSAGE(r.status == 201, r.body);
    simdjson::dom::parser p;
    auto doc = parse_json(p, r.body);
    NewKey k{str(doc, "key_id"), str(doc, "key")};
    CHECK(k.key.starts_with("sy_"));
    CHECK(str(doc, "prefix") == k.key.substr(0, 10));
    CHECK(r.body.find("hash") == std::string::npos);
    return k;
}

int status(ApiFixture& f, const std::string& key, const std::string& method,
           const std::string& target) {
    return as(f, key, method, target).status;
}

std::string listing(ApiFixture& f, const std::string& auth = {}) {
    auto r = as(f, auth.empty() ? f.key : auth, "GET", "/v1/api-keys");
    REQUIRE(r.status == 200);
    return r.body;
}

/// A reseller `acme` signed in: its id and session token.
struct Reseller {
    std::string id, session;
};

Reseller reseller(ApiFixture& f) {
    auto id = create_user(f, f.key, "acme", "reseller");
    return {id, sign_in(f, "acme")};
}

/// Uses a key once, so that its hourly use record is not mistaken for a refused write.
void warm(ApiFixture& f, const std::string& key) {
    REQUIRE(status(f, key, "GET", "/v1/api-keys") == 200);
    f.settle();
}

}  // namespace

TEST_CASE("a key is shown once, listed by its prefix, and acts with its role") {
    ApiFixture f;
    auto k = create(f, R"({"name":"billing export","role":"support"})");
    auto list = listing(f);
    CHECK(list.find(k.key.substr(0, 10)) != std::string::npos);
    CHECK(list.find(k.key) == std::string::npos);  // never again in full
    CHECK(list.find("billing export") != std::string::npos);
    CHECK(list.find("test admin") != std::string::npos);  // the bootstrap key is one of them
    CHECK(status(f, k.key, "GET", "/v1/iptv/lines") == 200);
    CHECK(status(f, k.key, "POST", "/v1/iptv/categories") == 403);  // support reads only
    const auto before = f.log_size();
    check_problem(f, f.call("POST", "/v1/api-keys", R"({"name":""})"), 400, "name", before);
    check_problem(f, f.call("POST", "/v1/api-keys", R"({"name":"x","role":"god"})"), 400, "role",
                  before);
}

TEST_CASE("a key's route prefixes and expiry bound it") {
    ApiFixture f;
    const auto expires = core::format_rfc3339(f.clock.now() + 1h);
    auto k = create(f, fmt::format(R"({{"name":"lines only","route_prefixes":["/v1/iptv/lines"],)"
                                   R"("expires_at":"{}"}})",
                                   expires));
    CHECK(status(f, k.key, "GET", "/v1/iptv/lines") == 200);
    auto r = as(f, k.key, "GET", "/v1/iptv/categories");
    CHECK(r.status == 403);
    CHECK(r.body.find(R"("field":"authorization")") != std::string::npos);
    f.clock.advance(61min);
    auto expired = as(f, k.key, "GET", "/v1/iptv/lines");
    CHECK(expired.status == 401);
    CHECK(expired.body.find("expired") != std::string::npos);
    REQUIRE(f.call("GET", "/v1/auth/me").status == 200);  // records the admin key's hourly use
    f.settle();
    const auto before = f.log_size();
    check_problem(f,
                  f.call("POST", "/v1/api-keys",
                         fmt::format(R"({{"name":"x","expires_at":"{}"}})",
                                     core::format_rfc3339(f.clock.now() - 1s))),
                  400, "expires_at", before);
    check_problem(f, f.call("POST", "/v1/api-keys", R"({"name":"x","route_prefixes":["/admin"]})"),
                  400, "route_prefixes", before);
}

TEST_CASE("rotation replaces the secret at once and revocation ends the key") {
    ApiFixture f;
    auto k = create(f, R"({"name":"panel"})");
    CHECK(status(f, k.key, "GET", "/v1/auth/me") == 200);
    auto rotated = f.call("POST", "/v1/api-keys/" + k.id + "/rotate");
    REQUIRE(rotated.status == 200);
    simdjson::dom::parser p;
    const auto fresh = str(parse_json(p, rotated.body), "key");
    CHECK(fresh != k.key);
    CHECK(status(f, k.key, "GET", "/v1/auth/me") == 401);
    CHECK(status(f, fresh, "GET", "/v1/auth/me") == 200);
    CHECK(listing(f).find(fresh.substr(0, 10)) != std::string::npos);
    REQUIRE(f.call("DELETE", "/v1/api-keys/" + k.id).status == 200);
    CHECK(status(f, fresh, "GET", "/v1/auth/me") == 401);
    CHECK(listing(f).find(k.id) == std::string::npos);
    CHECK(f.call("DELETE", "/v1/api-keys/" + k.id).status == 404);
}

TEST_CASE("a key records its last use, at most once an hour") {
    ApiFixture f;
    auto k = create(f, R"({"name":"poller"})");
    auto last_used = [&] {
        simdjson::dom::parser p;
        for (auto item : parse_json(p, listing(f))["items"].get_array()) {
            if (str(item, "key_id") != k.id) continue;
            auto v = item["last_used_at"].get_string();
            return v.error() ? std::string() : std::string(v.value());
        }
        return std::string("missing");
    };
    CHECK(last_used().empty());
    REQUIRE(status(f, k.key, "GET", "/v1/auth/me") == 200);
    const auto first = core::format_rfc3339(f.clock.now());
    f.settle();
    CHECK(last_used() == first);
    const auto events = f.log_size();
    f.clock.advance(10min);
    REQUIRE(status(f, k.key, "GET", "/v1/auth/me") == 200);
    CHECK(f.log_size() == events);  // within the hour: nothing appended
    f.clock.advance(55min);
    REQUIRE(status(f, k.key, "GET", "/v1/auth/me") == 200);
    f.settle();
    CHECK(last_used() == core::format_rfc3339(f.clock.now()));
}

TEST_CASE("a reseller's key acts in the reseller's subtree and cannot exceed its role") {
    ApiFixture f;
    const auto session = reseller(f).session;
    const auto before = f.log_size();
    check_problem(f, as(f, session, "POST", "/v1/api-keys", R"({"name":"x","role":"admin"})"), 403,
                  "role", before);
    auto k = create(f, R"({"name":"acme panel"})", session);
    REQUIRE(as(f, k.key, "POST", "/v1/iptv/lines", R"({"username":"acme-line"})").status == 201);
    REQUIRE(f.call("POST", "/v1/iptv/lines", R"({"username":"op-line"})").status == 201);
    auto lines = as(f, k.key, "GET", "/v1/iptv/lines");
    CHECK(lines.body.find("acme-line") != std::string::npos);
    CHECK(lines.body.find("op-line") == std::string::npos);
    // The reseller lists its own key, not the operator's.
    auto mine = listing(f, session);
    CHECK(mine.find("acme panel") != std::string::npos);
    CHECK(mine.find("test admin") == std::string::npos);
}

TEST_CASE("a customer-role key of a reseller cannot rotate, revoke or see the reseller's key") {
    ApiFixture f;
    const auto acme = reseller(f);
    auto main_key = create(f, R"({"name":"acme panel"})", acme.session);
    auto weak = create(f, R"({"name":"acme app","role":"customer"})", acme.session);
    warm(f, weak.key);
    CHECK(status(f, weak.key, "GET", "/v1/iptv/lines") == 403);
    const auto before = f.log_size();
    auto rotate = as(f, weak.key, "POST", "/v1/api-keys/" + main_key.id + "/rotate");
    CHECK_MESSAGE((rotate.status == 404 || rotate.status == 403), rotate.body);
    CHECK(rotate.body.find("sy_") == std::string::npos);
    auto revoke = as(f, weak.key, "DELETE", "/v1/api-keys/" + main_key.id);
    CHECK_MESSAGE((revoke.status == 404 || revoke.status == 403), revoke.body);
    check_problem(f, as(f, weak.key, "POST", "/v1/api-keys", R"({"name":"x","role":"reseller"})"),
                  403, "role", before);
    CHECK(f.log_size() == before);
    CHECK(status(f, main_key.key, "GET", "/v1/iptv/lines") == 200);  // untouched
    CHECK(listing(f, weak.key).find("acme panel") == std::string::npos);
    // What it may do: manage itself, and keys no stronger than itself.
    auto own = create(f, R"({"name":"acme app 2"})", weak.key);
    CHECK(listing(f, weak.key).find("acme app 2") != std::string::npos);
    CHECK(as(f, weak.key, "DELETE", "/v1/api-keys/" + own.id).status == 200);
    CHECK(as(f, weak.key, "POST", "/v1/api-keys/" + weak.id + "/rotate").status == 200);
    // The reseller's session manages all of its keys.
    CHECK(as(f, acme.session, "POST", "/v1/api-keys/" + main_key.id + "/rotate").status == 200);
}

TEST_CASE("a key confined to /v1/api-keys cannot widen itself through another key or a new one") {
    ApiFixture f;
    const auto acme = reseller(f);
    auto main_key = create(f, R"({"name":"acme panel"})", acme.session);
    const auto expires = f.clock.now() + 1h;
    auto confined = create(f,
                           fmt::format(R"({{"name":"key admin","route_prefixes":["/v1/api-keys"],)"
                                       R"("expires_at":"{}"}})",
                                       core::format_rfc3339(expires)),
                           acme.session);
    warm(f, confined.key);
    const auto before = f.log_size();
    auto rotate = as(f, confined.key, "POST", "/v1/api-keys/" + main_key.id + "/rotate");
    CHECK_MESSAGE((rotate.status == 404 || rotate.status == 403), rotate.body);
    CHECK(rotate.body.find("sy_") == std::string::npos);
    CHECK(f.log_size() == before);
    check_problem(f,
                  as(f, confined.key, "POST", "/v1/api-keys",
                     R"({"name":"x","route_prefixes":["/v1/iptv/lines"]})"),
                  403, "route_prefixes", before);
    check_problem(
        f,
        as(f, confined.key, "POST", "/v1/api-keys",
           fmt::format(R"({{"name":"x","expires_at":"{}"}})", core::format_rfc3339(expires + 1s))),
        403, "expires_at", before);
    // A key it creates inherits its prefixes and its end, so it creates no lines either.
    auto child = create(f, R"({"name":"child"})", confined.key);
    CHECK(as(f, child.key, "POST", "/v1/iptv/lines", R"({"username":"sneaky"})").status == 403);
    simdjson::dom::parser p;
    bool seen = false;
    for (auto item : parse_json(p, listing(f, acme.session))["items"].get_array()) {
        if (str(item, "key_id") != child.id) continue;
        seen = true;
        CHECK(str(item, "expires_at") == core::format_rfc3339(expires));
        CHECK(simdjson::to_string(item["route_prefixes"].value()) == R"(["/v1/api-keys"])");
    }
    CHECK(seen);
    f.clock.advance(61min);
    CHECK(status(f, child.key, "GET", "/v1/api-keys") == 401);
}

TEST_CASE("an API key cannot manage its owner's second factor, password, sessions or allowlist") {
    ApiFixture f;
    const auto acme = reseller(f);
    auto weak = create(f, R"({"name":"acme app","role":"customer"})", acme.session);
    auto full = create(f, R"({"name":"acme panel"})", acme.session);
    for (const auto& key : {weak.key, full.key}) {
        warm(f, key);
        const auto before = f.log_size();
        for (const auto& [target, body] : std::vector<std::pair<std::string, std::string>>{
                 {"/v1/auth/2fa/setup", ""},
                 {"/v1/auth/2fa/enable", R"({"code":"000000"})"},
                 {"/v1/auth/2fa/disable", R"({"code":"000000"})"},
                 {"/v1/auth/password",
                  R"({"current_password":"Corr3ct-Horse","password":"N3w-Horse-Battery"})"},
                 {"/v1/auth/sessions/revoke", ""},
                 {"/v1/auth/logout", ""}}) {
            CAPTURE(target);
            check_problem(f, as(f, key, "POST", target, body), 403, "authorization", before);
        }
        check_problem(f,
                      as(f, key, "PUT", "/v1/users/" + acme.id + "/allowlist",
                         R"({"cidrs":["192.0.2.0/24"]})"),
                      403, "authorization", before);
    }
    // The reseller still signs in with its password alone, and its session still works.
    CHECK(login(f, "acme").status == 200);
    CHECK(status(f, acme.session, "GET", "/v1/auth/me") == 200);
}
