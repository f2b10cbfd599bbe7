#pragma once
/// Routes as data: method, path pattern with `{name}` segments, handler (Boost.URL router style).

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/http_types.hpp"
#include "api/metrics.hpp"

namespace switchyard::api {

/// A request handler: a plain function of the request.
using Handler = std::function<HttpResponse(HttpRequest&)>;

/// Who may call a route.
enum class Reach {
    Roles,        ///< An authenticated caller whose role is in `Route::roles`.
    SessionOnly,  ///< As Roles, and only with a user's own session: an API key gets 403.
    Public,       ///< No authentication (operations, the Xtream surface, signing in).
};

/// One route, as data: what it answers, who may call it, and one line saying what it does.
struct Route {
    std::string method;  ///< `GET`, `POST`, `PATCH`, `PUT`, `DELETE`.
    std::string
        pattern;  ///< e.g. `/v1/iptv/lines/{id}`; a last segment `{rest...}` takes the rest.
    Handler handler;
    /// True for handlers that never block (lookups only); they run on the I/O thread.
    bool non_blocking = false;
    Reach reach = Reach::Roles;
    /// The roles that may call it (Reach::Roles and SessionOnly). Empty: `admin` only.
    std::vector<core::identity::Role> roles;
    std::string summary;  ///< One sentence for the OpenAPI document.
    std::string module;   ///< The module that registered it (`iptv`, `vpn`, ...; `platform`).
    /// With Reach::Public under `/v1`: the handler authenticates the caller itself and the
    /// guard applies no anonymous rate limit (a switch calling for every call setup, e.g.
    /// `/v1/voice/kamailio/...`, authenticated by an API key sent as HTTP Basic). Default: false.
    bool self_authenticated = false;
};

/// Runs before a route's handler: answers instead of it (e.g. 401, 403), or lets it run.
using Guard = std::function<std::optional<HttpResponse>(HttpRequest&, const Route&)>;

/// A wait for the read models that a request needs before its handler runs (read-your-writes).
/// It holds no thread: the transport asks to be told, and meanwhile serves other requests.
/// Destroying it ends the wait (the notification is cancelled, the caller's slot released).
class ReadWait {
  public:
    virtual ~ReadWait() = default;
    /// Calls `ready` once, from any thread (at once when the models are already there), when
    /// the read models have reached the position. Call at most once.
    /// @param ready Must be quick (e.g. post to an executor).
    virtual void notify(std::function<void()> ready) = 0;
    /// The longest time to wait before answering `timed_out()`.
    virtual std::chrono::milliseconds timeout() const = 0;
    /// The answer when the read models did not reach the position in time (504 naming `after`).
    virtual HttpResponse timed_out() const = 0;
};

/// What a request needs before its handler runs: an answer instead of it (400, 429), a wait,
/// or neither (the handler runs at once).
struct Admission {
    std::optional<HttpResponse> answer;  ///< Send this; the handler does not run.
    std::unique_ptr<ReadWait> wait;      ///< Wait on this first, then run the handler.
};

/// Runs after the guard and before the handler; decides the request's Admission.
using Admitter = std::function<Admission(HttpRequest&, const Route&)>;

/// A request part-way through the router: answered, or waiting for the read models.
struct Dispatch {
    std::optional<HttpResponse> response;         ///< Set once the request is answered.
    std::unique_ptr<ReadWait> wait;               ///< Else: wait on this, then call Router::resume.
    const Route* route = nullptr;                 ///< The matched route.
    std::chrono::steady_clock::time_point start;  ///< When routing began (for metrics).
};

/// Matches requests to routes and records metrics.
/// @thread `add` before serving; `dispatch` from any thread.
class Router {
  public:
    explicit Router(Metrics* metrics = nullptr) : metrics_(metrics) {}

    void add(Route route);
    /// Sets the guard every matched request passes first (authentication and roles).
    void set_guard(Guard guard) { guard_ = std::move(guard); }
    /// Sets what decides, after the guard, whether a request must first wait (read-your-writes).
    void set_admitter(Admitter admitter) { admitter_ = std::move(admitter); }
    /// Routes the request (filling `params`) and runs the handler: 404 when no pattern matches,
    /// 405 with `Allow` when the path matches but not the method. HEAD runs GET without a body.
    /// A request that must wait blocks the calling thread (tests, tools); the transport uses
    /// `begin` and `resume` instead.
    HttpResponse dispatch(HttpRequest& request) const;
    /// The first half of `dispatch`: routes, runs the guard and the admitter, and runs the
    /// handler unless the request must first wait.
    /// @returns a Dispatch with `response`, or with `wait` (then call `resume`).
    Dispatch begin(HttpRequest& request) const;
    /// The second half: runs the handler when `reached`, else answers `wait->timed_out()`;
    /// ends the wait before the handler runs.
    HttpResponse resume(HttpRequest& request, Dispatch& dispatch, bool reached) const;
    /// True when the route of this request is marked non-blocking.
    bool non_blocking(const HttpRequest& request) const;
    const std::vector<Route>& routes() const { return routes_; }

  private:
    const Route* match(HttpRequest& request, std::string& allow) const;
    HttpResponse finish(const HttpRequest& request, const Dispatch& dispatch,
                        HttpResponse response) const;
    std::vector<Route> routes_;
    Metrics* metrics_;
    Guard guard_;
    Admitter admitter_;
};

}  // namespace switchyard::api
