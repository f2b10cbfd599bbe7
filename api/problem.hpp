#pragma once
/// Errors as `application/problem+json` (RFC 9457), and the one mapping of Errc to HTTP status.

#include <boost/json/fwd.hpp>

#include "api/http_types.hpp"
#include "core/result.hpp"

namespace switchyard::api {

/// The HTTP status of an error code: Invalid 400, Unauthorized 401, Forbidden 403, NotFound 404,
/// Conflict 409, Rejected 422, TooMany 429, UnsupportedMediaType 415, Timeout 504, Unavailable 503,
/// Internal 500.
int http_status(core::Errc code) noexcept;

/// A problem document: `{"type","title","status","detail","field"}`; the body names the field.
/// Internal errors are logged and answered without their detail.
HttpResponse problem(const core::Error& error);

/// A problem for an HTTP status outside the Errc table, answered by the transport or the router
/// (405 Method Not Allowed, 413 Content Too Large; RFC 9110 sections 15.5.6 and 15.5.14):
/// `type` is the last segment of the problem type URI, e.g. `method_not_allowed`.
HttpResponse protocol_problem(int status, const std::string& type, const std::string& title,
                              const std::string& field, const std::string& message);

/// A problem document with extension members after the standard ones (RFC 9457 section 3.2),
/// e.g. the counts of an M3U import that had no usable entry. A member named like a standard
/// one (`type`, `title`, `status`, `detail`, `field`) is ignored.
HttpResponse problem(const core::Error& error, const boost::json::object& members);

/// Shorthand for `problem(Error{code, field, message})`.
HttpResponse problem(core::Errc code, std::string field, std::string message);

}  // namespace switchyard::api
