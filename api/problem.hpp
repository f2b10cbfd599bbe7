#pragma once
/// Errors as `application/problem+json` (RFC 9457), and the one mapping of Errc to HTTP status.

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

/// Shorthand for `problem(Error{code, field, message})`.
HttpResponse problem(core::Errc code, std::string field, std::string message);

}  // namespace switchyard::api
