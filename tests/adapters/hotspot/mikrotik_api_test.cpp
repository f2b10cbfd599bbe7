// The MikroTik adapter against a RouterOS API server on loopback that replays exchanges
// written from MikroTik's API documentation (help.mikrotik.com "API": "Initial login", the
// pre-6.43 challenge login example, `!trap` with `=message=`, `!done =ret=` of add) and the
// hotspot menus' properties. No RouterOS runs here; these are transcripts, not a router.
#include "adapters/hotspot/mikrotik_api.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <map>

#include <fmt/format.h>

#include "tests/adapters/hotspot/loopback_servers.hpp"
#include "tests/support/fixed_clock.hpp"
#include "tests/support/result_checks.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard;
using namespace switchyard::adapters::hotspot;
using core::Errc;
using core::hotspot::routeros::Sentence;
using testing::RouterOsServer;

namespace {

const core::Timestamp kNow = *core::parse_rfc3339("2026-11-30T12:00:00Z");

MikrotikOptions options(std::uint16_t port, std::string password = "secret") {
    return {.name = "lobby",
            .host = "127.0.0.1",
            .port = port,
            .username = "admin",
            .password = std::move(password),
            .timeout_ms = 2000};
}

/// Answers a `/login =name=admin =password=secret` with `!done` (RouterOS 6.43+) and anything
/// else from `rest`.
std::function<RouterOsServer::Answer(const Sentence&)> after_login(
    std::function<RouterOsServer::Answer(const Sentence&)> rest) {
    return [rest](const Sentence& s) -> RouterOsServer::Answer {
        if (s.at(0) == "/login") {
            if (s == Sentence{"/login", "=name=admin", "=password=secret"}) return {{{"!done"}}};
            return {{{"!trap", "=message=invalid user name or password (6)"}, {"!done"}}};
        }
        return rest(s);
    };
}

/// A small stand-in for a router's /ip/hotspot/user menu: ids *1, *2, ...; print answers the
/// properties RouterOS prints; a duplicate name traps as RouterOS does.
struct FakeUserMenu {
    struct Row {
        std::string id;
        std::map<std::string, std::string> props;
    };
    std::vector<Row> users{{"*0", {{"name", "default-trial"}, {"default", "true"}}}};
    std::vector<std::string> profiles{"default"};
    int next_id = 1;

    RouterOsServer::Answer operator()(const Sentence& s) {
        std::map<std::string, std::string> attrs;
        std::string query_name;
        for (std::size_t i = 1; i < s.size(); ++i) {
            if (s[i].starts_with('=')) {
                const auto eq = s[i].find('=', 1);
                attrs[s[i].substr(1, eq - 1)] = s[i].substr(eq + 1);
            } else if (s[i].starts_with("?name=")) {
                query_name = s[i].substr(6);
            }
        }
        const auto& cmd = s.at(0);
        if (cmd == "/ip/hotspot/user/print") {
            std::vector<Sentence> out;
            for (const auto& u : users) {
                if (!query_name.empty() && u.props.at("name") != query_name) continue;
                Sentence re{"!re", "=.id=" + u.id};
                for (const auto& [k, v] : u.props) re.push_back("=" + k + "=" + v);
                out.push_back(re);
            }
            out.push_back({"!done"});
            return {out};
        }
        if (cmd == "/ip/hotspot/user/add") {
            for (const auto& u : users)
                if (u.props.at("name") == attrs["name"])
                    return {{{"!trap", "=message=failure: already have user with this name"},
                             {"!done"}}};
            const auto id = "*" + std::to_string(next_id++);
            users.push_back({id, attrs});
            return {{{"!done", "=ret=" + id}}};
        }
        if (cmd == "/ip/hotspot/user/set" || cmd == "/ip/hotspot/user/remove") {
            for (auto it = users.begin(); it != users.end(); ++it) {
                if (it->id != attrs[".id"]) continue;
                if (cmd.ends_with("remove")) {
                    users.erase(it);
                } else {
                    for (const auto& [k, v] : attrs)
                        if (k != ".id") it->props[k] = v;
                }
                return {{{"!done"}}};
            }
            return {{{"!trap", "=message=no such item"}, {"!done"}}};
        }
        if (cmd == "/ip/hotspot/user/profile/print") {
            std::vector<Sentence> out;
            for (const auto& p : profiles)
                if (p == query_name) out.push_back({"!re", "=name=" + p});
            out.push_back({"!done"});
            return {out};
        }
        if (cmd == "/ip/hotspot/user/profile/add") {
            profiles.push_back(attrs["name"]);
            return {{{"!done", "=ret=*P"}}};
        }
        return {{{"!trap", "=message=no such command"}, {"!done"}}};
    }
};

}  // namespace

