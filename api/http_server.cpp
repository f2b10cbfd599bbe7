#include "api/http_server.hpp"

#include <sys/resource.h>

#include <array>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "api/problem.hpp"

namespace switchyard::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;

namespace {

constexpr auto kNoThrow = asio::as_tuple(use_awaitable);

namespace ssl = asio::ssl;

HttpRequest to_request(const http::request<http::string_body>& req, const std::string& remote_ip) {
    HttpRequest r;
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    for (const auto& field : req) {
        std::string name(field.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        r.headers[name] = std::string(field.value());
    }
    r.body = req.body();
    r.remote_ip = remote_ip;
    return r;
}

/// The head of `resp` on `res`: status line fields, content type, the handler's headers.
template <class Body>
void set_head(http::response<Body>& res, HttpResponse& resp, bool keep_alive, bool tls) {
    res.set(http::field::server, "switchyard");
    // RFC 6797: browsers keep to HTTPS for a year once they have seen it here over TLS.
    if (tls) res.set(http::field::strict_transport_security, "max-age=31536000");
    res.set(http::field::content_type, resp.content_type);
    for (auto& [k, v] : resp.headers) res.set(k, v);
    res.keep_alive(keep_alive);
}

http::response<http::string_body> to_response(HttpResponse&& resp, unsigned version,
                                              bool keep_alive, bool tls = false) {
    http::response<http::string_body> res{static_cast<http::status>(resp.status), version};
    set_head(res, resp, keep_alive, tls);
    res.body() = std::move(resp.body);
    res.prepare_payload();
    return res;
}

/// A response whose body is `resp.shared_body`, referred to and not copied: the caller keeps
/// that string alive until the response is written.
http::response<http::span_body<const char>> to_shared_response(HttpResponse& resp, unsigned version,
                                                               bool keep_alive, bool tls) {
    http::response<http::span_body<const char>> res{static_cast<http::status>(resp.status),
                                                    version};
    set_head(res, resp, keep_alive, tls);
    res.body() = {resp.shared_body->data(), resp.shared_body->size()};
    res.prepare_payload();
    return res;
}

/// A streamed body being sent: its source's close() runs once, whoever comes first (the
/// connection when the body ends or the client goes, or stop()).
struct ActiveBody {
    std::shared_ptr<BodySource> source;
    std::atomic<bool> closed{false};
    void close() {
        if (!closed.exchange(true)) source->close();
    }
};

/// 413 as problem+json naming `body` (RFC 9110 section 15.5.14).
HttpResponse too_large(std::size_t limit) {
    return protocol_problem(413, "too-large", "Content too large", "body",
                            fmt::format("the request body is larger than {} bytes", limit));
}

class Server final : public HttpServer {
  public:
    Server(const Router& router, const HttpServerOptions& options)
        : router_(router),
          options_(options),
          contexts_(make_contexts(options.io_threads)),
          acceptor_(*contexts_.front()),
          pool_(static_cast<std::size_t>(std::max(1, options.worker_threads))),
          tls_(ssl::context::tls_server) {}

    /// Loads the certificate chain and key when TLS is asked for.
    core::Result<void> load_tls() {
        if (options_.tls_cert_file.empty() && options_.tls_key_file.empty()) return {};
        if (options_.tls_cert_file.empty() || options_.tls_key_file.empty())
            return core::fail(core::Errc::Invalid, "tls", "give both --tls-cert and --tls-key");
        boost::system::error_code ec;
        tls_.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                             ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                             ssl::context::no_tlsv1_1,
                         ec);
        tls_.use_certificate_chain_file(options_.tls_cert_file, ec);
        if (ec)
            return core::fail(core::Errc::Invalid, "tls-cert",
                              fmt::format("{}: {}", options_.tls_cert_file, ec.message()));
        tls_.use_private_key_file(options_.tls_key_file, ssl::context::pem, ec);
        if (ec)
            return core::fail(core::Errc::Invalid, "tls-key",
                              fmt::format("{}: {}", options_.tls_key_file, ec.message()));
        tls_on_ = true;
        return {};
    }

    ~Server() override { stop(); }

    core::Result<void> listen() {
        SY_TRY(load_tls());
        raise_descriptor_limit();
        boost::system::error_code ec;
        auto address = asio::ip::make_address(options_.host, ec);
        if (ec)
            return core::fail(core::Errc::Invalid, "listen",
                              fmt::format("'{}' is not an IP address", options_.host));
        tcp::endpoint endpoint{address, options_.port};
        acceptor_.open(endpoint.protocol(), ec);
        if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
        if (!ec) acceptor_.bind(endpoint, ec);
        if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
        if (ec) {
            return core::fail(core::Errc::Unavailable, "listen",
                              fmt::format("cannot listen on {}:{}: {}", options_.host,
                                          options_.port, ec.message()));
        }
        port_ = acceptor_.local_endpoint().port();
        asio::co_spawn(*contexts_.front(), accept_loop(), asio::detached);
        for (auto& c : contexts_) {
            // Kept running while no connection is on it yet; stop() ends it.
            guards_.push_back(asio::make_work_guard(*c));
            threads_.emplace_back([&c] { c->run(); });
        }
        return {};
    }

    /// Every connection is a descriptor: lifts the soft RLIMIT_NOFILE to the hard limit (the
    /// soft default is often 1024, far below 10,000 connections), as Go and nginx do.
    static void raise_descriptor_limit() {
        rlimit limit{};
        if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
        const auto before = limit.rlim_cur;
        limit.rlim_cur = limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &limit) == 0)
            spdlog::info("open file limit raised from {} to {}", before, limit.rlim_cur);
    }

    /// One io_context per I/O thread, each told it has one thread: a connection lives on one
    /// of them, so its handlers never wake or lock against another thread (with one shared
    /// io_context, every request cost a futex wake between the threads).
    static std::vector<std::unique_ptr<asio::io_context>> make_contexts(int io_threads) {
        const int n = io_threads > 0
                          ? io_threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
        std::vector<std::unique_ptr<asio::io_context>> out;
        for (int i = 0; i < n; ++i) out.push_back(std::make_unique<asio::io_context>(1));
        return out;
    }

    std::uint16_t port() const override { return port_; }

    void stop() override {
        if (stopped_.exchange(true)) return;
        asio::post(*contexts_.front(), [this] {
            boost::system::error_code ec;
            acceptor_.close(ec);
        });
        // Streamed bodies end first: their blocked next() returns, so the pool can join.
        std::set<std::shared_ptr<ActiveBody>> bodies;
        {
            std::lock_guard lock(bodies_mu_);
            bodies.swap(bodies_);
        }
        for (const auto& b : bodies) b->close();
        for (auto& c : contexts_) c->stop();
        for (auto& t : threads_) {
            if (t.joinable()) t.join();
        }
        pool_.join();
    }

  private:
    awaitable<void> accept_loop() {
        for (;;) {
            // Connections go to the I/O threads' contexts in turn.
            auto& context = *contexts_[next_context_++ % contexts_.size()];
            auto [ec, socket] = co_await acceptor_.async_accept(context, kNoThrow);
            if (ec) {
                if (!acceptor_.is_open()) co_return;
                // Out of descriptors (EMFILE/ENFILE) or buffers: the pending connection stays
                // in the backlog and accept fails again at once. Pause instead of spinning an
                // I/O thread at 100 % until a connection closes.
                if (!accept_failing_)
                    spdlog::warn("accept failed: {}; retrying every 50 ms", ec.message());
                accept_failing_ = true;
                asio::steady_timer pause(acceptor_.get_executor(), std::chrono::milliseconds(50));
                co_await pause.async_wait(kNoThrow);
                continue;
            }
            accept_failing_ = false;
            auto executor = socket.get_executor();
            asio::co_spawn(executor, session(std::move(socket)), asio::detached);
        }
    }

    awaitable<void> session(tcp::socket socket) {
        boost::system::error_code ec;
        auto remote = socket.remote_endpoint(ec);
        const std::string remote_ip = ec ? std::string() : remote.address().to_string();
        socket.set_option(tcp::no_delay(true), ec);
        if (!tls_on_) {
            beast::tcp_stream stream(std::move(socket));
            co_await serve(stream, remote_ip);
            stream.socket().shutdown(tcp::socket::shutdown_send, ec);
            co_return;
        }
        beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), tls_);
        beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
        auto [hs_ec] = co_await stream.async_handshake(ssl::stream_base::server, kNoThrow);
        if (hs_ec) co_return;  // not TLS, or a failed handshake: nothing to answer
        co_await serve(stream, remote_ip);
        beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(5));
        co_await stream.async_shutdown(kNoThrow);
    }

    /// Reads requests and writes responses on one connection until it closes.
    template <class Stream>
    awaitable<void> serve(Stream& stream, const std::string& remote_ip) {
        beast::flat_buffer buffer;
        for (;;) {
            beast::get_lowest_layer(stream).expires_after(
                std::chrono::seconds(options_.idle_timeout_s));
            http::request_parser<http::string_body> parser;
            parser.body_limit(options_.body_limit);
            parser.header_limit(64 * 1024);
            auto [read_ec, n] = co_await http::async_read(stream, buffer, parser, kNoThrow);
            (void)n;
            if (read_ec == http::error::end_of_stream || read_ec == beast::error::timeout ||
                read_ec == asio::error::eof || read_ec == asio::error::connection_reset ||
                read_ec == asio::error::operation_aborted ||
                read_ec == ssl::error::stream_truncated) {
                break;
            }
            if (read_ec) {
                // Malformed request or body too large: answer 400/413 and close.
                auto resp = read_ec == http::error::body_limit
                                ? too_large(options_.body_limit)
                                : problem(core::Errc::Invalid, "request", read_ec.message());
                auto res = to_response(std::move(resp), 11, false, tls_on_);
                auto [write_ec, written] = co_await http::async_write(stream, res, kNoThrow);
                (void)written;
                if (!write_ec) co_await linger(beast::get_lowest_layer(stream));
                break;
            }
            auto req = parser.release();
            const bool keep_alive = req.keep_alive();
            const unsigned version = req.version();
            HttpRequest request = to_request(req, remote_ip);
            HttpResponse response;
            if (!parse_target(request)) {
                response = problem(core::Errc::Invalid, "target",
                                   "the request target is not a valid path and query");
            } else {
                response = co_await handle(request);
            }
            if (response.stream) {
                const bool again =
                    co_await stream_body(stream, std::move(response), version, keep_alive);
                if (!again) break;
                continue;
            }
            if (response.shared_body) {
                // `response` holds the shared string until the write is done.
                auto res = to_shared_response(response, version, keep_alive, tls_on_);
                auto [write_ec, written] = co_await http::async_write(stream, res, kNoThrow);
                (void)written;
                if (write_ec || !keep_alive) break;
                continue;
            }
            auto res = to_response(std::move(response), version, keep_alive, tls_on_);
            auto [write_ec, written] = co_await http::async_write(stream, res, kNoThrow);
            (void)written;
            if (write_ec || !keep_alive) break;
        }
    }

    /// Sends a streamed body: the head, then each chunk the source gives (pulled on the worker
    /// pool), chunked for HTTP/1.1 and raw until the close for HTTP/1.0, or with Content-Length
    /// when the response gives `stream_length` (a body that ends short of it closes the
    /// connection, so the client sees a truncated body). A write that fails or
    /// takes longer than the idle timeout (a gone or slow client) ends the body; the source is
    /// closed in every case. @returns true when the connection may serve another request.
    template <class Stream>
    awaitable<bool> stream_body(Stream& stream, HttpResponse&& resp, unsigned version,
                                bool keep_alive) {
        auto body = std::make_shared<ActiveBody>();
        body->source = std::move(resp.stream);
        {
            std::lock_guard lock(bodies_mu_);
            if (stopped_) {
                body->close();
                co_return false;
            }
            bodies_.insert(body);
        }
        const auto length = resp.stream_length;
        const bool chunked = version >= 11 && !length;
        http::response<http::empty_body> res{static_cast<http::status>(resp.status), version};
        res.set(http::field::server, "switchyard");
        if (tls_on_) res.set(http::field::strict_transport_security, "max-age=31536000");
        res.set(http::field::content_type, resp.content_type);
        for (auto& [k, v] : resp.headers) res.set(k, v);
        res.keep_alive((chunked || length) && keep_alive);
        res.chunked(chunked);
        if (length) res.content_length(*length);
        auto& lowest = beast::get_lowest_layer(stream);
        const auto write_timeout = std::chrono::seconds(options_.idle_timeout_s);
        lowest.expires_after(write_timeout);
        http::response_serializer<http::empty_body> head{res};
        auto [head_ec, head_n] = co_await http::async_write_header(stream, head, kNoThrow);
        (void)head_n;
        bool ok = !head_ec;
        bool ended = false;
        std::uint64_t sent = 0;  // body bytes written without chunking
        std::string chunk;
        while (ok) {
            chunk.clear();
            const bool more = co_await run(
                false, [&] { return !body->closed.load() && body->source->next(chunk); });
            if (!more) {
                ended = !body->closed.load();
                break;
            }
            if (chunk.empty()) continue;
            lowest.expires_after(write_timeout);
            if (chunked) {
                auto [ec, n] = co_await asio::async_write(
                    stream, http::make_chunk(asio::buffer(chunk)), kNoThrow);
                (void)n;
                ok = !ec;
            } else {
                if (length && sent + chunk.size() > *length) chunk.resize(*length - sent);
                auto [ec, n] = co_await asio::async_write(stream, asio::buffer(chunk), kNoThrow);
                sent += n;
                ok = !ec;
                if (ok && length && sent == *length) {
                    ended = true;  // all of it: the source's end need not be awaited
                    break;
                }
            }
        }
        if (ok && ended && chunked) {
            lowest.expires_after(write_timeout);
            auto [ec, n] = co_await asio::async_write(stream, http::make_chunk_last(), kNoThrow);
            (void)n;
            ok = !ec;
        }
        body->close();
        {
            std::lock_guard lock(bodies_mu_);
            bodies_.erase(body);
        }
        const bool complete = chunked || (length && sent == *length);
        co_return ok&& ended&& complete&& keep_alive && !stopped_;
    }

    /// Ends a connection whose request was refused unread (e.g. 413): stops sending, then
    /// reads and drops what the client still sends, for a few seconds at most, so that closing
    /// with unread bytes does not reset the connection before the client has read the answer.
    awaitable<void> linger(beast::tcp_stream& stream) {
        boost::system::error_code ec;
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        stream.expires_after(std::chrono::seconds(3));
        std::array<char, 16 * 1024> sink{};
        for (;;) {
            auto [read_ec, n] = co_await stream.async_read_some(asio::buffer(sink), kNoThrow);
            (void)n;
            if (read_ec) co_return;
        }
    }

    /// Runs `fn` on the I/O thread for non-blocking routes, else on the worker pool (commands
    /// may block on the log's fsync), and resumes here after.
    template <class Fn>
    awaitable<std::invoke_result_t<Fn>> run(bool non_blocking, Fn fn) {
        if (non_blocking) co_return fn();
        co_return co_await asio::co_spawn(
            pool_.get_executor(),
            [&fn]() -> awaitable<std::invoke_result_t<Fn>> { co_return fn(); }, use_awaitable);
    }

    /// Routes one request. A read-your-writes wait holds no thread: the router hands back a
    /// ReadWait, and this coroutine sleeps on a channel that the projection runner (position
    /// reached) or a timer (`ReadWait::timeout`) completes; then the handler runs as usual.
    awaitable<HttpResponse> handle(HttpRequest& request) {
        const bool non_blocking = router_.non_blocking(request);
        Dispatch d = co_await run(non_blocking, [&] { return router_.begin(request); });
        if (d.response) co_return std::move(*d.response);
        const bool reached = co_await wait(*d.wait);
        if (!reached) co_return router_.resume(request, d, false);
        co_return co_await run(non_blocking, [&] { return router_.resume(request, d, true); });
    }

    /// True when `w` reports the position reached before its timeout.
    awaitable<bool> wait(ReadWait& w) {
        using Channel =
            asio::experimental::concurrent_channel<void(boost::system::error_code, bool)>;
        auto ex = co_await asio::this_coro::executor;
        // Shared with the runner's callback and the timer's handler, which may outlive this
        // frame by a moment; try_send is thread-safe and never blocks.
        auto channel = std::make_shared<Channel>(ex, 1);
        asio::steady_timer timer(ex, w.timeout());
        timer.async_wait([channel](boost::system::error_code ec) {
            if (!ec) channel->try_send(boost::system::error_code{}, false);
        });
        w.notify([channel] { channel->try_send(boost::system::error_code{}, true); });
        auto [ec, reached] = co_await channel->async_receive(kNoThrow);
        timer.cancel();
        co_return !ec && reached;
    }

    const Router& router_;
    HttpServerOptions options_;
    std::vector<std::unique_ptr<asio::io_context>> contexts_;
    tcp::acceptor acceptor_;
    asio::thread_pool pool_;
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards_;
    std::vector<std::thread> threads_;
    std::uint16_t port_ = 0;
    std::atomic<bool> stopped_{false};
    std::mutex bodies_mu_;
    std::set<std::shared_ptr<ActiveBody>> bodies_;  ///< Streamed bodies being sent.
    ssl::context tls_;
    bool tls_on_ = false;
    bool accept_failing_ = false;   // touched by the accept loop only
    std::size_t next_context_ = 0;  // touched by the accept loop only
};

}  // namespace

core::Result<std::unique_ptr<HttpServer>> HttpServer::start(const Router& router,
                                                            const HttpServerOptions& options) {
    auto server = std::make_unique<Server>(router, options);
    SY_TRY(server->listen());
    return std::unique_ptr<HttpServer>(std::move(server));
}

}  // namespace switchyard::api
