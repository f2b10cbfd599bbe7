// The customer's network diagnostics (the sandboxed user terminal of TrueVault 3.1): ping,
// traceroute or a DNS lookup of one host, validated by core/vpn/diagnostics.hpp, rate limited
// per customer and recorded for the audit trail.
#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/routes/vpn/vpn_support.hpp"
#include "core/vpn/diagnostics.hpp"

namespace switchyard::api::vpn {

using core::Errc;
using namespace core::vpn;

namespace {

/// Takes one diagnostic from the customer's budget (`security.diagnostics_per_minute`; 0 =
/// unlimited). @errors TooMany naming `tool` when it is spent.
core::Result<void> take_diagnostic(ApiContext& ctx, const std::string& customer_id) {
    const auto per_minute = ctx.security.diagnostics_per_minute;
    if (per_minute <= 0) return {};
    if (auto wait = ctx.limiter.take("vpn.diagnostics:" + customer_id, per_minute, ctx.clock.now()))
        return core::fail(
            Errc::TooMany, "tool",
            fmt::format("at most {} diagnostics a minute; retry in {} s", per_minute, *wait));
    return {};
}

/// POST /v1/vpn/diagnostics {"tool","target"} -> {"tool","target","exit_code","timed_out",
/// "duration_ms","truncated","output"}
core::Result<HttpResponse> run_diagnostic(VpnApi& api, HttpRequest& r) {
    auto c = SY_TRY(customer_of(api, r));
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"tool", "target"}));
    auto tool = SY_TRY(b.string("tool"));
    auto target = SY_TRY(b.string("target"));
    auto cmd = SY_TRY(diagnostic_command(tool, target));
    if (!api.run_diagnostic)
        return core::fail(Errc::Unavailable, "tool", "diagnostics are not enabled on this server");
    SY_TRY(take_diagnostic(api.ctx, c.customer_id));
    auto result = api.run_diagnostic(cmd);
    auto o =
        SY_TRY(api.vpn.record({diagnostic_ran(c.customer_id, cmd, result)}, context_of(api, r)));
    return answer(200,
                  {{"tool", cmd.tool},
                   {"target", cmd.target},
                   {"exit_code", result.exit_code},
                   {"timed_out", result.timed_out},
                   {"duration_ms", result.duration_ms},
                   {"truncated", result.truncated},
                   {"output", result.output}},
                  o.positions);
}

}  // namespace

VpnRoutes diagnostics_routes() {
    return {
        {
            "POST",
            "/v1/vpn/diagnostics",
            vpn_roles::account,
            run_diagnostic,
            "Runs ping, traceroute or a DNS lookup of one host for the customer (rate limited, "
            "audited).",
        },
    };
}

}  // namespace switchyard::api::vpn
