// /movie/ and /series/ restreamed through libcurl (app/modules/iptv_vod_sources.cpp) from a
// provider on loopback: a Python http.server handler that answers every path with the same
// 300,000 deterministic bytes and honours single byte ranges (RFC 9110 section 14), as an
// Xtream provider's /movie/ URLs do. The movies are the hellraiser capture's, imported with the
// provider URL set to that server.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "adapters/process/child_process.hpp"
#include "api/routes/iptv/iptv_api.hpp"
#include "app/modules/iptv_module.hpp"
#include "tests/api/api_fixture.hpp"
#include "tests/support/synthetic_source.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/wait_until.hpp"

using namespace switchyard;
using switchyard::testing::ApiFixture;
using switchyard::testing::read_file_text;
using switchyard::testing::TempDir;
using switchyard::testing::wait_until;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kFileSize = 300'000;

/// Byte i of the provider's file.
char file_byte(std::size_t i) { return static_cast<char>('a' + (i * 7 + i / 251) % 26); }

std::string file_bytes(std::size_t from, std::size_t to) {  // [from, to]
    std::string out;
    for (std::size_t i = from; i <= to; ++i) out += file_byte(i);
    return out;
}

/// The provider: Python's http.server with a handler that serves the file at any path.
struct Provider {
    TempDir dir;
    adapters::ChildProcess process;
    std::string url;

