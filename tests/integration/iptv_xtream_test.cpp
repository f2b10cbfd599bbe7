// The whole path with real components: the switchyard server on a free port, the ten iptv-org
// playlists imported through the CLI, a line, and the Xtream answers checked against the files.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <curl/curl.h>
#include <fmt/format.h>
#include <boost/json.hpp>

#include "core/iptv/catalogue.hpp"
#include "core/iptv/m3u.hpp"
#include "events/identity/totp.hpp"
#include "tests/integration/processes.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace switchyard;

namespace {

using namespace switchyard::testing;

struct Expected {
    std::map<std::string, std::pair<std::string, std::string>> by_url;
    std::size_t entries = 0;
};

Expected expected_from(const std::vector<fs::path>& files) {
    Expected e;
    for (const auto& f : files) {
        auto p = core::iptv::parse_m3u(slurp(f));
        REQUIRE_MESSAGE(p.invalid.empty(), f.string());
        e.entries += p.entries.size();
        for (const auto& entry : p.entries) {
            auto it = entry.attributes.find("tvg-id");
            e.by_url[entry.url] = {entry.title, it == entry.attributes.end() ? "" : it->second};
        }
    }
    return e;
}

/// The whole flow on one log: `log` empty for the embedded log, else `kafka://...`.
void iptv_flow(const std::string& log) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    testing::TempDir tmp;
    const auto data_dir = tmp.path() / "data";
    const fs::path m3u_dir = fs::path(SY_SHARED_DATA) / "iptv" / "m3u";
    std::vector<fs::path> files;
    for (const auto& f : fs::directory_iterator(m3u_dir)) {
        if (f.path().extension() == ".m3u") files.push_back(f.path());
    }
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() == 10);
    const auto expected = expected_from(files);
    REQUIRE(expected.entries == 2607);
    REQUIRE(expected.by_url.size() == 2607);

    const int port = free_port();
    Server server(data_dir, port, log);
    const auto key_text = slurp(data_dir / "admin.key");
    const auto key = key_text.substr(0, key_text.find('\n'));
    REQUIRE(key.rfind("sy_", 0) == 0);
    CHECK((fs::status(data_dir / "admin.key").permissions() & fs::perms::others_read) ==
          fs::perms::none);

    // Import through the CLI, as an operator would.
    std::string files_arg;
    for (const auto& f : files) files_arg += " '" + f.string() + "'";
    std::string report_text;
    REQUIRE(
        run(fmt::format(
                "'{}' import m3u --server {} --data-dir '{}' --category-from country{} 2>/dev/null",
                SY_SWITCHYARD, server.base, data_dir.string(), files_arg),
            &report_text) == 0);
    auto report = json::parse(report_text).as_object();
    CHECK(report.at("entries").as_int64() == 2607);
    CHECK(report.at("created").as_int64() == 2607);
    CHECK(report.at("invalid").as_int64() == 0);

    // The same playlists again create nothing and append nothing.
    auto head_before = json::parse(http("GET", server.base + "/readyz").body)
                           .as_object()
                           .at("log_head")
                           .as_string();
    REQUIRE(run(fmt::format("'{}' import m3u --server {} --data-dir '{}'{} 2>/dev/null",
                            SY_SWITCHYARD, server.base, data_dir.string(), files_arg),
                &report_text) == 0);
    report = json::parse(report_text).as_object();
    CHECK(report.at("created").as_int64() == 0);
    CHECK(report.at("unchanged").as_int64() == 2607);
    CHECK(json::parse(http("GET", server.base + "/readyz").body)
              .as_object()
              .at("log_head")
              .as_string() == head_before);

    // A reseller signs in with a password and a session token; logout ends the token.
    auto reseller =
        http("POST", server.base + "/v1/users",
             R"({"username":"acme","password":"Corr3ct-Horse","role":"reseller"})", key);
    REQUIRE_MESSAGE(reseller.status == 201, reseller.body);
    auto signed_in = http("POST", server.base + "/v1/auth/login",
                          R"({"username":"acme","password":"Corr3ct-Horse"})");
    REQUIRE_MESSAGE(signed_in.status == 200, signed_in.body);
    const std::string token(json::parse(signed_in.body).as_object().at("token").as_string());
    CHECK(http("GET", server.base + "/v1/auth/me", {}, token).status == 200);
    CHECK(http("POST", server.base + "/v1/auth/login",
               R"({"username":"acme","password":"Wrong-pass1"})")
              .status == 401);
    // Two-factor on, then a sign-in with a backup code.
    auto setup = http("POST", server.base + "/v1/auth/2fa/setup", {}, token);
    REQUIRE_MESSAGE(setup.status == 200, setup.body);
    const auto seed = events::identity::base32_decode(
                          json::parse(setup.body).as_object().at("secret").as_string())
                          .value();
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    auto enabled =
        http("POST", server.base + "/v1/auth/2fa/enable",
             fmt::format(R"({{"code":"{}"}})", events::identity::totp_code(seed, now)), token);
    REQUIRE_MESSAGE(enabled.status == 200, enabled.body);
    const std::string backup(
        json::parse(enabled.body).as_object().at("backup_codes").as_array().at(0).as_string());
    auto second = http(
        "POST", server.base + "/v1/auth/login",
        fmt::format(R"({{"username":"acme","password":"Corr3ct-Horse","totp":"{}"}})", backup));
    CHECK_MESSAGE(second.status == 200, second.body);
    CHECK(http("POST", server.base + "/v1/auth/logout", {}, token).status == 200);
    CHECK(http("GET", server.base + "/v1/auth/me", {}, token).status == 401);

    // A line, read back through the Xtream Codes API.
    auto created = http("POST", server.base + "/v1/iptv/lines",
                        R"({"username":"viewer1","max_connections":2})", key);
    REQUIRE_MESSAGE(created.status == 201, created.body);
    auto line = json::parse(created.body).as_object();
    const std::string password(line.at("password").as_string());
    const std::string position(line.at("position").as_string());
    const auto creds = fmt::format("username=viewer1&password={}", password);
    REQUIRE(http("GET", fmt::format("{}/v1/iptv/lines/1?after={}", server.base, position), {}, key)
                .status == 200);

    auto info = json::parse(http("GET", server.base + "/player_api.php?" + creds).body).as_object();
    CHECK(info.at("user_info").as_object().at("auth").as_int64() == 1);
    CHECK(info.at("user_info").as_object().at("max_connections").as_string() == "2");
    CHECK(info.at("server_info").as_object().at("port").as_string() == std::to_string(port));

    auto streams =
        json::parse(
            http("GET", server.base + "/player_api.php?" + creds + "&action=get_live_streams").body)
            .as_array();
    REQUIRE(streams.size() == 2607);
    auto categories = json::parse(http("GET", server.base + "/player_api.php?" + creds +
                                                  "&action=get_live_categories")
                                      .body)
                          .as_array();
    CHECK(categories.size() >= 10);
    std::set<std::int64_t> ids;
    std::map<std::string, std::string> category_name;
    for (const auto& c : categories) {
        category_name[std::string(c.at("category_id").as_string())] =
            std::string(c.at("category_name").as_string());
    }
    std::int64_t num = 0;
    for (const auto& v : streams) {
        const auto& s = v.as_object();
        CHECK(s.at("num").as_int64() == ++num);
        CHECK(s.at("stream_type").as_string() == "live");
        CHECK(s.at("added").is_string());
        ids.insert(s.at("stream_id").as_int64());
        if (s.at("category_id").is_string())
            CHECK(category_name.count(std::string(s.at("category_id").as_string())));
    }
    CHECK(ids.size() == 2607);

    // get.php m3u_plus: count, names, tvg-id (the guide channel); each /live/ URL names the
    // stream of a file's URL (the sources from the admin API: /live/ restreams, so it never
    // reveals them).
    auto playlist = http("GET", server.base + "/get.php?" + creds + "&type=m3u_plus&output=ts");
    REQUIRE(playlist.status == 200);
    auto served = core::iptv::parse_m3u(playlist.body);
    CHECK(served.invalid.empty());
    REQUIRE(served.entries.size() == 2607);
    std::map<std::int64_t, std::string> source_of;
    for (std::string cursor;;) {
        auto page =
            http("GET", server.base + "/v1/iptv/streams?limit=1000&cursor=" + cursor, {}, key);
        REQUIRE(page.status == 200);
        auto doc = json::parse(page.body).as_object();
        for (const auto& item : doc.at("items").as_array())
            source_of[item.at("stream_id").as_int64()] =
                std::string(item.at("source_url").as_string());
        if (doc.at("next_cursor").is_null()) break;
        cursor = std::string(doc.at("next_cursor").as_string());
    }
    std::set<std::string> urls_seen;
    std::size_t mismatches = 0;
    for (const auto& e : served.entries) {
        const auto slash = e.url.rfind('/'), dot = e.url.rfind('.');
        REQUIRE_MESSAGE(e.url.find("/live/viewer1/") != std::string::npos, e.url);
        const auto source = source_of.find(std::stoll(e.url.substr(slash + 1, dot - slash - 1)));
        REQUIRE_MESSAGE(source != source_of.end(), e.url);
        auto it = expected.by_url.find(source->second);
        if (it == expected.by_url.end()) {
            ++mismatches;
            continue;
        }
        urls_seen.insert(source->second);
        // The served tvg-id is the guide channel id: the source's tvg-id without its feed
        // (`2GB.au@SD` -> `2GB.au`), as player_api's epg_channel_id.
        if (it->second.first != e.title ||
            core::iptv::epg_channel_of(it->second.second) != e.attributes.at("tvg-id"))
            ++mismatches;
    }
    CHECK(mismatches == 0);
    CHECK(urls_seen.size() == 2607);
    auto plain = http("GET", server.base + "/get.php?" + creds + "&type=m3u&output=m3u8");
    CHECK(core::iptv::parse_m3u(plain.body).entries.size() == 2607);

    // Authentication failures.
    auto bad =
        json::parse(
            http("GET", server.base + "/player_api.php?username=viewer1&password=wrong").body)
            .as_object();
    CHECK(bad.at("user_info").as_object().at("auth").as_int64() == 0);
    CHECK(http("GET", server.base + "/get.php?username=viewer1&password=wrong").status == 401);
    CHECK(http("GET", server.base + "/v1/iptv/lines").status == 401);
    auto disabled =
        http("PATCH", server.base + "/v1/iptv/lines/1", R"({"status":"disabled"})", key);
    REQUIRE(disabled.status == 200);
    const std::string after(json::parse(disabled.body).as_object().at("position").as_string());
    REQUIRE(http("GET", fmt::format("{}/v1/iptv/lines/1?after={}", server.base, after), {}, key)
                .status == 200);
    auto refused =
        json::parse(http("GET", server.base + "/player_api.php?" + creds).body).as_object();
    CHECK(refused.at("user_info").as_object().at("auth").as_int64() == 0);

    // `events tail` shows the log; keep it for the schema test.
    std::string ndjson;
    REQUIRE(run(fmt::format("'{}' events tail --server {} --data-dir '{}' --no-follow",
                            SY_SWITCHYARD, server.base, data_dir.string()),
                &ndjson) == 0);
    std::size_t lines = std::count(ndjson.begin(), ndjson.end(), '\n');
    CHECK(lines > 2607);
    if (log.empty()) std::ofstream(SY_EVENTS_OUT) << ndjson;

    // No password or key in the log or the server's output.
    CHECK(ndjson.find(password) == std::string::npos);
    CHECK(ndjson.find(key) == std::string::npos);
    const auto server_log = slurp(tmp.path() / "server.log");
    CHECK(server_log.find(password) == std::string::npos);
    CHECK(server_log.find(key) == std::string::npos);
    for (const auto& secret : {std::string("Corr3ct-Horse"), token, backup}) {
        CHECK(ndjson.find(secret) == std::string::npos);
        CHECK(server_log.find(secret) == std::string::npos);
    }

    // `audit export`: the failed sign-in, as CSV and as JSON.
    std::string audit;
    REQUIRE(run(fmt::format("'{}' audit export --server {} --data-dir '{}' --type "
                            "identity.login.failed 2>/dev/null",
                            SY_SWITCHYARD, server.base, data_dir.string()),
                &audit) == 0);
    CHECK(audit.rfind("time,actor_kind,actor_id,ip,type,resource,", 0) == 0);
    CHECK(std::count(audit.begin(), audit.end(), '\n') == 2);
    CHECK(audit.find(",identity.login.failed,auth_failures-op,") != std::string::npos);
    CHECK(audit.find("Wrong-pass1") == std::string::npos);
    REQUIRE(run(fmt::format("'{}' audit export --server {} --data-dir '{}' --format json "
                            "--resource line-1 2>/dev/null",
                            SY_SWITCHYARD, server.base, data_dir.string()),
                &audit) == 0);
    auto audit_rows = json::parse(audit).as_array();
    CHECK(audit_rows.size() >= 2);
    CHECK(audit_rows.at(0).as_object().at("type").as_string() == "iptv.line.created");

    // Stop, then replay every read model and compare digests; restart and serve the same.
    CHECK(server.stop() == 0);

    // `events export` for analysts: NDJSON filtered by type, and CSV of everything.
    const auto source =
        log.empty() ? fmt::format("--data-dir '{}'", data_dir.string()) : "--log " + log;
    std::string exported;
    REQUIRE(run(fmt::format("'{}' events export {} --type iptv.stream.added 2>/dev/null",
                            SY_SWITCHYARD, source),
                &exported) == 0);
    CHECK(std::count(exported.begin(), exported.end(), '\n') == 2607);
    REQUIRE(
        run(fmt::format("'{}' events export {} --format csv 2>/dev/null", SY_SWITCHYARD, source),
            &exported) == 0);
    CHECK(exported.rfind("position,time,type,", 0) == 0);
    CHECK(exported.find(",iptv.line.updated,") != std::string::npos);
    CHECK(exported.find(password) == std::string::npos);
    for (const char* model :
         {"xtream_catalogue", "line_directory", "audit_trail", "api_keys", "users"}) {
        if (!log.empty()) break;  // replay reads the embedded log
        std::string out;
        CHECK_MESSAGE(run(fmt::format("'{}' replay --data-dir '{}' --projection {}", SY_SWITCHYARD,
                                      data_dir.string(), model),
                          &out) == 0,
                      out);
        CHECK(out.find("digests match") != std::string::npos);
    }
    if (log.empty()) {
        std::string out;
        CHECK(run(fmt::format(
                      "'{}' replay --data-dir '{}' --projection xtream_catalogue --until 0:100",
                      SY_SWITCHYARD, data_dir.string()),
                  &out) == 1);
        CHECK(out.find("DIFFER") != std::string::npos);
    }

    Server again(data_dir, free_port(), log);
    // A clean restart finds every model at its checkpoint: nothing is projected again.
    CHECK(http("GET", again.base + "/metrics")
              .body.find("switchyard_projection_events_applied_total 0\n") != std::string::npos);
    auto after_restart = json::parse(
        http("GET", again.base + "/player_api.php?" + creds + "&action=get_live_streams").body);
    CHECK(after_restart.is_object());  // the line is disabled: auth 0
    REQUIRE(http("PATCH", again.base + "/v1/iptv/lines/1", R"({"status":"active"})", key).status ==
            200);
    for (int i = 0; i < 100; ++i) {
        auto r = json::parse(
            http("GET", again.base + "/player_api.php?" + creds + "&action=get_live_streams").body);
        if (r.is_array()) {
            CHECK(r.as_array().size() == 2607);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    // Read models are written without WAL: after a SIGKILL they fall back to their last flushed
    // checkpoint and catch up from the log, missing nothing.
    kill(again.pid, SIGKILL);
    waitpid(again.pid, nullptr, 0);
    again.pid = -1;
    Server third(data_dir, free_port(), log);
    for (int i = 0; i < 200; ++i) {
        if (http("GET", third.base + "/readyz").status == 200) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK(http("GET", third.base + "/readyz").status == 200);
    auto after_kill = json::parse(
        http("GET", third.base + "/player_api.php?" + creds + "&action=get_live_streams").body);
    REQUIRE(after_kill.is_array());
    CHECK(after_kill.as_array().size() == 2607);
    CHECK(third.stop() == 0);
    curl_global_cleanup();
}

}  // namespace

TEST_CASE(
    "the ten iptv-org playlists travel HTTP -> embedded log -> read model -> Xtream Codes API") {
    iptv_flow("");
}

TEST_CASE(
    "the same flow with Kafka as the log (mock cluster, server and CLI as separate processes)") {
    MockKafka kafka;
    iptv_flow("kafka://" + kafka.bootstrap);
}
