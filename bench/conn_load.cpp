// A keep-alive connection load generator: opens N connections to one URL, holds them for D
// seconds, and sends one plain HTTP/1.1 GET per connection every I ms; prints connections,
// requests, errors, timeouts and p50/p99/max latency. Boost.Asio, one thread per core, no Beast.
//   bench_conn_load --url http://127.0.0.1:8080/player_api.php?... --connections 10000
//                   --duration 60 --interval 1000 [--timeout 5000] [--ramp 10] [--threads N]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <sys/resource.h>

#include <boost/asio.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>

namespace asio = boost::asio;
using asio::awaitable;
using asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
    std::string host = "127.0.0.1";
    std::string port = "8080";
    std::string target = "/";
    int connections = 1000;
    int duration_s = 10;
    int interval_ms = 1000;
    int timeout_ms = 5000;
    int ramp_s = 10;  ///< Connections are opened evenly over this many seconds.
    int threads = 0;  ///< 0 = one per core.
};

/// What one thread saw; merged at the end.
struct Tally {
    std::vector<std::uint32_t> latency_us;  ///< Of successful requests in the measured window.
    std::int64_t requests = 0, ok = 0, errors = 0, timeouts = 0, status_errors = 0;
    std::int64_t connect_errors = 0, reconnects = 0;
};

struct Shared {
    Options o;
    std::string request;
    Clock::time_point ramp_start, hold_start, hold_end;
    std::atomic<int> open{0};
    std::atomic<int> peak_open{0};
};

bool parse_url(const std::string& url, Options& o) {
    const std::string scheme = "http://";
    if (url.rfind(scheme, 0) != 0) return false;
    auto rest = url.substr(scheme.size());
    auto slash = rest.find('/');
    auto authority = rest.substr(0, slash);
    o.target = slash == std::string::npos ? "/" : rest.substr(slash);
    auto colon = authority.rfind(':');
    o.host = authority.substr(0, colon);
    o.port = colon == std::string::npos ? "80" : authority.substr(colon + 1);
    return !o.host.empty();
}

awaitable<void> sleep_until(Clock::time_point t) {
    asio::steady_timer timer(co_await asio::this_coro::executor, t);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

awaitable<void> sleep_for(std::chrono::milliseconds d) {
    asio::steady_timer timer(co_await asio::this_coro::executor, d);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
}

/// One request and its whole response on `s`. @returns the HTTP status, or 0 on an error.
awaitable<int> exchange(tcp::socket& s, const std::string& request, std::string& buf) {
    auto [wec, wn] =
        co_await asio::async_write(s, asio::buffer(request), asio::as_tuple(asio::use_awaitable));
    (void)wn;
    if (wec) co_return 0;
    auto [rec, header_len] = co_await asio::async_read_until(
        s, asio::dynamic_buffer(buf), "\r\n\r\n", asio::as_tuple(asio::use_awaitable));
    if (rec || buf.size() < 12) co_return 0;
    const int status = std::atoi(buf.c_str() + 9);
    std::size_t length = 0;
    {
        std::string head(buf.data(), header_len);
        for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto cl = head.find("\r\ncontent-length:");
        if (cl == std::string::npos) co_return 0;
        length = std::strtoull(head.c_str() + cl + 17, nullptr, 10);
    }
    const std::size_t total = header_len + length;
    if (buf.size() < total) {
        auto [bec, bn] = co_await asio::async_read(s, asio::dynamic_buffer(buf),
                                                   asio::transfer_exactly(total - buf.size()),
                                                   asio::as_tuple(asio::use_awaitable));
        (void)bn;
        if (bec) co_return 0;
    }
    buf.erase(0, total);
    co_return status;
}

awaitable<bool> connect(tcp::socket& s, const tcp::resolver::results_type& endpoints) {
    auto [ec, ep] = co_await asio::async_connect(s, endpoints, asio::as_tuple(asio::use_awaitable));
    (void)ep;
    if (ec) co_return false;
    s.set_option(tcp::no_delay(true), ec);
    co_return true;
}

/// One connection: open it at its slot of the ramp, then a request every interval until the
/// end of the hold; a failed or timed-out exchange counts and reconnects.
awaitable<void> connection(int index, Shared& sh, Tally& t,
                           const tcp::resolver::results_type& endpoints) {
    auto ex = co_await asio::this_coro::executor;
    const auto& o = sh.o;
    const auto ramp = std::chrono::milliseconds(std::int64_t(o.ramp_s) * 1000);
    co_await sleep_until(sh.ramp_start + ramp * index / std::max(1, o.connections));
    const auto interval = std::chrono::milliseconds(o.interval_ms);
    const auto timeout = std::chrono::milliseconds(o.timeout_ms);
    // Requests are spread over the interval by index, so that N connections make N/interval
    // requests a second, evenly.
    auto next = sh.hold_start + interval * index / std::max(1, o.connections);
    std::string buf;
    bool first = true;
    while (Clock::now() < sh.hold_end) {
        tcp::socket s(ex);
        auto connected = co_await (connect(s, endpoints) || sleep_for(timeout));
        if (connected.index() != 0 || !std::get<0>(connected)) {
            ++t.connect_errors;
            co_await sleep_for(std::chrono::milliseconds(200));
            continue;
        }
        if (!first) ++t.reconnects;
        first = false;
        const int now_open = ++sh.open;
        int peak = sh.peak_open.load();
        while (now_open > peak && !sh.peak_open.compare_exchange_weak(peak, now_open)) {
        }
        buf.clear();
        for (;;) {
            if (next >= sh.hold_end) break;
            co_await sleep_until(next);
            next += interval;
            const bool measured = Clock::now() >= sh.hold_start;
            const auto start = Clock::now();
            auto r = co_await (exchange(s, sh.request, buf) || sleep_for(timeout));
            const auto us =
                std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count();
            if (!measured) continue;
            ++t.requests;
            if (r.index() == 1) {
                ++t.timeouts;
                break;
            }
            const int status = std::get<0>(r);
            if (status == 0) {
                ++t.errors;
                break;
            }
            if (status != 200) ++t.status_errors;
            ++t.ok;
            t.latency_us.push_back(
                static_cast<std::uint32_t>(std::min<std::int64_t>(us, UINT32_MAX)));
        }
        --sh.open;
        boost::system::error_code ec;
        s.close(ec);
        if (next >= sh.hold_end) break;
    }
}

/// User plus system CPU time of this process, seconds.
double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
    return s(u.ru_utime) + s(u.ru_stime);
}

