#pragma once
/// gzip on the HTTP surface: whether a client accepts gzip answers. The coding itself is
/// core/gzip.hpp.

#include "api/http_types.hpp"
#include "core/gzip.hpp"

namespace switchyard::api {

/// Whether the request's `Accept-Encoding` allows gzip: `gzip` (or its alias `x-gzip`) with a
/// weight above 0, or, when gzip is not named, `*` with a weight above 0. `gzip;q=0` refuses it
/// even beside `*`; a weight that is not a qvalue counts as 0; no header means no gzip.
/// @source RFC 9110 sections 12.4.2 (qvalues) and 12.5.3 (Accept-Encoding).
bool accepts_gzip(const HttpRequest& r);

}  // namespace switchyard::api
