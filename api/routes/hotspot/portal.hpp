#pragma once
/// The captive portal (issue 13 item 7): the page a hotspot NAS sends a guest's browser to, and
/// the JSON it reads. Public routes (Reach::Public), no authentication:
///
/// - `GET /portal`, `GET /portal/` : `index.html` of the portal directory.
/// - `GET /portal/{file...}`       : a file of the portal directory (HTML, CSS, JS, JSON, SVG,
///   PNG, ICO, TXT), `Cache-Control: public, max-age=<max_age_seconds>` except HTML, which is
///   `no-cache` (a captive browser must not keep a stale login page).
/// - `GET /portal/api/plans`       : the plans on sale, from `PortalOptions::plans`.
///
/// The page itself (config/hotspot/portal) reads the NAS's login parameters from its URL and
/// completes the login against the NAS the way each vendor documents it; see
/// docs/hotspot-portal.md.

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "api/router.hpp"
#include "core/hotspot/model.hpp"

namespace switchyard::api {

/// How the portal is served.
struct PortalOptions {
    /// The directory of the page's files (config/hotspot/portal in the source tree). Only
    /// regular files under it are served; a path with `..`, `.`, a backslash, a NUL or a
    /// symbolic link that leaves it answers 404.
    std::filesystem::path root;
    /// The plans the portal lists, in the order shown; retired plans are left out by the route.
    /// Called on every `GET /portal/api/plans`, from a worker thread. Default: none on sale.
    std::function<std::vector<core::hotspot::Plan>()> plans;
    /// `max-age` of the static files other than HTML, seconds. Default: 300.
    int max_age_seconds = 300;
};

/// The body of `GET /portal/api/plans`:
/// `{"plans":[{"plan_id","name","price_micros","price","currency","duration_seconds",
/// "session_time_seconds","data_limit_bytes","download_kbps","upload_kbps","shared_users"}]}`
/// where `price` is the decimal text of `price_micros` (at least two decimals, e.g. `2.50`) and
/// an absent limit is `null`. Retired plans are left out.
std::string portal_plans_json(const std::vector<core::hotspot::Plan>& plans);

/// Maps the request path below `/portal/` to a file under `root`.
/// @returns the file's path, or empty when the path is unsafe (`..`, `.`, empty segments,
///          backslash, NUL, a leading `/`), when the file is not a regular file, when its
///          extension has no content type here, or when it resolves outside `root`.
std::filesystem::path portal_file(const std::filesystem::path& root, const std::string& rest);

/// The Content-Type of a portal file by its extension (`text/html; charset=utf-8`, ...), or
/// empty when the portal does not serve that kind of file.
std::string portal_content_type(const std::filesystem::path& file);

/// Adds the portal's routes (module `hotspot`, Reach::Public) to `router`. Call it before any
/// other route under `/portal`.
void add_portal_routes(Router& router, PortalOptions options);

}  // namespace switchyard::api
