#pragma once
/// Helpers the route files share: authentication, decision contexts, read-your-writes.

#include <functional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "api/api_context.hpp"
#include "api/http_types.hpp"
#include "api/problem.hpp"
#include "api/query.hpp"
#include "core/actor.hpp"
#include "core/decision_context.hpp"
#include "core/result.hpp"

namespace switchyard::api {

/// The decision context of a command: time from the clock, the actor, `X-Request-Id` (or a new
/// UUIDv7) as correlation id, fresh randomness, and the line password hasher.
core::DecisionContext decision_context(ApiContext& ctx, const HttpRequest& request,
                                       const core::Actor& actor);

/// The position a request names for read-your-writes (`X-Switchyard-After` header, else the
/// `after` query parameter, `p:offset,...`); empty when it names none.
/// @errors Invalid naming `after` when malformed or negative (`x`, `-1`, `0:-5`), or when a
///         position is beyond the head of the log (no such event has been appended).
core::Result<std::vector<events::Position>> requested_position(ApiContext& ctx,
                                                               const HttpRequest& request);

/// Read-your-writes inside a handler: when the request names a position, waits (blocking)
/// until every read model has reached it. Behind the router's admitter (`read_your_writes`)
/// the position has been reached before the handler runs, so this returns at once.
/// @errors as `requested_position`; Timeout naming `after` after `ctx.max_wait`.
core::Result<void> wait_for_position(ApiContext& ctx, const HttpRequest& request);

/// How many read-your-writes waits one caller may hold at once. Default for read_your_writes.
constexpr int kMaxWaitsPerCaller = 4;

/// The router's admitter for read-your-writes: a GET or HEAD naming a position the read models
/// have not reached gets a ReadWait (woken by ProjectionRunner::notify_when, bounded by
/// `ctx.max_wait`) instead of blocking a thread. Answers at once 400 naming `after` for a
/// malformed, negative or beyond-the-head position, and 429 naming `after` with Retry-After
/// when the caller (authenticated principal, else client address) already holds
/// `max_waits_per_caller` waits.
/// @param max_waits_per_caller at least 1.
Admitter read_your_writes(ApiContext& ctx, int max_waits_per_caller = kMaxWaitsPerCaller);

/// A command's answer: JSON body plus `X-Switchyard-Position` when it appended events.
HttpResponse command_response(int status, std::string body,
                              const std::vector<events::Position>& positions);

/// Serializes a command's JSON answer with its `position` (null when nothing was appended).
std::string with_position(boost::json::object body, const std::vector<events::Position>& positions);

/// Parses a positive integer path parameter. @errors Invalid naming `name`.
core::Result<std::int64_t> id_param(const HttpRequest& request, const char* name);

}  // namespace switchyard::api