TEST_CASE("a hotspot user with time and data limits is created through /ip/hotspot/user/add") {
    RouterOsServer router(after_login([](const Sentence&) -> RouterOsServer::Answer {
        return {{{"!done", "=ret=*1"}}};
    }));
    testing::FixedClock clock(kNow);
    MikrotikController mikrotik(options(router.port()), clock);
    REQUIRE(mikrotik.create_user({.name = "testuser",
                                  .password = "testpass",
                                  .profile = "default",
                                  .limit_uptime_seconds = 3600,
                                  .limit_bytes_total = 1048576,
                                  .mac = "aa-bb-cc-dd-ee-ff"}));
    const auto got = router.received();
    REQUIRE(got.size() == 2);
    CHECK(got[0] == Sentence{"/login", "=name=admin", "=password=secret"});
    CHECK(got[1] == Sentence{"/ip/hotspot/user/add", "=name=testuser", "=password=testpass",
                             "=profile=default", "=limit-uptime=1h", "=limit-bytes-total=1048576",
                             "=mac-address=AA:BB:CC:DD:EE:FF"});
}

TEST_CASE("a duplicate user name fails with RouterOS's own !trap message") {
    RouterOsServer router(after_login([](const Sentence&) -> RouterOsServer::Answer {
        return {{{"!trap", "=category=0", "=message=failure: already have user with this name"},
                 {"!done"}}};
    }));
    testing::FixedClock clock(kNow);
    MikrotikController mikrotik(options(router.port()), clock);
    const auto r = mikrotik.create_user({.name = "testuser", .password = "x"});
    CHECK(testing::error_of(r).code == Errc::Conflict);
    CHECK(testing::error_of(r).message.find("failure: already have user with this name") !=
          std::string::npos);
    // The connection survives a trap: the next call reuses it.
    CHECK_FALSE(mikrotik.create_user({.name = "testuser", .password = "x"}));
    CHECK(router.connections() == 1);
}

TEST_CASE("users are printed with a ?name= query and read back into limits") {
    RouterOsServer router(after_login([](const Sentence& s) -> RouterOsServer::Answer {
        if (s == Sentence{"/ip/hotspot/user/print", "?name=testuser"})
            return {
                {{"!re", "=.id=*1", "=server=all", "=name=testuser", "=password=testpass",
                  "=profile=default", "=limit-uptime=1h", "=limit-bytes-total=1048576",
                  "=uptime=0s", "=bytes-in=0", "=bytes-out=0", "=dynamic=false", "=disabled=false"},
                 {"!done"}}};
        return {{{"!trap", "=message=unexpected"}, {"!done"}}};
    }));
    testing::FixedClock clock(kNow);
    MikrotikController mikrotik(options(router.port()), clock);
    const auto users = mikrotik.list_users("testuser");
    REQUIRE(users);
    REQUIRE(users->size() == 1);
    const auto& u = users->front();
    CHECK(u.name == "testuser");
    CHECK(u.password == "testpass");
    CHECK(u.profile.empty());  // `default`
    CHECK(u.limit_uptime_seconds == 3600);
    CHECK(u.limit_bytes_total == 1048576);
}

TEST_CASE("a user is removed by the .id its print gives") {
    RouterOsServer router(after_login([](const Sentence& s) -> RouterOsServer::Answer {
        if (s.at(0) == "/ip/hotspot/user/print")
            return {{{"!re", "=.id=*1A", "=name=testuser"}, {"!done"}}};
        return {{{"!done"}}};
    }));
    testing::FixedClock clock(kNow);
    MikrotikController mikrotik(options(router.port()), clock);
    REQUIRE(mikrotik.remove_user("testuser"));
    const auto got = router.received();
    REQUIRE(got.size() == 3);
    CHECK(got[1] == Sentence{"/ip/hotspot/user/print", "=.proplist=.id,name", "?name=testuser"});
    CHECK(got[2] == Sentence{"/ip/hotspot/user/remove", "=.id=*1A"});
}

