// The log and its audit trail: GET /v1/events (envelopes from a checkpoint, for `switchyard
// events tail` and tools) and GET /v1/audit (the audit_trail read model).
#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/api_context.hpp"
#include "api/input_checks.hpp"
#include "api/problem.hpp"
#include "api/route_support.hpp"
#include "api/route_table.hpp"
#include "events/envelope_codec.hpp"
#include "projections/audit_trail.hpp"

namespace switchyard::api {

using core::Errc;

namespace {

/// GET /v1/events?from=<checkpoint>&limit=&wait_ms= -> {"events":[envelopes],"next":"<cp>"}
core::Result<HttpResponse> read_events(ApiContext& ctx, HttpRequest& r) {
    auto from = events::Checkpoint::parse(r.query_param("from"));
    if (!from) return core::fail(Errc::Invalid, "from", "must be a checkpoint such as 0:120");
    const auto limit = SY_TRY(int_query(r, "limit", 500, 1, 5000));
    const auto wait = SY_TRY(int_query(r, "wait_ms", 0, 0, 30000));
    if (wait > 0) ctx.store.wait_for_events(*from, std::chrono::milliseconds(wait));
    auto batch = SY_TRY(ctx.store.read_all(*from, static_cast<std::size_t>(limit)));
    std::string body = "{\"events\":[";
    auto next = *from;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (i) body += ',';
        body += events::encode_envelope(batch[i]);
        next.advance(batch[i].position);
    }
    body += "],\"next\":\"" + next.to_string() + "\"}";
    return json_response(200, std::move(body));
}

/// GET /v1/audit?from=&to=&actor=&resource=&type=&cursor=&limit=
core::Result<HttpResponse> read_audit(ApiContext& ctx, HttpRequest& r) {
    SY_TRY(wait_for_position(ctx, r));
    projections::AuditQuery q;
    for (auto [name, slot] : {std::pair{"from", &q.from}, std::pair{"to", &q.to}}) {
        if (!r.has_query(name)) continue;
        auto t = core::parse_rfc3339(r.query_param(name));
        if (!t)
            return core::fail(Errc::Invalid, name,
                              "must be an RFC 3339 time such as 2026-11-21T00:00:00Z");
        *slot = *t;
    }
    q.actor = r.query_param("actor");
    q.stream = r.query_param("stream");
    // `resource` is the stream of the thing: `line-42`, `user-u_...`.
    if (r.has_query("resource")) q.stream = r.query_param("resource");
    q.type = r.query_param("type");
    const auto page = SY_TRY(page_query(r));
    q.cursor = page.cursor;
    q.limit = page.limit;
    const auto* view = ctx.runner.view(projections::kAuditTrail);
    if (!view) return core::fail(Errc::Unavailable, "audit_trail", "the audit trail is not open");
    auto found = SY_TRY(projections::query_audit(*view, q));
    std::string body = "{\"items\":[";
    for (std::size_t i = 0; i < found.rows.size(); ++i) {
        if (i) body += ',';
        body += found.rows[i];
    }
    body += "],\"next_cursor\":";
    body += found.next_cursor.empty() ? "null" : "\"" + found.next_cursor + "\"";
    body += '}';
    return json_response(200, std::move(body));
}

}  // namespace

void add_log_routes(Router& router, ApiContext& ctx) {
    using core::identity::Role;
    add_routes<ApiContext>(
        router, ctx, "platform",
        {
            {"GET", "/v1/events", roles::admin, read_events,
             "Envelopes of the whole log from a checkpoint (`from`), up to `limit`; `wait_ms` "
             "waits for new ones."},
            {"GET",
             "/v1/audit",
             {Role::Admin, Role::Support},
             read_audit,
             "The audit trail: who did what to which resource, filtered, cursor-paginated."},
        });
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
    add_log_routes(*router, ctx);
    return router;
}

}  // namespace switchyard::api
