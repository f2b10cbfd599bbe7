// /v1/events (the log, for `switchyard events tail` and tools) and /v1/audit (audit_trail).
#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/api_context.hpp"
#include "api/input_checks.hpp"
#include "api/problem.hpp"
#include "api/route_support.hpp"
#include "events/envelope_codec.hpp"
#include "projections/audit_trail.hpp"

namespace switchyard::api {

using core::Errc;

void add_log_routes(Router& router, ApiContext& ctx) {
    // GET /v1/events?from=<checkpoint>&limit=&wait_ms= -> {"events":[envelopes],
    // "next":"<checkpoint>"}
    router.add({"GET", "/v1/events", authenticated(ctx, [&ctx](HttpRequest& r, const core::Actor&) {
                    auto from = events::Checkpoint::parse(r.query_param("from"));
                    if (!from)
                        return problem(Errc::Invalid, "from", "must be a checkpoint such as 0:120");
                    auto limit = int_query(r, "limit", 500, 1, 5000);
                    auto wait = int_query(r, "wait_ms", 0, 0, 30000);
                    if (!limit) return problem(limit.error());
                    if (!wait) return problem(wait.error());
                    if (*wait > 0)
                        ctx.store.wait_for_events(*from, std::chrono::milliseconds(*wait));
                    auto batch = ctx.store.read_all(*from, static_cast<std::size_t>(*limit));
                    if (!batch) return problem(batch.error());
                    std::string body = "{\"events\":[";
                    auto next = *from;
                    for (std::size_t i = 0; i < batch->size(); ++i) {
                        if (i) body += ',';
                        body += events::encode_envelope((*batch)[i]);
                        next.advance((*batch)[i].position);
                    }
                    body += "],\"next\":\"" + next.to_string() + "\"}";
                    return json_response(200, std::move(body));
                })});

    // GET /v1/audit?from=&to=&actor=&stream=&type=&cursor=&limit=
    router.add({"GET", "/v1/audit", authenticated(ctx, [&ctx](HttpRequest& r, const core::Actor&) {
                    if (auto w = wait_for_position(ctx, r); !w) return problem(w.error());
                    projections::AuditQuery q;
                    for (auto [name, slot] : {std::pair{"from", &q.from}, std::pair{"to", &q.to}}) {
                        if (!r.has_query(name)) continue;
                        auto t = core::parse_rfc3339(r.query_param(name));
                        if (!t)
                            return problem(Errc::Invalid, name,
                                           "must be an RFC 3339 time such as 2026-11-21T00:00:00Z");
                        *slot = *t;
                    }
                    q.actor = r.query_param("actor");
                    q.stream = r.query_param("stream");
                    // `resource` is the stream of the thing: `line-42`, `user-u_...`.
                    if (r.has_query("resource")) q.stream = r.query_param("resource");
                    q.type = r.query_param("type");
                    q.cursor = r.query_param("cursor");
                    auto limit = int_query(r, "limit", 100, 1, 1000);
                    if (!limit) return problem(limit.error());
                    q.limit = static_cast<std::size_t>(*limit);
                    const auto* view = ctx.runner.view(projections::kAuditTrail);
                    if (!view)
                        return problem(Errc::Unavailable, "audit_trail",
                                       "the audit trail is not open");
                    auto page = projections::query_audit(*view, q);
                    if (!page) return problem(page.error());
                    std::string body = "{\"items\":[";
                    for (std::size_t i = 0; i < page->rows.size(); ++i) {
                        if (i) body += ',';
                        body += page->rows[i];
                    }
                    body += "],\"next_cursor\":";
                    body += page->next_cursor.empty() ? "null" : "\"" + page->next_cursor + "\"";
                    body += '}';
                    return json_response(200, std::move(body));
                })});
}

std::unique_ptr<Router> make_router(ApiContext& ctx) {
    auto router = std::make_unique<Router>(&ctx.metrics);
    // Access first (an unauthenticated caller learns nothing about its input), then the checks
    // every route shares: the Idempotency-Key and the body's media type (api/input_checks.hpp).
    router->set_guard(
        [&ctx](HttpRequest& request, const Route& route) -> std::optional<HttpResponse> {
            if (auto denied = guard(ctx, request, route)) return denied;
            if (auto key = check_idempotency_key(request); !key) return problem(key.error());
            if (auto type = check_content_type(request, route); !type) return problem(type.error());
            return std::nullopt;
        });
    router->set_admitter(read_your_writes(ctx));
    add_ops_routes(*router, ctx);
    add_xtream_routes(*router, ctx);
    add_iptv_routes(*router, ctx);
    add_log_routes(*router, ctx);
    add_identity_routes(*router, ctx);
    add_vpn_routes(*router, ctx);
    return router;
}

}  // namespace switchyard::api
