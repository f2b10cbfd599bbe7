#pragma once
/// A small blocking HTTP client (libcurl) for the CLI subcommands that talk to a server.

#include <chrono>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace switchyard::app {

struct ClientResponse {
    long status = 0;
    std::string body;
};

/// Sends one request. `headers` are full header lines (`Name: value`); a non-empty body goes as
/// `Content-Type: application/json` unless `headers` name another. `timeout` bounds the whole
/// exchange (default 120 s).
/// @errors Unavailable when the server cannot be reached or does not answer in time.
core::Result<ClientResponse> http_request(
    const std::string& method, const std::string& url, const std::vector<std::string>& headers,
    const std::string& body = {},
    std::chrono::milliseconds timeout = std::chrono::milliseconds(120'000));

/// Percent-encodes a query value (RFC 3986).
std::string url_encode(const std::string& text);

}  // namespace switchyard::app
