#pragma once
/// A small blocking HTTP client (libcurl) for the CLI subcommands that talk to a server.

#include <string>
#include <vector>

#include "core/result.hpp"

namespace switchyard::app {

struct ClientResponse {
    long status = 0;
    std::string body;
};

/// Sends one request. `headers` are full header lines (`Name: value`); a non-empty body goes as
/// `Content-Type: application/json` unless `headers` name another.
/// @errors Unavailable when the server cannot be reached.
core::Result<ClientResponse> http_request(const std::string& method, const std::string& url,
                                          const std::vector<std::string>& headers,
                                          const std::string& body = {});

/// Percent-encodes a query value (RFC 3986).
std::string url_encode(const std::string& text);

}  // namespace switchyard::app
