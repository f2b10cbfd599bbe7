#pragma once
/// Helpers the route files share: authentication, decision contexts, read-your-writes.

#include <functional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "api/api_context.hpp"
#include "api/http_types.hpp"
#include "api/problem.hpp"
#include "core/actor.hpp"
#include "core/decision_context.hpp"
#include "core/result.hpp"

namespace switchyard::api {

/// Wraps a handler so that it runs only for an authenticated caller (the router's guard set
/// `request.caller`; without a guard, authenticates here); others get 401.
Handler authenticated(ApiContext& ctx,
                      std::function<HttpResponse(HttpRequest&, const core::Actor&)> fn);

/// Wraps an authenticated handler body that returns Result<HttpResponse>; errors become
/// problem+json answers.
template <class Fn>
Handler guarded(ApiContext& ctx, Fn fn) {
    return authenticated(ctx, [fn](HttpRequest& r, const core::Actor& actor) {
        core::Result<HttpResponse> out = fn(r, actor);
        return out ? std::move(*out) : problem(out.error());
    });
}

/// An integer query parameter in [lo, hi]; `def` when absent.
/// @errors Invalid naming the parameter otherwise.
core::Result<long long> int_query(const HttpRequest& r, const char* name, long long def,
                                  long long lo, long long hi);

/// The decision context of a command: time from the clock, the actor, `X-Request-Id` (or a new
/// UUIDv7) as correlation id, fresh randomness, and the line password hasher.
core::DecisionContext decision_context(ApiContext& ctx, const HttpRequest& request,
                                       const core::Actor& actor);

/// Read-your-writes: when the request names a position (`X-Switchyard-After` header or `after`
/// query parameter, `p:offset,...`), waits until every read model has reached it.
/// @errors Invalid for a malformed position; Timeout after `ctx.max_wait`.
core::Result<void> wait_for_position(ApiContext& ctx, const HttpRequest& request);

/// A command's answer: JSON body plus `X-Switchyard-Position` when it appended events.
HttpResponse command_response(int status, std::string body,
                              const std::vector<events::Position>& positions);

/// Serializes a command's JSON answer with its `position` (null when nothing was appended).
std::string with_position(boost::json::object body, const std::vector<events::Position>& positions);

/// Parses a positive integer path parameter. @errors Invalid naming `name`.
core::Result<std::int64_t> id_param(const HttpRequest& request, const char* name);

}  // namespace switchyard::api