TEST_CASE("removing a user the router does not have is NotFound") {
    RouterOsServer router(
        after_login([](const Sentence&) -> RouterOsServer::Answer { return {{{"!done"}}}; }));
    testing::FixedClock clock(kNow);
    MikrotikController mikrotik(options(router.port()), clock);
    CHECK(testing::error_of(mikrotik.remove_user("ghost")).code == Errc::NotFound);
}

TEST_CASE("before RouterOS 6.43 the login challenge is answered with 00 + MD5") {
    // The documented example: challenge ebddd183..., user admin with an empty password.
    RouterOsServer router([](const Sentence& s) -> RouterOsServer::Answer {
        if (s == Sentence{"/login", "=name=admin", "=password="})
            return {{{"!done", "=ret=ebddd18303a54111e2dea05a92ab46b4"}}};
        if (s == Sentence{"/login", "=name=admin", "=response=001ea726ed53ae38520c8334f82d44c9f2"})
            return {{{"!done"}}};
        if (s.at(0) == "/system/identity/print") return {{{"!re", "=name=MikroTik"}, {"!done"}}};
        return {{{"!trap", "=message=invalid user name or password (6)"}, {"!done"}}};
    });
    testing::FixedClock clock(kNow);
    MikrotikController mikrotik(options(router.port(), ""), clock);
    REQUIRE(mikrotik.test_connection());
    CHECK(router.received().size() == 3);
    CHECK(routeros_challenge_response("", "ebddd18303a54111e2dea05a92ab46b4") ==
          std::string("001ea726ed53ae38520c8334f82d44c9f2"));
}

TEST_CASE("a refused login is Unauthorized with the router's message") {
    RouterOsServer router(
        after_login([](const Sentence&) -> RouterOsServer::Answer { return {{{"!done"}}}; }));
    testing::FixedClock clock(kNow);
    MikrotikController mikrotik(options(router.port(), "wrong"), clock);
    const auto r = mikrotik.test_connection();
    CHECK(testing::error_of(r).code == Errc::Unauthorized);
    CHECK(testing::error_of(r).message.find("invalid user name or password (6)") !=
          std::string::npos);
}

TEST_CASE("active sessions are printed and one is ended by its .id") {
    RouterOsServer router(after_login([](const Sentence& s) -> RouterOsServer::Answer {
        if (s.at(0) == "/ip/hotspot/active/print")
            return {{{"!re", "=.id=*2", "=server=hotspot1", "=user=testuser", "=address=10.5.50.3",
                      "=mac-address=AA:BB:CC:DD:EE:FF", "=login-by=http-chap", "=uptime=1h2m3s",
                      "=bytes-in=1500", "=bytes-out=42000"},
                     {"!done"}}};
        if (s == Sentence{"/ip/hotspot/active/remove", "=.id=*2"}) return {{{"!done"}}};
        return {{{"!trap", "=message=no such item"}, {"!done"}}};
    }));
    testing::FixedClock clock(kNow);
    MikrotikController mikrotik(options(router.port()), clock);
    const auto active = mikrotik.list_active();
    REQUIRE(active);
    REQUIRE(active->size() == 1);
    CHECK(active->at(0).id == "*2");
    CHECK(active->at(0).user == "testuser");
    CHECK(active->at(0).mac == "aa:bb:cc:dd:ee:ff");
    CHECK(active->at(0).address == "10.5.50.3");
    CHECK(active->at(0).uptime_seconds == 3723);
    CHECK(active->at(0).bytes_in == 1500);
    CHECK(active->at(0).bytes_out == 42000);
    REQUIRE(mikrotik.end_session("*2"));
    CHECK(testing::error_of(mikrotik.end_session("*9")).code == Errc::NotFound);
}

