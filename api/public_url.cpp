#include "api/public_url.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <boost/url/parse.hpp>

#include "api/input_checks.hpp"

namespace switchyard::api {

using core::Errc;

core::Result<PublicUrl> PublicUrl::parse(std::string_view text, const std::string& field) {
    auto u = boost::urls::parse_absolute_uri(text);
    if (!u)
        return core::fail(
            Errc::Invalid, field,
            fmt::format("'{}' is not an absolute URL such as https://tv.example.net", text));
    PublicUrl out;
    out.configured = true;
    out.scheme = std::string(u->scheme());
    std::transform(out.scheme.begin(), out.scheme.end(), out.scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (out.scheme != "http" && out.scheme != "https")
        return core::fail(Errc::Invalid, field, "must use the http or https scheme");
    if (!u->has_authority() || u->encoded_host().empty())
        return core::fail(Errc::Invalid, field, "must name a host");
    if (u->has_userinfo()) return core::fail(Errc::Invalid, field, "must not hold user info");
    if (!u->encoded_path().empty() && u->encoded_path() != "/")
        return core::fail(Errc::Invalid, field, "must not have a path");
    if (u->has_query() || u->has_fragment())
        return core::fail(Errc::Invalid, field, "must not have a query or a fragment");
    // The authority must also be a valid Host header: a DNS name or an IP literal, port digits.
    if (!valid_host_header(u->encoded_authority()))
        return core::fail(Errc::Invalid, field,
                          "must have a DNS name or an IP address as host and a port of 1 to 65535");
    out.host = std::string(u->encoded_host());
    if (u->has_port() && !u->port().empty()) {
        if (u->port_number() == 0)
            return core::fail(Errc::Invalid, field, "must have a port of 1 to 65535");
        out.port = std::to_string(u->port_number());
    } else {
        out.port = out.scheme == "https" ? "443" : "80";
    }
    return out;
}

std::string PublicUrl::base() const { return fmt::format("{}://{}:{}", scheme, host, port); }

}  // namespace switchyard::api
