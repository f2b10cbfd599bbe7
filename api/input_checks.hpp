#pragma once
/// Checks every request passes before its handler: the body's media type, the Idempotency-Key,
/// and the Host header as a host[:port]. Called from make_router's guard
/// (api/routes/log_routes.cpp).

#include <string_view>

#include "api/http_types.hpp"
#include "api/router.hpp"
#include "core/result.hpp"

namespace switchyard::api {

/// Longest accepted `Idempotency-Key`, in characters.
inline constexpr std::size_t kMaxIdempotencyKey = 255;

/// Refuses a non-empty body whose `Content-Type` the route does not read: a `/v1` route reads
/// `application/json` (parameters allowed, charset utf-8 only); the M3U import reads a playlist
/// (`audio/x-mpegurl`, `audio/mpegurl`, `application/x-mpegurl`, `application/vnd.apple.mpegurl`,
/// `text/plain`, `application/octet-stream`, or no Content-Type); the CDR file import
/// (`/v1/voice/cdrs/imports`) reads `text/csv`, `application/csv`, `application/json`,
/// `text/plain`, `application/octet-stream` or no Content-Type; the XMLTV guide import
/// (`/v1/iptv/epg/imports`) reads `application/xml`, `text/xml`, `application/gzip`,
/// `application/x-gzip`, `text/plain`, `application/octet-stream` or no Content-Type. Other
/// routes are not checked.
/// @param route The matched route (its method and pattern).
/// @errors UnsupportedMediaType naming `content-type`.
core::Result<void> check_content_type(const HttpRequest& request, const Route& route);

/// Refuses an `Idempotency-Key` header that is empty, longer than kMaxIdempotencyKey or holds
/// anything but visible ASCII (RFC 9110 field values without spaces or control characters).
/// @errors Invalid naming `idempotency-key`.
core::Result<void> check_idempotency_key(const HttpRequest& request);

/// True when `host` is a Host header value (RFC 9110 section 7.2): an RFC 3986 reg-name, an IPv4
/// address or a bracketed IPv6 literal, then optionally `:` and 1 to 5 digits up to 65535.
bool valid_host_header(std::string_view host);

}  // namespace switchyard::api