TEST_CASE("a client is authorized by MAC with a bypassed ip-binding that records its expiry") {
    std::vector<Sentence> bindings;
    RouterOsServer router(after_login([&](const Sentence& s) -> RouterOsServer::Answer {
        if (s.at(0) == "/ip/hotspot/ip-binding/add") return {{{"!done", "=ret=*5"}}};
        if (s.at(0) == "/ip/hotspot/ip-binding/print")
            return {{{"!re", "=.id=*5", "=mac-address=AA:BB:CC:DD:EE:FF", "=type=bypassed",
                      "=comment=switchyard until 2026-11-30T13:00:00.000000Z"},
                     {"!re", "=.id=*6", "=mac-address=AA:BB:CC:DD:EE:01", "=type=bypassed",
                      "=comment=staff laptop"},
                     {"!done"}}};
        return {{{"!done"}}};
    }));
    testing::FixedClock clock(kNow);
    MikrotikController mikrotik(options(router.port()), clock);
    REQUIRE(mikrotik.authorize_mac({.mac = "aa:bb:cc:dd:ee:ff", .duration_seconds = 3600}));
    CHECK(router.received().at(1) ==
          Sentence{"/ip/hotspot/ip-binding/add", "=mac-address=AA:BB:CC:DD:EE:FF", "=type=bypassed",
                   "=comment=switchyard until 2026-11-30T13:00:00.000000Z"});
    CHECK(mikrotik.remove_expired_bindings() == 0);  // 12:00, not expired yet
    clock.advance(std::chrono::hours(1));
    CHECK(mikrotik.remove_expired_bindings() == 1);
    CHECK(router.received().back() == Sentence{"/ip/hotspot/ip-binding/remove", "=.id=*5"});
    CHECK(testing::error_of(mikrotik.authorize_mac({.mac = "nope"})).field == "mac");
}

TEST_CASE("a router that stops answering times out within the bound") {
    RouterOsServer router(after_login([](const Sentence&) -> RouterOsServer::Answer {
        return {};  // silence
    }));
    testing::FixedClock clock(kNow);
    auto o = options(router.port());
    o.timeout_ms = 300;
    MikrotikController mikrotik(o, clock);
    const auto start = std::chrono::steady_clock::now();
    const auto r = mikrotik.list_active();
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(testing::error_of(r).code == Errc::Timeout);
    CHECK(took < std::chrono::seconds(2));
}

TEST_CASE("!fatal closes the connection and the next call logs in again") {
    int prints = 0;
    RouterOsServer router(after_login([&](const Sentence&) -> RouterOsServer::Answer {
        if (++prints == 1) return {{{"!fatal", "session terminated on request"}}, true};
        return {{{"!done"}}};
    }));
    testing::FixedClock clock(kNow);
    MikrotikController mikrotik(options(router.port()), clock);
    const auto r = mikrotik.list_active();
    CHECK(testing::error_of(r).code == Errc::Unavailable);
    CHECK(testing::error_of(r).message.find("session terminated on request") != std::string::npos);
    REQUIRE(mikrotik.list_active());
    CHECK(router.connections() == 2);
}

TEST_CASE("rates go on a sy- profile made once, and read back as rates") {
    FakeUserMenu menu;
    RouterOsServer router(after_login([&](const Sentence& s) { return menu(s); }));
    testing::FixedClock clock(kNow);
    MikrotikController mikrotik(options(router.port()), clock);
    REQUIRE(mikrotik.create_user(
        {.name = "fast", .password = "p", .download_kbps = 2048, .upload_kbps = 1024}));
    REQUIRE(mikrotik.create_user(
        {.name = "fast2", .password = "p", .download_kbps = 2048, .upload_kbps = 1024}));
    int profile_adds = 0;
    for (const auto& s : router.received())
        if (s.at(0) == "/ip/hotspot/user/profile/add") {
            ++profile_adds;
            CHECK(s == Sentence{"/ip/hotspot/user/profile/add", "=name=sy-d2048k-u1024k",
                                "=rate-limit=1024k/2048k"});
        }
    CHECK(profile_adds == 1);
    const auto users = mikrotik.list_users("fast");
    REQUIRE(users);
    CHECK(users->at(0).download_kbps == 2048);
    CHECK(users->at(0).upload_kbps == 1024);
    CHECK(users->at(0).profile.empty());
    CHECK(
        testing::error_of(mikrotik.create_user({.name = "x", .profile = "vip", .download_kbps = 1}))
            .field == "profile");
}