    Provider() {
        const auto script = dir.path() / "provider.py";
        std::ofstream(script) << R"PY(
import http.server, re, sys
SIZE = )PY" << kFileSize << R"PY(
DATA = bytes(ord('a') + (i * 7 + i // 251) % 26 for i in range(SIZE))
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def log_message(self, *a): pass
    def do_GET(self):
        m = re.fullmatch(r'bytes=(\d*)-(\d*)', self.headers.get('Range', ''))
        if m:
            a = int(m[1]) if m[1] else SIZE - int(m[2])
            b = int(m[2]) if m[1] and m[2] else SIZE - 1
            if a >= SIZE:
                self.send_response(416); self.send_header('Content-Range', f'bytes */{SIZE}')
                self.send_header('Content-Length', '0'); self.end_headers(); return
            b = min(b, SIZE - 1)
            self.send_response(206); self.send_header('Content-Range', f'bytes {a}-{b}/{SIZE}')
        else:
            a, b = 0, SIZE - 1
            self.send_response(200)
        self.send_header('Content-Type', 'video/mp4'); self.send_header('Accept-Ranges', 'bytes')
        self.send_header('Content-Length', str(b - a + 1)); self.end_headers()
        self.wfile.write(DATA[a:b + 1])
s = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)
print('port', s.server_address[1], flush=True)
s.serve_forever()
)PY";
        auto p = adapters::ChildProcess::start({"python3", "-u", script.string()},
                                               dir.path() / "provider.log");
        REQUIRE(p);
        process = std::move(*p);
        std::smatch m;
        const std::regex port("port ([0-9]+)");
        REQUIRE(wait_until(
            [&] {
                const auto log = read_file_text(dir.path() / "provider.log");
                if (!std::regex_search(log, m, port)) return false;
                url = "http://127.0.0.1:" + m[1].str();
                return true;
            },
            std::chrono::milliseconds(10'000)));
    }
};

std::string read_capture(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

/// The server with the hellraiser capture imported from `provider`, line alice (one
/// connection).
struct VodServer : ApiFixture {
    Provider provider;
    std::int64_t movie_id = 0;  // the capture's one movie (an mp4), as get_vod_streams gives it
    std::string account = "alice/Line-pass-01";

    /// `configure` may set module options before the modules start.
    explicit VodServer(const std::function<void(app::Modules&)>& configure = {})
        : ApiFixture(configure) {
        const fs::path dir = fs::path(SY_SHARED_DATA) / "iptv" / "xtream" / "hellraiser";
        std::string body = "{";
        for (const char* name :
             {"get_live_categories.json", "get_live_streams.json", "get_vod_categories.json",
              "get_vod_streams.json", "get_series_categories.json", "get_series.json"}) {
            if (body.size() > 1) body += ',';
            body += fmt::format("\"{}\":{}", name, read_capture(dir / name));
        }
        body += fmt::format(R"(,"provider":{{"url":"{}","username":"u","password":"p"}}}})",
                            provider.url);
        auto imported = call("POST", "/v1/iptv/imports/xtream?source=hellraiser", body);
        REQUIRE_MESSAGE(imported.status == 200, imported.body);
        REQUIRE(call("POST", "/v1/iptv/lines",
                     R"({"username":"alice","password":"Line-pass-01","max_connections":1})")
                    .status == 201);
        settle();
        const auto list = call("GET",
                               "/player_api.php?username=alice&password=Line-pass-01"
                               "&action=get_vod_streams",
                               {}, false);
        std::smatch m;
        REQUIRE_MESSAGE(std::regex_search(list.body, m, std::regex(R"re("stream_id":([0-9]+))re")),
                        list.body);
        movie_id = std::stoll(m[1].str());
    }
    void settle() {
        auto head = store->head();
        REQUIRE(runner->wait_for({events::Position{0, head.next_offset(0) - 1}},
                                 std::chrono::seconds(120)));
    }
    /// GET /movie/ as player `ua` with an optional Range header.
    api::HttpResponse movie(const std::string& ua = "player-1", const std::string& range = {}) {
        std::map<std::string, std::string> headers{{"user-agent", ua}};
        if (!range.empty()) headers["range"] = range;
        return call("GET", fmt::format("/movie/{}/{}.mp4", account, movie_id), {}, false, headers);
    }
    /// Every byte of a streamed answer, then closes it (as the server does at its end).
    static std::string drain(api::HttpResponse& r) {
        std::string all, chunk;
        for (int i = 0; i < 10'000 && r.stream->next(chunk); ++i) {
            all += chunk;
            chunk.clear();
        }
        r.stream->close();
        return all;
    }
    std::string header(const api::HttpResponse& r, const std::string& name) {
        for (const auto& [k, v] : r.headers)
            if (k == name) return v;
        return {};
    }
};

}  // namespace

TEST_CASE("vod delivery: a movie is restreamed whole and by range, never revealing its source") {
    VodServer f;
    auto whole = f.movie();
    REQUIRE_MESSAGE(whole.status == 200, whole.body);
    REQUIRE(whole.stream);
    CHECK(whole.content_type == "video/mp4");
    REQUIRE(whole.stream_length);
    CHECK(*whole.stream_length == kFileSize);
    CHECK(f.header(whole, "accept-ranges") == "bytes");
    for (const auto& [k, v] : whole.headers) CHECK(v.find("127.0.0.1") == std::string::npos);
    CHECK(VodServer::drain(whole) == file_bytes(0, kFileSize - 1));

    auto part = f.movie("player-1", "bytes=1000-1999");
    REQUIRE(part.status == 206);
    CHECK(f.header(part, "content-range") == fmt::format("bytes 1000-1999/{}", kFileSize));
    CHECK(*part.stream_length == 1000);
    CHECK(VodServer::drain(part) == file_bytes(1000, 1999));

    auto tail = f.movie("player-1", "bytes=299000-");
    REQUIRE(tail.status == 206);
    CHECK(VodServer::drain(tail) == file_bytes(299'000, kFileSize - 1));

    auto past = f.movie("player-1", "bytes=400000-");
    CHECK(past.status == 416);
    if (past.stream) VodServer::drain(past);
}

TEST_CASE(
    "vod delivery: one lease per player, and a second player is refused while the first plays") {
    VodServer f;
    auto first = f.movie("player-1", "bytes=0-");
    REQUIRE(first.status == 206);
    // The same player seeking while its first request is open shares the lease.
    auto seek = f.movie("player-1", "bytes=150000-");
    REQUIRE(seek.status == 206);
    // Another player on this one-connection line is refused as Xtream panels refuse.
    const auto before = f.store->head().total();
    auto other = f.movie("player-2");
    CHECK(other.status == 403);
    CHECK(other.body.empty());
    CHECK(f.store->head().total() == before);
    first.stream->close();
    CHECK(f.movie("player-2").status == 403);  // the seek still holds the lease
    seek.stream->close();
    auto now_free = f.movie("player-2");
    CHECK(now_free.status == 200);
    CHECK(VodServer::drain(now_free).size() == kFileSize);
    // The account shows no connection once every response ended.
    auto info = f.call("GET", "/player_api.php?username=alice&password=Line-pass-01", {}, false);
    CHECK(info.body.find(R"("active_cons":"0")") != std::string::npos);
}

TEST_CASE("vod delivery: a source that cannot be reached answers 502 and frees the slot") {
    VodServer f;
    f.provider.process.stop();  // the provider goes away
    REQUIRE(wait_until([&] { return f.movie().status == 502; }, std::chrono::milliseconds(10'000)));
    auto info = f.call("GET", "/player_api.php?username=alice&password=Line-pass-01", {}, false);
    CHECK(info.body.find(R"("active_cons":"0")") != std::string::npos);
}

TEST_CASE(
    "monitoring: a movie's connection shows its line, country and server while it plays, then "
    "its bytes") {
    const auto db = std::string(SY_SHARED_DATA) + "/geoip/GeoLite2-Country-Test.mmdb";
    VodServer f([&](app::Modules& modules) {
        for (auto& m : modules) {
            if (auto* iptv = dynamic_cast<app::IptvModule*>(m.get())) {
                iptv->options.geoip_db = db;
                iptv->options.server_id = 7;
            }
        }
    });
    f.remote_ip = "2.125.160.216";  // GB in the MaxMind test database
    auto playing = f.movie("player-1");
    REQUIRE(playing.status == 200);
    f.settle();
    auto open = f.call("GET", "/v1/iptv/monitoring/connections?kind=movie");
    REQUIRE_MESSAGE(open.status == 200, open.body);
    const auto now = boost::json::parse(open.body).as_object();
    REQUIRE(now.at("count").as_int64() == 1);
    const auto& lease = now.at("items").as_array().at(0).as_object();
    CHECK(lease.at("stream_id").as_int64() == f.movie_id);
    CHECK(lease.at("country").as_string() == "GB");
    CHECK(lease.at("server_id").as_int64() == 7);
    CHECK(lease.at("remote_ip").as_string() == "2.125.160.216");
    CHECK(f.call("GET", "/v1/iptv/monitoring/connections?country=DE").body.find("\"count\":0") !=
          std::string::npos);
    CHECK(f.call("GET", "/v1/iptv/monitoring/connections?country=gb").status == 400);

    CHECK(VodServer::drain(playing).size() == kFileSize);
    f.settle();
    CHECK(f.call("GET", "/v1/iptv/monitoring/connections").body.find("\"count\":0") !=
          std::string::npos);
    auto usage = f.call("GET", "/v1/iptv/monitoring/usage?scope=movie");
    REQUIRE_MESSAGE(usage.status == 200, usage.body);
    const auto movie = boost::json::parse(usage.body).at("items").as_array().at(0).as_object();
    CHECK(movie.at("id").as_int64() == f.movie_id);
    CHECK(movie.at("bytes_sent").as_int64() == static_cast<std::int64_t>(kFileSize));
    CHECK(movie.at("viewers").as_int64() == 1);
    CHECK(movie.at("connections").as_int64() == 0);
    CHECK(movie.at("peak_connections").as_int64() == 1);
    auto countries = f.call("GET", "/v1/iptv/monitoring/usage?scope=country");
    CHECK(boost::json::parse(countries.body).at("items").as_array().at(0).at("id").as_string() ==
          "GB");
    auto top = f.call("GET", "/v1/iptv/monitoring/most-watched?kind=movie&days=1");
    REQUIRE_MESSAGE(top.status == 200, top.body);
    CHECK(boost::json::parse(top.body).at("items").as_array().at(0).at("id").as_int64() ==
          f.movie_id);
    CHECK(f.call("GET", "/v1/iptv/monitoring/usage?scope=planet").status == 400);

    const auto metrics = f.call("GET", "/metrics").body;
    CHECK_MESSAGE(metrics.find(fmt::format("switchyard_iptv_sent_bytes_total{{server=\"7\"}} {}",
                                           kFileSize)) != std::string::npos,
                  metrics);
    CHECK(metrics.find("# TYPE switchyard_iptv_sent_bytes_total counter") != std::string::npos);
    CHECK(metrics.find("switchyard_iptv_connections{server=\"7\"} 0") != std::string::npos);
}
