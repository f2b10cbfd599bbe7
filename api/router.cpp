#include "api/router.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "api/problem.hpp"

namespace switchyard::api {

namespace {

/// The segment of `path` that starts at or after `pos` (slashes skipped, so that empty
/// segments do not count); empty at the end. Moves `pos` past it.
std::string_view next_segment(std::string_view path, std::size_t& pos) {
    while (pos < path.size() && path[pos] == '/') ++pos;
    const auto start = pos;
    while (pos < path.size() && path[pos] != '/') ++pos;
    return path.substr(start, pos - start);
}

/// Whether `path` matches `pattern` segment by segment (`{name}` takes one segment,
/// `{name...}` the rest of the path), filling `params`. Allocates only for the parameters:
/// every request is matched against every route until one fits.
bool match_pattern(std::string_view pattern, std::string_view path,
                   std::map<std::string, std::string>& params) {
    params.clear();
    std::size_t pattern_pos = 0, path_pos = 0;
    for (;;) {
        const auto p = next_segment(pattern, pattern_pos);
        const auto x = next_segment(path, path_pos);
        if (p.empty()) return x.empty();
        if (x.empty()) return false;
        const bool param = p.size() > 2 && p.front() == '{' && p.back() == '}';
        if (param && p.ends_with("...}")) {
            const auto start = static_cast<std::size_t>(x.data() - path.data());
            params[std::string(p.substr(1, p.size() - 5))] = std::string(path.substr(start));
            return true;
        }
        if (param)
            params[std::string(p.substr(1, p.size() - 2))] = std::string(x);
        else if (p != x)
            return false;
    }
}

}  // namespace

void Router::add(Route route) { routes_.push_back(std::move(route)); }

const Route* Router::match(HttpRequest& request, std::string& allow) const {
    const std::string method = request.method == "HEAD" ? "GET" : request.method;
    std::map<std::string, std::string> params;
    for (const auto& r : routes_) {
        if (!match_pattern(r.pattern, request.path, params)) continue;
        if (r.method == method) {
            request.params = std::move(params);
            return &r;
        }
        if (!allow.empty()) allow += ", ";
        allow += r.method;
    }
    return nullptr;
}

bool Router::non_blocking(const HttpRequest& request) const {
    HttpRequest copy;
    copy.method = request.method;
    copy.path = request.path;
    std::string allow;
    const auto* r = match(copy, allow);
    return r && r->non_blocking;
}

Dispatch Router::begin(HttpRequest& request) const {
    Dispatch d;
    d.start = std::chrono::steady_clock::now();
    std::string allow;
    d.route = match(request, allow);
    HttpResponse response;
    if (d.route) {
        try {
            auto refused = guard_ ? guard_(request, *d.route) : std::nullopt;
            if (refused) {
                response = std::move(*refused);
            } else {
                auto admission = admitter_ ? admitter_(request, *d.route) : Admission{};
                if (admission.wait) {
                    d.wait = std::move(admission.wait);
                    return d;
                }
                response =
                    admission.answer ? std::move(*admission.answer) : d.route->handler(request);
            }
        } catch (const std::exception& e) {
            response = problem(core::Errc::Internal, "", e.what());
        }
    } else if (!allow.empty()) {
        response = protocol_problem(405, "method-not-allowed", "Method not allowed", "method",
                                    request.method + " is not allowed here; allowed: " + allow);
        response.headers.emplace_back("Allow", allow);
    } else {
        response = problem(core::Errc::NotFound, "path", "no route for " + request.path);
    }
    d.response = finish(request, d, std::move(response));
    return d;
}

HttpResponse Router::resume(HttpRequest& request, Dispatch& d, bool reached) const {
    HttpResponse response;
    if (!reached) {
        response = d.wait->timed_out();
        d.wait.reset();
    } else {
        d.wait.reset();  // frees the caller's slot before the handler runs
        try {
            response = d.route->handler(request);
        } catch (const std::exception& e) {
            response = problem(core::Errc::Internal, "", e.what());
        }
    }
    return finish(request, d, std::move(response));
}

HttpResponse Router::finish(const HttpRequest& request, const Dispatch& d,
                            HttpResponse response) const {
    if (request.method == "HEAD") {
        response.body.clear();
        response.shared_body.reset();
    }
    if (metrics_)
        metrics_->record(d.route ? d.route->pattern : "unmatched", response.status,
                         std::chrono::steady_clock::now() - d.start);
    return response;
}

HttpResponse Router::dispatch(HttpRequest& request) const {
    auto d = begin(request);
    if (d.response) return std::move(*d.response);
    struct Reached {
        std::mutex mu;
        std::condition_variable cv;
        bool done = false;
    };
    auto flag = std::make_shared<Reached>();
    d.wait->notify([flag] {
        std::lock_guard lock(flag->mu);
        flag->done = true;
        flag->cv.notify_all();
    });
    bool reached = false;
    {
        std::unique_lock lock(flag->mu);
        reached = flag->cv.wait_for(lock, d.wait->timeout(), [&] { return flag->done; });
    }
    return resume(request, d, reached);
}

}  // namespace switchyard::api