int usage() {
    std::fprintf(stderr,
                 "usage: bench_conn_load --url http://HOST:PORT/PATH [--connections N] "
                 "[--duration S] [--interval MS] [--timeout MS] [--ramp S] [--threads N]\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    Shared sh;
    auto& o = sh.o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (i + 1 >= argc) return usage();
        const std::string v = argv[++i];
        if (a == "--url") {
            if (!parse_url(v, o)) return usage();
        } else if (a == "--connections") {
            o.connections = std::atoi(v.c_str());
        } else if (a == "--duration") {
            o.duration_s = std::atoi(v.c_str());
        } else if (a == "--interval") {
            o.interval_ms = std::atoi(v.c_str());
        } else if (a == "--timeout") {
            o.timeout_ms = std::atoi(v.c_str());
        } else if (a == "--ramp") {
            o.ramp_s = std::atoi(v.c_str());
        } else if (a == "--threads") {
            o.threads = std::atoi(v.c_str());
        } else {
            return usage();
        }
    }
    if (o.connections < 1 || o.duration_s < 1 || o.interval_ms < 1 || o.timeout_ms < 1 ||
        o.ramp_s < 0)
        return usage();
    sh.request =
        "GET " + o.target + " HTTP/1.1\r\nHost: " + o.host + "\r\nUser-Agent: conn_load\r\n\r\n";
    const int threads = o.threads > 0
                            ? o.threads
                            : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    asio::io_context resolver_ctx;
    tcp::resolver resolver(resolver_ctx);
    boost::system::error_code ec;
    auto endpoints = resolver.resolve(o.host, o.port, ec);
    if (ec) {
        std::fprintf(stderr, "cannot resolve %s:%s: %s\n", o.host.c_str(), o.port.c_str(),
                     ec.message().c_str());
        return 1;
    }
    // The hold (the measured window) starts once every connection has had its ramp slot.
    sh.ramp_start = Clock::now() + std::chrono::milliseconds(100);
    sh.hold_start = sh.ramp_start + std::chrono::seconds(o.ramp_s) + std::chrono::seconds(1);
    sh.hold_end = sh.hold_start + std::chrono::seconds(o.duration_s);

    std::vector<std::unique_ptr<asio::io_context>> contexts;
    std::vector<Tally> tallies(static_cast<std::size_t>(threads));
    for (int t = 0; t < threads; ++t) contexts.push_back(std::make_unique<asio::io_context>(1));
    for (int i = 0; i < o.connections; ++i) {
        const auto t = static_cast<std::size_t>(i % threads);
        asio::co_spawn(*contexts[t], connection(i, sh, tallies[t], endpoints), asio::detached);
    }
    // Report how many connections are open once the ramp is over.
    std::thread reporter([&] {
        std::this_thread::sleep_until(sh.hold_start);
        std::fprintf(stderr, "hold: %d connections open\n", sh.open.load());
    });
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) workers.emplace_back([&, t] { contexts[t]->run(); });
    for (auto& w : workers) w.join();
    reporter.join();

    Tally all;
    for (auto& t : tallies) {
        all.latency_us.insert(all.latency_us.end(), t.latency_us.begin(), t.latency_us.end());
        all.requests += t.requests;
        all.ok += t.ok;
        all.errors += t.errors;
        all.timeouts += t.timeouts;
        all.status_errors += t.status_errors;
        all.connect_errors += t.connect_errors;
        all.reconnects += t.reconnects;
    }
    std::sort(all.latency_us.begin(), all.latency_us.end());
    auto pct = [&](double p) -> double {
        if (all.latency_us.empty()) return 0;
        auto i = static_cast<std::size_t>(p * static_cast<double>(all.latency_us.size() - 1));
        return all.latency_us[i] / 1000.0;
    };
    std::printf(
        "connections=%d peak_open=%d requests=%lld ok=%lld errors=%lld timeouts=%lld "
        "non_200=%lld connect_errors=%lld reconnects=%lld rate=%.0f/s p50_ms=%.2f p99_ms=%.2f "
        "max_ms=%.2f cpu_s=%.2f\n",
        o.connections, sh.peak_open.load(), static_cast<long long>(all.requests),
        static_cast<long long>(all.ok), static_cast<long long>(all.errors),
        static_cast<long long>(all.timeouts), static_cast<long long>(all.status_errors),
        static_cast<long long>(all.connect_errors), static_cast<long long>(all.reconnects),
        static_cast<double>(all.requests) / o.duration_s, pct(0.50), pct(0.99), pct(1.0),
        cpu_seconds());
    return 0;
}
