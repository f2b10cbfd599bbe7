// The hotspot RADIUS backend (issue 13, Performance): authorize and accounting req/s and
// latency percentiles (goal p99 < 1 ms)
//   1. in process: AaaService::handle on the RocksDB log (durable appends for accounting);
//   2. through the HTTP server on loopback (one keep-alive connection, sequential);
//   3. end to end through FreeRADIUS 3.2 with the shipped configuration and `radclient -c N
//      -p P`, against Switchyard and against bench/hotspot_peer_backend.py in the same run,
//      printed side by side with their ratio.
// Usage: bench_hotspot_radius [requests=20000] [radclient_count=100] [parallel=32]
// (radclient sends each of the 100 users' Access-Requests radclient_count times.)
// See bench/README.md for the figures.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "api/api_context.hpp"
#include "api/http_server.hpp"
#include "api/routes/hotspot/radius.hpp"
#include "events/command_handler.hpp"
#include "events/hotspot/aaa_service.hpp"
#include "events/identity/api_key_service.hpp"
#include "events/rocksdb/rocksdb_event_store.hpp"
#include "projections/identity/api_keys.hpp"
#include "projections/projection_runner.hpp"
#include "tests/support/freeradius.hpp"

using namespace switchyard;
using namespace switchyard::core::hotspot;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "bench_hotspot_radius: %s\n", what.c_str());
    std::exit(1);
}

template <class R>
void ok(const R& r, const char* what) {
    if (!r) die(std::string(what) + ": " + r.error().field + " " + r.error().message);
}

core::DecisionContext ctx_now() {
    core::DecisionContext d;
    d.now = core::SystemClock().now();
    d.correlation_id = "bench";
    return d;
}

struct Stats {
    std::vector<double> us;
    double seconds = 0;
    void print(const char* name) {
        std::sort(us.begin(), us.end());
        auto pct = [&](double p) {
            return us.empty() ? 0.0 : us[std::min(us.size() - 1, std::size_t(p * us.size()))];
        };
        std::printf("%-44s %8zu req %10.0f req/s  p50 %7.1f us  p99 %7.1f us  max %8.1f us\n", name,
                    us.size(), double(us.size()) / seconds, pct(0.50), pct(0.99),
                    us.empty() ? 0.0 : us.back());
    }
};

template <class Fn>
Stats measure(int n, Fn&& fn) {
    Stats s;
    s.us.reserve(n);
    const auto start = Clock::now();
    for (int i = 0; i < n; ++i) {
        const auto t0 = Clock::now();
        fn(i);
        s.us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    }
    s.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return s;
}

std::string attr(const std::string& name, const std::string& type, const std::string& value,
                 bool number = false) {
    return "\"" + name + "\":{\"type\":\"" + type + "\",\"value\":[" +
           (number ? value : "\"" + value + "\"") + "]}";
}

std::string access_body(const std::string& user) {
    return "{" + attr("User-Name", "string", user) + "," +
           attr("NAS-IP-Address", "ipaddr", "127.0.0.1") + "," +
           attr("Calling-Station-Id", "string", "AA-BB-CC-DD-EE-01") + "}";
}

std::string acct_body(const std::string& user, const std::string& status, const std::string& id,
                      long long out) {
    return "{" + attr("User-Name", "string", user) + "," +
           attr("Acct-Status-Type", "integer", status) + "," +
           attr("Acct-Session-Id", "string", id) + "," +
           attr("Acct-Unique-Session-Id", "string", id) + "," +
           attr("NAS-IP-Address", "ipaddr", "127.0.0.1") + "," +
           attr("Acct-Output-Octets", "integer", std::to_string(out), true) + "," +
           attr("Acct-Session-Time", "integer", std::to_string(out / 1000), true) + "}";
}

