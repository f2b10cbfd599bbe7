// Issue 15 item 6 with real processes: a main `switchyard serve` and two streaming server
// processes (`serve --iptv-server-id N --iptv-main URL`), each with its own data directory and
// FFmpeg workers, restreaming a synthetic source (ffmpeg testsrc over HTTP on loopback). The
// main server sends each viewer to a server by a signed URL; the server asks the main server to
// admit the viewer and keeps the lease through it, so max_connections holds across servers; a
// server that dies leaves its leases to expire and is marked down, and the next viewer goes to
// the other one. Skipped without ffmpeg (failing under CI=true).
#include <doctest/doctest.h>

#include <atomic>
#include <set>
#include <thread>

#include <boost/json.hpp>

#include "tests/integration/processes.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/synthetic_source.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/wait_until.hpp"

namespace {

using namespace switchyard::testing;
namespace json = boost::json;
using std::chrono::milliseconds;

/// A player reading a `.ts` URL on a thread of its own until stop() (or the server ends it).
struct Viewer {
    std::string url;
    std::string user_agent;
    std::atomic<long> status{0};
    std::atomic<std::size_t> bytes{0};
    std::atomic<bool> first_sync{false};  ///< The first byte was an MPEG-TS sync byte (0x47).
    std::atomic<bool> stopping{false}, ended{false};
    std::thread thread;

    Viewer(std::string u, std::string ua) : url(std::move(u)), user_agent(std::move(ua)) {
        thread = std::thread([this] { run(); });
    }
    ~Viewer() { stop(); }
    void stop() {
        stopping = true;
        if (thread.joinable()) thread.join();
    }

  private:
    static std::size_t take(char* d, std::size_t s, std::size_t n, void* self) {
        auto* v = static_cast<Viewer*>(self);
        if (v->bytes == 0 && s * n > 0) v->first_sync = static_cast<unsigned char>(d[0]) == 0x47;
        v->bytes += s * n;
        return v->stopping ? 0 : s * n;  // 0 aborts the transfer: the player goes away
    }
    static int progress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
        return static_cast<Viewer*>(self)->stopping ? 1 : 0;
    }
    void run() {
        CURL* c = curl_easy_init();
        curl_easy_setopt(c, CURLOPT_URL, url.c_str());
        curl_easy_setopt(c, CURLOPT_USERAGENT, user_agent.c_str());
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, take);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, this);
        curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress);
        curl_easy_setopt(c, CURLOPT_XFERINFODATA, this);
        curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
        curl_easy_perform(c);
        long code = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        status = code;
        curl_easy_cleanup(c);
        ended = true;
    }
};

/// The open connections of the main server's monitoring read model.
json::array open_connections(const Server& main, const std::string& key) {
    const auto r = http("GET", main.base + "/v1/iptv/monitoring/connections", {}, key);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    return json::parse(r.body).at("items").as_array();
}

/// The id of the server a viewer's lease is counted on, for the viewer `user_agent`; 0 if none.
std::int64_t server_of(const json::array& connections, const std::string& user_agent) {
    for (const auto& c : connections)
        if (c.at("user_agent").as_string() == user_agent) return c.at("server_id").as_int64();
    return 0;
}

/// Whether `id`'s health on the main server is `up`.
bool server_up(const Server& main, const std::string& key, std::int64_t id) {
    const auto r = http("GET", fmt::format("{}/v1/iptv/servers/{}", main.base, id), {}, key);
    return r.status == 200 && json::parse(r.body).at("health").at("status").as_string() == "up";
}

}  // namespace

