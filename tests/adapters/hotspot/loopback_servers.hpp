#pragma once
// Servers on 127.0.0.1 with a port the kernel picks, for the controller adapters' tests: a
// RouterOS API server and an HTTP/1.1 server, each answering through a handler the test gives
// (a transcript of a vendor document's exchange, or a small stateful stand-in). No RouterOS,
// Omada controller or Meraki cloud runs here: these servers replay their documented answers.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <openssl/ssl.h>

#include "core/hotspot/routeros_api.hpp"

namespace switchyard::testing {

/// A listening socket on 127.0.0.1:<free port> whose connections are served one at a time by
/// `serve(fd)` on a background thread until the object dies.
class LoopbackListener {
  public:
    explicit LoopbackListener(std::function<void(int)> serve) : serve_(std::move(serve)) {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const int one = 1;
        ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = 0;
        ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
        ::listen(fd_, 16);
        socklen_t len = sizeof a;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
        port_ = ntohs(a.sin_port);
        thread_ = std::thread([this] { run(); });
    }
    ~LoopbackListener() {
        stop_ = true;
        thread_.join();
        ::close(fd_);
    }
    LoopbackListener(const LoopbackListener&) = delete;
    LoopbackListener& operator=(const LoopbackListener&) = delete;

    std::uint16_t port() const { return port_; }
    int connections() const { return connections_; }

  private:
    void run() {
        while (!stop_) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            const int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (c < 0) continue;
            ++connections_;
            serve_(c);
            ::close(c);
        }
    }
    std::function<void(int)> serve_;
    int fd_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> connections_{0};
    std::thread thread_;
};

/// Reads up to `n` bytes with a 5 s bound; 0 at end of stream or timeout.
inline long read_some(int fd, char* buf, std::size_t n) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 5000) <= 0) return 0;
    return ::recv(fd, buf, n, 0);
}

/// True when `fd` has bytes to read within 5 s.
inline bool read_ready(int fd) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 5000) > 0;
}

inline void write_all(int fd, const std::string& s) {
    std::size_t off = 0;
    while (off < s.size()) {
        const auto n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
        if (n <= 0) return;
        off += static_cast<std::size_t>(n);
    }
}

/// A RouterOS API server: each command sentence received goes to `answer`, whose reply
/// sentences are sent back; every command sentence is recorded in `received`. An empty answer
/// sends nothing (a router that went silent); `close_after` closes the connection.
class RouterOsServer {
  public:
    using Sentence = core::hotspot::routeros::Sentence;
    struct Answer {
        std::vector<Sentence> replies;
        bool close_after = false;
    };
    explicit RouterOsServer(std::function<Answer(const Sentence&)> answer)
        : answer_(std::move(answer)), listener_([this](int fd) { serve(fd); }) {}
    /// The same over TLS (RouterOS `api-ssl`) with a PEM certificate and key.
    RouterOsServer(std::function<Answer(const Sentence&)> answer, const std::string& cert,
                   const std::string& key)
        : answer_(std::move(answer)),
          ctx_(make_ctx(cert, key)),
          listener_([this](int fd) { serve(fd); }) {}
    ~RouterOsServer() {
        if (ctx_) SSL_CTX_free(ctx_);
    }
    RouterOsServer(const RouterOsServer&) = delete;
    RouterOsServer& operator=(const RouterOsServer&) = delete;

    std::uint16_t port() const { return listener_.port(); }
    int connections() const { return listener_.connections(); }
    std::vector<Sentence> received() const {
        std::lock_guard lock(mutex_);
        return received_;
    }

