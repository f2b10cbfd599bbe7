#pragma once
/// HTTP as handlers see it: plain structs, no sockets and no Beast (STYLE.md rule 7).

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/cidr.hpp"
#include "core/actor.hpp"
#include "core/identity/session_restriction.hpp"
#include "core/identity/user.hpp"

namespace switchyard::api {

/// A parsed HTTP request.
/// Who sent an authenticated request; set by the access guard (api/access.hpp).
struct Caller {
    core::Actor actor;                    ///< For events: `api_key` or `user`, id, client IP.
    core::identity::Principal principal;  ///< For authorization: role and scope.
    std::string session_id;               ///< The session, when signed in with a session token.
    /// A session's restriction (core/identity/session_restriction.hpp); None for API keys.
    core::identity::SessionRestriction restriction = core::identity::SessionRestriction::None;
    std::vector<Cidr> allowlist;  ///< The user's own allowlist; empty = from anywhere.
};

struct HttpRequest {
    std::string method;                        ///< Upper case, e.g. `GET`.
    std::string target;                        ///< As received: path plus query.
    std::string path;                          ///< Percent-decoded path, e.g. `/v1/iptv/lines/42`.
    std::map<std::string, std::string> query;  ///< Decoded query parameters (last one wins).
    std::map<std::string, std::string> headers;  ///< Lower-case names.
    std::map<std::string, std::string> params;   ///< Path parameters filled by the router.
    std::string body;
    std::string remote_ip;         ///< Peer address of the connection.
    std::optional<Caller> caller;  ///< Set once the request is authenticated.

    /// A header's value or empty.
    const std::string& header(const std::string& lower_name) const;
    /// A query parameter's value or empty.
    const std::string& query_param(const std::string& name) const;
    bool has_query(const std::string& name) const { return query.count(name) != 0; }
};

/// A response body produced while it is sent (a live stream, a proxied file): the server pulls
/// chunks from it on a worker thread (never an I/O thread) and writes them chunked (HTTP/1.1,
/// RFC 9112 section 7.1) without a Content-Length, until next() returns false.
class BodySource {
  public:
    virtual ~BodySource() = default;
    /// Blocks until there is more to send, at most about a second: fills `chunk` (empty when
    /// nothing came yet; the server asks again) and returns true, or returns false at the end.
    virtual bool next(std::string& chunk) = 0;
    /// Called exactly once by the server when the response ends: the body ended, the client
    /// disconnected, a write failed or timed out (a slow client), or the server stops. Must
    /// make a blocked next() return soon.
    virtual void close() = 0;
};

/// A response to send.
struct HttpResponse {
    int status = 200;
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    /// When set, the body is this immutable string, shared with other responses (a cached
    /// answer): the server writes it without copying it, and `body` is ignored.
    std::shared_ptr<const std::string> shared_body;
    /// When set, the body is this source's chunks (and `body` is ignored).
    std::shared_ptr<BodySource> stream;
    /// With `stream`: the body's length in bytes when known (a proxied file), sent as
    /// Content-Length instead of chunked encoding; the source must give exactly that many.
    std::optional<std::uint64_t> stream_length;
};

/// Builds `path` and `query` from `target` (Boost.URL); false when the target is not a valid
/// origin-form request target (RFC 9112 section 3.2.1).
bool parse_target(HttpRequest& request);

/// A JSON response with `status`.
HttpResponse json_response(int status, std::string body);

}  // namespace switchyard::api