TEST_CASE(
    "iptv servers: a main server and two streaming server processes: viewers sent by signed "
    "URLs, max_connections held across servers, a killed server's lease expires and the next "
    "viewer goes to the other") {
    if (!have_ffmpeg()) return skip("ffmpeg or ffprobe is not installed");
    TempDir tmp;
    SyntheticSource source;
    const int main_port = free_port();
    fs::create_directories(tmp.path() / "main");
    Server main(tmp.path() / "main" / "data", main_port, {},
                {"--server-check-interval-ms", "500", "--server-check-fall", "2",
                 "--server-check-rise", "1", "--iptv-lease-timeout-s", "6",
                 // the test polls the monitoring routes with one key
                 "--rate-authenticated", "0"});
    const auto key_text = slurp(tmp.path() / "main" / "data" / "admin.key");
    const auto key = key_text.substr(0, key_text.find('\n'));
    // The servers' key may only call /v1/iptv/edge (the admission and lease routes).
    auto edge_key = http("POST", main.base + "/v1/api-keys",
                         R"({"name":"streaming servers","role":"support",)"
                         R"("route_prefixes":["/v1/iptv/edge"]})",
                         key);
    REQUIRE_MESSAGE(edge_key.status == 201, edge_key.body);
    const std::string scoped(json::parse(edge_key.body).at("key").as_string());
    CHECK(http("GET", main.base + "/v1/iptv/servers", {}, scoped).status == 403);
    const auto key_file = tmp.path() / "edge.key";
    std::ofstream(key_file) << scoped << "\n";

    // The catalogue, a line of two connections, and two servers in one least-connections group.
    REQUIRE(http("POST", main.base + "/v1/iptv/imports/m3u?source=t",
                 "#EXTM3U\n#EXTINF:-1 tvg-id=\"Test.us\",Test\n" + source.url + "\n", key,
                 "application/x-mpegurl")
                .status == 200);
    auto made = http("POST", main.base + "/v1/iptv/lines",
                     R"({"username":"viewer","max_connections":2})", key);
    REQUIRE_MESSAGE(made.status == 201, made.body);
    const std::string password(json::parse(made.body).at("password").as_string());
    const int ports[2] = {free_port(), free_port()};
    std::int64_t ids[2] = {};
    for (int i = 0; i < 2; ++i) {
        auto r = http(
            "POST", main.base + "/v1/iptv/servers",
            fmt::format(R"({{"name":"edge-{}","host":"127.0.0.1","port":{}}})", i + 1, ports[i]),
            key);
        REQUIRE_MESSAGE(r.status == 201, r.body);
        ids[i] = json::parse(r.body).at("server_id").as_int64();
    }
    auto group = http("POST", main.base + "/v1/iptv/server-groups",
                      fmt::format(R"({{"name":"edges","strategy":"least_connections",)"
                                  R"("server_ids":[{},{}]}})",
                                  ids[0], ids[1]),
                      key);
    REQUIRE_MESSAGE(group.status == 201, group.body);
    REQUIRE(
        http("PUT", main.base + "/v1/iptv/streams/1/servers", R"({"group_id":1})", key).status ==
        200);

    // The streaming servers: their own data directories, no catalogue of their own.
    std::vector<std::unique_ptr<Server>> edges;
    for (int i = 0; i < 2; ++i) {
        fs::create_directories(tmp.path() / fmt::format("edge{}", i + 1));
        edges.push_back(std::make_unique<Server>(
            tmp.path() / fmt::format("edge{}", i + 1) / "data", ports[i], std::string{},
            std::vector<std::string>{"--iptv-server-id", std::to_string(ids[i]), "--iptv-main",
                                     main.base, "--iptv-main-key-file", key_file.string(),
                                     "--stream-idle-s", "2"}));
    }
    REQUIRE(wait_until([&] { return server_up(main, key, ids[0]) && server_up(main, key, ids[1]); },
                       milliseconds(30'000)));

    const auto live_url = fmt::format("{}/live/viewer/{}/1.ts", main.base, password);
    const auto send = [&](const std::string& ua) {
        auto r = http("GET", live_url, {}, {});
        INFO(ua);
        REQUIRE_MESSAGE(r.status == 302, r.body);
        CHECK(r.location.find(password) == std::string::npos);
        return r.location;
    };
    const auto port_of = [&](const std::string& url) {
        for (int i = 0; i < 2; ++i)
            if (url.starts_with(fmt::format("http://127.0.0.1:{}/play/", ports[i]))) return i;
        FAIL("the redirect names no streaming server: ", url);
        return -1;
    };

    // Viewer A: sent to a server, which restreams the source (MPEG-TS) and counts A there.
    const auto url_a = send("player-a");
    const int a_on = port_of(url_a);
    Viewer a(url_a, "player-a");
    REQUIRE_MESSAGE(wait_until([&] { return a.bytes > 188 * 200; }, milliseconds(60'000)),
                    "viewer A got ", a.bytes.load(), " bytes");
    CHECK(a.first_sync);
    REQUIRE(
        wait_until([&] { return server_of(open_connections(main, key), "player-a") == ids[a_on]; },
                   milliseconds(10'000)));

    // Viewer B: least connections sends it to the other server.
    const auto url_b = send("player-b");
    const int b_on = port_of(url_b);
    CHECK(b_on != a_on);
    Viewer b(url_b, "player-b");
    REQUIRE_MESSAGE(wait_until([&] { return b.bytes > 188 * 200; }, milliseconds(60'000)),
                    "viewer B got ", b.bytes.load(), " bytes");
    REQUIRE(
        wait_until([&] { return server_of(open_connections(main, key), "player-b") == ids[b_on]; },
                   milliseconds(10'000)));

    // Viewer C: the line holds two connections on two servers; the server it is sent to is
    // refused by the main server and refuses it the way the main server would (403, empty).
    const auto url_c = send("player-c");
    const auto refused = http("GET", url_c, {}, {});
    CHECK(refused.status == 403);
    CHECK(refused.body.empty());

    // B goes away: its server closes the lease on the main server, with the bytes it sent.
    b.stop();
    REQUIRE(wait_until([&] { return server_of(open_connections(main, key), "player-b") == 0; },
                       milliseconds(10'000)));
    REQUIRE(wait_until(
        [&] {
            const auto r =
                http("GET", main.base + "/v1/iptv/monitoring/usage?scope=server", {}, key);
            const auto usage = json::parse(r.body);
            for (const auto& row : usage.at("items").as_array())
                if (row.at("id").as_int64() == ids[b_on] && row.at("bytes_sent").as_int64() > 0)
                    return true;
            return false;
        },
        milliseconds(10'000)));

    // A's server dies: A's body ends, its lease expires on the main server (6 s), the checks mark
    // the server down, and the next viewer is sent to the other server and plays.
    ::kill(edges[static_cast<std::size_t>(a_on)]->pid, SIGKILL);
    REQUIRE(wait_until([&] { return a.ended.load(); }, milliseconds(10'000)));
    REQUIRE(wait_until([&] { return server_of(open_connections(main, key), "player-a") == 0; },
                       milliseconds(20'000)));
    REQUIRE(wait_until([&] { return !server_up(main, key, ids[a_on]); }, milliseconds(10'000)));
    const auto url_d = send("player-d");
    CHECK(port_of(url_d) == 1 - a_on);
    Viewer d(url_d, "player-d");
    REQUIRE_MESSAGE(wait_until([&] { return d.bytes > 188 * 200; }, milliseconds(60'000)),
                    "viewer D got ", d.bytes.load(), " bytes");
    CHECK(d.first_sync);
    d.stop();

    // The closes in the main server's log: B's by its server, A's by the sweep.
    const auto log = http("GET", main.base + "/v1/events?from=0:0&limit=5000", {}, key);
    REQUIRE(log.status == 200);
    std::multiset<std::string> reasons;
    const auto events = json::parse(log.body);
    for (const auto& e : events.at("events").as_array())
        if (e.at("type").as_string() == "iptv.connection.closed")
            reasons.insert(std::string(e.at("data").at("reason").as_string()));
    CHECK(reasons.count("disconnect") == 1);  // B, closed by its server
    CHECK(reasons.count("timeout") == 1);     // A, swept after its server died
}
