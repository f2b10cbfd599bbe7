// The real HttpServer on a free loopback port in front of the API fixture: read-your-writes
// waits hold no thread and are capped per caller, and a body over the limit answers 413.
#include <doctest/doctest.h>

#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "api/http_server.hpp"
#include "core/gzip.hpp"
#include "tests/api/api_fixture.hpp"

using namespace switchyard;
using namespace switchyard::testing;

namespace {

/// A plain HTTP/1.1 client connection on loopback (blocking POSIX socket).
class Connection {
  public:
    explicit Connection(std::uint16_t port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        REQUIRE(fd_ >= 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    }
    ~Connection() {
        if (fd_ >= 0) ::close(fd_);
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    int fd() const { return fd_; }

    void send(const std::string& bytes) {
        std::size_t off = 0;
        while (off < bytes.size()) {
            auto n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
            REQUIRE(n > 0);
            off += static_cast<std::size_t>(n);
        }
    }

    /// Reads one whole response (the server always sends Content-Length).
    /// @returns the status line's code, the headers and the body.
    struct Response {
        int status = 0;
        std::string head, body;
    };
    Response read_response() {
        std::string data;
        char buf[4096];
        std::size_t header_end = std::string::npos;
        std::size_t want = 0;
        for (;;) {
            if (header_end == std::string::npos) {
                header_end = data.find("\r\n\r\n");
                if (header_end != std::string::npos) {
                    auto lower = data.substr(0, header_end);
                    for (auto& c : lower) c = static_cast<char>(std::tolower(c));
                    auto cl = lower.find("content-length: ");
                    REQUIRE(cl != std::string::npos);
                    want = std::stoul(lower.substr(cl + 16));
                }
            }
            if (header_end != std::string::npos && data.size() >= header_end + 4 + want) break;
            auto n = ::recv(fd_, buf, sizeof buf, 0);
            REQUIRE_MESSAGE(n > 0, "connection ended before a whole response: ", data);
            data.append(buf, static_cast<std::size_t>(n));
        }
        Response r;
        r.status = std::stoi(data.substr(9, 3));
        r.head = data.substr(0, header_end);
        r.body = data.substr(header_end + 4, want);
        return r;
    }

  private:
    int fd_ = -1;
};

std::string get_request(const std::string& target, const std::string& key) {
    return fmt::format("GET {} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {}\r\n\r\n",
                       target, key);
}

std::string post_request(const std::string& target, const std::string& key,
                         const std::string& body) {
    return fmt::format(
        "POST {} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {}\r\n"
        "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{}",
        target, key, body.size(), body);
}

/// Index of a connection with something to read, among those not yet answered.
std::size_t next_readable(const std::vector<std::unique_ptr<Connection>>& conns,
                          const std::vector<bool>& answered) {
    std::vector<pollfd> fds;
    std::vector<std::size_t> index;
    for (std::size_t i = 0; i < conns.size(); ++i) {
        if (answered[i]) continue;
        fds.push_back(pollfd{conns[i]->fd(), POLLIN, 0});
        index.push_back(i);
    }
    REQUIRE_FALSE(fds.empty());
    // A bound only so that a broken server cannot hang the suite; no assertion on time.
    const int ready = ::poll(fds.data(), fds.size(), 120'000);
    REQUIRE_MESSAGE(ready > 0, "no answer within two minutes");
    for (std::size_t i = 0; i < fds.size(); ++i) {
        if (fds[i].revents != 0) return index[i];
    }
    FAIL("poll reported no descriptor");
    return 0;
}

/// The fixture with its read models stopped behind a line created since: `position` is in the
/// log (valid) but not yet in the read models, so a read naming it must wait.
struct LaggingModels {
    ApiFixture f;
    std::string position;
    std::unique_ptr<api::HttpServer> server;

    explicit LaggingModels(int worker_threads) {
        // Long enough that no wait times out between being admitted and the models catching up
        // in the test's own order of steps; on a transport whose waits block workers, it is
        // what the command waits behind.
        f.ctx->max_wait = std::chrono::seconds(10);
        f.runner->stop();
        auto created = f.call("POST", "/v1/iptv/lines", R"({"username":"alice"})");
        REQUIRE_MESSAGE(created.status == 201, created.body);
        position = f.last_position;
        REQUIRE_FALSE(position.empty());
        api::HttpServerOptions options;
        options.port = 0;
        options.worker_threads = worker_threads;
        auto s = api::HttpServer::start(*f.router, options);
        REQUIRE(s);
        server = std::move(*s);
    }
    ~LaggingModels() {
        if (server) server->stop();
    }

    std::string read_target() const { return "/v1/iptv/lines?after=" + position; }

    /// Read-your-writes waits for `position`, each on its own connection, answered in the order
    /// the answers come.
    struct Waits {
        std::vector<std::unique_ptr<Connection>> connections;
        std::vector<bool> answered;
        /// The next answer to come, among the waits not answered yet.
        Connection::Response next() {
            const auto i = next_readable(connections, answered);
            answered[i] = true;
            return connections[i]->read_response();
        }
    };
    Waits send_waits(int count) {
        Waits w;
        for (int i = 0; i < count; ++i) {
            w.connections.push_back(std::make_unique<Connection>(server->port()));
            w.connections.back()->send(get_request(read_target(), f.key));
        }
        w.answered.assign(w.connections.size(), false);
        return w;
    }

    /// Creates a line `bob` on a connection of its own: a command while the waits are pending.
    Connection::Response create_line() {
        Connection command(server->port());
        command.send(post_request("/v1/iptv/lines", f.key, R"({"username":"bob"})"));
        return command.read_response();
    }
};

void check_after_problem(const Connection::Response& r, int status) {
    CHECK_MESSAGE(r.status == status, r.head, "\n", r.body);
    CHECK_MESSAGE(r.body.find("\"field\":\"after\"") != std::string::npos, r.body);
    CHECK(r.body.find(fmt::format("\"status\":{}", status)) != std::string::npos);
}

}  // namespace

TEST_CASE(
    "40 parallel read-your-writes waits from one caller do not stall a command, beyond four "
    "the caller gets 429, and a position beyond the log head gets 400 at once") {
    LaggingModels m(16);
    auto waits = m.send_waits(40);
    // The caller may hold four waits: 36 answers come at once, all 429 naming `after`.
    for (int n = 0; n < 36; ++n) {
        auto r = waits.next();
        check_after_problem(r, 429);
        CHECK(r.head.find("Retry-After: ") != std::string::npos);
    }
    // Four waits are pending (their slots are held). A command still answers.
    auto created = m.create_line();
    CHECK_MESSAGE(created.status == 201, created.body);
    // A position that is not in the log is refused at once, as are negative or malformed ones.
    for (const char* bad : {"0:999999999", "999999999", "-1", "0:-5", "x"}) {
        Connection c(m.server->port());
        c.send(get_request(std::string("/v1/iptv/lines?after=") + bad, m.f.key));
        check_after_problem(c.read_response(), 400);
    }
    // Only now do the read models catch up: the four waits were still pending and answer 200.
    m.f.runner->start(*m.f.store);
    for (int n = 0; n < 4; ++n) {
        auto r = waits.next();
        CHECK_MESSAGE(r.status == 200, r.body);
        CHECK(r.body.find("\"alice\"") != std::string::npos);
    }
}

TEST_CASE("with one worker thread, a command runs while four read-your-writes waits are pending") {
    LaggingModels m(1);
    auto waits = m.send_waits(5);
    // One of the five is refused (whichever came last): the four others are admitted and wait.
    check_after_problem(waits.next(), 429);
    // The only worker thread is free: the command runs.
    auto created = m.create_line();
    CHECK_MESSAGE(created.status == 201, created.body);
    m.f.runner->start(*m.f.store);
    for (int n = 0; n < 4; ++n) {
        auto r = waits.next();
        CHECK_MESSAGE(r.status == 200, r.body);
    }
}

TEST_CASE("a read-your-writes wait that times out answers 504 naming after") {
    ApiFixture f;
    f.ctx->max_wait = std::chrono::milliseconds(1);
    f.runner->stop();
    REQUIRE(f.call("POST", "/v1/iptv/lines", R"({"username":"alice"})").status == 201);
    auto r = f.call("GET", "/v1/iptv/lines");
    CHECK_MESSAGE(r.status == 504, r.body);
    CHECK(r.body.find("\"field\":\"after\"") != std::string::npos);
}

TEST_CASE("a body over the configured limit answers 413 with a problem whose status is 413") {
    ApiFixture f;
    api::HttpServerOptions options;
    options.port = 0;
    options.body_limit = 1024;
    auto s = api::HttpServer::start(*f.router, options);
    REQUIRE(s);
    auto server = std::move(*s);
    const auto before = f.log_size();
    Connection c(server->port());
    c.send(post_request("/v1/iptv/lines", f.key, std::string(4096, ' ')));
    auto r = c.read_response();
    CHECK(r.status == 413);
    CHECK(r.head.find("application/problem+json") != std::string::npos);
    CHECK_MESSAGE(r.body.find("\"status\":413") != std::string::npos, r.body);
    CHECK_MESSAGE(r.body.find("\"field\":\"body\"") != std::string::npos, r.body);
    CHECK(f.log_size() == before);
    server->stop();
}

TEST_CASE("starting the server lifts the soft open-file limit to the hard one") {
    rlimit limit{};
    REQUIRE(::getrlimit(RLIMIT_NOFILE, &limit) == 0);
    const auto hard = limit.rlim_max;
    if (hard <= 256) return;  // nothing to lift here
    limit.rlim_cur = 256;
    REQUIRE(::setrlimit(RLIMIT_NOFILE, &limit) == 0);
    ApiFixture f;
    api::HttpServerOptions options;
    options.port = 0;
    auto s = api::HttpServer::start(*f.router, options);
    REQUIRE(s);
    REQUIRE(::getrlimit(RLIMIT_NOFILE, &limit) == 0);
    CHECK(limit.rlim_cur == hard);
    (*s)->stop();
}

TEST_CASE("a shared body goes out whole, plain and gzip, on one keep-alive connection") {
    ApiFixture f;
    std::string playlist = "#EXTM3U\n";
    for (int i = 1; i <= 300; ++i)
        playlist += fmt::format("#EXTINF:-1 tvg-id=\"C{0}.us@SD\",Channel {0}\nhttp://a/{0}\n", i);
    REQUIRE(f.call("POST", "/v1/iptv/imports/m3u?source=us", playlist).status == 200);
    REQUIRE(f.call("POST", "/v1/iptv/lines", R"({"username":"alice","password":"Line-pass-01"})")
                .status == 201);
    f.settle();
    const std::string target =
        "/player_api.php?username=alice&password=Line-pass-01&action=get_live_streams";
    const auto expected = f.call("GET", target, {}, false);
    REQUIRE(expected.shared_body);
    REQUIRE(expected.body.size() > 30'000);  // more than one write's worth
    api::HttpServerOptions options;
    options.port = 0;
    auto s = api::HttpServer::start(*f.router, options);
    REQUIRE(s);
    auto server = std::move(*s);
    Connection c(server->port());
    for (int round = 0; round < 2; ++round) {
        c.send(fmt::format("GET {} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", target));
        auto plain = c.read_response();
        CHECK(plain.status == 200);
        CHECK(plain.body == expected.body);
        CHECK(plain.head.find("Vary: Accept-Encoding") != std::string::npos);
        CHECK(plain.head.find("Content-Encoding") == std::string::npos);
        c.send(fmt::format("GET {} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\n\r\n",
                           target));
        auto gz = c.read_response();
        CHECK(gz.status == 200);
        CHECK(gz.head.find("Content-Encoding: gzip") != std::string::npos);
        CHECK(core::gunzip(gz.body, 16 << 20) == expected.body);
    }
    server->stop();
}