/// One keep-alive HTTP/1.1 connection.
struct HttpClient {
    int fd = -1;
    std::string buf;
    explicit HttpClient(int port) {
        fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<std::uint16_t>(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) die("connect");
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    ~HttpClient() { ::close(fd); }
    int post(const std::string& target, const std::string& auth, const std::string& body) {
        const auto req = fmt::format(
            "POST {} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {}\r\nContent-Type: "
            "application/json\r\nContent-Length: {}\r\n\r\n{}",
            target, auth, body.size(), body);
        if (::send(fd, req.data(), req.size(), 0) != ssize_t(req.size())) die("send");
        for (;;) {
            const auto end = buf.find("\r\n\r\n");
            if (end != std::string::npos) {
                std::size_t length = 0;
                auto cl = buf.find("Content-Length: ");
                if (cl == std::string::npos) cl = buf.find("content-length: ");
                if (cl != std::string::npos && cl < end) length = std::stoul(buf.substr(cl + 16));
                if (buf.size() >= end + 4 + length) {
                    const int status = std::stoi(buf.substr(9, 3));
                    buf.erase(0, end + 4 + length);
                    return status;
                }
            }
            char tmp[8192];
            const auto n = ::recv(fd, tmp, sizeof tmp, 0);
            if (n <= 0) die("recv");
            buf.append(tmp, std::size_t(n));
        }
    }
};

int free_tcp_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

std::string base64(const std::string& in) {
    static const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    int val = 0, bits = -6;
    for (unsigned char c : in) {
        val = (val << 8) + c;
        bits += 8;
        while (bits >= 0) {
            out.push_back(a[(val >> bits) & 0x3F]);
            bits -= 6;
        }
    }
    if (bits > -6) out.push_back(a[((val << 8) >> (bits + 8)) & 0x3F]);
    while (out.size() % 4) out.push_back('=');
    return out;
}

/// `radclient -c count -p parallel` of one request file; the wall time in seconds.
double radclient_run(const testing::FreeRadius& radius, const fs::path& file, int count,
                     int parallel) {
    const auto t0 = Clock::now();
    auto r = testing::freeradius_detail::shell(
        fmt::format("radclient -q -c {} -p {} -r 1 -t 5 -f '{}' 127.0.0.1:{} auth testing123",
                    count, parallel, file.string(), radius.auth_port()));
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    if (r.exit_code != 0) die("radclient failed:\n" + r.output.substr(0, 2000));
    return s;
}

}  // namespace

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 20000;
    const int rc_count = argc > 2 ? std::atoi(argv[2]) : 100;
    const int parallel = argc > 3 ? std::atoi(argv[3]) : 32;
    const auto tmp = fs::temp_directory_path() / fmt::format("sy-radius-bench-{}", ::getpid());
    fs::create_directories(tmp);

    auto store_r = events::open_rocksdb_event_store(tmp / "log");
    ok(store_r, "log");
    auto& store = **store_r;
    std::vector<std::unique_ptr<projections::Projector>> models;
    models.push_back(projections::identity::make_api_keys_projector());
    auto runner_r = projections::ProjectionRunner::open(tmp / "models", std::move(models));
    ok(runner_r, "models");
    auto& runner = **runner_r;
    runner.start(store);
    core::SystemClock clock;
    api::Metrics metrics;
    api::ApiContext ctx{store, runner, clock, metrics, std::string(32, 's'), "op"};
    ctx.security.anonymous_per_minute = 0;
    ctx.security.authenticated_per_minute = 0;
    const auto keyring = events::MasterKeyring::generate();
    events::hotspot::HotspotService hotspot(store, "op", keyring);
    events::hotspot::SessionService sessions(store, "op");
    auto profiles = events::hotspot::load_vendor_profiles(
        fs::path(SY_SOURCE_DIR) / "config/hotspot/vendors", [](std::string_view) { return true; });
    ok(profiles, "profiles");
    events::hotspot::AaaService aaa(hotspot, sessions, *profiles);

    Nas nas;
    nas.nas_id = "lobby";
    nas.name = "Lobby";
    nas.vendor = Vendor::Mikrotik;
    nas.address = "127.0.0.1";
    ok(hotspot.execute(DefineNas{nas, "testing123-secret", DefineMode::Create, "n1"}, ctx_now()),
       "nas");
    Plan plan;
    plan.plan_id = "1d";
    plan.name = "1 day";
    plan.duration_seconds = 86400;
    plan.data_limit_bytes = 1'000'000'000'000;
    plan.download_kbps = 2048;
    plan.upload_kbps = 512;
    plan.shared_users = 1000;
    ok(hotspot.execute(DefinePlan{plan, DefineMode::Create, "p1"}, ctx_now()), "plan");
    const int users = 100;
    for (int i = 0; i < users; ++i) {
        Account a;
        a.username = fmt::format("user{:03d}", i);
        a.plan_id = "1d";
        ok(hotspot.execute(CreateAccount{a, "password" + std::to_string(i), a.username}, ctx_now()),
           "account");
    }
    ok(aaa.start(), "start");
    auto key_r = events::identity::create_api_key(store, "freeradius", "admin", ctx_now(), "op");
    ok(key_r, "key");
    runner.wait_for(key_r->positions, std::chrono::seconds(10));
    const auto basic = "Basic " + base64("freeradius:" + key_r->key);

    std::printf("hotspot RADIUS backend, %d requests each, %u hardware threads\n", n,
                std::thread::hardware_concurrency());
    // 1. In process.
    std::vector<std::string> bodies;
    for (int i = 0; i < users; ++i) bodies.push_back(access_body(fmt::format("user{:03d}", i)));
    auto s = measure(n, [&](int i) {
        auto a =
            aaa.handle(events::hotspot::RestAction::Authorize, bodies[i % users], "", ctx_now());
        if (a.answer.status != 200) die("authorize " + a.answer.body);
    });
    s.print("in process: authorize");
    s = measure(n, [&](int i) {
        const auto user = fmt::format("user{:03d}", i % users);
        const auto id = fmt::format("s{}", i / 10);
        const bool start = i % 10 == 0;
        auto a = aaa.handle(
            events::hotspot::RestAction::Accounting,
            acct_body(user, start ? "Start" : "Interim-Update", id, start ? 0 : (i % 10) * 1000),
            user, ctx_now());
        if (a.answer.status != 204) die("accounting " + a.answer.body);
    });
    s.print("in process: accounting (durable append)");
    // The floor under accounting: one durable append of a session-sized event to the same log
    // (WAL write + fsync + memtable), nothing decided. Accounting minus this is ours.
    {
        const std::string payload(330, 'x');
        s = measure(n, [&](int i) {
            auto e = events::make_new_event("bench.floor.appended", 1,
                                            R"({"pad":")" + payload + R"("})", ctx_now(), "op");
            auto r = store.append(
                {{fmt::format("bench_floor-{}", i % users), events::ExpectedRevision::any(), {e}}});
            if (!r) die("floor append " + r.error().message);
        });
        s.print("floor: one durable append, 330 B");
    }
    // Many NAS at once: `parallel` threads send accounting together, as FreeRADIUS's worker
    // threads do; concurrent appends share fsyncs (the log's group commit).
    {
        std::vector<std::vector<double>> per(static_cast<std::size_t>(parallel));
        const int each = std::max(1, n / parallel);
        const auto t0 = Clock::now();
        std::vector<std::thread> threads;
        for (int t = 0; t < parallel; ++t)
            threads.emplace_back([&, t] {
                for (int k = 0; k < each; ++k) {
                    const int i = t * each + k;
                    const auto user = fmt::format("user{:03d}", i % users);
                    const auto id = fmt::format("c{}-{}", t, k / 10);
                    const bool start = k % 10 == 0;
                    const auto b = Clock::now();
                    auto a = aaa.handle(events::hotspot::RestAction::Accounting,
                                        acct_body(user, start ? "Start" : "Interim-Update", id,
                                                  start ? 0 : (k % 10) * 1000),
                                        user, ctx_now());
                    per[static_cast<std::size_t>(t)].push_back(
                        std::chrono::duration<double, std::micro>(Clock::now() - b).count());
                    if (a.answer.status != 204) die("accounting " + a.answer.body);
                }
            });
        for (auto& th : threads) th.join();
        Stats c;
        c.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
        for (auto& v : per) c.us.insert(c.us.end(), v.begin(), v.end());
        c.print(fmt::format("in process: accounting, {} NAS threads", parallel).c_str());
    }

    // 2. Through the HTTP server on loopback.
    auto router = api::make_router(ctx);
    api::RadiusApi radius_api{ctx, aaa, hotspot, sessions};
    api::add_radius_routes(*router, radius_api);
    api::HttpServerOptions o;
    o.io_threads = 1;
    o.worker_threads = 8;
    auto server = api::HttpServer::start(*router, o);
    ok(server, "server");
    const int port = (*server)->port();
    {
        HttpClient c(port);
        s = measure(n, [&](int i) {
            const auto user = fmt::format("user{:03d}", i % users);
            const int st = c.post("/radius/user/" + user + "/mac/x?action=authorize", basic,
                                  bodies[i % users]);
            if (st != 200) die(fmt::format("HTTP authorize {}", st));
        });
        s.print("HTTP loopback: authorize");
        s = measure(n, [&](int i) {
            const auto user = fmt::format("user{:03d}", i % users);
            const auto id = fmt::format("h{}", i / 10);
            const bool start = i % 10 == 0;
            const int st =
                c.post("/radius/user/" + user + "/sessions/" + id + "?action=accounting", basic,
                       acct_body(user, start ? "Start" : "Interim-Update", id,
                                 start ? 0 : (i % 10) * 1000));
            if (st != 204) die(fmt::format("HTTP accounting {}", st));
        });
        s.print("HTTP loopback: accounting (durable append)");
    }

    // 3. End to end through FreeRADIUS and radclient, Switchyard and the Python peer.
    if (auto missing = testing::missing_freeradius_tool()) {
        std::printf("end to end: skipped, needs %s\n", missing->c_str());
    } else {
        const auto file = tmp / "requests.txt";
        {
            std::string text;
            for (int i = 0; i < users; ++i)
                text += fmt::format(
                    "User-Name = user{:03d}, User-Password = password{}, NAS-IP-Address = "
                    "127.0.0.1\n\n",
                    i, i);
            testing::freeradius_detail::write_file(file, text);
        }
        std::string users_json = "{";
        for (int i = 0; i < users; ++i)
            users_json += fmt::format(
                "{}\"user{:03d}\":{{\"password\":\"password{}\",\"reply\":{{\"Mikrotik-Rate-"
                "Limit\":\"512k/2048k\",\"Session-Timeout\":86400}}}}",
                i ? "," : "", i, i);
        users_json += "}";
        testing::freeradius_detail::write_file(tmp / "users.json", users_json);
        const int peer_port = free_tcp_port();
        const auto peer_cmd = fmt::format(
            "{} '{}/bench/hotspot_peer_backend.py' --port {} --users '{}' "
            ">'{}' 2>&1 & echo $!",
            SY_PYTHON, SY_SOURCE_DIR, peer_port, (tmp / "users.json").string(),
            (tmp / "peer.log").string());
        const auto pid_text = testing::freeradius_detail::shell(peer_cmd).output;
        const int peer_pid = std::atoi(pid_text.c_str());
        std::this_thread::sleep_for(std::chrono::seconds(1));
        const auto per = double(users) * rc_count;
        double sy_s = 0, py_s = 0;
        {
            testing::FreeRadius fr(
                fs::path(SY_SOURCE_DIR) / "adapters/radius/raddb", tmp / "fr1",
                fmt::format("http://freeradius:{}@127.0.0.1:{}/radius", key_r->key, port));
            if (!fr.start()) die("freeradius (switchyard) did not start:\n" + fr.log());
            sy_s = radclient_run(fr, file, rc_count, parallel);
        }
        {
            testing::FreeRadius fr(fs::path(SY_SOURCE_DIR) / "adapters/radius/raddb", tmp / "fr2",
                                   fmt::format("http://127.0.0.1:{}/radius", peer_port));
            if (!fr.start()) die("freeradius (peer) did not start:\n" + fr.log());
            py_s = radclient_run(fr, file, rc_count, parallel);
        }
        if (peer_pid > 0) ::kill(peer_pid, SIGTERM);
        std::printf(
            "end to end (radclient -c %d -p %d, %d users, PAP): Switchyard %.0f req/s, "
            "Python peer %.0f req/s, ratio %.2f\n",
            rc_count, parallel, users, per / sy_s, per / py_s, py_s / sy_s);
    }
    (*server)->stop();
    runner.stop();
    fs::remove_all(tmp);
    return 0;
}
