#pragma once
/// Routes as data: method, path pattern with `{name}` segments, handler (Boost.URL router style).

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/http_types.hpp"
#include "api/metrics.hpp"

namespace switchyard::api {

/// A request handler: a plain function of the request.
using Handler = std::function<HttpResponse(HttpRequest&)>;

/// One route.
struct Route {
    std::string method;  ///< `GET`, `POST`, `PATCH`, `PUT`, `DELETE`.
    std::string
        pattern;  ///< e.g. `/v1/iptv/lines/{id}`; a last segment `{rest...}` takes the rest.
    Handler handler;
    /// True for handlers that never block (lookups only); they run on the I/O thread.
    bool non_blocking = false;
};

/// Runs before a route's handler: answers instead of it (e.g. 401, 403), or lets it run.
using Guard = std::function<std::optional<HttpResponse>(HttpRequest&, const Route&)>;

/// Matches requests to routes and records metrics.
/// @thread `add` before serving; `dispatch` from any thread.
class Router {
  public:
    explicit Router(Metrics* metrics = nullptr) : metrics_(metrics) {}

    void add(Route route);
    /// Sets the guard every matched request passes first (authentication and roles).
    void set_guard(Guard guard) { guard_ = std::move(guard); }
    /// Routes the request (filling `params`) and runs the handler: 404 when no pattern matches,
    /// 405 with `Allow` when the path matches but not the method. HEAD runs GET without a body.
    HttpResponse dispatch(HttpRequest& request) const;
    /// True when the route of this request is marked non-blocking.
    bool non_blocking(const HttpRequest& request) const;
    const std::vector<Route>& routes() const { return routes_; }

  private:
    const Route* match(HttpRequest& request, std::string& allow) const;
    std::vector<Route> routes_;
    Metrics* metrics_;
    Guard guard_;
};

}  // namespace switchyard::api
