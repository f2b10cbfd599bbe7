#pragma once
/// The HTTP/1.1 transport on Boost.Beast: accepts connections, parses requests into HttpRequest,
/// hands them to the Router, writes the HttpResponse; keep-alive. It knows no routes.
/// Beast stays inside http_server.cpp (one translation unit).

#include <cstdint>
#include <memory>
#include <string>

#include "api/router.hpp"
#include "core/result.hpp"

namespace switchyard::api {

struct HttpServerOptions {
    std::string host = "127.0.0.1";      ///< Listen address (IPv4 or IPv6 literal).
    std::uint16_t port = 0;              ///< 0 picks a free port; see HttpServer::port().
    int io_threads = 0;                  ///< I/O threads, one io_context each; 0 = one per core.
    int worker_threads = 16;             ///< Threads for handlers that may block (commands, waits).
    std::size_t body_limit = 64u << 20;  ///< Largest request body, bytes. Default: 64 MiB.
    int idle_timeout_s = 60;             ///< Closes a connection idle this long.
    /// PEM certificate chain and private key: with both, every connection is TLS (1.2 or
    /// later, OpenSSL) and responses carry `Strict-Transport-Security`. Empty: plain HTTP.
    std::string tls_cert_file, tls_key_file;
};

/// A running server.
class HttpServer {
  public:
    /// Binds and starts serving `router` (which must outlive the server). Raises the process's
    /// soft open-file limit to its hard limit: each connection holds a descriptor.
    /// @errors Unavailable when the address cannot be bound; Invalid naming `tls-cert` or
    ///         `tls-key` when a TLS file cannot be loaded.
    static core::Result<std::unique_ptr<HttpServer>> start(const Router& router,
                                                           const HttpServerOptions& options);
    virtual ~HttpServer() = default;
    /// The bound port.
    virtual std::uint16_t port() const = 0;
    /// Stops accepting and ends connections; returns when the threads have finished.
    virtual void stop() = 0;
};

}  // namespace switchyard::api
