// IPTV delivery: the streamed response body over a real socket, connection leases (decider,
// racing writers), /live/ and /hls/ through the router with stand-in worker outputs, and (the
// `ffmpeg delivery` cases, label `integration`) real FFmpeg workers behind a real HttpServer on
// loopback, read back by ffprobe.
#include <doctest/doctest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <condition_variable>
#include <fstream>
#include <latch>
#include <mutex>
#include <optional>
#include <regex>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "adapters/process/child_process.hpp"
#include "adapters/process/process.hpp"
#include "api/http_server.hpp"
#include "app/modules/iptv_module.hpp"
#include "core/iptv/connection.hpp"
#include "events/iptv/connection_codec.hpp"
#include "tests/api/api_fixture.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/synthetic_source.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/wait_until.hpp"

using namespace switchyard;
using core::iptv::ConnectionKind;
using core::iptv::LineConnections;
using core::iptv::OpenConnection;
using std::chrono::milliseconds;
using switchyard::testing::ApiFixture;
using switchyard::testing::TempDir;
using switchyard::testing::wait_until;
namespace fs = std::filesystem;

namespace {

core::Timestamp at(std::int64_t unix_s) { return core::from_unix_seconds(unix_s); }

// ---- a plain client socket ----

/// A blocking HTTP/1.1 client connection on loopback.
class Client {
  public:
    explicit Client(std::uint16_t port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        REQUIRE(fd_ >= 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        timeval tv{30, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    ~Client() { disconnect(); }
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    void get(const std::string& target, const std::string& user_agent = "test-player") {
        const auto req = fmt::format("GET {} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: {}\r\n\r\n",
                                     target, user_agent);
        REQUIRE(::send(fd_, req.data(), req.size(), MSG_NOSIGNAL) ==
                static_cast<ssize_t>(req.size()));
    }
    /// Reads until the head is complete; @returns the head (lower case), the rest stays.
    std::string head() {
        while (data_.find("\r\n\r\n") == std::string::npos) REQUIRE(more());
        const auto end = data_.find("\r\n\r\n");
        auto h = data_.substr(0, end);
        data_.erase(0, end + 4);
        for (auto& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return h;
    }
    /// Reads at least `n` body bytes (chunk framing included). False when the peer closed.
    bool read_at_least(std::size_t n) {
        while (data_.size() < n) {
            if (!more()) return false;
        }
        return true;
    }
    /// Reads until `marker` arrives or the peer closes.
    bool read_until(const std::string& marker) {
        while (data_.find(marker) == std::string::npos) {
            if (!more()) return false;
        }
        return true;
    }
    const std::string& data() const { return data_; }
    void disconnect() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

  private:
    bool more() {
        char buf[16384];
        const auto n = ::recv(fd_, buf, sizeof buf, 0);
        if (n <= 0) return false;
        data_.append(buf, static_cast<std::size_t>(n));
        return true;
    }
    int fd_ = -1;
    std::string data_;
};

// ---- the streamed body ----

/// A body of numbered chunks, endless unless `limit` is set; counts its close() calls. With
/// `block`, next() waits until close() (a source with nothing to say).
struct CountingSource : api::BodySource {
    std::atomic<int> sent{0}, closes{0};
    int limit = -1;
    bool block = false;
    std::mutex mu;
    std::condition_variable cv;

    bool next(std::string& chunk) override {
        if (block) {
            std::unique_lock lock(mu);
            cv.wait_for(lock, std::chrono::seconds(30), [&] { return closes.load() > 0; });
            return false;
        }
        if (closes.load() > 0 || (limit >= 0 && sent.load() >= limit)) return false;
        chunk = fmt::format("chunk {} {}\n", sent.load(), std::string(1000, 'x'));
        ++sent;
        std::this_thread::sleep_for(milliseconds(2));
        return true;
    }
    void close() override {
        {
            std::lock_guard lock(mu);
            ++closes;
        }
        cv.notify_all();
    }
};

/// A router with one public route answering `source` as a streamed body, on a real server.
struct StreamServer {
    std::shared_ptr<CountingSource> source = std::make_shared<CountingSource>();
    std::optional<std::uint64_t> length;  ///< Sent as the response's stream_length.
    api::Router router;
    std::unique_ptr<api::HttpServer> server;
    StreamServer() {
        api::Route route;
        route.method = "GET";
        route.pattern = "/stream";
        route.reach = api::Reach::Public;
        route.handler = [this](api::HttpRequest&) {
            api::HttpResponse r;
            r.content_type = "text/plain";
            r.stream = source;
            r.stream_length = length;
            return r;
        };
        router.add(std::move(route));
        api::HttpServerOptions options;
        options.io_threads = 1;
        options.worker_threads = 2;
        auto s = api::HttpServer::start(router, options);
        REQUIRE(s);
        server = std::move(*s);
    }
};

// ---- router-level delivery with stand-in worker outputs ----

/// Worker outputs whose directory holds a fixed playlist of three segments.
struct FakeOutputs : api::LiveOutputs {
    TempDir dir;
    std::atomic<int> acquires{0}, releases{0};
    FakeOutputs() {
        std::ofstream(dir.path() / "index.m3u8")
            << "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:1\n"
               "#EXTINF:2.0,\nseg_00001.ts\n#EXTINF:2.0,\nseg_00002.ts\n#EXTINF:2.0,\n"
               "seg_00003.ts\n";
        for (int i = 1; i <= 3; ++i)
            std::ofstream(dir.path() / fmt::format("seg_{:05}.ts", i)) << "TS" << i;
    }
    core::Result<fs::path> acquire(const api::LiveSource&) override {
        ++acquires;
        return dir.path();
    }
    void release(std::int64_t) override { ++releases; }
    bool ready(std::int64_t) const override { return true; }
    fs::path directory(std::int64_t) const override { return dir.path(); }
};

app::IptvModule& iptv_module(app::Modules& modules) {
    for (auto& m : modules)
        if (auto* iptv = dynamic_cast<app::IptvModule*>(m.get())) return *iptv;
    FAIL("no IPTV module");
    throw std::logic_error("unreachable");
}

/// Streams 1 (`http://origin.example/1`) and 2 (`.../2`), line `alice` (one connection, both
/// outputs) and `bob` (m3u8 only), with FakeOutputs as the workers; leases last 30 s.
struct DeliveryFixture : ApiFixture {
    FakeOutputs fake;
    std::string password = "Line-pass-01";
    DeliveryFixture() {
        REQUIRE(call("POST", "/v1/iptv/imports/m3u?source=t",
                     "#EXTM3U\n#EXTINF:-1 tvg-id=\"A.us\",A\nhttp://origin.example/1\n"
                     "#EXTINF:-1 tvg-id=\"B.us\",B\nhttp://origin.example/2\n")
                    .status == 200);
        REQUIRE(call("POST", "/v1/iptv/lines",
                     R"({"username":"alice","password":"Line-pass-01","max_connections":1})")
                    .status == 201);
        REQUIRE(
            call(
                "POST", "/v1/iptv/lines",
                R"({"username":"bob","password":"Line-pass-01","allowed_output_formats":["m3u8"]})")
                .status == 201);
        settle();
        iptv_module(modules).api_state().live = &fake;
    }
    api::HttpResponse live(const std::string& file, const std::string& ua = "player-1",
                           const std::string& user = "alice") {
        return call("GET", "/live/" + user + "/" + password + "/" + file, {}, false,
                    {{"user-agent", ua}});
    }
    /// Registers streaming servers `edge-0` (127.0.0.1:8001) and `edge-1` (:8002). @returns
    /// their ids.
    std::array<std::int64_t, 2> register_edges() {
        std::array<std::int64_t, 2> ids{};
        for (int i = 0; i < 2; ++i) {
            auto r = call(
                "POST", "/v1/iptv/servers",
                fmt::format(R"({{"name":"edge-{}","host":"127.0.0.1","port":{}}})", i, 8001 + i));
            REQUIRE_MESSAGE(r.status == 201, r.body);
            ids[static_cast<std::size_t>(i)] =
                boost::json::parse(r.body).at("server_id").as_int64();
        }
        return ids;
    }
    events::iptv::ConnectionService& leases() { return iptv_module(modules).connections(); }
    std::int64_t active(std::int64_t line_id) {
        auto s = leases().leases(line_id);
        REQUIRE(s);
        return core::iptv::active_leases(*s, clock.now());
    }
    /// The reasons of the `iptv.connection.closed` events of line `line_id`, in order.
    std::vector<std::string> closed_reasons(std::int64_t line_id) {
        std::vector<std::string> out;
        auto events = store->read_stream(core::iptv::connections_stream("op", line_id), 0, 1000);
        REQUIRE(events);
        for (const auto& e : *events) {
            auto decoded = events::iptv::decode_connection_event(e);
            REQUIRE(decoded);
            if (auto* c = std::get_if<core::iptv::ConnectionClosed>(&*decoded))
                out.push_back(c->reason);
        }
        return out;
    }
};

/// The `Location` header of a response, or "".
std::string location_of(const api::HttpResponse& r) {
    for (const auto& [k, v] : r.headers)
        if (k == "Location") return v;
    return {};
}

/// The `/hls/<token>/seg_00001.ts` URL of a rewritten playlist.
std::string first_segment_url(const std::string& playlist) {
    std::smatch m;
    const std::regex url("(/hls/[^/\\s]+/seg_00001\\.ts)");
    REQUIRE_MESSAGE(std::regex_search(playlist, m, url), playlist);
    return m[1].str();
}

}  // namespace

TEST_CASE("delivery: a streamed body goes chunked without Content-Length and ends in order") {
    StreamServer s;
    s.source->limit = 3;
    Client c(s.server->port());
    c.get("/stream");
    const auto head = c.head();
    CHECK(head.find("transfer-encoding: chunked") != std::string::npos);
    CHECK(head.find("content-length") == std::string::npos);
    REQUIRE(c.read_until("\r\n0\r\n\r\n"));
    const auto& body = c.data();
    const auto p0 = body.find("chunk 0 "), p1 = body.find("chunk 1 "), p2 = body.find("chunk 2 ");
    CHECK(p0 != std::string::npos);
    CHECK(p0 < p1);
    CHECK(p1 < p2);
    CHECK(body.find("chunk 3 ") == std::string::npos);
    REQUIRE(wait_until([&] { return s.source->closes.load() == 1; }, milliseconds(5000)));
}

TEST_CASE("delivery: a streamed body of known length goes with Content-Length, unchunked") {
    StreamServer s;
    s.source->limit = 3;
    std::uint64_t total = 0;
    for (int i = 0; i < 3; ++i)
        total += fmt::format("chunk {} {}\n", i, std::string(1000, 'x')).size();
    s.length = total;
    Client c(s.server->port());
    c.get("/stream");
    const auto head = c.head();
    CHECK(head.find(fmt::format("content-length: {}", total)) != std::string::npos);
    CHECK(head.find("transfer-encoding") == std::string::npos);
    REQUIRE(c.read_at_least(total));
    CHECK(c.data().size() == total);  // exactly the body: no chunk framing
    CHECK(c.data().starts_with("chunk 0 "));
    CHECK(c.data().find("chunk 2 ") != std::string::npos);
    REQUIRE(wait_until([&] { return s.source->closes.load() == 1; }, milliseconds(5000)));
}

TEST_CASE("delivery: a client that reads some chunks and disconnects closes the source once") {
    StreamServer s;
    {
        Client c(s.server->port());
        c.get("/stream");
        c.head();
        REQUIRE(c.read_at_least(5000));
        CHECK(s.source->closes.load() == 0);
    }
    REQUIRE(wait_until([&] { return s.source->closes.load() == 1; }, milliseconds(10'000)));
    const int sent = s.source->sent.load();
    std::this_thread::sleep_for(milliseconds(300));
    CHECK(s.source->sent.load() == sent);  // no more pulls after the close
    CHECK(s.source->closes.load() == 1);
    s.server->stop();
    CHECK(s.source->closes.load() == 1);
}

TEST_CASE("delivery: stopping the server closes a source blocked in next()") {
    StreamServer s;
    s.source->block = true;
    Client c(s.server->port());
    c.get("/stream");
    c.head();
    CHECK(s.source->closes.load() == 0);
    s.server->stop();  // returns only once the pool is idle: next() must have returned
    CHECK(s.source->closes.load() == 1);
}

TEST_CASE("delivery: the lease decider counts only unexpired leases and sweeps expired ones") {
    LineConnections state;
    const auto t0 = at(1'790'000'000);
    const std::chrono::seconds ttl(30);
    auto open = [&](const char* id, core::Timestamp now) {
        return core::iptv::decide(state, 2, OpenConnection{id, 7, 1, ConnectionKind::Live, "ts"},
                                  now, ttl);
    };
    auto apply = [&](const auto& events) {
        for (const auto& e : events) core::iptv::evolve(state, e);
    };
    apply(*open("a", t0));
    apply(*open("b", t0 + std::chrono::seconds(10)));
    auto refused = open("c", t0 + std::chrono::seconds(20));
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == core::Errc::TooMany);
    CHECK(refused.error().field == "max_connections");
    CHECK(open("a", t0 + std::chrono::seconds(20))->empty());  // a retry of an open lease
    // `a` expires at t0+30 without a closed event: it no longer counts.
    CHECK(core::iptv::active_leases(state, t0 + std::chrono::seconds(30)) == 1);
    CHECK(open("c", t0 + std::chrono::seconds(31)).has_value());
    CHECK_FALSE(core::iptv::decide_renewal(state, "a", t0 + std::chrono::seconds(31), ttl));
    apply(*core::iptv::decide_renewal(state, "b", t0 + std::chrono::seconds(25), ttl));
    const auto swept = core::iptv::decide_sweep(state, t0 + std::chrono::seconds(50));
    REQUIRE(swept.size() == 1);
    CHECK(std::get<core::iptv::ConnectionClosed>(swept[0]).lease_id == "a");
    CHECK(std::get<core::iptv::ConnectionClosed>(swept[0]).reason == "timeout");
    apply(swept);
    CHECK(core::iptv::decide_close(state, "a", "disconnect").empty());
    CHECK(core::iptv::decide_close(state, "b", "disconnect").size() == 1);
}

TEST_CASE("delivery: two players racing for the last slot, exactly one wins") {
    auto store = events::make_memory_event_store();
    events::iptv::ConnectionService service(*store, "op", std::chrono::seconds(30));
    core::DecisionContext d;
    d.now = at(1'790'000'000);
    for (std::int64_t line = 1; line <= 25; ++line) {
        // Line `line` has max_connections 2 and one lease open: one slot left.
        REQUIRE(service.open({"first", line, 1, ConnectionKind::Live, "ts"}, 2, d));
        std::latch start(2);
        std::atomic<int> won{0}, refused{0};
        auto player = [&](const char* lease) {
            start.arrive_and_wait();
            auto r = service.open({lease, line, 1, ConnectionKind::Live, "ts"}, 2, d);
            if (r) ++won;
            if (!r && r.error().code == core::Errc::TooMany) ++refused;
        };
        std::thread a(player, "a"), b(player, "b");
        a.join();
        b.join();
        CHECK(won.load() == 1);
        CHECK(refused.load() == 1);
        auto leases = service.leases(line);
        REQUIRE(leases);
        CHECK(leases->leases.size() == 2);
    }
}

TEST_CASE("delivery: max_connections 1, the second player is refused 403 with an empty body") {
    DeliveryFixture f;
    auto first = f.live("1.ts");
    REQUIRE(first.status == 200);
    REQUIRE(first.stream);
    CHECK(first.content_type == "video/mp2t");
    CHECK(f.active(1) == 1);
    const auto before = f.log_size();
    auto second = f.live("2.ts", "player-2");
    CHECK(second.status == 403);
    CHECK(second.body.empty());
    CHECK_FALSE(second.stream);
    CHECK(f.log_size() == before);
    // The first body yields the worker's segments from two back from the live edge, in order.
    std::string chunk;
    REQUIRE(first.stream->next(chunk));
    CHECK(chunk == "TS2");
    REQUIRE(first.stream->next(chunk));
    CHECK(chunk == "TS3");
    // A clean disconnect of the .ts body releases the slot at once.
    first.stream->close();
    CHECK(f.active(1) == 0);
    CHECK(f.closed_reasons(1) == std::vector<std::string>{"disconnect"});
    CHECK(f.fake.releases.load() == 1);
    auto third = f.live("2.ts", "player-2");
    CHECK(third.status == 200);
    third.stream->close();
}

TEST_CASE(
    "delivery: with streaming servers, /live/ sends each viewer to the server its group picks, "
    "by a signed URL that server delivers and counts as its own") {
    DeliveryFixture f;
    const auto edge = f.register_edges();
    REQUIRE(f.call("POST", "/v1/iptv/server-groups",
                   fmt::format(R"({{"name":"eu","strategy":"round_robin","server_ids":[{},{}]}})",
                               edge[0], edge[1]))
                .status == 201);
    REQUIRE(f.call("PUT", "/v1/iptv/streams/1/servers", R"({"group_id":1})").status == 200);
    f.settle();
    const auto before = f.log_size();
    auto first = f.live("1.ts");
    REQUIRE(first.status == 302);
    const auto url = location_of(first);
    CHECK_MESSAGE(url.starts_with("http://127.0.0.1:8001/play/"), url);
    CHECK(url.ends_with("/1.ts"));
    CHECK(url.find(f.password) == std::string::npos);
    CHECK(f.log_size() == before);  // no lease on the main server
    auto second = f.live("1.m3u8", "player-2", "bob");
    REQUIRE(second.status == 302);
    CHECK_MESSAGE(location_of(second).starts_with("http://127.0.0.1:8002/play/"),
                  location_of(second));

    // The chosen server delivers the URL itself (no second redirect), on its own account.
    const auto path = url.substr(url.find("/play/"));
    auto played = f.call("GET", path, {}, false, {{"user-agent", "player-1"}});
    REQUIRE_MESSAGE(played.status == 200, played.body);
    REQUIRE(played.stream);
    auto leases = f.leases().leases(1);
    REQUIRE(leases);
    REQUIRE(leases->leases.size() == 1);
    CHECK(leases->leases.begin()->second.opened.server_id == edge[0]);
    played.stream->close();
    // A URL bound to one server cannot be moved to another.
    auto moved = path;
    const auto mark = fmt::format("play-{}.", edge[0]);
    REQUIRE(moved.find(mark) != std::string::npos);
    moved.replace(moved.find(mark), mark.size(), fmt::format("play-{}.", edge[1]));
    CHECK(f.call("GET", moved, {}, false).status == 403);

    // Every server of the group disabled: the viewer is refused with the reasons.
    for (auto id : edge)
        REQUIRE(f.call("PATCH", fmt::format("/v1/iptv/servers/{}", id), R"({"enabled":false})")
                    .status == 200);
    f.settle();
    auto none = f.live("1.ts");
    CHECK(none.status == 503);
    CHECK_MESSAGE(none.body.find("disabled") != std::string::npos, none.body);
    // A stream outside the group still goes to every server (both disabled): refused as well.
    CHECK(f.live("2.ts").status == 503);
}

TEST_CASE(
    "delivery: a streaming server process is admitted through the main server: the lease on its "
    "id, renewals and closes with bytes, refusals passed on, bad bodies named") {
    DeliveryFixture f;
    const auto edge = f.register_edges();
    REQUIRE(f.call("PUT", "/v1/iptv/streams/1/servers",
                   fmt::format(R"({{"server_ids":[{}]}})", edge[0]))
                .status == 200);
    f.settle();
    auto sent = f.live("1.ts");
    REQUIRE(sent.status == 302);
    const auto url = location_of(sent);
    // http://127.0.0.1:8001/play/<token>/1.ts
    const auto at = url.find("/play/") + 6;
    const auto token = url.substr(at, url.rfind('/') - at);
    const auto admit = [&](std::int64_t server, const std::string& ua) {
        auto r = f.call("POST", fmt::format("/v1/iptv/edge/{}/admissions", server),
                        fmt::format(R"({{"token":"{}","file":"1.ts","remote_ip":"192.0.2.7",)"
                                    R"("user_agent":"{}"}})",
                                    token, ua));
        REQUIRE_MESSAGE(r.status == 200, r.body);
        return boost::json::parse(r.body).as_object();
    };

    // Admitted: the lease is the main server's, counted on the edge, with the viewer's address.
    const auto admitted = admit(edge[0], "player-1");
    REQUIRE(admitted.at("admitted").as_bool());
    CHECK(admitted.at("line_id").as_int64() == 1);
    CHECK(admitted.at("stream_id").as_int64() == 1);
    CHECK(admitted.at("output").as_string() == "ts");
    CHECK(admitted.at("timeout_s").as_int64() == 30);
    CHECK(admitted.at("source").at("url").as_string() == "http://origin.example/1");
    CHECK(admitted.at("source").at("profile").at("video_codec").as_string() == "copy");
    const std::string lease(admitted.at("lease_id").as_string());
    auto leases = f.leases().leases(1);
    REQUIRE(leases);
    REQUIRE(leases->leases.count(lease) == 1);
    CHECK(leases->leases.at(lease).opened.server_id == edge[0]);
    CHECK(leases->leases.at(lease).opened.remote_ip == "192.0.2.7");
    CHECK(f.fake.acquires == 0);  // the edge pulls the source, not the main server

    // Refusals the edge passes on to its viewer: the line is full (403, empty body), and a URL
    // bound to another server.
    const auto full = admit(edge[0], "player-2");
    CHECK_FALSE(full.at("admitted").as_bool());
    CHECK(full.at("status").as_int64() == 403);
    CHECK(full.at("body").as_string() == "");
    const auto moved = admit(edge[1], "player-1");
    CHECK_FALSE(moved.at("admitted").as_bool());
    CHECK(moved.at("status").as_int64() == 403);
    CHECK(moved.at("body").as_string() == "invalid or expired signed URL\n");

    // Renewals carry the bytes the edge sent; another server cannot renew this lease.
    const auto lease_path = [&](std::int64_t server, const char* op) {
        return fmt::format("/v1/iptv/edge/{}/leases/{}/{}", server, lease, op);
    };
    auto renewed = f.call("POST", lease_path(edge[0], "renew"), R"({"line_id":1,"bytes":1000})");
    REQUIRE_MESSAGE(renewed.status == 200, renewed.body);
    CHECK(boost::json::parse(renewed.body).at("expires_at").as_string().size() > 0);
    CHECK(f.call("POST", lease_path(edge[1], "renew"), R"({"line_id":1})").status == 404);

    // Bad bodies: named, nothing appended.
    const auto before = f.log_size();
    check_problem(f,
                  f.call("POST", fmt::format("/v1/iptv/edge/{}/admissions", edge[0]),
                         fmt::format(R"({{"token":"{}","file":"1.ts","remote_ip":""}})", token)),
                  400, "remote_ip", before);
    check_problem(f, f.call("POST", lease_path(edge[0], "renew"), R"({"bytes":5})"), 400, "line_id",
                  before);
    check_problem(f,
                  f.call("POST", lease_path(edge[0], "close"), R"({"line_id":1,"reason":"bored"})"),
                  400, "reason", before);
    check_problem(f, f.call("POST", "/v1/iptv/edge/99/admissions", "{}"), 404, "id", before);

    auto closed =
        f.call("POST", lease_path(edge[0], "close"), R"({"line_id":1,"bytes":24,"reason":"end"})");
    REQUIRE_MESSAGE(closed.status == 200, closed.body);
    CHECK(f.closed_reasons(1) == std::vector<std::string>{"end"});
    CHECK(f.active(1) == 0);
    CHECK(f.call("POST", lease_path(edge[0], "renew"), R"({"line_id":1})").status == 404);
    // The bytes in the lease's events: 1000 with the renewal, 24 with the close.
    std::vector<std::int64_t> bytes;
    auto events = f.store->read_stream(core::iptv::connections_stream("op", 1), 0, 100);
    REQUIRE(events);
    for (const auto& e : *events) {
        auto d = events::iptv::decode_connection_event(e);
        REQUIRE(d);
        if (auto* r = std::get_if<core::iptv::ConnectionRenewed>(&*d)) bytes.push_back(r->bytes);
        if (auto* c = std::get_if<core::iptv::ConnectionClosed>(&*d)) bytes.push_back(c->bytes);
    }
    CHECK(bytes == std::vector<std::int64_t>{1000, 24});

    // A stream the operator made direct-source since the URL was issued: the edge is told to
    // redirect its viewer to the source.
    REQUIRE(f.call("PATCH", "/v1/iptv/streams/1", R"({"direct_source":true})").status == 200);
    f.settle();
    const auto direct = admit(edge[0], "player-1");
    CHECK_FALSE(direct.at("admitted").as_bool());
    CHECK(direct.at("status").as_int64() == 302);
    CHECK(direct.at("location").as_string() == "http://origin.example/1");
}

TEST_CASE("delivery: an HLS session renews its lease and lets it go within the timeout") {
    DeliveryFixture f;
    auto playlist = f.live("1.m3u8");
    REQUIRE_MESSAGE(playlist.status == 200, playlist.body);
    CHECK(playlist.content_type == "application/vnd.apple.mpegurl");
    CHECK(playlist.body.find("origin.example") == std::string::npos);
    CHECK(playlist.body.find(f.password) == std::string::npos);
    const auto segment = first_segment_url(playlist.body);
    // The same player reloading its playlist keeps its slot (no event for a reload soon after
    // the last renewal; one once a third of the timeout has passed); another player is refused.
    auto logged = f.log_size();
    CHECK(f.live("1.m3u8").status == 200);
    CHECK(f.log_size() == logged);
    f.clock.advance(std::chrono::seconds(11));
    CHECK(f.live("1.m3u8").status == 200);
    CHECK(f.log_size() == logged + 1);
    CHECK(f.live("1.m3u8", "player-2").status == 403);
    CHECK(f.active(1) == 1);
    const auto account = "/player_api.php?username=alice&password=" + f.password;
    CHECK(f.call("GET", account, {}, false).body.find(R"("active_cons":"1")") != std::string::npos);
    auto seg = f.call("GET", segment, {}, false);
    CHECK(seg.status == 200);
    CHECK(seg.body == "TS1");
    // The player goes away without a word: its lease no longer counts once it has expired
    // (even with no closed event, as after a crash), and the sweeper closes it as `timeout`.
    f.clock.advance(std::chrono::seconds(31));
    CHECK(f.active(1) == 0);
    CHECK(f.call("GET", account, {}, false).body.find(R"("active_cons":"0")") != std::string::npos);
    core::DecisionContext d;
    d.now = f.clock.now();
    auto swept = f.leases().sweep(d);
    REQUIRE(swept);
    CHECK(*swept == 1);
    CHECK(f.closed_reasons(1) == std::vector<std::string>{"timeout"});
    CHECK(f.call("GET", segment, {}, false).status == 403);  // that session has ended
    CHECK(f.live("1.m3u8", "player-2").status == 200);
}

TEST_CASE("delivery: a tampered or expired session token is refused 403") {
    DeliveryFixture f;
    auto playlist = f.live("1.m3u8");
    REQUIRE(playlist.status == 200);
    const auto segment = first_segment_url(playlist.body);
    REQUIRE(f.call("GET", segment, {}, false).status == 200);
    // Another stream id in the payload, or one changed digit of the MAC.
    const auto token_start = std::string("/hls/").size();
    const auto token = segment.substr(token_start, segment.find('/', token_start) - token_start);
    auto parts_end = token.rfind('.');
    auto forged = token;
    const auto stream_dot = forged.rfind('.', forged.rfind('.', parts_end - 1) - 1);
    forged[stream_dot + 1] = forged[stream_dot + 1] == '1' ? '2' : '1';
    auto flipped = token;
    flipped.back() = flipped.back() == '0' ? '1' : '0';
    for (const auto& bad : {forged, flipped, std::string("x.1.1.1"), std::string("garbage")}) {
        auto r = f.call("GET", "/hls/" + bad + "/seg_00001.ts", {}, false);
        CHECK_MESSAGE(r.status == 403, bad);
        CHECK(r.body.find("TS") == std::string::npos);
    }
    CHECK(f.call("GET", "/hls/" + token + "/../index.m3u8", {}, false).status != 200);
    // The token lasts twice the lease timeout.
    f.clock.advance(std::chrono::seconds(61));
    CHECK(f.call("GET", segment, {}, false).status == 403);
}

TEST_CASE("delivery: a wrong password or a disallowed output is refused with nothing appended") {
    DeliveryFixture f;
    const auto before = f.log_size();
    auto wrong = f.call("GET", "/live/alice/wrong-password/1.ts", {}, false);
    CHECK(wrong.status == 401);
    CHECK_FALSE(wrong.stream);
    auto disallowed = f.live("1.ts", "player-1", "bob");  // bob may use m3u8 only
    CHECK(disallowed.status == 403);
    CHECK(disallowed.body.find("output") != std::string::npos);
    CHECK(f.call("GET", "/live/alice/" + f.password + "/1.mkv", {}, false).status == 403);
    CHECK(f.log_size() == before);
    CHECK(f.fake.acquires.load() == 0);
    CHECK(f.live("1.m3u8", "player-1", "bob").status == 200);  // the allowed output plays
}

TEST_CASE("delivery: signed URLs carry no password, and expired or tampered ones are refused") {
    DeliveryFixture f;
    const auto before_bad = f.log_size();
    auto bad = f.call("PATCH", "/v1/iptv/lines/1", R"({"signed_url_ttl_s":5})");
    testing::check_problem(f, bad, 400, "signed_url_ttl_s", before_bad);
    REQUIRE(f.call("PATCH", "/v1/iptv/lines/1", R"({"signed_url_ttl_s":3600})").status == 200);
    f.settle();
    auto list =
        f.call("GET", "/get.php?username=alice&password=" + f.password + "&type=m3u", {}, false);
    REQUIRE(list.status == 200);
    CHECK(list.body.find(f.password) == std::string::npos);
    std::smatch m;
    const std::regex url("(/play/([^/\\s]+)/1\\.ts)");
    const std::string body = list.body;
    REQUIRE_MESSAGE(std::regex_search(body, m, url), body);
    const auto path = m[1].str(), token = m[2].str();
    // The path form is refused for this line; the signed URL plays.
    CHECK(f.live("1.ts").status == 403);
    auto played = f.call("GET", path, {}, false);
    REQUIRE(played.status == 200);
    REQUIRE(played.stream);
    played.stream->close();
    // Another stream with this token, a changed MAC, or a session token: refused.
    CHECK(f.call("GET", "/play/" + token + "/2.ts", {}, false).status == 403);
    auto flipped = token;
    flipped.back() = flipped.back() == '0' ? '1' : '0';
    CHECK(f.call("GET", "/play/" + flipped + "/1.ts", {}, false).status == 403);
    auto tampered = token;
    tampered.replace(0, 4, "pla1");
    CHECK(f.call("GET", "/play/" + tampered + "/1.ts", {}, false).status == 403);
    // The token is no key to HLS sessions either.
    CHECK(f.call("GET", "/hls/" + token + "/seg_00001.ts", {}, false).status == 403);
    // Expired an hour later.
    f.clock.advance(std::chrono::seconds(3601));
    auto expired = f.call("GET", path, {}, false);
    CHECK(expired.status == 403);
    CHECK_FALSE(expired.stream);
}

TEST_CASE("delivery: a direct_source stream still redirects to its source") {
    DeliveryFixture f;
    auto set = f.call("PATCH", "/v1/iptv/streams/2", R"({"direct_source":true})");
    REQUIRE_MESSAGE(set.status == 200, set.body);
    f.settle();
    auto got = f.call("GET", "/v1/iptv/streams/2");
    CHECK(got.body.find("\"direct_source\":true") != std::string::npos);
    const auto before = f.log_size();
    auto r = f.live("2.ts");
    CHECK(r.status == 302);
    std::string location;
    for (const auto& [k, v] : r.headers)
        if (k == "Location") location = v;
    CHECK(location == "http://origin.example/2");
    CHECK(f.log_size() == before);
    // A restreamed stream never shows its source.
    auto restreamed = f.live("1.m3u8");
    CHECK(restreamed.status == 200);
    for (const auto& [k, v] : restreamed.headers)
        CHECK(v.find("origin.example") == std::string::npos);
}

// ---- real FFmpeg workers ----

namespace {

using testing::have_ffmpeg;
using testing::SyntheticSource;

/// The IPTV module with real workers under a temporary stream directory, its loop running,
/// stream 1 pulling the synthetic source, line `alice` (two connections), on a real server.
struct FfmpegFixture {
    TempDir streams;
    SyntheticSource source;
    std::unique_ptr<ApiFixture> f;
    std::unique_ptr<api::HttpServer> server;
    std::string password = "Line-pass-01";

    FfmpegFixture() {
        f = std::make_unique<ApiFixture>([&](app::Modules& modules) {
            auto& iptv = iptv_module(modules);
            iptv.options.stream_dir = streams.path().string();
            iptv.options.lease_timeout_s = 6;
        });
        REQUIRE(iptv_module(f->modules).start_workers(*f->host));
        auto added =
            f->call("POST", "/v1/iptv/streams",
                    fmt::format(R"({{"name":"Synthetic","source_url":"{}"}})", source.url));
        REQUIRE_MESSAGE(added.status == 201, added.body);
        REQUIRE(f->call("POST", "/v1/iptv/lines",
                        R"({"username":"alice","password":"Line-pass-01","max_connections":2})")
                    .status == 201);
        f->settle();
        api::HttpServerOptions options;
        options.io_threads = 1;
        options.worker_threads = 8;
        auto s = api::HttpServer::start(*f->router, options);
        REQUIRE(s);
        server = std::move(*s);
    }
    ~FfmpegFixture() {
        if (server) server->stop();
    }
    std::string url(const std::string& file) const {
        return fmt::format("http://127.0.0.1:{}/live/alice/{}/{}", server->port(), password, file);
    }
    adapters::ffmpeg::StreamWorkers& workers() { return *iptv_module(f->modules).workers(); }
    std::string live_path(const std::string& file) const {
        return "/live/alice/" + password + "/" + file;
    }
};

/// The codec names ffprobe finds at `url`, comma-separated in stream order.
std::string probe_codecs(const std::string& url) {
    auto r = adapters::run_process({"ffprobe", "-v", "error", "-rw_timeout", "20000000",
                                    "-show_entries", "stream=codec_name", "-of", "csv=p=0", url},
                                   {}, 60'000, 1 << 16);
    INFO(r.output);
    CHECK(r.exit_code == 0);
    // ffprobe lists the streams of the program, a blank line, then the same streams again:
    // the first list.
    std::string out;
    std::istringstream in(r.output);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() && !out.empty()) break;
        if (!line.empty()) out += (out.empty() ? "" : ",") + line;
    }
    return out;
}

}  // namespace

TEST_CASE("ffmpeg delivery: two viewers of one stream share one ffmpeg process") {
    if (!have_ffmpeg()) return testing::skip("ffmpeg or ffprobe is not installed");
    FfmpegFixture x;
    Client a(x.server->port()), b(x.server->port());
    a.get(x.live_path("1.ts"), "viewer-a");
    b.get(x.live_path("1.ts"), "viewer-b");
    CHECK(a.head().find("200 ok") != std::string::npos);
    CHECK(b.head().find("200 ok") != std::string::npos);
    REQUIRE(a.read_at_least(188 * 50));
    REQUIRE(b.read_at_least(188 * 50));
    const auto status = x.workers().status();
    REQUIRE(status.size() == 1);
    CHECK(status[0].viewers == 2);
    CHECK(status[0].pid > 0);
    // Both keep receiving new segments from the one worker.
    const auto had_a = a.data().size(), had_b = b.data().size();
    CHECK(a.read_at_least(had_a + 188 * 1000));
    CHECK(b.read_at_least(had_b + 188 * 1000));
    CHECK(x.workers().status().size() == 1);
}

TEST_CASE("ffmpeg delivery: live .ts and .m3u8 through the route are read back by ffprobe") {
    if (!have_ffmpeg()) return testing::skip("ffmpeg or ffprobe is not installed");
    FfmpegFixture x;
    CHECK(probe_codecs(x.url("1.ts")) == "h264,aac");
    CHECK(probe_codecs(x.url("1.m3u8")) == "h264,aac");
    // The .ts player went away: its lease is closed (disconnect); the HLS one expires.
    REQUIRE(wait_until(
        [&] {
            auto l = iptv_module(x.f->modules).connections().leases(1);
            return l && l->leases.size() <= 1;
        },
        milliseconds(15'000)));
}
