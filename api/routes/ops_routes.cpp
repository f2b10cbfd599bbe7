// Operational routes: /healthz, /readyz, /metrics.
#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/api_context.hpp"

namespace switchyard::api {

void add_ops_routes(Router& router, ApiContext& ctx) {
    router.add({"GET", "/healthz",
                [](HttpRequest&) { return json_response(200, R"({"status":"ok"})"); }, true});
    router.add({"GET", "/readyz",
                [&ctx](HttpRequest&) {
                    const auto head = ctx.store.head();
                    const auto low = ctx.runner.low_watermark();
                    const auto lag = head.total() - low.total();
                    const bool ready = !ctx.runner.failed() && lag <= 0;
                    boost::json::object o{{"status", ready ? "ready" : "catching_up"},
                                          {"log_head", head.to_string()},
                                          {"projections", low.to_string()},
                                          {"lag_events", lag},
                                          {"projection_failed", ctx.runner.failed()}};
                    return json_response(ready ? 200 : 503, boost::json::serialize(o));
                },
                true});
    ctx.metrics.set_gauges([&ctx] {
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
    });
    router.add({"GET", "/metrics",
                [&ctx](HttpRequest&) {
                    HttpResponse r;
                    r.content_type = "text/plain; version=0.0.4";
                    r.body = ctx.metrics.render();
                    return r;
                },
                true});
}

}  // namespace switchyard::api
