#pragma once
/// The server's public base URL: where players reach the media URLs of get.php and player_api.

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace switchyard::api {

/// Scheme, host and port of the public base URL (`serve --public-url`).
struct PublicUrl {
    std::string scheme = "http";     ///< `http` or `https`.
    std::string host = "127.0.0.1";  ///< A DNS name, an IPv4 address or a bracketed IPv6 literal.
    std::string port = "8080";       ///< Decimal, 1 to 65535.
    /// True when the operator set it: it then wins over a (valid) Host header. Default: false.
    bool configured = false;

    /// Parses `http[s]://host[:port][/]` with Boost.URL; the port defaults to the scheme's.
    /// @errors Invalid naming `field` when the scheme is not http or https, the host is missing
    /// or not a host name or address, the port is not 1 to 65535, or the URL has user info, a
    /// path, a query or a fragment.
    static core::Result<PublicUrl> parse(std::string_view text, const std::string& field);

    /// `scheme://host:port`, without a trailing slash.
    std::string base() const;
};

}  // namespace switchyard::api
