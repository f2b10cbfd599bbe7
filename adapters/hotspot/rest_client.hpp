#pragma once
/// A blocking HTTP(S) client (libcurl) for the REST controllers (Omada, Meraki): one request,
/// its status, body and response header lines, bounded in time; and the one mapping of an HTTP
/// failure onto an Error that carries the controller's status and body.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace switchyard::adapters::hotspot {

/// One HTTP request.
struct RestRequest {
    std::string method = "GET";
    std::string url;
    std::vector<std::string> headers;  ///< Full lines, `Name: value`.
    std::string body;        ///< Sent as application/json unless `headers` name a Content-Type.
    int timeout_ms = 10000;  ///< Bound on the whole exchange. Default: 10 s.
    bool verify_tls = true;  ///< Check the server's certificate and name.
};

/// What the server answered.
struct RestResponse {
    long status = 0;
    std::string body;
    std::vector<std::string> headers;  ///< Response header lines, without CR LF.

    /// The value of the first header `name` (case-insensitive), or empty.
    std::string header(std::string_view name) const;
    /// The value of cookie `name` from the Set-Cookie headers, or empty.
    std::string cookie(std::string_view name) const;
};

/// Sends `request`.
/// @errors Timeout past timeout_ms; Unavailable when the server cannot be reached or the
///         connection breaks (message: curl's reason). Any HTTP status is a success here.
core::Result<RestResponse> rest_call(const RestRequest& request);

/// The Error for a non-2xx answer: 400/422 Rejected, 401/403 Unauthorized, 404 NotFound,
/// 409 Conflict, 429 TooMany, 5xx Unavailable; the message names the vendor, method, URL path,
/// status and the first 300 bytes of the body.
core::Error http_error(std::string_view vendor, const RestRequest& request,
                       const RestResponse& response);

/// Percent-encodes a path segment or query value (RFC 3986 unreserved characters kept).
std::string url_escape(std::string_view text);

}  // namespace switchyard::adapters::hotspot
