#pragma once
/// HTTP as handlers see it: plain structs, no sockets and no Beast (STYLE.md rule 7).

#include <map>
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

/// A response to send.
struct HttpResponse {
    int status = 200;
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

/// Builds `path` and `query` from `target` (Boost.URL); false when the target is not a valid
/// origin-form request target (RFC 9112 section 3.2.1).
bool parse_target(HttpRequest& request);

/// A JSON response with `status`.
HttpResponse json_response(int status, std::string body);

}  // namespace switchyard::api
