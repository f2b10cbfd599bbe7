#pragma once
/// gzip on the HTTP surface: whether a client accepts gzip answers. The coding itself is
/// core/gzip.hpp.

#include "api/http_types.hpp"
#include "core/gzip.hpp"

namespace switchyard::api {

/// Whether the request's `Accept-Encoding` allows gzip (a `gzip` or `*` coding without `q=0`).
/// @source RFC 9110 section 12.5.3.
bool accepts_gzip(const HttpRequest& r);

}  // namespace switchyard::api
