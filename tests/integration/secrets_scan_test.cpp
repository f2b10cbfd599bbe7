// The secrets scan: a flow through the real server that creates secrets of every kind (line
// passwords, user passwords, session tokens, API keys, TOTP seeds and backup codes, WireGuard
// private and preshared keys), then searches every output for each of them in clear: every
// file under the data directory (RocksDB SSTs, WAL and MANIFEST included), the server's
// stdout and stderr, `events tail`, `events export` (NDJSON and CSV) and `audit export` (CSV
// and JSON). The admin key may stand in admin.key (0600), and nowhere else.
#include <doctest/doctest.h>

#include <chrono>
#include <cstring>
#include <map>
#include <numeric>

#include <sodium.h>

#include <boost/json.hpp>

#include "events/identity/totp.hpp"
#include "tests/integration/processes.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard;
using namespace switchyard::testing;
namespace json = boost::json;

namespace {

/// A secret and the forms it might leak in.
struct Secret {
    std::string what;
    std::vector<std::string> forms;  ///< The clear text, and raw bytes where it encodes some.
};

json::object ok(const Response& r) {
    REQUIRE_MESSAGE(r.status >= 200, r.status, " ", r.body);
    REQUIRE_MESSAGE(r.status < 300, r.status, " ", r.body);
    return json::parse(r.body).as_object();
}

std::string text(const json::object& o, const char* key) {
    return std::string(o.at(key).as_string());
}

std::string base64_bytes(const std::string& b64) {
    std::string out(b64.size(), '\0');
    std::size_t len = 0;
    REQUIRE(sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), b64.data(),
                              b64.size(), nullptr, &len, nullptr,
                              sodium_base64_VARIANT_ORIGINAL) == 0);
    out.resize(len);
    return out;
}

std::string hex(const std::string& bytes) {
    std::string out;
    for (unsigned char c : bytes) out += fmt::format("{:02x}", c);
    return out;
}

}  // namespace

