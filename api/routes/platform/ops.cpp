// Operational routes: /healthz, /readyz, /metrics (public, answered on the I/O thread).
#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/api_context.hpp"
#include "api/route_table.hpp"

namespace switchyard::api {

namespace {

core::Result<HttpResponse> healthz(ApiContext&, HttpRequest&) {
    return json_response(200, R"({"status":"ok"})");
}

core::Result<HttpResponse> readyz(ApiContext& ctx, HttpRequest&) {
    const auto head = ctx.store.head();
    const auto low = ctx.runner.low_watermark();
    const auto lag = head.total() - low.total();
    const bool ready = !ctx.runner.failed() && lag <= 0;
    boost::json::object o{{"status", ready ? "ready" : "catching_up"},
                          {"log_head", head.to_string()},
                          {"projections", low.to_string()},
                          {"lag_events", lag},
                          {"projection_failed", ctx.runner.failed()}};
    // Modules' reports are listed, never counted against readiness.
    for (const auto& [name, report] : ctx.readiness_reports) {
        boost::system::error_code ec;
        auto value = boost::json::parse(report(), ec);
        o[name] = ec ? boost::json::value(nullptr) : std::move(value);
    }
    return json_response(ready ? 200 : 503, boost::json::serialize(o));
}

core::Result<HttpResponse> metrics(ApiContext& ctx, HttpRequest&) {
    HttpResponse r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = ctx.metrics.render();
    return r;
}

std::map<std::string, double> log_gauges(ApiContext& ctx) {
    std::map<std::string, double> g;
    const auto head = ctx.store.head();
    g["switchyard_log_head_events"] = static_cast<double>(head.total());
    g["switchyard_projection_events_applied_total"] =
        static_cast<double>(ctx.runner.events_applied());
    for (const auto& name : ctx.runner.names()) {
        auto c = ctx.runner.checkpoint(name);
        const auto done = c ? c->total() : 0;
        g[fmt::format("switchyard_projection_lag_events{{projection=\"{}\"}}", name)] =
            static_cast<double>(head.total() - done);
    }
    return g;
}

}  // namespace

void add_ops_routes(Router& router, ApiContext& ctx) {
    ctx.metrics.set_gauges([&ctx] { return log_gauges(ctx); });
    constexpr auto open = Reach::Public;
    add_routes<ApiContext>(
        router, ctx, "platform",
        {
            {"GET",
             "/healthz",
             {},
             healthz,
             "Liveness: answers 200 while the process serves.",
             open,
             true},
            {"GET",
             "/readyz",
             {},
             readyz,
             "Readiness: 200 once the read models hold the log's head, else 503 with the lag; "
             "modules add what they watch (the hotspot NAS' reachability) without failing it.",
             open,
             true},
            {"GET",
             "/metrics",
             {},
             metrics,
             "Prometheus metrics (text exposition format 0.0.4).",
             open,
             true},
        });
}

}  // namespace switchyard::api