TEST_CASE("sync adds the missing users, removes the extra, changes the differing") {
    FakeUserMenu menu;
    menu.users.push_back({"*10", {{"name", "keep"}, {"password", "k"}, {"profile", "default"}}});
    menu.users.push_back({"*11", {{"name", "stale"}, {"password", "s"}, {"profile", "default"}}});
    menu.users.push_back(
        {"*12",
         {{"name", "change"}, {"password", "c"}, {"profile", "default"}, {"limit-uptime", "30m"}}});
    RouterOsServer router(after_login([&](const Sentence& s) { return menu(s); }));
    testing::FixedClock clock(kNow);
    MikrotikController mikrotik(options(router.port()), clock);
    const std::vector<HotspotUser> desired{
        {.name = "keep", .password = "k"},
        {.name = "change", .password = "c", .limit_uptime_seconds = 3600},
        {.name = "new", .password = "n", .limit_bytes_total = 1048576}};
    const auto report = mikrotik.sync(desired);
    REQUIRE(report);
    CHECK(report->added == std::vector<std::string>{"new"});
    CHECK(report->removed == std::vector<std::string>{"stale"});
    CHECK(report->changed == std::vector<std::string>{"change"});
    CHECK(report->unchanged == 1);
    CHECK(report->failed.empty());
    CHECK(report->records_synced() == 3);
    // The default-trial entry is left alone, and a second sync finds nothing to do.
    const auto again = mikrotik.sync(desired);
    REQUIRE(again);
    CHECK(again->records_synced() == 0);
    CHECK(again->unchanged == 3);
    CHECK(menu.users.at(0).props.at("name") == "default-trial");
}

TEST_CASE("over TLS (api-ssl) the router's certificate is checked before the login") {
    testing::TempDir dir;
    const auto cert = (dir.path() / "cert.pem").string();
    const auto key = (dir.path() / "key.pem").string();
    const auto command = fmt::format(
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout '{}' "
        "-out '{}' -days 1 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 2>/dev/null",
        key, cert);
    if (std::system(command.c_str()) != 0) {
        testing::skip("the openssl tool cannot make a test certificate");
        return;
    }
    RouterOsServer router(after_login([](const Sentence& s) -> RouterOsServer::Answer {
                              if (s.at(0) == "/system/identity/print")
                                  return {{{"!re", "=name=MikroTik"}, {"!done"}}};
                              return {{{"!done"}}};
                          }),
                          cert, key);
    testing::FixedClock clock(kNow);
    auto o = options(router.port());
    o.tls = true;
    o.ca_file = cert;
    {
        MikrotikController trusted(o, clock);
        const auto ok = trusted.test_connection();
        REQUIRE_MESSAGE(ok, (ok ? std::string() : ok.error().message));
        CHECK(router.received().at(0) == Sentence{"/login", "=name=admin", "=password=secret"});
    }  // closes its connection: the test server serves one connection at a time

    // Without the certificate among the trusted ones, no word is sent.
    const auto before = router.received().size();
    o.ca_file.clear();
    MikrotikController untrusted(o, clock);
    const auto r = untrusted.test_connection();
    CHECK(testing::error_of(r).code == Errc::Unavailable);
    CHECK(testing::error_of(r).message.find("TLS handshake") != std::string::npos);
    CHECK(router.received().size() == before);

    // A certificate for another address is refused too.
    const auto other = (dir.path() / "other.pem").string();
    const auto other_key = (dir.path() / "other-key.pem").string();
    REQUIRE(std::system(fmt::format("openssl req -x509 -newkey ec -pkeyopt "
                                    "ec_paramgen_curve:prime256v1 -nodes -keyout '{}' -out '{}' "
                                    "-days 1 -subj /CN=router.example -addext "
                                    "subjectAltName=DNS:router.example 2>/dev/null",
                                    other_key, other)
                            .c_str()) == 0);
    RouterOsServer impostor(
        after_login([](const Sentence&) -> RouterOsServer::Answer { return {{{"!done"}}}; }), other,
        other_key);
    auto oi = options(impostor.port());
    oi.tls = true;
    oi.ca_file = other;
    MikrotikController wrong_name(oi, clock);
    CHECK(testing::error_of(wrong_name.test_connection()).code == Errc::Unavailable);
    CHECK(impostor.received().empty());
}