  private:
    static SSL_CTX* make_ctx(const std::string& cert, const std::string& key) {
        SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
        SSL_CTX_use_certificate_chain_file(ctx, cert.c_str());
        SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM);
        return ctx;
    }
    void serve(int fd) {
        SSL* ssl = nullptr;
        if (ctx_) {
            ssl = SSL_new(ctx_);
            SSL_set_fd(ssl, fd);
            if (SSL_accept(ssl) != 1) {
                SSL_free(ssl);
                return;
            }
        }
        serve_words(fd, ssl);
        if (ssl) {
            SSL_shutdown(ssl);
            SSL_free(ssl);
        }
    }
    void serve_words(int fd, SSL* ssl) {
        core::hotspot::routeros::SentenceDecoder decoder;
        char buf[4096];
        for (;;) {
            const long n =
                ssl ? (SSL_pending(ssl) > 0 || read_ready(fd) ? SSL_read(ssl, buf, sizeof buf) : 0)
                    : read_some(fd, buf, sizeof buf);
            if (n <= 0) return;
            if (!decoder.feed(std::string_view(buf, static_cast<std::size_t>(n)))) return;
            while (auto s = decoder.next()) {
                {
                    std::lock_guard lock(mutex_);
                    received_.push_back(*s);
                }
                const auto a = answer_(*s);
                std::string out;
                for (const auto& r : a.replies) out += core::hotspot::routeros::encode_sentence(r);
                if (ssl) {
                    if (!out.empty()) SSL_write(ssl, out.data(), static_cast<int>(out.size()));
                } else {
                    write_all(fd, out);
                }
                if (a.close_after) return;
            }
        }
    }
    std::function<Answer(const Sentence&)> answer_;
    SSL_CTX* ctx_ = nullptr;
    mutable std::mutex mutex_;
    std::vector<Sentence> received_;
    LoopbackListener listener_;  // last: its thread starts after the members above exist
};

/// One HTTP request as the server received it.
struct HttpExchange {
    std::string method;
    std::string target;                          // path and query
    std::map<std::string, std::string> headers;  // names lower case
    std::string body;
};

struct HttpAnswer {
    int status = 200;
    std::string body;
    std::vector<std::string> headers;  // full lines, e.g. "Set-Cookie: a=b"
};

/// An HTTP/1.1 server answering each request through `answer` (one request per connection,
/// `Connection: close`); every request is recorded.
class HttpServer {
  public:
    explicit HttpServer(std::function<HttpAnswer(const HttpExchange&)> answer)
        : answer_(std::move(answer)), listener_([this](int fd) { serve(fd); }) {}

    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(listener_.port()); }
    std::vector<HttpExchange> received() const {
        std::lock_guard lock(mutex_);
        return received_;
    }

  private:
    void serve(int fd) {
        std::string data;
        char buf[4096];
        std::size_t header_end = std::string::npos;
        while ((header_end = data.find("\r\n\r\n")) == std::string::npos) {
            const long n = read_some(fd, buf, sizeof buf);
            if (n <= 0) return;
            data.append(buf, static_cast<std::size_t>(n));
        }
        HttpExchange ex;
        std::size_t line_end = data.find("\r\n");
        const std::string request_line = data.substr(0, line_end);
        const auto sp1 = request_line.find(' ');
        const auto sp2 = request_line.find(' ', sp1 + 1);
        ex.method = request_line.substr(0, sp1);
        ex.target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
        std::size_t pos = line_end + 2;
        while (pos < header_end) {
            const auto e = data.find("\r\n", pos);
            const std::string line = data.substr(pos, e - pos);
            const auto colon = line.find(':');
            std::string name = line.substr(0, colon);
            for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            std::string value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ') value.erase(0, 1);
            ex.headers[name] = value;
            pos = e + 2;
        }
        std::size_t length = 0;
        if (auto it = ex.headers.find("content-length"); it != ex.headers.end())
            length = std::stoul(it->second);
        ex.body = data.substr(header_end + 4);
        while (ex.body.size() < length) {
            const long n = read_some(fd, buf, sizeof buf);
            if (n <= 0) break;
            ex.body.append(buf, static_cast<std::size_t>(n));
        }
        {
            std::lock_guard lock(mutex_);
            received_.push_back(ex);
        }
        const auto a = answer_(ex);
        std::string out = "HTTP/1.1 " + std::to_string(a.status) + " X\r\n";
        out += "Content-Type: application/json\r\nConnection: close\r\n";
        for (const auto& h : a.headers) out += h + "\r\n";
        out += "Content-Length: " + std::to_string(a.body.size()) + "\r\n\r\n" + a.body;
        write_all(fd, out);
    }
    std::function<HttpAnswer(const HttpExchange&)> answer_;
    mutable std::mutex mutex_;
    std::vector<HttpExchange> received_;
    LoopbackListener listener_;
};

}  // namespace switchyard::testing