TEST_CASE("no secret the server was given or made appears in clear in any file or output") {
    REQUIRE(sodium_init() >= 0);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    TempDir tmp;
    const auto data_dir = tmp.path() / "data";
    std::vector<Secret> secrets;
    auto add = [&](const std::string& what, const std::string& value) {
        REQUIRE_FALSE(value.empty());
        secrets.push_back({what, {value}});
    };
    std::map<std::string, std::string> outputs;  ///< name -> text
    std::string key;
    {
        Server server(data_dir, free_port());
        const auto& base = server.base;
        key = slurp(data_dir / "admin.key");
        key = key.substr(0, key.find('\n'));
        add("admin key", key);

        // Lines: three passwords made by the server, three given by the operator.
        for (int i = 0; i < 6; ++i) {
            json::object body{{"username", fmt::format("viewer{}", i)}};
            if (i >= 3) body["password"] = fmt::format("Given-pass{}x{}", i, now_seconds() % 997);
            auto line = ok(http("POST", base + "/v1/iptv/lines", json::serialize(body), key));
            add(fmt::format("line {} password", i), text(line, "password"));
        }
        // Users, their sessions, a password change.
        std::vector<std::pair<std::string, std::string>> users{{"acme", "Reseller-Pass1"},
                                                               {"globex", "Reseller-Pass2"},
                                                               {"ivy", "Customer-Pass3"},
                                                               {"joe", "Customer-Pass4"}};
        std::map<std::string, std::string> tokens, ids;
        for (const auto& [name, password] : users) {
            add("password of " + name, password);
            const auto role = name == "ivy" || name == "joe" ? "customer" : "reseller";
            ids[name] =
                text(ok(http("POST", base + "/v1/users",
                             json::serialize(json::object{
                                 {"username", name}, {"password", password}, {"role", role}}),
                             key)),
                     "user_id");
            tokens[name] = text(
                ok(http("POST", base + "/v1/auth/login",
                        json::serialize(json::object{{"username", name}, {"password", password}}))),
                "token");
            add("session of " + name, tokens[name]);
        }
        ok(http("POST", base + "/v1/auth/password",
                R"({"current_password":"Reseller-Pass2","password":"Changed-Pass5"})",
                tokens["globex"]));
        add("changed password of globex", "Changed-Pass5");
        // A wrong password is recorded as a failed sign-in, never as given.
        CHECK(http("POST", base + "/v1/auth/login",
                   R"({"username":"acme","password":"Wrong-Guess-77"})")
                  .status == 401);
        add("a wrong password tried", "Wrong-Guess-77");
        // API keys, one rotated.
        std::string rotated_id;
        for (int i = 0; i < 3; ++i) {
            auto k = ok(http("POST", base + "/v1/api-keys",
                             fmt::format(R"({{"name":"key {}","role":"support"}})", i), key));
            add(fmt::format("API key {}", i), text(k, "key"));
            rotated_id = text(k, "key_id");
        }
        auto rotated = ok(http("POST", base + "/v1/api-keys/" + rotated_id + "/rotate", "", key));
        add("rotated API key", text(rotated, "key"));
        // Two-factor authentication: the seed (base32 and raw) and the backup codes.
        auto setup = ok(http("POST", base + "/v1/auth/2fa/setup", "", tokens["acme"]));
        const auto seed_b32 = text(setup, "secret");
        const auto seed = events::identity::base32_decode(seed_b32).value();
        secrets.push_back({"TOTP seed of acme", {seed_b32, seed, hex(seed)}});
        auto enabled = ok(http(
            "POST", base + "/v1/auth/2fa/enable",
            fmt::format(R"({{"code":"{}"}})", events::identity::totp_code(seed, now_seconds())),
            tokens["acme"]));
        int n = 0;
        for (const auto& code : enabled.at("backup_codes").as_array())
            if (n++ < 4) add(fmt::format("backup code {}", n), std::string(code.as_string()));
        // WireGuard: keys the server makes for a customer's device.
        ok(http("PUT", base + "/v1/vpn/servers/edge",
                R"({"name":"Edge","endpoint_host":"vpn.example.net","ipv4_pool":"10.77.0.0/24"})",
                key));
        ok(http("PUT", base + "/v1/vpn/subscription?customer_id=" + ids["ivy"],
                R"({"plan_id":"family"})", key));
        ok(http("POST", base + "/v1/vpn/scans",
                R"({"devices":[{"id":"laptop","type":"laptop"},{"id":"phone","type":"phone"}]})",
                tokens["ivy"]));
        for (const char* device : {"laptop", "phone"}) {
            ok(http("POST", fmt::format("{}/v1/vpn/devices/{}/peer", base, device), "{}",
                    tokens["ivy"]));
            auto conf =
                http("GET", fmt::format("{}/v1/vpn/devices/{}/wireguard.conf", base, device), {},
                     tokens["ivy"]);
            REQUIRE(conf.status == 200);
            for (const char* field : {"PrivateKey = ", "PresharedKey = "}) {
                const auto at = conf.body.find(field);
                REQUIRE_MESSAGE(at != std::string::npos, field, conf.body);
                const auto b64 = conf.body.substr(at + std::strlen(field), 44);
                const auto raw = base64_bytes(b64);
                secrets.push_back({fmt::format("{} {}", device, field), {b64, raw, hex(raw)}});
            }
        }
        // A logout ends a session (its token must not be kept in clear either).
        CHECK(http("POST", base + "/v1/auth/logout", "", tokens["joe"]).status == 200);

        // What the running server gives out.
        std::string out;
        REQUIRE(run(fmt::format("'{}' events tail --server {} --data-dir '{}' --no-follow "
                                "2>/dev/null",
                                SY_SWITCHYARD, base, data_dir.string()),
                    &out) == 0);
        outputs["events tail"] = out;
        for (const char* format : {"csv", "json"}) {
            REQUIRE(run(fmt::format("'{}' audit export --server {} --data-dir '{}' --format {} "
                                    "2>/dev/null",
                                    SY_SWITCHYARD, base, data_dir.string(), format),
                        &out) == 0);
            outputs[fmt::format("audit export ({})", format)] = out;
        }
        CHECK(server.stop() == 0);
    }
    for (const char* format : {"ndjson", "csv"}) {
        std::string out;
        REQUIRE(run(fmt::format("'{}' events export --data-dir '{}' --format {} 2>/dev/null",
                                SY_SWITCHYARD, data_dir.string(), format),
                    &out) == 0);
        outputs[fmt::format("events export ({})", format)] = out;
    }
    outputs["server stdout and stderr"] = slurp(tmp.path() / "server.log");
    std::size_t files = 0, bytes = 0;
    for (const auto& e : fs::recursive_directory_iterator(data_dir)) {
        if (!e.is_regular_file()) continue;
        outputs["file " + fs::relative(e.path(), data_dir).string()] = slurp(e.path());
        ++files;
        bytes += e.file_size();
    }
    // The outputs hold what they should: the flow really went through them.
    CHECK(outputs["events tail"].find("identity.login.failed") != std::string::npos);
    CHECK(outputs["events export (ndjson)"].find("vpn.peer.created") != std::string::npos);
    CHECK(outputs["audit export (csv)"].find("identity.api_key.rotated") != std::string::npos);

    // The search sees what is stored: the admin key in admin.key, a username in the log's
    // files (WAL or SST, uncompressed enough to be read as bytes).
    CHECK(outputs["file admin.key"].find(key) != std::string::npos);
    std::size_t log_files_with_name = 0;
    for (const auto& [name, content] : outputs)
        if (name.starts_with("file log/") && content.find("viewer5") != std::string::npos)
            ++log_files_with_name;
    CHECK(log_files_with_name > 0);

    std::size_t searches = 0, found = 0;
    for (const auto& s : secrets) {
        for (const auto& [name, content] : outputs) {
            if (s.what == "admin key" && name == "file admin.key") continue;
            for (const auto& form : s.forms) {
                ++searches;
                const bool clear = content.find(form) != std::string::npos;
                CHECK_MESSAGE(!clear, s.what, " is in clear in ", name);
                found += clear;
            }
        }
    }
    CHECK(secrets.size() >= 20);
    MESSAGE(fmt::format(
        "secrets scan: {} secrets ({} forms) searched in {} outputs ({} files, {} "
        "bytes under the data directory): {} searches, {} found in clear",
        secrets.size(),
        std::accumulate(secrets.begin(), secrets.end(), std::size_t{0},
                        [](std::size_t a, const Secret& s) { return a + s.forms.size(); }),
        outputs.size(), files, bytes, searches, found));
    CHECK(found == 0);
    curl_global_cleanup();
}
